// Renders every Deploy wizard page, for the Export and the Local target, in English and in
// Simplified Chinese to ${SLIPWAY_BINARY_DIR}/screenshots/deploy_*.png for review by eye, and fails
// when a visible string is left untranslated in Chinese.
#include "calculator/calculator_controller.h"
#include "calculator/calculator_panel.h"
#include "deploy/deploy_pages.h"
#include "i18n/language.h"
#include "../ui_text_walker.h"
#include "wizard_test_support.h"

#include <QDir>
#include <QLineEdit>
#include <QtTest>

using namespace slipway;
using namespace slipway::ui;

namespace {

const char *const kPageNames[] = {"1_target", "2_model", "3_sizing", "4_files", "5_runtime", "6_review", "7_deploy"};

QString screenshotDir()
{
    const QString dir = QStringLiteral(SLIPWAY_BINARY_DIR "/screenshots");
    QDir().mkpath(dir);
    return dir;
}

DeployChoices exportChoices()
{
    DeployChoices c;
    c.target = DeployTarget::Export;
    c.sizing.model = {ModelSource::Kind::Catalog, QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-32B")};
    c.sizing.contextLength = 32768;
    c.sizing.concurrency = 8;
    c.plan.storage = deploy::Storage::S3;
    c.plan.s3.endpoint = "http://minio.minio.svc:9000";
    c.plan.s3.bucket = "models";
    c.plan.s3.path = "deepseek/r1-distill-qwen-32b";
    c.plan.s3.existingSecret = "minio-keys";
    c.plan.mode = deploy::Mode::KServe;
    // Mirrored into the user's registry: the Runtime page shows the commands.
    c.plan.mirrorRegistry = "quay.io/myorg";
    c.plan.imagePullSecret = "mirror-pull";
    return c;
}

DeployChoices localChoices()
{
    DeployChoices c;
    c.target = DeployTarget::Local;
    c.sizing.model = {ModelSource::Kind::Folder, test::tinyModelFolder()};
    return c;
}

} // namespace

class TestDeployWizardScreenshots : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void rendersEveryPageInEnglish();
    void rendersEveryPageInChineseWithNothingUntranslated();

private:
    // Walks the wizard through every page with `choices`, saving each as <prefix>_<page>.png;
    // returns the untranslated strings seen when `checkChinese`.
    void walkAndSave(const DeployChoices &choices, const QString &prefix, QStringList *untranslatedSeen = nullptr);
    // Shows the Runtime page with invalid choices of each kind (a name validate() refuses, a layout
    // the plan builder refuses, a registry the image mirror refuses), saving each; returns the
    // untranslated strings seen when asked.
    void saveProblemPages(const QString &prefix, QStringList *untranslatedSeen = nullptr);
    void save(const QString &name);
    QStringList untranslated() const;

    LanguageSwitcher m_switcher;
    test::RecordingDeployer m_deployer;
    std::unique_ptr<DeployWizard> m_wizard;
};

void TestDeployWizardScreenshots::initTestCase()
{
    m_wizard = std::make_unique<DeployWizard>(&m_deployer, QStringLiteral("/nonexistent"));
    m_wizard->resize(1280, 880);
    m_wizard->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_wizard.get()));
}

void TestDeployWizardScreenshots::cleanupTestCase()
{
    m_switcher.setLanguage(Language::English);
    m_wizard.reset();
}

void TestDeployWizardScreenshots::save(const QString &name)
{
    QCoreApplication::processEvents();
    const QString path = screenshotDir() + QLatin1Char('/') + name + QStringLiteral(".png");
    QVERIFY2(m_wizard->grab().save(path), qPrintable(path));
}

QStringList TestDeployWizardScreenshots::untranslated() const
{
    QStringList found;
    for (const test::VisibleText &t : test::collectVisibleTexts(m_wizard.get())) {
        if (!test::readsAsChinese(t.text))
            found << t.where + QStringLiteral(": ") + t.text;
    }
    return found;
}

void TestDeployWizardScreenshots::walkAndSave(const DeployChoices &choices, const QString &prefix,
                                              QStringList *untranslatedSeen)
{
    m_wizard->setChoices(choices);
    test::walkTo(*m_wizard, DeployWizard::TargetPageId);
    while (true) {
        const int id = m_wizard->currentId();
        QWizardPage *page = m_wizard->currentPage();
        QTRY_VERIFY_WITH_TIMEOUT(page->isComplete() || id == DeployWizard::DeployPageId, test::kWaitMs);
        QTest::qWait(id == DeployWizard::SizingPageId ? 300 : 30); // the chart settles
        save(prefix + QLatin1Char('_') + QLatin1String(kPageNames[id]));
        if (untranslatedSeen)
            *untranslatedSeen << untranslated();
        if (id == DeployWizard::DeployPageId)
            break;
        m_wizard->next();
        if (m_wizard->currentId() == id)
            break;
    }
}

void TestDeployWizardScreenshots::saveProblemPages(const QString &prefix, QStringList *untranslatedSeen)
{
    DeployChoices name = exportChoices();
    name.plan.name = "Qwen_32B";
    DeployChoices layout = exportChoices();
    layout.plan.mode = deploy::Mode::Deployment;
    layout.plan.nodes = 2;
    DeployChoices registry = exportChoices();
    registry.plan.mirrorRegistry = "quay";
    const std::pair<DeployChoices, const char *> cases[] = {
        {name, "_5_runtime_problem"}, {layout, "_5_runtime_problem_layout"}, {registry, "_5_runtime_problem_mirror"}};
    for (const auto &[choices, suffix] : cases) {
        m_wizard->setChoices(choices);
        test::walkTo(*m_wizard, DeployWizard::FilesPageId);
        m_wizard->next(); // onto the Runtime page, where these choices are made and refused
        QCOMPARE(m_wizard->currentId(), int(DeployWizard::RuntimePageId));
        auto *page = qobject_cast<ChoicePage *>(m_wizard->currentPage());
        QVERIFY(page);
        QTRY_VERIFY_WITH_TIMEOUT(!page->shownProblem().isEmpty(), test::kWaitMs);
        QVERIFY(!page->isComplete());
        save(prefix + QLatin1String(suffix));
        if (untranslatedSeen) {
            *untranslatedSeen << untranslated();
            // The problem line itself is among the texts the walker read.
            QVERIFY2(test::readsAsChinese(page->shownProblem()), qPrintable(page->shownProblem()));
        }
    }
}

void TestDeployWizardScreenshots::rendersEveryPageInEnglish()
{
    m_switcher.setLanguage(Language::English);
    QCoreApplication::processEvents();
    walkAndSave(exportChoices(), QStringLiteral("deploy_en_export"));
    walkAndSave(localChoices(), QStringLiteral("deploy_en_local"));
    saveProblemPages(QStringLiteral("deploy_en"));
    QCOMPARE(m_wizard->windowTitle(), QStringLiteral("Deploy"));
}

void TestDeployWizardScreenshots::rendersEveryPageInChineseWithNothingUntranslated()
{
    QVERIFY(m_switcher.setLanguage(Language::SimplifiedChinese));
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    QStringList missing;
    walkAndSave(exportChoices(), QStringLiteral("deploy_zh_CN_export"), &missing);
    walkAndSave(localChoices(), QStringLiteral("deploy_zh_CN_local"), &missing);
    saveProblemPages(QStringLiteral("deploy_zh_CN"), &missing);
    QCOMPARE(m_wizard->windowTitle(), QStringLiteral("部署"));
    missing.removeDuplicates();
    QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("untranslated in Chinese:\n  ") + missing.join(QStringLiteral("\n  "))));
}

QTEST_MAIN(TestDeployWizardScreenshots)
#include "test_deploy_wizard_screenshots.moc"
