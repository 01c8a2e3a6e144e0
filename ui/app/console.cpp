#include "app/console.h"

#include "app/local_engine_service.h"
#include "app/logs_page.h"
#include "calculator/calculator_panel.h"
#include "chat/chat_panel.h"
#include "clusters/clusters_panel.h"
#include "deploy/cluster_deploy_controller.h"
#include "deploy/deploy_wizard.h"
#include "deploy/local_deployer.h"
#include "frame/main_window.h"
#include "i18n/language.h"
#include "local/demo_model.h"
#include "metrics/metrics_panel.h"
#include "logs/log_bridge.h"
#include "logs/log_model.h"
#include "logs/log_source_model.h"
#include "settings/app_settings.h"
#include "settings/settings_panel.h"
#include "workloads/cluster_workloads.h"
#include "workloads/workloads_model.h"
#include "workloads/workloads_panel.h"

#include <QLabel>
#include <QStatusBar>

namespace slipway::ui {

const QString Console::kLocalEngineId = QStringLiteral("local-engine");

namespace {

// The name the demo model is served under: what the Chat panel's model field shows.
constexpr const char *kDemoServedName = "slipway-demo";

WorkloadState toWorkloadState(local::EngineState state)
{
    switch (state) {
    case local::EngineState::stopped: return WorkloadState::Stopped;
    case local::EngineState::starting: return WorkloadState::Starting;
    case local::EngineState::ready: return WorkloadState::Ready;
    case local::EngineState::stopping: return WorkloadState::Stopping;
    case local::EngineState::crashed: return WorkloadState::Crashed;
    }
    return WorkloadState::Stopped;
}

Workload localWorkload(const LocalEngineStatus &status)
{
    Workload w;
    w.id = Console::kLocalEngineId;
    w.name = Console::tr("Local engine");
    w.target = Console::tr("This computer");
    w.state = toWorkloadState(status.state);
    w.modelPath = status.modelPath;
    w.modelName = status.modelName;
    w.url = status.baseUrl;
    w.pid = status.pid;
    w.startedAt = status.startedAt;
    w.device = status.device;
    w.demoModel = status.demoModel;
    w.detail = status.detail;
    w.exitCode = status.exitCode;
    w.exitSignaled = status.exitSignaled;
    w.exitDescription = status.exitDescription;
    w.lastLines = status.lastLines;
    return w;
}

} // namespace

// The Deploy wizard's Local target: hands the checked options to the service, which starts the
// engine off the GUI thread; the outcome arrives through the service's signals.
class Console::LocalEngineDeployer final : public LocalDeployer {
public:
    explicit LocalEngineDeployer(Console *console)
        : m_console(console)
    {
    }
    Result<void> startLocalEngine(const local::EngineLaunchOptions &options) override
    {
        if (m_console->m_engine->status().running())
            return fail(tr("The Local engine is already running: stop it on the Workloads page first.").toStdString());
        local::EngineLaunchOptions withEngine = options;
        if (withEngine.enginePath.empty())
            withEngine.enginePath = m_console->m_settings.engineExecutable().toStdString();
        m_console->startLocalEngine(withEngine);
        m_console->showPanel(m_console->m_workloadsPanel);
        return {};
    }

private:
    static QString tr(const char *text) { return Console::tr(text); }
    Console *m_console;
};

Console::Console(AppSettings &settings, LanguageSwitcher &language, local::EngineProcessTimings timings,
                 QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_language(language)
{
    m_window = std::make_unique<MainWindow>();
    m_logSources = new LogSourceModel(m_settings.logBufferLines(), this);
    LogBridge *engineLog = m_logSources->addSource(kLocalEngineId, tr("Local engine"));
    m_engine = new LocalEngineService(engineLog->lineSink(), this, timings);
    m_workloads = new WorkloadsModel(this);
    m_workloads->upsert(localWorkload(m_engine->status()));
    m_deployer = std::make_unique<LocalEngineDeployer>(this);

    buildPanels();
    wireLocalEngine();
    wireClusters();
    wireSettings();
    showFirstRun();
}

Console::~Console()
{
    // The cluster calls and log follows first (they wait for their threads), then the panels:
    // the wizard holds the deployer, the Logs page the sources.
    delete m_clusterWorkloads;
    m_clusterWorkloads = nullptr;
    m_window.reset();
}

void Console::buildPanels()
{
    m_calculator = new CalculatorPanel();
    m_window->addPanel(m_calculator, m_calculator->windowTitle());

    m_clusters = new ClustersPanel();
    m_clusters->loadKubeconfig();
    m_window->addPanel(m_clusters, m_clusters->windowTitle());

    m_deploy = new DeployWizard(m_deployer.get(), m_settings.demoModelDir());
    m_deploy->setWindowFlags(Qt::Widget);
    m_deploy->setClusters(m_clusters);
    // The Local target is the one that works on a first run, without any cluster.
    DeployChoices choices = m_deploy->choices();
    choices.target = DeployTarget::Local;
    choices.localDevice = engineDeviceCode(m_settings.defaultDevice());
    m_deploy->setChoices(choices);
    m_window->addPanel(m_deploy, m_deploy->windowTitle());

    m_workloadsPanel = new WorkloadsPanel(m_workloads);
    m_window->addPanel(m_workloadsPanel, m_workloadsPanel->windowTitle());

    m_logsPage = new LogsPage(m_logSources);
    m_window->addPanel(m_logsPage, m_logsPage->windowTitle());

    m_metrics = new MetricsPanel();
    m_metrics->setIntervalSeconds(m_settings.metricsIntervalSeconds());
    m_window->addPanel(m_metrics, m_metrics->windowTitle());

    m_chat = new ChatPanel();
    m_window->addPanel(m_chat, m_chat->windowTitle());
    if (const ChatEndpoint endpoint = m_settings.chatEndpoint(); !endpoint.url.isEmpty())
        m_chat->setEndpoint(endpoint.url, endpoint.apiKey, QString());

    m_settingsPanel = new SettingsPanel(m_settings);
    m_window->addPanel(m_settingsPanel, m_settingsPanel->windowTitle());

    auto *engineState = new QLabel(m_window.get());
    engineState->setObjectName(QStringLiteral("engineStatus"));
    engineState->setContentsMargins(8, 0, 8, 0);
    m_window->statusBar()->addPermanentWidget(engineState);
    const auto showState = [this, engineState] {
        const LocalEngineStatus &s = m_engine->status();
        const QString state = WorkloadsModel::stateText(toWorkloadState(s.state));
        QString text = s.state == local::EngineState::ready ? tr("Local engine: %1 at %2").arg(state, s.baseUrl)
                                                            : tr("Local engine: %1").arg(state);
        // Wherever the demo model is shown, it is labelled for what it is.
        if (s.demoModel && s.running())
            text += QStringLiteral(" · ") + tr("demo model: random weights, its replies are noise");
        engineState->setText(text);
    };
    connect(m_engine, &LocalEngineService::statusChanged, engineState, showState);
    connect(&m_language, &LanguageSwitcher::languageChanged, engineState, showState);
    showState();
}

void Console::wireLocalEngine()
{
    connect(m_engine, &LocalEngineService::statusChanged, this, &Console::onEngineStatus);
    connect(m_engine, &LocalEngineService::ready, this, [this](const QString &url, const QString &model) {
        m_chat->setEndpoint(url, QString::fromStdString(m_engine->lastOptions().apiKey), model);
        m_chat->setDemoModelNotice(m_engine->status().demoModel);
        m_metrics->setLocalEngineUrl(url);
    });
    connect(m_engine, &LocalEngineService::startFailed, m_workloadsPanel, &WorkloadsPanel::showError);

    connect(m_workloadsPanel, &WorkloadsPanel::startRequested, this, [this](const QString &id) {
        if (id != kLocalEngineId)
            return;
        const bool reuse = !m_engine->lastOptions().modelPath.empty() && !m_settingsChangedSinceStart;
        startLocalEngine(reuse ? m_engine->lastOptions() : launchOptionsFromSettings());
    });
    connect(m_workloadsPanel, &WorkloadsPanel::stopRequested, this, [this](const QString &id) {
        if (id == kLocalEngineId)
            m_engine->stop();
    });
    connect(m_workloadsPanel, &WorkloadsPanel::restartRequested, this, [this](const QString &id) {
        if (id != kLocalEngineId)
            return;
        m_workloadsPanel->showError(QString());
        m_engine->restart();
    });
    connect(m_workloadsPanel, &WorkloadsPanel::openLogsRequested, this, [this](const QString &id) {
        if (ClusterWorkloads::isClusterId(id)) {
            ClusterLogRequest request;
            if (const int tail = m_workloadsPanel->logTailLines(); tail > 0)
                request.tailLines = tail;
            else
                request.tailLines.reset();
            if (const int since = m_workloadsPanel->logSinceMinutes(); since > 0)
                request.sinceSeconds = since * 60;
            request.previous = m_workloadsPanel->logPrevious();
            m_clusterWorkloads->followLogs(id, request);
            m_logsPage->showSource(ClusterWorkloads::logSourceId(id));
        } else {
            m_logsPage->showSource(id);
        }
        showPanel(m_logsPage);
    });
    connect(m_workloadsPanel, &WorkloadsPanel::openChatRequested, this, [this](const QString &id) {
        if (id == kLocalEngineId) {
            openChatOnLocalEngine();
        } else if (ClusterWorkloads::isClusterId(id)) {
            m_endpointUse = EndpointUse::Chat;
            m_clusterWorkloads->findEndpoint(id);
        }
    });
    connect(m_workloadsPanel, &WorkloadsPanel::openMetricsRequested, this, [this](const QString &id) {
        if (ClusterWorkloads::isClusterId(id)) {
            m_endpointUse = EndpointUse::Metrics;
            m_clusterWorkloads->findEndpoint(id);
            return;
        }
        if (id != kLocalEngineId)
            return;
        if (m_engine->status().state == local::EngineState::ready)
            m_metrics->setSource(m_engine->status().baseUrl);
        showPanel(m_metrics);
    });
    connect(m_workloadsPanel, &WorkloadsPanel::startDemoRequested, this, [this] {
        m_settings.setFirstRunDone();
        m_workloadsPanel->showFirstRunOffer(false);
        startLocalEngine(demoLaunchOptions());
    });
    connect(m_workloadsPanel, &WorkloadsPanel::firstRunDismissed, this, [this] { m_settings.setFirstRunDone(); });
}

void Console::wireClusters()
{
    m_clusterWorkloads = new ClusterWorkloads(m_workloads, m_logSources, this);
    connect(m_clusters, &ClustersPanel::connectedChanged, this, [this](bool connected) {
        if (connected)
            m_clusterWorkloads->setClient(m_clusters->client(), m_clusters->connectedContext());
    });
    connect(m_workloadsPanel, &WorkloadsPanel::refreshRequested, m_clusterWorkloads, &ClusterWorkloads::refresh);
    connect(m_workloadsPanel, &WorkloadsPanel::scaleRequested, m_clusterWorkloads,
            [this](const QString &id, int replicas) { m_clusterWorkloads->scale(id, replicas); });
    connect(m_workloadsPanel, &WorkloadsPanel::undeployRequested, m_clusterWorkloads,
            [this](const QString &id) { m_clusterWorkloads->undeploy(id); });
    connect(m_clusterWorkloads, &ClusterWorkloads::failed, m_workloadsPanel, &WorkloadsPanel::showError);
    connect(m_clusterWorkloads, &ClusterWorkloads::refreshed, m_workloadsPanel, [this] { m_workloadsPanel->showError(QString()); });
    connect(m_clusterWorkloads, &ClusterWorkloads::reloginNeeded, this, [this] {
        m_clusters->requestRelogin();
        showPanel(m_clusters);
    });
    connect(m_clusterWorkloads, &ClusterWorkloads::endpointFound, this, [this](const ClusterEndpoint &endpoint) {
        if (m_endpointUse == EndpointUse::Chat) {
            m_chat->setEndpoint(endpoint.baseUrl, endpoint.bearerToken, QString(), endpoint.tls);
            showPanel(m_chat);
        } else {
            m_metrics->setClusterSource(endpoint.baseUrl + QStringLiteral("/metrics"), endpoint.bearerToken, endpoint.tls);
            m_metrics->setClusterGpuSource(endpoint.gpu);
            showPanel(m_metrics);
        }
    });
    // A finished cluster deployment shows up in Workloads.
    if (auto *controller = m_deploy->findChild<ClusterDeployController *>())
        connect(controller, &ClusterDeployController::stepChanged, m_clusterWorkloads, [this](ClusterDeployController::Step step) {
            if (step == ClusterDeployController::Step::Rollout || step == ClusterDeployController::Step::Done)
                m_clusterWorkloads->refresh();
        });
}

void Console::wireSettings()
{
    m_settingsPanel->setCurrentLanguage(m_language.language());
    m_window->setCurrentLanguage(m_language.language());
    const auto switchLanguage = [this](Language requested) {
        if (m_language.setLanguage(requested))
            m_settings.setLanguage(requested);
        m_window->setCurrentLanguage(m_language.language());
        m_settingsPanel->setCurrentLanguage(m_language.language());
        retitleSources();
    };
    connect(m_window.get(), &MainWindow::languageRequested, this, switchLanguage);
    connect(m_settingsPanel, &SettingsPanel::languageRequested, this, switchLanguage);
    connect(m_settingsPanel, &SettingsPanel::logBufferLinesChanged, m_logSources, &LogSourceModel::setMaxLinesPerSource);
    connect(m_settingsPanel, &SettingsPanel::metricsIntervalChanged, m_metrics, &MetricsPanel::setIntervalSeconds);
    connect(m_settingsPanel, &SettingsPanel::localEngineSettingsChanged, this, [this] {
        m_settingsChangedSinceStart = true;
        if (m_workloadsPanel->firstRunOfferShown()) {
            const QString demo = m_settings.demoModelDir();
            m_workloadsPanel->showFirstRunOffer(true, local::isDemoModel(demo.toStdString()), demo);
        }
    });
    connect(m_settingsPanel, &SettingsPanel::chatEndpointChanged, this, [this](const ChatEndpoint &endpoint) {
        // The Local engine, while it runs, stays the chat's endpoint.
        if (m_engine->status().state != local::EngineState::ready && !endpoint.url.isEmpty())
            m_chat->setEndpoint(endpoint.url, endpoint.apiKey, QString());
    });
}

void Console::retitleSources()
{
    m_logSources->addSource(kLocalEngineId, tr("Local engine"));
    m_workloads->upsert(localWorkload(m_engine->status()));
}

void Console::showFirstRun()
{
    const bool idle = !m_engine->status().running();
    if (m_settings.firstRun() && idle) {
        const QString demo = m_settings.demoModelDir();
        m_workloadsPanel->showFirstRunOffer(true, local::isDemoModel(demo.toStdString()), demo);
        showPanel(m_workloadsPanel);
    } else {
        showPanel(m_deploy);
    }
}

local::EngineLaunchOptions Console::launchOptionsFromSettings() const
{
    if (m_settings.localModelDir().isEmpty())
        return demoLaunchOptions();
    local::EngineLaunchOptions options;
    options.enginePath = m_settings.engineExecutable().toStdString();
    options.modelPath = m_settings.localModelDir().toStdString();
    options.device = engineDeviceCode(m_settings.defaultDevice()).toStdString();
    return options;
}

local::EngineLaunchOptions Console::demoLaunchOptions() const
{
    local::EngineLaunchOptions options;
    options.enginePath = m_settings.engineExecutable().toStdString();
    options.modelPath = m_settings.demoModelDir().toStdString();
    options.device = "cpu";  // 20 MB of weights: the CPU serves it at once, no GPU needed
    options.servedModelName = kDemoServedName;
    return options;
}

void Console::startLocalEngine(const local::EngineLaunchOptions &options)
{
    m_settingsChangedSinceStart = false;
    // Starting any engine answers the first-run offer.
    if (m_workloadsPanel->firstRunOfferShown()) {
        m_workloadsPanel->showFirstRunOffer(false);
        m_settings.setFirstRunDone();
    }
    m_workloadsPanel->showError(QString());
    m_engine->start(options);
    m_workloadsPanel->selectWorkload(kLocalEngineId);
}

void Console::onEngineStatus(const LocalEngineStatus &status)
{
    m_workloads->upsert(localWorkload(status));
}

void Console::openChatOnLocalEngine()
{
    const LocalEngineStatus &status = m_engine->status();
    if (status.state == local::EngineState::ready) {
        m_chat->setEndpoint(status.baseUrl, QString::fromStdString(m_engine->lastOptions().apiKey), status.modelName);
        m_chat->setDemoModelNotice(status.demoModel);
    }
    showPanel(m_chat);
}

void Console::showPanel(QWidget *panel)
{
    for (int i = 0; i < m_window->panelCount(); ++i) {
        if (m_window->panel(i) == panel)
            m_window->showPanel(i);
    }
}

} // namespace slipway::ui
