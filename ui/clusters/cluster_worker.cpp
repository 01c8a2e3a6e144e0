#include "clusters/cluster_worker.h"

#include "kube/api_error.h"

#include <QMetaObject>

namespace slipway::ui {

ClusterWorker::ClusterWorker(QObject *parent) : QObject(parent), m_cancel(std::make_shared<net::CancelToken>())
{
    qRegisterMetaType<slipway::kube::PreflightReport>();
}

void ClusterWorker::cancel()
{
    m_cancel->cancel();
}

void ClusterWorker::discover(std::shared_ptr<kube::Client> client)
{
    m_cancel->reset();
    QMetaObject::invokeMethod(this, [this, client, cancel = m_cancel] {
        auto info = client->discover(cancel.get());
        if (!info) {
            emit failed(QString::fromStdString(info.message()), kube::isUnauthorized(info.error()));
            return;
        }
        emit discovered(QString::fromStdString(info->gitVersion), info->openShift, info->leaderWorkerSet, info->kserve);
    }, Qt::QueuedConnection);
}

void ClusterWorker::runPreflight(std::shared_ptr<kube::Client> client, deploy::DeploymentPlan plan)
{
    m_cancel->reset();
    QMetaObject::invokeMethod(this, [this, client, plan = std::move(plan), cancel = m_cancel] {
        kube::PreflightReport report = kube::runPreflight(*client, plan, cancel.get());
        // A 401 anywhere means the token expired: ask for a new one rather than show a checklist of failures.
        for (const kube::PreflightItem &item : report.items)
            if (kube::isUnauthorized(Error{item.detail}) ||
                item.detail.find(kube::kUnauthorizedMessage) != std::string::npos) {
                emit failed(QString::fromStdString(std::string(kube::kUnauthorizedMessage)), true);
                return;
            }
        emit preflightFinished(report);
    }, Qt::QueuedConnection);
}

} // namespace slipway::ui
