#include "workloads/cluster_workloads.h"

#include "kube/api_error.h"
#include "kube/deployment_actions.h"
#include "kube/group_logs.h"
#include "kube/logs.h"
#include "logs/log_bridge.h"
#include "logs/log_source_model.h"
#include "workloads/workloads_model.h"

#include <QFutureWatcher>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaObject>
#include <QPointer>
#include <QtConcurrent>

namespace slipway::ui {

namespace {

QString modeText(const std::string &mode)
{
    if (mode == "lws")
        return QStringLiteral("LeaderWorkerSet");
    if (mode == "kserve")
        return QStringLiteral("KServe");
    if (mode == "servingruntime")
        return QStringLiteral("ServingRuntime");
    return QStringLiteral("Deployment");
}

} // namespace

ClusterWorkloads::ClusterWorkloads(WorkloadsModel *model, LogSourceModel *logs, QObject *parent)
    : QObject(parent)
    , m_model(model)
    , m_logs(logs)
    , m_cancel(std::make_shared<net::CancelToken>())
{
    qRegisterMetaType<slipway::ui::ClusterEndpoint>();
    m_pool.setMaxThreadCount(1);
    m_logPool.setMaxThreadCount(8); // one long-lived follow per deployment shown
}

ClusterWorkloads::~ClusterWorkloads()
{
    m_cancel->cancel();
    for (const auto &follow : std::as_const(m_follows))
        follow->cancel();
    m_pool.waitForDone();
    m_logPool.waitForDone();
}

void ClusterWorkloads::waitForIdle()
{
    m_pool.waitForDone();
}

void ClusterWorkloads::setClient(std::shared_ptr<kube::Client> client, const QString &contextName)
{
    m_client = std::move(client);
    m_context = contextName;
    for (const QString &id : m_deployments.keys())
        m_model->remove(id);
    m_deployments.clear();
    for (const auto &follow : std::as_const(m_follows))
        follow->cancel();
    m_follows.clear();
    if (m_client)
        refresh();
}

QString ClusterWorkloads::idOf(const kube::DeploymentInfo &d) const
{
    return QStringLiteral("cluster:%1/%2/%3")
        .arg(QString::fromStdString(d.namespaceName), QString::fromStdString(d.name), QString::fromStdString(d.mode));
}

std::optional<kube::DeploymentInfo> ClusterWorkloads::deployment(const QString &id) const
{
    auto it = m_deployments.constFind(id);
    if (it == m_deployments.cend())
        return std::nullopt;
    return *it;
}

void ClusterWorkloads::run(std::function<std::string()> work, std::function<void(const std::string &)> done)
{
    ++m_busy;
    auto *watcher = new QFutureWatcher<std::string>(this);
    connect(watcher, &QFutureWatcher<std::string>::finished, this, [this, watcher, done = std::move(done)] {
        watcher->deleteLater();
        --m_busy;
        done(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, std::move(work)));
}

void ClusterWorkloads::report(const std::string &error)
{
    if (error.empty())
        return;
    if (error.find(kube::kUnauthorizedMessage) != std::string::npos)
        emit reloginNeeded();
    else
        emit failed(QString::fromStdString(error));
}

void ClusterWorkloads::refresh()
{
    if (!m_client)
        return;
    auto found = std::make_shared<std::vector<kube::DeploymentInfo>>();
    run([client = m_client, cancel = m_cancel, found]() -> std::string {
        // Every namespace the user may list; a user without cluster-wide list sees the context's.
        auto all = kube::listDeployments(*client, {}, cancel.get());
        if (!all && kube::errorKind(all.error()) == kube::ErrorKind::Forbidden)
            all = kube::listDeployments(*client, client->defaultNamespace(), cancel.get());
        if (!all)
            return all.message();
        *found = std::move(*all);
        return {};
    }, [this, found](const std::string &error) {
        if (!error.empty()) {
            report(error);
            return;
        }
        showDeployments(*found);
        emit refreshed();
    });
}

void ClusterWorkloads::showDeployments(const std::vector<kube::DeploymentInfo> &deployments)
{
    QHash<QString, kube::DeploymentInfo> now;
    for (const kube::DeploymentInfo &d : deployments) {
        const QString id = idOf(d);
        now.insert(id, d);
        Workload w;
        w.id = id;
        w.cluster = true;
        w.name = QString::fromStdString(d.name);
        w.namespaceName = QString::fromStdString(d.namespaceName);
        w.target = m_context + QStringLiteral(" / ") + w.namespaceName;
        w.replicas = d.replicas;
        w.readyReplicas = d.readyReplicas;
        w.scalable = d.mode != "servingruntime";
        w.state = d.replicas == 0 ? WorkloadState::Stopped
                  : d.readyReplicas >= d.replicas ? WorkloadState::Ready
                                                  : WorkloadState::Starting;
        w.modelPath = QString::fromStdString(d.model);
        w.device = modeText(d.mode);
        w.detail = d.origin == kube::DeploymentOrigin::Slipway ? tr("Deployed by Slipway")
                                                               : tr("Deployed by the OpenShift AI dashboard");
        m_model->upsert(w);
    }
    for (auto it = m_deployments.cbegin(); it != m_deployments.cend(); ++it)
        if (!now.contains(it.key()))
            m_model->remove(it.key());
    m_deployments = std::move(now);
}

void ClusterWorkloads::scale(const QString &id, int replicas)
{
    const auto d = deployment(id);
    if (!d || !m_client)
        return;
    auto now = std::make_shared<int>(0);
    run([client = m_client, d = *d, replicas, cancel = m_cancel, now]() -> std::string {
        auto scaled = kube::scaleDeployment(*client, d, replicas, cancel.get());
        if (!scaled)
            return scaled.message();
        *now = *scaled;
        return {};
    }, [this, id, now](const std::string &error) {
        if (!error.empty()) {
            report(error);
            return;
        }
        emit scaled(id, *now);
        refresh();
    });
}

void ClusterWorkloads::undeploy(const QString &id, bool keepVolumes)
{
    const auto d = deployment(id);
    if (!d || !m_client)
        return;
    stopLogs(id);
    run([client = m_client, d = *d, keepVolumes, cancel = m_cancel]() -> std::string {
        auto removed = kube::undeployDeployment(*client, d, keepVolumes, {}, cancel.get());
        return removed ? std::string() : removed.message();
    }, [this, id](const std::string &error) {
        if (!error.empty()) {
            report(error);
            return;
        }
        emit undeployed(id);
        refresh();
    });
}

void ClusterWorkloads::stopLogs(const QString &id)
{
    if (auto follow = m_follows.take(id))
        follow->cancel();
}

void ClusterWorkloads::followLogs(const QString &id, const ClusterLogRequest &request)
{
    const auto d = deployment(id);
    if (!d || !m_client)
        return;
    stopLogs(id);
    const QString sourceId = logSourceId(id);
    LogBridge *bridge = m_logs->addSource(sourceId, tr("%1 (%2) pods").arg(QString::fromStdString(d->name),
                                                                          QString::fromStdString(d->namespaceName)));
    const auto sink = bridge->lineSink(); // safe from any thread, also after the source is gone
    auto stop = std::make_shared<net::CancelToken>();
    m_follows.insert(id, stop);
    const QPointer<ClusterWorkloads> self(this);
    auto failedWith = [self](const std::string &message) {
        QMetaObject::invokeMethod(self, [self, message] {
            if (self)
                self->report(message);
        }, Qt::QueuedConnection);
    };
    (void)QtConcurrent::run(&m_logPool, [client = m_client, d = *d, request, sink, stop, failedWith] {
        const std::string selector = kube::serverPodSelector(d);
        if (request.previous) {
            // The previous containers' logs, pod by pod (a crashed pod's last words).
            kube::ListOptions list;
            list.labelSelector = selector;
            auto pods = client->list("v1", "Pod", d.namespaceName, list, stop.get());
            if (!pods) {
                failedWith(pods.message());
                return;
            }
            for (const kube::Object &pod : pods->items) {
                kube::LogOptions options;
                options.namespaceName = d.namespaceName;
                options.pod = pod.name;
                options.previous = true;
                options.follow = false;
                options.tailLines = request.tailLines;
                kube::LogCursor cursor;
                auto read = kube::followLogs(*client, options, [&](const kube::LogLine &line) {
                    sink("[" + pod.name + "] " + line.text);
                    return !stop->isCancelled();
                }, cursor, stop.get());
                if (!read)
                    sink("[" + pod.name + "] " + read.message());
            }
            return;
        }
        kube::GroupLogOptions options;
        options.namespaceName = d.namespaceName;
        options.labelSelector = selector;
        options.tailLines = request.tailLines;
        options.sinceSeconds = request.sinceSeconds;
        auto followed = kube::followGroupLogs(*client, options, [&](const kube::GroupLogLine &line) { sink(line.prefixed()); },
                                              stop.get(), [&](const std::string &notice) { sink("-- " + notice); });
        if (!followed && !stop->isCancelled())
            failedWith(followed.message());
    });
    emit logsStarted(sourceId);
}

QString deploymentPodRegex(const kube::DeploymentInfo &deployment)
{
    // Names are DNS labels; dots (none expected) would be regex wildcards, so escape them.
    QString name = QString::fromStdString(deployment.name);
    name.replace(QLatin1Char('.'), QStringLiteral("\\."));
    const bool kserve = deployment.mode == "kserve" || deployment.server.kind == "InferenceService";
    return name + (kserve ? QStringLiteral("-predictor-.*") : QStringLiteral("-.*"));
}

void ClusterWorkloads::findEndpoint(const QString &id)
{
    const auto d = deployment(id);
    if (!d || !m_client)
        return;
    auto endpoint = std::make_shared<ClusterEndpoint>();
    endpoint->id = id;
    run([client = m_client, d = *d, cancel = m_cancel, endpoint]() -> std::string {
        auto found = kube::findServiceEndpoint(*client, d, cancel.get());
        if (!found)
            return found.message();
        endpoint->baseUrl = QString::fromStdString(found->url);
        endpoint->viaProxy = found->viaProxy;
        const kube::Connection connection = client->connection();
        QString token;
        if (connection.credentials) {
            auto credentials = connection.credentials->credentials(false);
            if (!credentials)
                return credentials.message();
            token = QString::fromStdString(credentials->token);
        }
        if (found->viaProxy) {
            // The API server authenticates the user: the bearer token and the cluster's CA go along.
            endpoint->tls = connection.tls;
            endpoint->bearerToken = token;
        }
        // GPU figures: thanos-querier's Route (the router's certificate: the system's CAs plus
        // the cluster's), else its service through the API server.
        ClusterGpuSource &gpu = endpoint->gpu;
        gpu.namespaceName = QString::fromStdString(d.namespaceName);
        gpu.podRegex = deploymentPodRegex(d);
        gpu.deployment = QString::fromStdString(d.name);
        gpu.bearerToken = token;
        auto route = client->get({"route.openshift.io/v1", "Route", "openshift-monitoring", "thanos-querier"}, cancel.get());
        const QString host = route ? QJsonDocument::fromJson(QByteArray::fromStdString(route->json))
                                         .object().value(QStringLiteral("spec")).toObject().value(QStringLiteral("host")).toString()
                                   : QString();
        if (!host.isEmpty()) {
            gpu.prometheusUrl = QStringLiteral("https://") + host;
            gpu.tls.caFile = connection.tls.caFile;
            gpu.tls.caData = connection.tls.caData;
            gpu.tls.insecureSkipVerify = connection.tls.insecureSkipVerify;
        } else {
            gpu.prometheusUrl = thanosQuerierProxyUrl(QString::fromStdString(client->server()));
            gpu.tls = connection.tls;
        }
        return {};
    }, [this, endpoint](const std::string &error) {
        if (!error.empty()) {
            report(error);
            return;
        }
        emit endpointFound(*endpoint);
    });
}

} // namespace slipway::ui
