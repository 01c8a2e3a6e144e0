// The Local target end to end through the whole console (ui/app's Console): Workloads' Start runs
// the real slipway-engine of this build on the tiny fixture model; its output streams into the
// Logs panel's "Local engine" source; the Workloads row reaches Ready with a PID and URL and the
// Chat panel points at it; Stop ends the process. A broken model folder crashes the engine and
// the panel shows the exit code and last lines; a missing folder is explained before anything
// runs. The first-run offer and the Deploy wizard's Local default are checked too.
#include "app/console.h"
#include "app/local_engine_service.h"
#include "chat/chat_panel.h"
#include "deploy/deploy_wizard.h"
#include "frame/main_window.h"
#include "i18n/language.h"
#include "local/demo_model.h"
#include "logs/log_bridge.h"
#include "logs/log_model.h"
#include "logs/log_source_model.h"
#include "metrics/metrics_panel.h"
#include "settings/app_settings.h"
#include "workloads/workloads_model.h"
#include "workloads/workloads_panel.h"

#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <cerrno>
#include <csignal>
#include <filesystem>
#include <memory>

using namespace slipway;
using namespace slipway::ui;
using namespace std::chrono_literals;

namespace {

constexpr int kReadyMs = 20000;
const QString kFixtureModel = QStringLiteral(SLIPWAY_SOURCE_DIR "/tests/engine/fixtures/qwen2-tiny-bf16");

local::EngineProcessTimings fastTimings()
{
    local::EngineProcessTimings timings;
    timings.stopGrace = 3000ms;
    timings.healthInterval = 100ms;
    return timings;
}

// For review by eye beside test_ui_screenshots' pictures.
void saveScreenshot(QWidget *window, const QString &name)
{
    const QString dir = QStringLiteral(SLIPWAY_BINARY_DIR "/screenshots");
    QDir().mkpath(dir);
    QCoreApplication::processEvents();
    QVERIFY(window->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png")));
}

bool processExists(qint64 pid)
{
    return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH);
}

} // namespace

class TestLocalTarget : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void startStreamsLogsReachesReadyAndStopEndsTheProcess();
    void crashShowsExitCodeAndLastLines();
    void missingModelFolderIsExplainedBeforeAnythingRuns();
    void firstRunOffersTheDemoModelAndDeployDefaultsToLocal();
    void demoModelStartsFromTheOfferAndIsLabelledAsNoise();

private:
    WorkloadState localState() const;
    const Workload &localRow() const;
    void makeConsole();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_store;
    std::unique_ptr<AppSettings> m_settings;
    LanguageSwitcher m_language;
    std::unique_ptr<Console> m_console;
};

void TestLocalTarget::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_store = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("slipway.ini")), QSettings::IniFormat);
    m_settings = std::make_unique<AppSettings>(*m_store);
    m_settings->setEngineExecutable(QStringLiteral(SLIPWAY_ENGINE_PATH));
    m_settings->setDemoModelDir(m_dir->filePath(QStringLiteral("no-demo-here")));
    m_settings->setLanguage(Language::English);
}

void TestLocalTarget::cleanup()
{
    m_console.reset();
    m_settings.reset();
    m_store.reset();
    m_dir.reset();
}

void TestLocalTarget::makeConsole()
{
    m_console = std::make_unique<Console>(*m_settings, m_language, fastTimings());
    m_console->window()->resize(1360, 900);
    m_console->window()->show();
}

const Workload &TestLocalTarget::localRow() const
{
    WorkloadsModel *model = m_console->workloadsModel();
    return model->workload(model->rowOf(Console::kLocalEngineId));
}

WorkloadState TestLocalTarget::localState() const
{
    return localRow().state;
}

void TestLocalTarget::startStreamsLogsReachesReadyAndStopEndsTheProcess()
{
    m_settings->setLocalModelDir(kFixtureModel);
    makeConsole();
    WorkloadsPanel *panel = m_console->workloadsPanel();
    QCOMPARE(panel->currentId(), Console::kLocalEngineId);
    QVERIFY(panel->firstRunOfferShown());
    QCOMPARE(localState(), WorkloadState::Stopped);
    QVERIFY(panel->startButton()->isEnabled());

    QSignalSpy ready(m_console->localEngine(), &LocalEngineService::ready);
    panel->startButton()->click();
    QVERIFY2(ready.wait(kReadyMs), qPrintable(panel->errorText() + panel->crashText()));
    QTRY_COMPARE_WITH_TIMEOUT(localState(), WorkloadState::Ready, 2000);
    QTRY_VERIFY_WITH_TIMEOUT(localRow().pid > 0, 5000);
    const qint64 pid = localRow().pid;
    QVERIFY(processExists(pid));
    QVERIFY(localRow().url.startsWith(QStringLiteral("http://127.0.0.1:")));
    QVERIFY(!panel->startButton()->isEnabled());
    QVERIFY(panel->stopButton()->isEnabled());
    // Starting an engine answered the first-run offer.
    QVERIFY(!panel->firstRunOfferShown());
    QVERIFY(!m_settings->firstRun());
    // The Chat panel now talks to the engine.
    QCOMPARE(m_console->chatPanel()->settings().baseUrl, localRow().url);
    QVERIFY(!m_console->chatPanel()->demoModelNoticeShown()); // a real model folder
    QVERIFY(m_console->metricsPanel()->source().startsWith(localRow().url));
    m_console->showPanel(panel);
    saveScreenshot(m_console->window(), QStringLiteral("en_workloads_ready"));

    // The engine's output is in the Logs panel's "Local engine" source.
    LogSourceModel *sources = m_console->logSources();
    const int row = sources->rowOf(Console::kLocalEngineId);
    QVERIFY(row >= 0);
    sources->bridge(row)->flush();
    QVERIFY(sources->logModel(row)->storedLines() > 0);

    QSignalSpy status(m_console->localEngine(), &LocalEngineService::statusChanged);
    panel->stopButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(localState(), WorkloadState::Stopped, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_console->localEngine()->busy(), 5000);
    QVERIFY2(!processExists(pid), "the engine process is still there after Stop");
    QCOMPARE(localRow().pid, 0);
    QVERIFY(panel->startButton()->isEnabled());
    QVERIFY(panel->crashText().isEmpty());
}

void TestLocalTarget::crashShowsExitCodeAndLastLines()
{
    // A folder that passes the launch checks (config.json is there) but that the engine cannot load.
    const QString broken = m_dir->filePath(QStringLiteral("broken-model"));
    QVERIFY(QDir().mkpath(broken));
    QFile config(broken + QStringLiteral("/config.json"));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(R"({"architectures": ["NoSuchModelForCausalLM"], "model_type": "nosuch"})");
    config.close();
    m_settings->setLocalModelDir(broken);
    makeConsole();

    QSignalSpy crashed(m_console->localEngine(), &LocalEngineService::crashed);
    m_console->workloadsPanel()->startButton()->click();
    QVERIFY(crashed.wait(kReadyMs));
    QTRY_COMPARE_WITH_TIMEOUT(localState(), WorkloadState::Crashed, 2000);
    const LocalEngineStatus status = m_console->localEngine()->status();
    QVERIFY(status.hasExit);
    QVERIFY(status.exitCode != 0);
    QVERIFY(!status.lastLines.isEmpty());

    const QString shown = m_console->workloadsPanel()->crashText();
    QVERIFY2(shown.contains(QStringLiteral("exit code %1").arg(status.exitCode)), qPrintable(shown));
    QVERIFY2(shown.contains(status.lastLines.last()), qPrintable(shown));
    saveScreenshot(m_console->window(), QStringLiteral("en_workloads_crashed"));
    // A crashed engine can be started again.
    QVERIFY(m_console->workloadsPanel()->startButton()->isEnabled());
}

void TestLocalTarget::missingModelFolderIsExplainedBeforeAnythingRuns()
{
    m_settings->setLocalModelDir(m_dir->filePath(QStringLiteral("does-not-exist")));
    makeConsole();
    QSignalSpy failed(m_console->localEngine(), &LocalEngineService::startFailed);
    m_console->workloadsPanel()->startButton()->click();
    QVERIFY(failed.wait(5000));
    QTRY_VERIFY(!m_console->workloadsPanel()->errorText().isEmpty());
    QVERIFY(m_console->workloadsPanel()->errorText().contains(QStringLiteral("does-not-exist")));
    QCOMPARE(localState(), WorkloadState::Stopped);
}

void TestLocalTarget::firstRunOffersTheDemoModelAndDeployDefaultsToLocal()
{
    QVERIFY(m_settings->firstRun());
    makeConsole();
    WorkloadsPanel *panel = m_console->workloadsPanel();
    QVERIFY(panel->firstRunOfferShown());
    QCOMPARE(m_console->window()->panel(m_console->window()->currentPanel()), panel);
    // No demo model in the folder: the offer says how to prepare it and cannot start.
    QVERIFY(!panel->startDemoButton()->isEnabled());
    QCOMPARE(m_console->deployWizard()->choices().target, DeployTarget::Local);

    panel->findChild<QPushButton *>(QStringLiteral("dismissFirstRun"))->click();
    QVERIFY(!panel->firstRunOfferShown());
    QVERIFY(!m_settings->firstRun());
    m_console.reset();
    makeConsole();
    QVERIFY(!m_console->workloadsPanel()->firstRunOfferShown());
}

void TestLocalTarget::demoModelStartsFromTheOfferAndIsLabelledAsNoise()
{
    const std::filesystem::path tokenizer = local::qwen3TokenizerDirIn(SLIPWAY_NODE_DIR);
    if (!std::filesystem::exists(tokenizer / "tokenizer.json"))
        QSKIP("the Qwen3 tokenizer is not installed (installer/setup.sh runs npm ci in tests/node)");
    local::DemoModelOptions demo;
    demo.outDir = m_dir->filePath(QStringLiteral("demo-model")).toStdString();
    demo.tokenizerDir = tokenizer;
    demo.enginePath = SLIPWAY_ENGINE_PATH;
    const auto prepared = local::prepareDemoModel(demo);
    QVERIFY2(prepared.ok(), prepared.ok() ? "" : prepared.message().c_str());
    m_settings->setDemoModelDir(QString::fromStdString(demo.outDir.string()));
    makeConsole();

    WorkloadsPanel *panel = m_console->workloadsPanel();
    QVERIFY(panel->firstRunOfferShown());
    QVERIFY(panel->startDemoButton()->isEnabled());
    QSignalSpy ready(m_console->localEngine(), &LocalEngineService::ready);
    panel->startDemoButton()->click();
    QVERIFY2(ready.wait(kReadyMs), qPrintable(panel->errorText() + panel->crashText()));
    QTRY_COMPARE_WITH_TIMEOUT(localState(), WorkloadState::Ready, 2000);
    QVERIFY(localRow().demoModel);
    QVERIFY(!panel->firstRunOfferShown());
    auto *notice = panel->findChild<QLabel *>(QStringLiteral("demoModelNotice"));
    QVERIFY(notice && notice->isVisibleTo(panel));
    QVERIFY(notice->text().contains(QStringLiteral("noise")));
    QCOMPARE(m_console->chatPanel()->settings().model, QStringLiteral("slipway-demo"));
    // The chat, pointed at the demo model, says its replies are noise and where real answers come from.
    QVERIFY(m_console->chatPanel()->demoModelNoticeShown());
    auto *chatNotice = m_console->chatPanel()->findChild<QLabel *>(QStringLiteral("chatDemoModelNotice"));
    QVERIFY(chatNotice && chatNotice->text().contains(QStringLiteral("noise")));
    saveScreenshot(m_console->window(), QStringLiteral("en_workloads_demo"));
    m_console->localEngine()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(localState(), WorkloadState::Stopped, 10000);
}

QTEST_MAIN(TestLocalTarget)
#include "test_local_target.moc"
