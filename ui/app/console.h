#pragma once
// Console: the whole application behind `slipway`, built from its services and panels and wired
// together. app/slipway's main() makes one and shows window(); the tests make one the same way.
//
//   Navigation: Calculator, Clusters, Deploy, Workloads, Logs, Metrics, Chat, Settings.
//   Clusters: the connection the Deploy wizard's Cluster target applies to and whose deployments
//   Workloads lists (ClusterWorkloads), with logs, chat and metrics through the cluster.
//   Local target: LocalEngineService runs slipway-engine; its output streams into the Logs
//   panel's "Local engine" source, its state into the Workloads row, and once Ready the Chat (and
//   Metrics) panels point at it. The Deploy wizard's Local target and Workloads' Start both start it.
//   First run: without a cluster the console opens on Workloads with the offer to start the demo
//   model (random weights, labelled as such).
//
// Thread-safety: GUI thread only.
#include "local/engine_launch.h"
#include "local/engine_process.h"

#include <QObject>

#include <memory>

namespace slipway::ui {

class AppSettings;
class CalculatorPanel;
class ChatPanel;
class ClusterWorkloads;
class ClustersPanel;
class DeployWizard;
class LanguageSwitcher;
class LocalEngineService;
class LogSourceModel;
class LogsPage;
class MetricsPanel;
class MainWindow;
class SettingsPanel;
class WorkloadsModel;
class WorkloadsPanel;
struct LocalEngineStatus;

class Console final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Console)

public:
    // The id of the Local engine everywhere (log source, workload row).
    static const QString kLocalEngineId;

    // `settings` and `language` are not owned and must outlive the console. `timings` are the
    // engine's stop grace and probes (tests shorten them).
    Console(AppSettings &settings, LanguageSwitcher &language, local::EngineProcessTimings timings = {},
            QObject *parent = nullptr);
    ~Console() override;

    MainWindow *window() const { return m_window.get(); }
    LocalEngineService *localEngine() const { return m_engine; }
    LogSourceModel *logSources() const { return m_logSources; }
    WorkloadsModel *workloadsModel() const { return m_workloads; }

    CalculatorPanel *calculatorPanel() const { return m_calculator; }
    ClustersPanel *clustersPanel() const { return m_clusters; }
    ClusterWorkloads *clusterWorkloads() const { return m_clusterWorkloads; }
    DeployWizard *deployWizard() const { return m_deploy; }
    WorkloadsPanel *workloadsPanel() const { return m_workloadsPanel; }
    LogsPage *logsPage() const { return m_logsPage; }
    MetricsPanel *metricsPanel() const { return m_metrics; }
    ChatPanel *chatPanel() const { return m_chat; }
    SettingsPanel *settingsPanel() const { return m_settingsPanel; }

    // The Local engine's launch options from the settings: the model folder (else the demo
    // model), device and engine program.
    local::EngineLaunchOptions launchOptionsFromSettings() const;
    // The same, on the demo model folder.
    local::EngineLaunchOptions demoLaunchOptions() const;

    // Starts the Local engine with `options` (the Deploy wizard, Workloads' Start, the demo offer).
    void startLocalEngine(const local::EngineLaunchOptions &options);

    // Switches the window to `panel` (one of the accessors above).
    void showPanel(QWidget *panel);

private:
    void buildPanels();
    void wireLocalEngine();
    void wireClusters();
    void wireSettings();
    void showFirstRun();
    void onEngineStatus(const LocalEngineStatus &status);
    void openChatOnLocalEngine();
    void retitleSources();

    AppSettings &m_settings;
    LanguageSwitcher &m_language;
    std::unique_ptr<MainWindow> m_window;
    LogSourceModel *m_logSources = nullptr;
    WorkloadsModel *m_workloads = nullptr;
    LocalEngineService *m_engine = nullptr;
    class LocalEngineDeployer;
    std::unique_ptr<LocalEngineDeployer> m_deployer;
    bool m_settingsChangedSinceStart = false;

    CalculatorPanel *m_calculator = nullptr;
    ClustersPanel *m_clusters = nullptr;
    ClusterWorkloads *m_clusterWorkloads = nullptr;
    enum class EndpointUse { Chat, Metrics };
    EndpointUse m_endpointUse = EndpointUse::Chat;
    DeployWizard *m_deploy = nullptr;
    WorkloadsPanel *m_workloadsPanel = nullptr;
    LogsPage *m_logsPage = nullptr;
    MetricsPanel *m_metrics = nullptr;
    ChatPanel *m_chat = nullptr;
    SettingsPanel *m_settingsPanel = nullptr;
};

} // namespace slipway::ui
