#pragma once
// ClusterWorkloads: the deployments on the connected cluster as rows of the WorkloadsModel — those
// Slipway made and those the OpenShift AI dashboard made (core/kube listDeployments) — and what
// Workloads does with them: scale, undeploy, follow their logs into the Logs panel (a pod group's
// merged, prefixed lines; previous container, tail, since), and find where they answer (their
// Route, else the API server's service proxy with the user's token and the cluster CA) for the
// Chat and Metrics panels.
//
// Threads: every cluster call runs on this object's thread pool; log follows run there until
// stopped. Results come back by queued calls. The destructor cancels everything and waits.
//
// Thread-safety: GUI thread only.
#include "kube/client.h"
#include "kube/deployments.h"
#include "metrics/metrics_worker.h"
#include "net/http_types.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QThreadPool>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace slipway::ui {

class LogSourceModel;
class WorkloadsModel;

struct ClusterLogRequest {
    std::optional<int> tailLines = 200;  // per pod
    std::optional<int> sinceSeconds;     // per pod
    bool previous = false;               // the previous (crashed) containers' logs, once
};

// Where a deployment answers, for Chat and Metrics. The token and TLS are the user's: never shown.
struct ClusterEndpoint {
    QString id;
    QString baseUrl;        // https://<route> or the API server's proxy URL (no trailing slash)
    bool viaProxy = false;
    QString bearerToken;    // set when viaProxy (the API server authenticates the user)
    net::TlsOptions tls;    // the cluster's CA and client certificate when viaProxy
    // The deployment's GPUs from DCGM: thanos-querier's Route when the user may read it, else
    // thanos-querier through the API server's service proxy; the user's token either way.
    ClusterGpuSource gpu;
};

// The pods of a listed deployment as a PromQL regex: "<name>-.*" (Deployment, LeaderWorkerSet),
// "<name>-predictor-.*" (KServe).
QString deploymentPodRegex(const kube::DeploymentInfo &deployment);

class ClusterWorkloads final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClusterWorkloads)

public:
    // Neither is owned; both must outlive this object.
    ClusterWorkloads(WorkloadsModel *model, LogSourceModel *logs, QObject *parent = nullptr);
    ~ClusterWorkloads() override;

    // The cluster to list (null: its rows go). `contextName` names it in the Target column.
    void setClient(std::shared_ptr<kube::Client> client, const QString &contextName);
    std::shared_ptr<kube::Client> client() const { return m_client; }

    static bool isClusterId(const QString &id) { return id.startsWith(QLatin1String("cluster:")); }
    // The log source id the logs of `id` go to.
    static QString logSourceId(const QString &id) { return QStringLiteral("logs:") + id; }

    void refresh();
    void scale(const QString &id, int replicas);
    void undeploy(const QString &id, bool keepVolumes = true);
    // Starts following the logs of `id` into its own Logs source (replacing an earlier follow).
    void followLogs(const QString &id, const ClusterLogRequest &request = {});
    void stopLogs(const QString &id);
    // Finds where `id` answers and where its GPU figures are; endpointFound or failed.
    void findEndpoint(const QString &id);

    std::optional<kube::DeploymentInfo> deployment(const QString &id) const;
    bool isBusy() const { return m_busy > 0; }
    void waitForIdle();  // tests: until no call but log follows runs

signals:
    void refreshed();
    void scaled(const QString &id, int replicas);
    void undeployed(const QString &id);
    void endpointFound(const slipway::ui::ClusterEndpoint &endpoint);
    void logsStarted(const QString &sourceId);
    // core/kube's words.
    void failed(const QString &message);
    // 401: log in again on the Clusters panel (its client is this one).
    void reloginNeeded();

private:
    // Runs `work` on the pool; `done` gets its error ("" on success) on the GUI thread.
    void run(std::function<std::string()> work, std::function<void(const std::string &)> done);
    void report(const std::string &error);
    void showDeployments(const std::vector<kube::DeploymentInfo> &deployments);
    QString idOf(const kube::DeploymentInfo &d) const;

    WorkloadsModel *m_model;
    LogSourceModel *m_logs;
    std::shared_ptr<kube::Client> m_client;
    QString m_context;
    QHash<QString, kube::DeploymentInfo> m_deployments;
    QHash<QString, std::shared_ptr<net::CancelToken>> m_follows;
    std::shared_ptr<net::CancelToken> m_cancel;
    QThreadPool m_pool;
    QThreadPool m_logPool;
    int m_busy = 0;
};

} // namespace slipway::ui

Q_DECLARE_METATYPE(slipway::ui::ClusterEndpoint)
