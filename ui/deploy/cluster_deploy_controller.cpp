#include "deploy/cluster_deploy_controller.h"

#include "deploy/names.h"
#include "kube/api_error.h"
#include "storage/pvc_upload.h"
#include "storage/s3_credentials.h"
#include "storage/s3_upload.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaObject>
#include <QPointer>
#include <QtConcurrent>

#include <chrono>
#include <thread>

namespace slipway::ui {

namespace {

// The objects the model files step needs before the copy: the volume, the loader pod and what
// they depend on (namespace, service account, SCC binding, secrets).
bool isStorageKind(const std::string &kind)
{
    return kind == "Namespace" || kind == "ServiceAccount" || kind == "RoleBinding" || kind == "Secret" ||
           kind == "PersistentVolumeClaim" || kind == "Pod";
}

// `text` with every occurrence of each non-empty secret replaced by ****.
std::string redact(std::string text, const std::vector<std::string> &secrets)
{
    for (const std::string &secret : secrets) {
        if (secret.empty())
            continue;
        for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 4))
            text.replace(at, secret.size(), "****");
    }
    return text;
}

// The KServe S3 Secret of `plan` holding the given keys, named as the plan's ServiceAccount and
// pods expect it (the plan's "credentials Secret" when it names one), exactly as core/deploy
// renders it for a plan with keys.
Result<deploy::RenderedObject> s3SecretWithKeys(const deploy::DeploymentPlan &plan, const std::string &accessKeyId,
                                                const std::string &secretAccessKey)
{
    deploy::DeploymentPlan withKeys = plan;
    withKeys.s3.existingSecret.clear();
    withKeys.s3.accessKeyId = accessKeyId;
    withKeys.s3.secretAccessKey = secretAccessKey;
    auto rendered = deploy::render(withKeys);
    if (!rendered)
        return fail(redact(rendered.message(), {accessKeyId, secretAccessKey}));
    const std::string renderedName = deploy::objectNames(withKeys).s3Secret;
    const std::string wanted = plan.s3.existingSecret.empty() ? renderedName : plan.s3.existingSecret;
    for (deploy::RenderedObject object : rendered.value()) {
        if (object.kind != "Secret" || object.name != renderedName)
            continue;
        if (wanted != renderedName) {
            // metadata.name is the only "  name: <renderedName>" line core/deploy writes.
            const std::string from = "\n  name: " + renderedName + "\n";
            const std::size_t at = object.yaml.find(from);
            if (at == std::string::npos)
                return fail("cannot name the S3 Secret " + wanted + ": the rendered Secret has no metadata.name line");
            object.yaml.replace(at, from.size(), "\n  name: " + wanted + "\n");
            object.name = wanted;
            if (const std::size_t f = object.fileName.rfind(renderedName); f != std::string::npos)
                object.fileName.replace(f, renderedName.size(), wanted);
        }
        return object;
    }
    return fail("the plan renders no S3 Secret: choose S3 storage with an endpoint and a bucket");
}

} // namespace

bool reportIsUnauthorized(const kube::PreflightReport &report)
{
    for (const kube::PreflightItem &item : report.items)
        if (item.detail.find(kube::kUnauthorizedMessage) != std::string::npos)
            return true;
    return false;
}

ClusterDeployController::ClusterDeployController(QObject *parent)
    : QObject(parent)
    , m_cancel(std::make_shared<net::CancelToken>())
{
    qRegisterMetaType<slipway::storage::TransferProgress>();
    qRegisterMetaType<slipway::kube::ApplyProgress>();
    qRegisterMetaType<slipway::kube::RolloutStatus>();
    m_pool.setMaxThreadCount(1); // one step at a time
    m_pool.setObjectName(QStringLiteral("slipway-cluster-deploy"));
}

ClusterDeployController::~ClusterDeployController()
{
    m_cancel->cancel();
    waitForIdle();
}

void ClusterDeployController::waitForIdle()
{
    m_pool.waitForDone();
}

void ClusterDeployController::setTarget(std::shared_ptr<kube::Client> client, deploy::DeploymentPlan plan,
                                        std::vector<deploy::RenderedObject> objects, QString localModelFolder)
{
    m_client = std::move(client);
    m_plan = std::move(plan);
    m_objects = std::move(objects);
    m_localFolder = std::move(localModelFolder);
    m_filesDone = false;
    m_forceNext = false;
    m_s3Objects.clear();
    m_step = Step::Idle;
}

void ClusterDeployController::setS3Credentials(const QString &accessKeyId, const QString &secretAccessKey)
{
    m_s3AccessKeyId = accessKeyId.trimmed().toStdString();
    m_s3SecretKey = secretAccessKey.trimmed().toStdString();
}

void ClusterDeployController::clearS3Credentials()
{
    m_s3AccessKeyId.clear();
    m_s3SecretKey.clear();
}

void ClusterDeployController::setS3UploadOptions(const QString &stateDir, std::int64_t partSize)
{
    m_s3StateDir = stateDir;
    m_s3PartSize = partSize;
}

QString ClusterDeployController::redacted(const QString &text) const
{
    return QString::fromStdString(redact(text.toStdString(), {m_s3SecretKey, m_s3AccessKeyId}));
}

void ClusterDeployController::enter(Step step)
{
    m_step = step;
    emit stepChanged(step);
}

void ClusterDeployController::start()
{
    if (m_running || !m_client)
        return;
    m_cancel->reset();
    m_preflight = {};
    m_rollout = {};
    m_forceNext = false;
    runStep(Step::Preflight);
}

void ClusterDeployController::continueAfterPreflight()
{
    if (m_running || m_step != Step::Preflight)
        return;
    runStep(Step::Files);
}

void ClusterDeployController::applyWithForce()
{
    if (m_running)
        return;
    m_forceNext = true;
    runStep(Step::Apply);
}

void ClusterDeployController::resume(const QString &token)
{
    if (m_running || !m_client || token.isEmpty())
        return;
    m_client->replaceToken(token.toStdString());
    m_cancel->reset();
    runStep(m_step == Step::Idle ? Step::Preflight : m_step);
}

void ClusterDeployController::cancel()
{
    m_cancel->cancel();
}

void ClusterDeployController::runStep(Step step)
{
    switch (step) {
    case Step::Idle:
    case Step::Preflight: runPreflight(); break;
    case Step::Files: runFiles(); break;
    case Step::Apply: runApply(m_forceNext); break;
    case Step::Rollout: runRollout(); break;
    case Step::Done: break;
    }
}

void ClusterDeployController::launch(std::function<std::string()> work, std::function<void(const std::string &)> done)
{
    m_running = true;
    auto *watcher = new QFutureWatcher<std::string>(this);
    connect(watcher, &QFutureWatcher<std::string>::finished, this, [this, watcher, done = std::move(done)] {
        watcher->deleteLater();
        m_running = false;
        done(watcher->result());
    });
    // Core reports failures as values; anything thrown anyway becomes a message, never a crash.
    watcher->setFuture(QtConcurrent::run(&m_pool, [work = std::move(work)]() -> std::string {
        try {
            return work();
        } catch (const std::exception &e) {
            return std::string("internal error: ") + e.what();
        }
    }));
}

void ClusterDeployController::handleFailure(const std::string &message)
{
    if (message.find(kube::kUnauthorizedMessage) != std::string::npos) {
        emit reloginNeeded();
        return;
    }
    emit failed(redacted(QString::fromStdString(message)));
}

void ClusterDeployController::runPreflight()
{
    enter(Step::Preflight);
    auto report = std::make_shared<kube::PreflightReport>();
    launch([client = m_client, plan = m_plan, cancel = m_cancel, report] {
        *report = kube::runPreflight(*client, plan, cancel.get());
        return std::string();
    }, [this, report](const std::string &) {
        if (reportIsUnauthorized(*report)) {
            emit reloginNeeded();
            return;
        }
        m_preflight = *report;
        const bool passed = report->passed();
        emit preflightFinished(passed);
        if (passed && !m_cancel->isCancelled())
            runFiles();
    });
}

std::vector<deploy::RenderedObject> ClusterDeployController::storageObjects() const
{
    std::vector<deploy::RenderedObject> out;
    for (const deploy::RenderedObject &o : m_objects)
        if (isStorageKind(o.kind))
            out.push_back(o);
    return out;
}

void ClusterDeployController::runFiles()
{
    if (!m_filesDone && m_plan.storage == deploy::Storage::S3 && (!m_localFolder.isEmpty() || hasS3Credentials())) {
        runS3Files();
        return;
    }
    if (m_filesDone || m_localFolder.isEmpty() || m_plan.storage != deploy::Storage::Pvc) {
        runApply(false);
        return;
    }
    enter(Step::Files);
    const auto self = QPointer<ClusterDeployController>(this);
    auto post = [self](auto &&fn) { QMetaObject::invokeMethod(self, std::forward<decltype(fn)>(fn), Qt::QueuedConnection); };
    launch([client = m_client, plan = m_plan, objects = storageObjects(), folder = m_localFolder.toStdString(),
            cancel = m_cancel, post, self]() -> std::string {
        auto targets = storage::loaderTargets(plan);
        if (!targets)
            return targets.message();
        kube::ApplyPlanOptions options;
        options.namespaceName = plan.namespaceName;
        auto applied = kube::applyObjects(*client, objects, options, {}, cancel.get());
        if (!applied)
            return applied.message();
        if (!applied->applied)
            return "the volume and loader pod conflict with another field manager; apply them with force first";
        for (const storage::LoaderTarget &target : *targets) {
            post([self, pod = target.pod.pod] {
                if (self)
                    emit self->notice(tr("Waiting for the loader pod %1 to run …").arg(QString::fromStdString(pod)));
            });
            // The loader pod comes up in seconds; a get every half second until it runs.
            for (int i = 0;; ++i) {
                if (cancel->isCancelled())
                    return "the model upload was cancelled; deploy again to resume it";
                auto pod = client->get({"v1", "Pod", target.pod.namespaceName, target.pod.pod}, cancel.get());
                if (!pod)
                    return pod.message();
                const QJsonObject status = QJsonDocument::fromJson(QByteArray::fromStdString(pod->json)).object().value(QStringLiteral("status")).toObject();
                if (status.value(QStringLiteral("phase")).toString() == QStringLiteral("Running"))
                    break;
                if (i > 600)
                    return "the loader pod " + target.pod.pod + " did not start in 5 minutes; check its events";
                std::this_thread::sleep_for(std::chrono::milliseconds(500));
            }
            auto report = storage::uploadFolderToPod(
                *client, target.pod, folder, target.directory, {},
                [post, self](const storage::TransferProgress &p) {
                    post([self, p] {
                        if (self)
                            emit self->filesProgress(p);
                    });
                },
                cancel.get());
            if (!report)
                return report.message();
            auto retained = storage::retainClaimVolume(*client, target.pod.namespaceName, target.claim, cancel.get());
            const std::string note = retained ? "the volume " + *retained + " of " + target.claim + " is kept (reclaim policy Retain)"
                                              : "could not set the volume of " + target.claim + " to Retain: " + retained.message();
            post([self, note] {
                if (self)
                    emit self->notice(QString::fromStdString(note));
            });
            if (auto removed = storage::removeLoaderPod(*client, target.pod, cancel.get()); !removed)
                return removed.message();
        }
        return {};
    }, [this](const std::string &error) {
        if (!error.empty()) {
            handleFailure(error);
            return;
        }
        m_filesDone = true;
        runApply(false);
    });
}

void ClusterDeployController::runS3Files()
{
    enter(Step::Files);
    const std::string where = deploy::s3Uri(m_plan);
    if (!hasS3Credentials()) {
        handleFailure("to upload the model folder to " + where + " and create the S3 Secret, enter the S3 access key ID "
                      "and secret access key on this page, then deploy again");
        return;
    }
    const auto self = QPointer<ClusterDeployController>(this);
    auto post = [self](auto &&fn) { QMetaObject::invokeMethod(self, std::forward<decltype(fn)>(fn), Qt::QueuedConnection); };
    // The S3 step's objects: the Namespace when asked (the Secret needs it), the Secret with the
    // keys, then the ServiceAccount that carries it, exactly as the Review page shows it.
    auto secret = s3SecretWithKeys(m_plan, m_s3AccessKeyId, m_s3SecretKey);
    if (!secret) {
        handleFailure(secret.message());
        return;
    }
    auto objects = std::make_shared<std::vector<deploy::RenderedObject>>();
    for (const deploy::RenderedObject &o : m_objects)
        if (o.kind == "Namespace")
            objects->push_back(o);
    objects->push_back(*secret);
    for (const deploy::RenderedObject &o : m_objects)
        if (o.kind == "ServiceAccount")
            objects->push_back(o);

    deploy::DeploymentPlan withKeys = m_plan;
    withKeys.s3.existingSecret.clear();
    withKeys.s3.accessKeyId = m_s3AccessKeyId;
    withKeys.s3.secretAccessKey = m_s3SecretKey;
    storage::S3UploadOptions upload;
    upload.prefix = deploy::s3KeyPrefix(m_plan);
    upload.partSize = m_s3PartSize;
    upload.stateDir = m_s3StateDir.toStdString();
    const std::vector<std::string> secrets{m_s3SecretKey, m_s3AccessKeyId};
    launch([client = m_client, withKeys, upload, folder = m_localFolder.toStdString(), objects, where, secrets,
            cancel = m_cancel, post, self]() -> std::string {
        std::string uploaded;
        if (!folder.empty()) {
            auto location = storage::s3LocationFromPlan(withKeys);
            if (!location)
                return redact(location.message(), secrets);
            post([self, where] {
                if (self)
                    emit self->notice(tr("Uploading the model folder to %1 …").arg(QString::fromStdString(where)));
            });
            storage::S3Client s3(*location);
            auto report = storage::uploadFolderToS3(s3, folder, upload, [post, self](const storage::TransferProgress &p) {
                post([self, p] {
                    if (self)
                        emit self->filesProgress(p);
                });
            }, cancel.get());
            if (!report) {
                if (cancel->isCancelled())
                    return "the upload to " + where + " was cancelled; deploy again to resume it (parts already sent are kept)";
                return redact("the upload to " + where + " stopped: " + report.message() +
                              (report.message().find("access key") != std::string::npos
                                   ? " (enter the right keys on this page and deploy again)" : ""),
                              secrets);
            }
            uploaded = std::to_string(report->filesUploaded) + " file(s) uploaded to " + where + ", " +
                       std::to_string(report->filesSkipped) + " already there";
            if (report->partsResumed > 0)
                uploaded += ", " + std::to_string(report->partsResumed) + " part(s) resumed";
            post([self, uploaded] {
                if (self)
                    emit self->notice(QString::fromStdString(uploaded));
            });
        }
        kube::ApplyPlanOptions options;
        options.namespaceName = withKeys.namespaceName;
        auto applied = kube::applyObjects(*client, *objects, options, {}, cancel.get());
        if (!applied)
            return redact(applied.message(), secrets);
        if (!applied->applied)
            return "the S3 Secret or ServiceAccount conflicts with another field manager; apply with force first";
        std::string names;
        for (const deploy::RenderedObject &o : *objects)
            if (o.kind != "Namespace")
                names += (names.empty() ? "" : ", ") + o.kind + " " + withKeys.namespaceName + "/" + o.name;
        post([self, names] {
            if (self)
                emit self->notice(tr("Applied for S3 access: %1").arg(QString::fromStdString(names)));
        });
        return {};
    }, [this, objects](const std::string &error) {
        if (!error.empty()) {
            handleFailure(error);
            return;
        }
        m_s3Objects = *objects;
        m_filesDone = true;
        runApply(false);
    });
}

void ClusterDeployController::runApply(bool force)
{
    enter(Step::Apply);
    m_forceNext = force;
    // Once the files are in, the loader pod is gone for good: it is not applied again.
    std::vector<deploy::RenderedObject> objects;
    for (const deploy::RenderedObject &o : m_objects)
        if (!(m_filesDone && o.kind == "Pod"))
            objects.push_back(o);
    const auto self = QPointer<ClusterDeployController>(this);
    auto result = std::make_shared<kube::ApplyPlanResult>();
    launch([client = m_client, objects, ns = m_plan.namespaceName, force, cancel = m_cancel, self, result]() -> std::string {
        kube::ApplyPlanOptions options;
        options.namespaceName = ns;
        options.force = force;
        auto applied = kube::applyObjects(*client, objects, options, [self](const kube::ApplyProgress &p) {
            QMetaObject::invokeMethod(self, [self, p] {
                if (self)
                    emit self->applyProgress(p);
            }, Qt::QueuedConnection);
        }, cancel.get());
        if (!applied)
            return applied.message();
        *result = *applied;
        return {};
    }, [this, result](const std::string &error) {
        if (!error.empty()) {
            handleFailure(error);
            return;
        }
        if (!result->applied) {
            emit conflictsFound(result->conflicts);
            return;
        }
        m_forceNext = false;
        runRollout();
    });
}

void ClusterDeployController::runRollout()
{
    enter(Step::Rollout);
    const auto self = QPointer<ClusterDeployController>(this);
    auto ready = std::make_shared<std::atomic<bool>>(false);
    launch([client = m_client, target = kube::rolloutTarget(m_plan), cancel = m_cancel, self, ready]() -> std::string {
        auto watched = kube::watchRollout(*client, target, [self, ready](const kube::RolloutStatus &status) {
            QMetaObject::invokeMethod(self, [self, status] {
                if (self) {
                    self->m_rollout = status;
                    emit self->rolloutChanged(status);
                }
            }, Qt::QueuedConnection);
            if (status.phase == kube::RolloutPhase::Ready)
                ready->store(true);
            return !ready->load();
        }, cancel.get(), [self](const std::string &text) {
            QMetaObject::invokeMethod(self, [self, text] {
                if (self)
                    emit self->notice(QString::fromStdString(text));
            }, Qt::QueuedConnection);
        });
        return watched ? std::string() : watched.message();
    }, [this, ready](const std::string &error) {
        if (!error.empty()) {
            handleFailure(error);
            return;
        }
        if (ready->load()) {
            enter(Step::Done);
            emit finished();
        }
    });
}

} // namespace slipway::ui
