#pragma once
// ClusterDeployController: the Deploy wizard's Cluster target, step by step, off the GUI thread:
//   Preflight (core/kube preflight: a checklist with a fix per failure)
//   → Model files (PVC: the storage objects are applied, the loader pod awaited and the local
//     model folder copied in through the API server, resumable; then Retain and the loader pod removed.
//     S3: the local model folder is uploaded to the plan's bucket and path with multipart SigV4,
//     resumable and verified (core/storage uploadFolderToS3), then the KServe S3 Secret with the
//     keys entered on the deploy page and the ServiceAccount that carries it are applied)
//   → Apply (core/kube applyObjects: a server-side dry run of everything, then server-side apply in
//     dependency order, per object; conflicts stop it, naming the managers, until forced)
//   → Rollout (core/kube watchRollout: pods and events with plain-language reasons, until Ready).
// A 401 anywhere pauses the step and asks for a new token (reloginNeeded); resume(token) replaces
// the token on the shared client and runs the interrupted step again (apply is idempotent; the
// upload skips what is already there).
//
// Threads: every blocking call runs on the controller's own thread pool (QtConcurrent) and
// reports back by queued calls on this object. The destructor cancels and waits for them
// (quit-then-wait), so nothing outlives the owner.
//
// Thread-safety: GUI thread only.
#include "deploy/deployment_plan.h"
#include "deploy/render.h"
#include "kube/apply_plan.h"
#include "kube/client.h"
#include "kube/preflight.h"
#include "kube/rollout.h"
#include "storage/transfer_progress.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QThreadPool>

#include <atomic>
#include <memory>
#include <vector>

namespace slipway::ui {

class ClusterDeployController final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClusterDeployController)

public:
    enum class Step { Idle, Preflight, Files, Apply, Rollout, Done };
    Q_ENUM(Step)

    explicit ClusterDeployController(QObject *parent = nullptr);
    ~ClusterDeployController() override;

    // What to deploy, where. `localModelFolder`: the folder to copy to the PVC (empty: the model
    // files step is skipped and the plan's own storage brings them).
    void setTarget(std::shared_ptr<kube::Client> client, deploy::DeploymentPlan plan,
                   std::vector<deploy::RenderedObject> objects, QString localModelFolder = {});
    const deploy::DeploymentPlan &plan() const { return m_plan; }
    const std::vector<deploy::RenderedObject> &objects() const { return m_objects; }

    // S3 storage: the keys for the upload and for the KServe Secret. They stay in memory only
    // (never in the plan the wizard shows, never in a notice or message: see redacted()), across
    // setTarget() so a resumed deploy needs no new entry, until clearS3Credentials().
    void setS3Credentials(const QString &accessKeyId, const QString &secretAccessKey);
    void clearS3Credentials();
    bool hasS3Credentials() const { return !m_s3AccessKeyId.empty() && !m_s3SecretKey.empty(); }
    // Where the S3 upload keeps its resume state (empty: storage::defaultS3StateDir()), and the
    // part size (tests use S3's 5 MiB minimum).
    void setS3UploadOptions(const QString &stateDir, std::int64_t partSize);
    // The objects the S3 step applied (the Secret with the keys, the ServiceAccount, the Namespace
    // when asked), after it ran; the rest of the plan is objects().
    const std::vector<deploy::RenderedObject> &s3Objects() const { return m_s3Objects; }
    // `text` with the S3 keys replaced by "****": every message and notice passes through it.
    QString redacted(const QString &text) const;

    // Starts from the preflight.
    void start();
    // After a preflight with failures: go on anyway (the person read the checklist).
    void continueAfterPreflight();
    // After conflicts: apply again taking the fields over (force).
    void applyWithForce();
    // After reloginNeeded: a new token for the shared client; the interrupted step runs again.
    void resume(const QString &token);
    // Stops whatever runs (the rollout watch, an upload); a later start() begins again.
    void cancel();

    Step step() const { return m_step; }
    bool isRunning() const { return m_running; }
    const kube::PreflightReport &preflight() const { return m_preflight; }
    const kube::RolloutStatus &rollout() const { return m_rollout; }

    // Waits for the running task (tests; the destructor).
    void waitForIdle();

signals:
    void stepChanged(slipway::ui::ClusterDeployController::Step step);
    void preflightFinished(bool passed);
    void filesProgress(const slipway::storage::TransferProgress &progress);
    void applyProgress(const slipway::kube::ApplyProgress &progress);
    void conflictsFound(const std::vector<slipway::kube::ApplyConflict> &conflicts);
    void rolloutChanged(const slipway::kube::RolloutStatus &status);
    // In the core's words: a reconnect, the loader pod started, the PV kept.
    void notice(const QString &text);
    // The step stopped on an error the person must act on (core/kube's message).
    void failed(const QString &message);
    // 401: the token expired; call resume() with a new one.
    void reloginNeeded();
    // The rollout is Ready.
    void finished();

private:
    void enter(Step step);
    void runStep(Step step);
    void runPreflight();
    void runFiles();
    void runS3Files();
    void runApply(bool force);
    void runRollout();
    // Runs `work` on the pool; `done` gets its message (empty: success) on the GUI thread.
    void launch(std::function<std::string()> work, std::function<void(const std::string &)> done);
    void handleFailure(const std::string &message);
    std::vector<deploy::RenderedObject> storageObjects() const;

    std::shared_ptr<kube::Client> m_client;
    deploy::DeploymentPlan m_plan;
    std::vector<deploy::RenderedObject> m_objects;
    QString m_localFolder;
    bool m_filesDone = false;
    std::string m_s3AccessKeyId;
    std::string m_s3SecretKey;
    QString m_s3StateDir;
    std::int64_t m_s3PartSize = 64LL << 20;
    std::vector<deploy::RenderedObject> m_s3Objects;
    bool m_forceNext = false;

    Step m_step = Step::Idle;
    bool m_running = false;
    kube::PreflightReport m_preflight;
    kube::RolloutStatus m_rollout;
    std::shared_ptr<net::CancelToken> m_cancel;
    QThreadPool m_pool;
    QFutureWatcher<std::string> *m_watcher = nullptr;
};

// Whether a preflight report holds a refused token (the report's checks failed because of it).
bool reportIsUnauthorized(const kube::PreflightReport &report);

} // namespace slipway::ui

Q_DECLARE_METATYPE(slipway::storage::TransferProgress)
Q_DECLARE_METATYPE(slipway::kube::ApplyProgress)
Q_DECLARE_METATYPE(slipway::kube::RolloutStatus)
