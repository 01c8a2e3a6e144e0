#pragma once
// One workload the console runs: for now the Local engine; cluster deployments become rows of the
// same shape (target "cluster name / namespace", a state read from the cluster, no PID).
//
// Thread-safety: a plain value.
#include <QDateTime>
#include <QString>
#include <QStringList>

namespace slipway::ui {

enum class WorkloadState { Stopped, Starting, Ready, Stopping, Crashed };

struct Workload {
    QString id;              // stable key: "local-engine", later "<cluster>/<namespace>/<name>"
    QString name;            // shown in the Name column
    QString target;          // "This computer", later the cluster and namespace
    WorkloadState state = WorkloadState::Stopped;
    QString modelPath;       // the model folder (or the cluster's model source)
    QString modelName;       // the served model name
    QString url;             // the OpenAI-compatible base URL; empty when not serving
    qint64 pid = 0;          // 0 when not a local process or not running
    QDateTime startedAt;     // invalid when never started
    QString device;          // "cpu", "cuda", later "8× H100"
    bool demoModel = false;  // random weights: replies are noise
    QString detail;          // the last state change's message
    // A crash: how the process ended and its last lines.
    int exitCode = 0;        // the exit code, or the signal number when exitSignaled
    bool exitSignaled = false;
    QString exitDescription; // core/local's English words for it ("exited with code 3")
    QStringList lastLines;
    // A deployment on a cluster (ClusterWorkloads): no process; replicas instead.
    bool cluster = false;
    QString namespaceName;
    int replicas = 0;        // wanted
    int readyReplicas = 0;
    bool scalable = true;    // false: an OpenShift AI serving runtime without a model

    bool running() const
    {
        return state == WorkloadState::Starting || state == WorkloadState::Ready || state == WorkloadState::Stopping;
    }
};

} // namespace slipway::ui
