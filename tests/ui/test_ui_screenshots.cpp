// Renders the whole console (ui/app's Console, as `slipway` shows it) panel by panel in English
// and in Simplified Chinese to PNG files under ${SLIPWAY_BINARY_DIR}/screenshots/ for review by
// eye, and fails when a visible string is left untranslated in Chinese. The language is switched
// live through the View menu, as a person would.
#include "app/console.h"
#include "app/logs_page.h"
#include "calculator/calculator_controller.h"
#include "calculator/calculator_panel.h"
#include "chat/chat_panel.h"
#include "clusters/clusters_panel.h"
#include "deploy/deploy_wizard.h"
#include "frame/about_dialog.h"
#include "frame/main_window.h"
#include "i18n/language.h"
#include "logs/log_bridge.h"
#include "logs/log_source_model.h"
#include "metrics/metrics_panel.h"
#include "settings/app_settings.h"
#include "settings/settings_panel.h"
#include "ui_text_walker.h"
#include "workloads/workloads_panel.h"

#include <QAction>
#include <QLabel>
#include <QDir>
#include <QSettings>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QTabWidget>
#include <QtTest>

using namespace slipway;
using namespace slipway::ui;

namespace {

constexpr int kWaitMs = 15000;

QString screenshotDir()
{
    const QString dir = QStringLiteral(SLIPWAY_BINARY_DIR "/screenshots");
    QDir().mkpath(dir);
    return dir;
}

void save(QWidget *widget, const QString &name)
{
    QCoreApplication::processEvents();
    const QString path = screenshotDir() + QLatin1Char('/') + name + QStringLiteral(".png");
    QVERIFY2(widget->grab().save(path), qPrintable(path));
}

CalculatorInputs fittingInputs()
{
    CalculatorInputs in;
    in.model = {ModelSource::Kind::Catalog, QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B")};
    in.weightDtype = sizing::WeightDtype::Bf16;
    in.gpuName = QStringLiteral("H100");
    in.contextLength = 32768;
    in.concurrency = 8;
    return in;
}

CalculatorInputs nonFittingInputs()
{
    CalculatorInputs in;
    in.model = {ModelSource::Kind::Catalog, QStringLiteral("deepseek-ai/DeepSeek-V3")};
    in.gpuName = QStringLiteral("H100");
    in.contextLength = 16384;
    in.concurrency = 16;
    in.tensorParallel = 8;
    return in;
}

// Warnings: MLA without Hopper, no FP8 tensor cores (and a TP that spans nodes).
CalculatorInputs warningInputs()
{
    CalculatorInputs in;
    in.model = {ModelSource::Kind::Catalog, QStringLiteral("deepseek-ai/DeepSeek-V3")};
    in.gpuName = QStringLiteral("A100-80G");
    in.contextLength = 8192;
    in.concurrency = 4;
    return in;
}

} // namespace

class TestUiScreenshots : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void rendersInEnglish();
    void rendersInChineseWithNothingUntranslated();
    void chatDemoNoticeFollowsTheEndpoint();

private:
    void applyInputs(const CalculatorInputs &inputs);
    // Saves every panel (the calculator's tabs, each one) as <prefix>_<panel>.png and returns the
    // visible strings that do not read as Chinese, per panel.
    QStringList saveEveryPanel(const QString &prefix);
    void switchLanguage(Language language);
    QStringList untranslated(QWidget *root) const;

    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_store;
    std::unique_ptr<AppSettings> m_settings;
    LanguageSwitcher m_switcher;
    std::unique_ptr<Console> m_console;
    MainWindow *m_window = nullptr;
    CalculatorPanel *m_panel = nullptr;
};

void TestUiScreenshots::initTestCase()
{
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0-test"));
    QVERIFY(m_dir.isValid());
    m_store = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("slipway.ini")), QSettings::IniFormat);
    m_settings = std::make_unique<AppSettings>(*m_store);
    m_settings->setLanguage(Language::English);
    m_settings->setDemoModelDir(m_dir.filePath(QStringLiteral("demo-model")));
    m_switcher.setLanguage(Language::English);
    // No kubeconfig: the Clusters panel shows its first-start advice, the same on every machine.
    qputenv("KUBECONFIG", m_dir.filePath(QStringLiteral("no-kubeconfig")).toLocal8Bit());
    m_console = std::make_unique<Console>(*m_settings, m_switcher);
    m_window = m_console->window();
    m_panel = m_console->calculatorPanel();
    m_panel->controller()->setDebounceInterval(0);
    QSignalSpy guide(m_panel, &CalculatorPanel::guideComparisonShown);
    m_window->resize(1360, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    QVERIFY(guide.count() > 0 || guide.wait(kWaitMs));

    // Something to read in the Logs panel.
    LogSourceModel *sources = m_console->logSources();
    LogBridge *bridge = sources->bridge(sources->rowOf(Console::kLocalEngineId));
    for (const char *line : {"slipway-engine 0.1.0 (cpu backend)", "loading model from /data/demo-model",
                             "model loaded: Qwen2ForCausalLM, 2 layers, 20.3 MB in 0.12 s",
                             "listening on http://127.0.0.1:30000 (OpenAI and SGLang APIs)",
                             "POST /v1/chat/completions 200 stream=true prompt_tokens=18 completion_tokens=64"})
        bridge->post(QString::fromLatin1(line));
    bridge->flush();
}

void TestUiScreenshots::cleanupTestCase()
{
    m_console.reset();
    m_switcher.setLanguage(Language::English);
}

void TestUiScreenshots::applyInputs(const CalculatorInputs &inputs)
{
    QSignalSpy shown(m_panel, &CalculatorPanel::resultShown);
    m_panel->setInputs(inputs);
    QVERIFY(shown.wait(kWaitMs));
}

QStringList TestUiScreenshots::saveEveryPanel(const QString &prefix)
{
    QStringList missing;
    const auto check = [&](QWidget *root, const QString &name) {
        save(root, prefix + QLatin1Char('_') + name);
        for (const QString &text : untranslated(root))
            missing << name + QStringLiteral(": ") + text;
    };

    m_console->showPanel(m_panel);
    applyInputs(fittingInputs());
    QTabWidget *tabs = m_panel->resultTabs();
    const QStringList tabNames{QStringLiteral("figures"), QStringLiteral("tp_search"), QStringLiteral("guide")};
    for (int i = 0; i < tabs->count(); ++i) {
        tabs->setCurrentIndex(i);
        check(m_window, QStringLiteral("calculator_") + tabNames.value(i, QString::number(i)));
    }
    tabs->setCurrentIndex(0);
    applyInputs(nonFittingInputs());
    check(m_window, QStringLiteral("calculator_not_fitting"));
    // Core's texts are walked like any other: the figures' formulas, the TP search's notes, the
    // warnings and the errors (they come with codes and are translated in the UI).
    applyInputs(warningInputs());
    if (m_panel->shownWarnings().size() < 2)
        missing << QStringLiteral("calculator_warnings: expected the MLA and FP8 warnings");
    check(m_window, QStringLiteral("calculator_warnings"));
    tabs->setCurrentIndex(1);
    check(m_window, QStringLiteral("calculator_warnings_tp_search"));
    tabs->setCurrentIndex(0);

    m_console->showPanel(m_console->clustersPanel());
    check(m_window, QStringLiteral("clusters"));
    m_console->showPanel(m_console->deployWizard());
    check(m_window, QStringLiteral("deploy"));
    m_console->showPanel(m_console->workloadsPanel());
    check(m_window, QStringLiteral("workloads"));
    m_console->showPanel(m_console->logsPage());
    check(m_window, QStringLiteral("logs"));
    m_console->showPanel(m_console->metricsPanel());
    check(m_window, QStringLiteral("metrics"));
    m_console->showPanel(m_console->chatPanel());
    m_console->chatPanel()->setDemoModelNotice(true); // as when the Local engine runs the demo model
    check(m_window, QStringLiteral("chat"));
    m_console->chatPanel()->setDemoModelNotice(false);
    m_console->showPanel(m_console->settingsPanel());
    check(m_window, QStringLiteral("settings"));

    m_window->showAbout();
    AboutDialog *about = m_window->aboutDialog();
    if (!about || !QTest::qWaitForWindowExposed(about)) {
        missing << QStringLiteral("the About dialog did not open");
        return missing;
    }
    check(about, QStringLiteral("about"));
    about->close();
    QCoreApplication::processEvents();
    return missing;
}

void TestUiScreenshots::switchLanguage(Language language)
{
    QAction *action = m_window->languageAction(language);
    QVERIFY(action);
    action->trigger();
    QCOMPARE(m_switcher.language(), language);
    QCoreApplication::processEvents(); // LanguageChange is posted to the widgets
    QCoreApplication::processEvents();
}

QStringList TestUiScreenshots::untranslated(QWidget *root) const
{
    QStringList found;
    for (const test::VisibleText &t : test::collectVisibleTexts(root)) {
        bool languageName = false;
        for (Language l : availableLanguages())
            languageName = languageName || t.text == languageNativeName(l);
        if (!languageName && !test::readsAsChinese(t.text))
            found << t.where + QStringLiteral(": ") + t.text;
    }
    return found;
}

void TestUiScreenshots::rendersInEnglish()
{
    switchLanguage(Language::English);
    QCOMPARE(m_window->windowTitle(), QStringLiteral("Slipway"));
    QCOMPARE(m_window->panelCount(), 8); // Calculator, Clusters, Deploy, Workloads, Logs, Metrics, Chat, Settings
    saveEveryPanel(QStringLiteral("en"));
    // English is the source language: nothing in it reads as Chinese.
    int chinese = 0;
    for (int i = 0; i < m_window->panelCount(); ++i) {
        m_window->showPanel(i);
        for (const test::VisibleText &t : test::collectVisibleTexts(m_window))
            chinese += t.text != languageNativeName(Language::SimplifiedChinese) &&
                       t.text.contains(QRegularExpression(QStringLiteral("[\\x{4e00}-\\x{9fff}]")));
    }
    QCOMPARE(chinese, 0);
}

void TestUiScreenshots::rendersInChineseWithNothingUntranslated()
{
    switchLanguage(Language::SimplifiedChinese);
    QCOMPARE(m_panel->windowTitle(), QStringLiteral("计算器"));
    QStringList missing = saveEveryPanel(QStringLiteral("zh_CN"));
    missing.removeDuplicates();
    QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("untranslated in Chinese:\n  ") + missing.join(QStringLiteral("\n  "))));
}

void TestUiScreenshots::chatDemoNoticeFollowsTheEndpoint()
{
    ChatPanel *chat = m_console->chatPanel();
    auto *notice = chat->findChild<QLabel *>(QStringLiteral("chatDemoModelNotice"));
    QVERIFY(notice);
    switchLanguage(Language::English);
    chat->setDemoModelNotice(true);
    QVERIFY(chat->demoModelNoticeShown());
    QVERIFY(notice->text().contains(QStringLiteral("replies are noise")));
    QVERIFY(notice->text().contains(QStringLiteral("real model folder")));
    switchLanguage(Language::SimplifiedChinese);
    QVERIFY2(notice->text().contains(QStringLiteral("噪声")), qPrintable(notice->text()));
    QVERIFY(test::readsAsChinese(notice->text()));
    // Another endpoint (a cluster, the Settings' one) is not the demo model: the notice goes.
    chat->setEndpoint(QStringLiteral("http://127.0.0.1:9"), QString(), QStringLiteral("deepseek"));
    QVERIFY(!chat->demoModelNoticeShown());
    switchLanguage(Language::English);
}

QTEST_MAIN(TestUiScreenshots)
#include "test_ui_screenshots.moc"
