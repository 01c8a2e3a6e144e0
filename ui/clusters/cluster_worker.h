#pragma once
// Runs the blocking cluster calls (discovery, preflight) on its own thread. The panel owns the
// thread; requests are queued to it and results come back by queued signal. A new request
// replaces nothing: requests run one after another. cancel() stops the running one (an atomic
// flag the transfer loop checks); shutdown is quit-then-wait by the owner.
//
// Thread-safety: discover(), runPreflight() and cancel() from any thread; the signals are emitted
// on the worker thread.
#include "deploy/deployment_plan.h"
#include "kube/client.h"
#include "kube/preflight.h"

#include <QObject>
#include <QString>

#include <memory>

namespace slipway::ui {

class ClusterWorker final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClusterWorker)

public:
    explicit ClusterWorker(QObject *parent = nullptr);

    void discover(std::shared_ptr<kube::Client> client);
    void runPreflight(std::shared_ptr<kube::Client> client, deploy::DeploymentPlan plan);
    void cancel();

signals:
    // The server's version ("v1.30.4") and the optional API groups it serves.
    void discovered(const QString &version, bool openShift, bool leaderWorkerSet, bool kserve);
    void preflightFinished(const slipway::kube::PreflightReport &report);
    // unauthorized: the token expired or is invalid; log in again, then retry.
    void failed(const QString &message, bool unauthorized);

private:
    std::shared_ptr<net::CancelToken> m_cancel;
};

} // namespace slipway::ui

Q_DECLARE_METATYPE(slipway::kube::PreflightReport)
