// The Deploy wizard: for each target and mode its manifests are byte-identical to
// `slipway-cli render` with the same choices; invalid choices keep Next disabled with the message
// on the page where they are made; Save all writes what -o writes; the Local target hands the
// right EngineLaunchOptions to the LocalDeployer.
#include "deploy/deploy_pages.h"
#include "deploy/image_mirror_box.h"
#include "deploy/validate.h"
#include "i18n/language.h"
#include "../ui_text_walker.h"
#include "wizard_test_support.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QRegularExpression>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace slipway;
using namespace slipway::ui;
using namespace slipway::ui::test;

namespace {

const QString k7B = QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B");

struct CliRun {
    int exitCode = -1;
    QByteArray out;
    QString err;
};

CliRun runCli(const QStringList &args, const QString &command = QStringLiteral("render"))
{
    QProcess p;
    p.setProgram(QStringLiteral(SLIPWAY_CLI_PATH));
    p.setArguments(QStringList{command} + args);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("AWS_ACCESS_KEY_ID"));
    env.remove(QStringLiteral("AWS_SECRET_ACCESS_KEY"));
    p.setProcessEnvironment(env);
    p.start();
    if (!p.waitForFinished(30000))
        return {};
    return {p.exitCode(), p.readAllStandardOutput(), QString::fromUtf8(p.readAllStandardError())};
}

DeployChoices exportChoices()
{
    DeployChoices c;
    c.target = DeployTarget::Export;
    c.sizing.model = {ModelSource::Kind::Catalog, k7B};
    return c;
}

QMap<QString, QByteArray> filesIn(const QString &dir)
{
    QMap<QString, QByteArray> files;
    for (const QString &name : QDir(dir).entryList(QDir::Files)) {
        QFile f(QDir(dir).filePath(name));
        if (f.open(QIODevice::ReadOnly))
            files.insert(name, f.readAll());
    }
    return files;
}

} // namespace

Q_DECLARE_METATYPE(slipway::ui::DeployChoices)

class TestDeployWizard : public QObject {
    Q_OBJECT

private slots:
    void manifestsMatchTheCli_data();
    void manifestsMatchTheCli();
    void invalidChoiceKeepsNextDisabledWithTheMessageOnItsPage_data();
    void invalidChoiceKeepsNextDisabledWithTheMessageOnItsPage();
    void fixingTheChoiceEnablesNext();
    void runtimePageShowsTheCliMirrorCommands_data();
    void runtimePageShowsTheCliMirrorCommands();
    void reviewRendersTheMirroredImageWithItsPullSecret();
    void saveAllWritesTheSameFilesAsTheCli();
    void localTargetStartsTheEngineWithTheChosenFlags();
    void localTargetNeedsAModelFolder();
    void clusterTargetExplainsThatDeployingWaitsForClusters();
    void reviewNotesFollowTheLanguage();
    void localLaunchProblemReadsAsChinese();
};

void TestDeployWizard::manifestsMatchTheCli_data()
{
    QTest::addColumn<DeployChoices>("choices");

    QTest::addRow("export deployment pvc privileged openshift") << exportChoices();

    DeployChoices c = exportChoices();
    c.plan.runtime = deploy::Runtime::Slipway;
    c.plan.storage = deploy::Storage::Download;
    c.plan.rwx = true;
    c.plan.hfEndpoint = "https://hf-mirror.com";
    c.plan.security = deploy::Security::Restricted;
    c.plan.platform = deploy::Platform::Kubernetes;
    c.plan.port = 8080;
    c.plan.name = "qwen7b";
    c.plan.namespaceName = "llm";
    QTest::addRow("export deployment download restricted kubernetes slipway") << c;

    c = exportChoices();
    c.target = DeployTarget::Cluster;
    c.plan.mode = deploy::Mode::KServe;
    c.plan.storage = deploy::Storage::S3;
    c.plan.s3.endpoint = "http://minio.minio.svc:9000";
    c.plan.s3.bucket = "models";
    c.plan.s3.path = "deepseek/qwen-7b";
    c.plan.s3.existingSecret = "minio-keys";
    c.sizing.contextLength = 16384;
    c.sizing.concurrency = 4;
    QTest::addRow("cluster kserve s3 context") << c;

    c = exportChoices();
    c.sizing.tensorParallel = 4;
    c.sizing.gpusPerNode = 2; // two nodes of two: the wizard preselects lws
    c.plan.pvcSize = "200Gi";
    c.plan.storageClass = "ocs-storagecluster-cephfs";
    c.plan.loaderImage = "mirror.example.com/ubi9/ubi:latest";
    QTest::addRow("export lws tp4 over 2 nodes pvc") << c;

    c = exportChoices();
    c.sizing.model = {ModelSource::Kind::Catalog, QStringLiteral("deepseek-ai/DeepSeek-R1")};
    c.sizing.gpuName = QStringLiteral("H20");
    c.plan.storage = deploy::Storage::Image;
    c.plan.imageModelPath = "/models/DeepSeek-R1";
    c.plan.image = "registry.example.com/sglang:v0.4";
    c.plan.imagePullSecret = "registry-pull";
    c.plan.rdma = true;
    QTest::addRow("export lws R1 on H20 image rdma") << c;

    c = exportChoices();
    c.plan.mode = deploy::Mode::KServe;
    c.plan.storage = deploy::Storage::Download;
    c.plan.maxRunningRequests = 32;
    c.plan.cudaGraphMaxBs = 64;
    c.plan.servedModelName = "qwen";
    c.plan.createNamespace = true;
    c.sizing.memFraction = 0.9;
    c.sizing.gpuName = QStringLiteral("A100-80G");
    QTest::addRow("export kserve download advanced flags") << c;

    c = exportChoices();
    c.plan.mirrorRegistry = "registry.example.com:5000/ai";
    c.plan.imagePullSecret = "mirror-pull";
    c.plan.runtime = deploy::Runtime::Slipway;
    QTest::addRow("export deployment, slipway image mirrored, pull secret") << c;
}

void TestDeployWizard::manifestsMatchTheCli()
{
    QFETCH(DeployChoices, choices);
    DeployWizard wizard(nullptr, QStringLiteral("/nonexistent"));
    wizard.setChoices(choices);
    walkTo(wizard, DeployWizard::ReviewPageId);
    if (QTest::currentTestFailed())
        return;

    auto objects = wizard.renderedObjects();
    QVERIFY2(objects, objects ? "" : objects.message().c_str());
    const QStringList args = toCliArguments(wizard.choices());
    const CliRun cli = runCli(args);
    QVERIFY2(cli.exitCode == 0, qPrintable(args.join(' ') + "\n" + cli.err));
    QCOMPARE(QString::fromStdString(deploy::toYamlStream(*objects)), QString::fromUtf8(cli.out));

    // The Review page shows each object in its own tab, exactly as rendered.
    auto *review = static_cast<ReviewPage *>(wizard.page(DeployWizard::ReviewPageId));
    QCOMPARE(review->objectTabs()->count(), int(objects->size()));
    for (int i = 0; i < review->objectTabs()->count(); ++i) {
        auto *view = qobject_cast<QPlainTextEdit *>(review->objectTabs()->widget(i));
        QVERIFY(view);
        QCOMPARE(view->toPlainText(), QString::fromStdString((*objects)[size_t(i)].yaml));
    }
}

void TestDeployWizard::invalidChoiceKeepsNextDisabledWithTheMessageOnItsPage_data()
{
    QTest::addColumn<DeployChoices>("choices");
    QTest::addColumn<int>("page");
    QTest::addColumn<QString>("message");

    DeployChoices c = exportChoices();
    c.sizing.tensorParallel = 3;
    QTest::addRow("tp does not divide the heads") << c << int(DeployWizard::SizingPageId)
                                                  << "TP 3 does not divide the 28 attention heads";
    c = exportChoices();
    c.plan.storage = deploy::Storage::S3;
    c.plan.s3.endpoint = "http://minio:9000";
    c.plan.s3.existingSecret = "keys";
    QTest::addRow("s3 without a bucket") << c << int(DeployWizard::FilesPageId) << "bucket";
    c = exportChoices();
    c.plan.pvcSize = "1Gi";
    QTest::addRow("volume smaller than the model") << c << int(DeployWizard::FilesPageId)
                                                   << "smaller than the model's files";
    c = exportChoices();
    c.plan.name = "My_Model";
    QTest::addRow("invalid name") << c << int(DeployWizard::RuntimePageId) << "'My_Model' is not a valid name";
    c = exportChoices();
    c.sizing.tensorParallel = 4;
    c.sizing.gpusPerNode = 1;
    c.plan.mode = deploy::Mode::Lws;
    c.plan.rwx = true;
    c.plan.nodes = 2;
    QTest::addRow("nodes x gpus per node != tp") << c << int(DeployWizard::RuntimePageId)
                                                 << "--nodes 2 × --gpus-per-node 1 = 2 GPUs, but --tp is 4";
    c = exportChoices();
    c.plan.security = deploy::Security::Restricted;
    c.plan.port = 80;
    QTest::addRow("restricted with a low port") << c << int(DeployWizard::RuntimePageId) << "1024";
}

void TestDeployWizard::invalidChoiceKeepsNextDisabledWithTheMessageOnItsPage()
{
    QFETCH(DeployChoices, choices);
    QFETCH(int, page);
    QFETCH(QString, message);
    DeployWizard wizard(nullptr, QStringLiteral("/nonexistent"));
    wizard.setChoices(choices);
    // Every page before the one where the choice is made accepts it.
    walkTo(wizard, page);
    if (QTest::currentTestFailed())
        return;
    auto *current = qobject_cast<ChoicePage *>(wizard.currentPage());
    QVERIFY(current);
    QTRY_VERIFY2_WITH_TIMEOUT(current->shownProblem().contains(message),
                              qPrintable(QStringLiteral("shown: '%1', problem: '%2'")
                                             .arg(current->shownProblem(), wizard.problem(page))),
                              kWaitMs);
    QVERIFY(!current->isComplete());
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    wizard.next();
    QCOMPARE(wizard.currentId(), page);
}

void TestDeployWizard::fixingTheChoiceEnablesNext()
{
    DeployChoices c = exportChoices();
    c.plan.name = "Bad_Name";
    DeployWizard wizard(nullptr, QStringLiteral("/nonexistent"));
    wizard.setChoices(c);
    walkTo(wizard, DeployWizard::RuntimePageId);
    auto *page = qobject_cast<ChoicePage *>(wizard.currentPage());
    QVERIFY(!page->isComplete());
    auto *name = page->findChild<QLineEdit *>(QStringLiteral("name"));
    QVERIFY(name);
    name->setText(QStringLiteral("good-name"));
    QVERIFY(page->isComplete());
    QVERIFY(page->shownProblem().isEmpty());
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    QCOMPARE(wizard.choices().plan.name, std::string("good-name"));
}

void TestDeployWizard::runtimePageShowsTheCliMirrorCommands_data()
{
    QTest::addColumn<QString>("image");    // the Image field; empty: the runtime's default
    QTest::addColumn<QString>("registry");
    QTest::addColumn<QString>("tool");
    QTest::addColumn<QString>("cliImage"); // what mirror-script is given
    QTest::addRow("default SGLang image, skopeo") << QString() << "quay.io/howang" << "skopeo" << "lmsysorg/sglang:latest";
    QTest::addRow("pinned image, podman") << "docker.io/lmsysorg/sglang:v0.4.6" << "registry.example.com:5000/ai/"
                                          << "podman" << "docker.io/lmsysorg/sglang:v0.4.6";
}

void TestDeployWizard::runtimePageShowsTheCliMirrorCommands()
{
    QFETCH(QString, image);
    QFETCH(QString, registry);
    QFETCH(QString, tool);
    QFETCH(QString, cliImage);
    DeployWizard wizard(nullptr, QStringLiteral("/nonexistent"));
    DeployChoices c = exportChoices();
    c.plan.image = image.toStdString();
    wizard.setChoices(c);
    walkTo(wizard, DeployWizard::RuntimePageId);
    if (QTest::currentTestFailed())
        return;
    auto *box = wizard.currentPage()->findChild<ImageMirrorBox *>();
    QVERIFY(box && box->isVisibleTo(wizard.currentPage()));
    QVERIFY(box->directCommands().isEmpty()); // no registry yet: nothing to run
    box->findChild<QComboBox *>(QStringLiteral("mirrorTool"))->setCurrentText(tool);
    QTest::keyClicks(box->registryEdit(), registry);
    QCOMPARE(wizard.choices().plan.mirrorRegistry, registry.trimmed().toStdString());

    const CliRun cli = runCli({QStringLiteral("--image"), cliImage, QStringLiteral("--registry"), registry,
                               QStringLiteral("--tool"), tool},
                              QStringLiteral("mirror-script"));
    QVERIFY2(cli.exitCode == 0, qPrintable(cli.err));
    const QStringList script = QString::fromUtf8(cli.out).split(QLatin1Char('\n'));
    // The script's direct mode runs exactly the commands the page shows, in that order.
    const qsizetype direct = script.indexOf(QStringLiteral("  direct)"));
    QVERIFY(direct > 0);
    const QStringList shown = box->directCommands().split(QLatin1Char('\n'));
    QVERIFY(shown.size() >= 2);
    for (qsizetype i = 0; i < shown.size(); ++i)
        QCOMPARE(script.value(direct + 1 + i).trimmed(), shown[i]);
    QVERIFY(shown.join(QLatin1Char(' ')).contains(tool == QLatin1String("skopeo") ? QStringLiteral("skopeo --override-os linux")
                                                                                   : QStringLiteral("podman push")));
    // "Copy as script" copies the CLI's script, but for the line naming the program.
    QStringList copied = box->script().split(QLatin1Char('\n'));
    QCOMPARE(copied.size(), script.size());
    for (qsizetype i = 0; i < script.size(); ++i) {
        if (!script[i].startsWith(QLatin1String("# Written by ")))
            QCOMPARE(copied[i], script[i]);
    }
    // The air-gapped commands are the script's save and load steps with the archive named.
    for (const QString &line : box->airGappedCommands().split(QLatin1Char('\n'))) {
        if (line.startsWith(QLatin1Char('#')))
            continue;
        const QString inScript = QString(line).replace(QRegularExpression(QStringLiteral("[a-z0-9.-]+\\.(oci\\.)?tar")),
                                                       QStringLiteral("\"$archive\""));
        QVERIFY2(script.contains(QStringLiteral("    ") + inScript), qPrintable(line));
    }
    // An invalid registry: no commands, and the page says why and keeps Next disabled.
    box->registryEdit()->clear();
    QTest::keyClicks(box->registryEdit(), QStringLiteral("https://quay.io"));
    QVERIFY(box->directCommands().isEmpty());
    auto *page = qobject_cast<ChoicePage *>(wizard.currentPage());
    QVERIFY(page->shownProblem().contains(QStringLiteral("--registry 'https://quay.io' has a scheme")));
    QVERIFY(!page->isComplete());
}

void TestDeployWizard::reviewRendersTheMirroredImageWithItsPullSecret()
{
    DeployWizard wizard(nullptr, QStringLiteral("/nonexistent"));
    DeployChoices c = exportChoices();
    c.plan.mirrorRegistry = "quay.io/howang";
    c.plan.imagePullSecret = "mirror-pull";
    wizard.setChoices(c);
    walkTo(wizard, DeployWizard::ReviewPageId);
    if (QTest::currentTestFailed())
        return;
    auto objects = wizard.renderedObjects();
    QVERIFY2(objects, objects ? "" : objects.message().c_str());
    const QString yaml = QString::fromStdString(deploy::toYamlStream(*objects));
    QVERIFY(yaml.contains(QStringLiteral("image: quay.io/howang/sglang:latest")));
    QVERIFY(!yaml.contains(QStringLiteral("lmsysorg/sglang")));
    QVERIFY(yaml.contains(QStringLiteral("imagePullSecrets:\n")));
    QVERIFY(yaml.contains(QStringLiteral("- name: mirror-pull")));
    // The same YAML as `slipway-cli render` with the mirrored name and the secret.
    const QStringList args = toCliArguments(wizard.choices());
    QVERIFY(args.join(QLatin1Char(' ')).contains(QStringLiteral("--image quay.io/howang/sglang:latest --image-pull-secret mirror-pull")));
    const CliRun cli = runCli(args);
    QVERIFY2(cli.exitCode == 0, qPrintable(cli.err));
    QCOMPARE(yaml, QString::fromUtf8(cli.out));
}

void TestDeployWizard::saveAllWritesTheSameFilesAsTheCli()
{
    DeployChoices c = exportChoices();
    c.plan.mode = deploy::Mode::KServe;
    DeployWizard wizard(nullptr, QStringLiteral("/nonexistent"));
    wizard.setChoices(c);
    walkTo(wizard, DeployWizard::ReviewPageId);
    QTemporaryDir tmp;
    const QString mine = tmp.filePath(QStringLiteral("wizard")), theirs = tmp.filePath(QStringLiteral("cli"));
    QSignalSpy saved(&wizard, &DeployWizard::saved);
    auto written = wizard.saveAllTo(mine);
    QVERIFY2(written, written ? "" : written.message().c_str());
    QCOMPARE(saved.count(), 1);
    const CliRun cli = runCli(toCliArguments(wizard.choices()) + QStringList{QStringLiteral("-o"), theirs});
    QCOMPARE(cli.exitCode, 0);
    const auto a = filesIn(mine), b = filesIn(theirs);
    QVERIFY(a.size() >= 4);
    QCOMPARE(a.keys(), b.keys());
    QCOMPARE(a, b);

    // Export is done once saved.
    wizard.next();
    QCOMPARE(wizard.currentId(), int(DeployWizard::DeployPageId));
    QVERIFY(wizard.currentPage()->isComplete());
}

void TestDeployWizard::localTargetStartsTheEngineWithTheChosenFlags()
{
    RecordingDeployer deployer;
    DeployWizard wizard(&deployer, QStringLiteral("/nonexistent"));
    DeployChoices c;
    c.target = DeployTarget::Local;
    c.sizing.model = {ModelSource::Kind::Folder, tinyModelFolder()};
    c.sizing.contextLength = 2048;
    c.sizing.memFraction = 0.8;
    c.localPort = 30123;
    c.localMaxRunningRequests = 4;
    c.localServedModelName = QStringLiteral("tiny");
    wizard.setChoices(c);
    walkTo(wizard, DeployWizard::ReviewPageId);
    if (QTest::currentTestFailed())
        return;

    const QStringList line = wizard.localCommandLine();
    QVERIFY(line.first().endsWith(QStringLiteral("slipway-engine")));
    const int modelAt = int(line.indexOf(QStringLiteral("--model-path")));
    QVERIFY(modelAt > 0);
    QCOMPARE(line.value(modelAt + 1), tinyModelFolder());
    QCOMPARE(line.value(int(line.indexOf(QStringLiteral("--port"))) + 1), QStringLiteral("30123"));

    wizard.next();
    auto *deploy = static_cast<DeployPage *>(wizard.currentPage());
    QVERIFY(!deploy->isComplete());
    QVERIFY(deploy->startButton()->isEnabled());
    deploy->startButton()->click();
    QCOMPARE(deployer.started.size(), size_t(1));
    const local::EngineLaunchOptions &o = deployer.started.front();
    QCOMPARE(QString::fromStdString(o.modelPath), tinyModelFolder());
    QCOMPARE(o.device, std::string("cpu"));
    QCOMPARE(o.port, 30123);
    QCOMPARE(o.maxRunningRequests, 4);
    QCOMPARE(o.contextLength, int64_t(2048));
    QCOMPARE(o.memFractionStatic.value_or(0), 0.8);
    QCOMPARE(o.servedModelName, std::string("tiny"));
    QVERIFY(o.enableMetrics);
    QVERIFY(deploy->isComplete());
}

void TestDeployWizard::localTargetNeedsAModelFolder()
{
    DeployWizard wizard(nullptr, QStringLiteral("/nonexistent"));
    DeployChoices c;
    c.target = DeployTarget::Local;
    c.sizing.model = {ModelSource::Kind::Folder, QStringLiteral("/nonexistent/model")};
    wizard.setChoices(c);
    walkTo(wizard, DeployWizard::ModelPageId);
    auto *page = qobject_cast<ChoicePage *>(wizard.currentPage());
    QTRY_VERIFY_WITH_TIMEOUT(page->shownProblem().contains(QStringLiteral("/nonexistent/model")), kWaitMs);
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    // The catalog is not offered to the Local target: the engine needs files.
    QVERIFY(!page->findChild<QAbstractButton *>(QStringLiteral("sourceCatalog"))->isEnabled());
}

void TestDeployWizard::clusterTargetExplainsThatDeployingWaitsForClusters()
{
    DeployChoices c = exportChoices();
    c.target = DeployTarget::Cluster;
    DeployWizard wizard(nullptr, QStringLiteral("/nonexistent"));
    wizard.setChoices(c);
    walkTo(wizard, DeployWizard::TargetPageId);
    auto *empty = wizard.currentPage()->findChild<QLabel *>(QStringLiteral("clustersEmpty"));
    QVERIFY(empty && empty->isVisibleTo(&wizard));
    QVERIFY(empty->text().contains(QStringLiteral("kubeconfig")));
    walkTo(wizard, DeployWizard::DeployPageId);
    auto *deploy = static_cast<DeployPage *>(wizard.currentPage());
    QVERIFY(!deploy->startButton()->isEnabled());
    const QString text = deploy->findChild<QLabel *>(QStringLiteral("deployText"))->text();
    QVERIFY(text.contains(QStringLiteral("Clusters panel")));
    // The Clusters panel exists: the text tells how to connect, not that it is coming.
    QVERIFY2(!text.contains(QStringLiteral("coming")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("log in with a token")), qPrintable(text));
}

// The Review page's notes are core's (plan notes) and its own (Local's port 0): a language switch
// while the page is shown rebuilds them, in both directions.
void TestDeployWizard::reviewNotesFollowTheLanguage()
{
    LanguageSwitcher switcher;
    DeployWizard wizard(nullptr, QStringLiteral("/nonexistent"));
    wizard.setChoices(exportChoices());
    walkTo(wizard, DeployWizard::ReviewPageId);
    if (QTest::currentTestFailed())
        return;
    auto *review = static_cast<ReviewPage *>(wizard.page(DeployWizard::ReviewPageId));
    auto *notes = review->findChild<QLabel *>(QStringLiteral("planNotes"));
    QVERIFY(notes);
    auto built = wizard.planBuild();
    QVERIFY(built);
    const std::vector<Message> planNotes = deploy::planNotes(built->plan);
    QVERIFY(!planNotes.empty());
    const QString firstEnglish = QString::fromStdString(planNotes.front().english).toHtmlEscaped();
    QVERIFY2(notes->text().contains(firstEnglish), qPrintable(notes->text()));

    QVERIFY(switcher.setLanguage(Language::SimplifiedChinese));
    QCoreApplication::processEvents(); // LanguageChange is posted
    QVERIFY2(!notes->text().contains(firstEnglish), qPrintable(notes->text()));
    QVERIFY2(notes->text().contains(QStringLiteral("PVC")), qPrintable(notes->text()));
    static const QRegularExpression tag(QStringLiteral("<[^>]*>"));
    for (const QString &item : notes->text().split(QStringLiteral("</li>"), Qt::SkipEmptyParts)) {
        const QString text = QString(item).remove(tag).trimmed();
        QVERIFY2(text.isEmpty() || test::readsAsChinese(text), qPrintable(text));
    }

    QVERIFY(switcher.setLanguage(Language::English));
    QCoreApplication::processEvents();
    QVERIFY2(notes->text().contains(firstEnglish), qPrintable(notes->text()));

    // Local: the command line's tab and the port-0 note.
    DeployChoices c;
    c.target = DeployTarget::Local;
    c.sizing.model = {ModelSource::Kind::Folder, tinyModelFolder()};
    wizard.setChoices(c);
    walkTo(wizard, DeployWizard::ReviewPageId);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(review->objectTabs()->tabText(0), QStringLiteral("Command line"));
    QVERIFY(notes->text().startsWith(QStringLiteral("Port 0")));
    QVERIFY(switcher.setLanguage(Language::SimplifiedChinese));
    QCoreApplication::processEvents();
    const QString tab = review->objectTabs()->tabText(0);
    QVERIFY2(tab != QStringLiteral("Command line") && test::readsAsChinese(tab), qPrintable(tab));
    QVERIFY2(!notes->text().startsWith(QStringLiteral("Port 0")) && test::readsAsChinese(notes->text()),
             qPrintable(notes->text()));
    QVERIFY(switcher.setLanguage(Language::English));
    QCoreApplication::processEvents();
}

// core/local's launch check, run again when Start is pressed, shows in the console's language:
// here the model folder lost its config.json after the Review page.
void TestDeployWizard::localLaunchProblemReadsAsChinese()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    for (const QString &name : QDir(tinyModelFolder()).entryList(QDir::Files))
        QVERIFY(QFile::copy(QDir(tinyModelFolder()).filePath(name), dir.filePath(name)));
    RecordingDeployer deployer;
    DeployWizard wizard(&deployer, QStringLiteral("/nonexistent"));
    DeployChoices c;
    c.target = DeployTarget::Local;
    c.sizing.model = {ModelSource::Kind::Folder, dir.path()};
    wizard.setChoices(c);
    walkTo(wizard, DeployWizard::DeployPageId);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(QFile::remove(dir.filePath(QStringLiteral("config.json"))));

    LanguageSwitcher switcher;
    QVERIFY(switcher.setLanguage(Language::SimplifiedChinese));
    QCoreApplication::processEvents();
    auto *deploy = static_cast<DeployPage *>(wizard.currentPage());
    deploy->startButton()->click();
    QVERIFY(deployer.started.empty());
    const QString shown = deploy->findChild<QLabel *>(QStringLiteral("deployResult"))->text();
    QVERIFY2(shown.contains(QStringLiteral("中没有 config.json")) && shown.contains(dir.path()), qPrintable(shown));
    QVERIFY2(test::readsAsChinese(shown), qPrintable(shown));
    QVERIFY(switcher.setLanguage(Language::English));
}

QTEST_MAIN(TestDeployWizard)
#include "test_deploy_wizard.moc"
