// The Deploy wizard's Cluster target with S3 storage, offscreen, against a real S3 server (s3rver
// behind tests/support/storage's counting proxy) and the Kubernetes API test server over HTTPS:
//   - a local model folder is uploaded to the plan's bucket and path (multipart, verified), then
//     the KServe S3 Secret (with the keys typed on the deploy page, under the plan's Secret name)
//     and its ServiceAccount are applied, before the InferenceService; the rollout finishes;
//   - an upload cancelled half way resumes on the next Deploy and sends only the missing parts;
//   - wrong keys stop the step with a message naming what to fix, and nothing is applied;
//   - the keys are never on screen after entry (fields emptied, no label or notice holds them);
//   - every applied manifest passes the schema validator.
#include "kube_test_server.h"
#include "s3_test_server.h"
#include "wizard_test_support.h"

#include "clusters/clusters_panel.h"
#include "clusters/login_form.h"
#include "deploy/cluster_deploy_controller.h"
#include "deploy/cluster_deploy_page.h"
#include "deploy/deploy_wizard.h"
#include "kube/client.h"
#include "storage/s3_client.h"

#include <QAbstractButton>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <memory>

using namespace slipway;
using namespace slipway::ui;
using slipway::testing::KubeTestServer;
using slipway::testing::S3TestServer;

namespace {

constexpr int kWait = 30000;
constexpr std::int64_t kPart = 5LL << 20;
const char *kSecretName = "models-s3-keys";

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QRandomGenerator generator(seed);
    QByteArray bytes(size, Qt::Uninitialized);
    generator.fillRange(reinterpret_cast<quint32 *>(bytes.data()), size / 4);
    return bytes;
}

QJsonObject jsonOf(const std::string &text)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(text)).object();
}

} // namespace

class TestClusterDeployS3 final : public QObject {
    Q_OBJECT

    std::unique_ptr<KubeTestServer> m_kube;
    std::unique_ptr<S3TestServer> m_s3;
    std::unique_ptr<ClustersPanel> m_clusters;
    QTemporaryDir m_dir;
    QString m_folder;
    QByteArray m_weights;

    void control(const std::string &path, const std::string &json)
    {
        const std::string reply = m_kube->control(path, json);
        QVERIFY2(reply.rfind("ERROR", 0) != 0 && reply.find("\"ok\":false") == std::string::npos, reply.c_str());
    }
    DeployChoices s3Choices(const std::string &name, const std::string &path) const
    {
        DeployChoices c;
        c.target = DeployTarget::Cluster;
        c.sizing.model = {ModelSource::Kind::Folder, m_folder};
        c.sizing.gpuName = QStringLiteral("H100");
        c.sizing.contextLength = 8192;
        c.plan.mode = deploy::Mode::KServe;
        c.plan.runtime = deploy::Runtime::SGLang;
        c.plan.storage = deploy::Storage::S3;
        c.plan.name = name;
        c.plan.namespaceName = "models";
        c.plan.createNamespace = true;
        c.plan.s3.endpoint = m_s3->endpoint();
        c.plan.s3.bucket = m_s3->bucket();
        c.plan.s3.path = path;
        c.plan.s3.region = "us-east-1";
        c.plan.s3.existingSecret = kSecretName;
        return c;
    }
    ClusterDeployPage *deployPage(DeployWizard &wizard, const DeployChoices &choices)
    {
        wizard.setChoices(choices);
        test::walkTo(wizard, DeployWizard::ReviewPageId);
        if (!QTest::qWaitFor([&] { return wizard.currentPage()->isComplete(); }, kWait))
            return nullptr;
        wizard.next();
        if (wizard.currentId() != DeployWizard::ClusterDeployPageId)
            return nullptr;
        auto *page = static_cast<ClusterDeployPage *>(wizard.currentPage());
        page->controller()->setS3UploadOptions(m_dir.filePath(QStringLiteral("s3-state")), kPart);
        return page;
    }
    void typeKeys(ClusterDeployPage *page, const QString &access, const QString &secret)
    {
        QVERIFY(page->s3KeysVisible());
        page->s3AccessKeyEdit()->setText(access);
        page->s3SecretKeyEdit()->setText(secret);
        QCOMPARE(page->s3SecretKeyEdit()->echoMode(), QLineEdit::Password);
    }
    void startPredictorPod(const std::string &name)
    {
        control("pods", "{\"namespace\": \"models\", \"name\": \"" + name + "-predictor-5c9d-xyz12\", \"containers\": "
                        "[\"kserve-container\"], \"labels\": {\"serving.kserve.io/inferenceservice\": \"" + name +
                        "\"}, \"state\": \"Running\"}");
    }
    QByteArray object(const std::string &key) const
    {
        storage::S3Location location;
        location.endpoint = m_s3->endpoint();
        location.bucket = m_s3->bucket();
        location.accessKeyId = S3TestServer::kAccessKey;
        location.secretAccessKey = S3TestServer::kSecretKey;
        storage::S3Client client(location);
        auto response = client.send("GET", key, {}, {}, {}, nullptr);
        return response && response->status == 200 ? QByteArray::fromStdString(response->body) : QByteArray("<missing>");
    }
    // Every file of the model folder is in the bucket under `prefix`, byte for byte.
    void verifyBucket(const std::string &prefix)
    {
        for (const QFileInfo &f : QDir(m_folder).entryInfoList(QDir::Files)) {
            QFile file(f.filePath());
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY2(object(prefix + "/" + f.fileName().toStdString()) == file.readAll(), qPrintable(f.fileName()));
        }
    }
    void validate(const std::vector<deploy::RenderedObject> &objects, const QString &name)
    {
        test::validateManifests(objects, m_dir.filePath(name));
    }
    // Neither key is anywhere on the page: labels, fields, notices.
    void verifyKeysNotShown(ClusterDeployPage *page, const QString &access, const QString &secret)
    {
        for (QLabel *label : page->findChildren<QLabel *>()) {
            QVERIFY2(!label->text().contains(secret), qPrintable(label->text()));
            QVERIFY2(!label->text().contains(access), qPrintable(label->text()));
        }
        for (QLineEdit *edit : page->findChildren<QLineEdit *>())
            QVERIFY(!edit->text().contains(secret) && !edit->text().contains(access));
        for (QPlainTextEdit *edit : page->findChildren<QPlainTextEdit *>())
            QVERIFY2(!edit->toPlainText().contains(secret) && !edit->toPlainText().contains(access), qPrintable(edit->toPlainText()));
    }

private slots:
    void initTestCase()
    {
        QString why;
        if (S3TestServer::findModule(&why).isEmpty())
            QSKIP(qPrintable(why));
        m_s3 = std::make_unique<S3TestServer>();
        QString error;
        QVERIFY2(m_s3->start(&error), qPrintable(error));
        m_kube = std::make_unique<KubeTestServer>();
        QVERIFY2(m_kube->start(&error), qPrintable(error));
        control("nodes", "{\"nodes\": [{\"name\": \"gpu-a\", \"gpus\": 8, \"product\": \"NVIDIA-H100-80GB-HBM3\", \"memoryMiB\": 81559}]}");
        control("objects", "{\"objects\": ["
                           "{\"apiVersion\": \"apps/v1\", \"kind\": \"DaemonSet\", \"metadata\": {\"name\": \"nvidia-device-plugin-daemonset\", \"namespace\": \"nvidia-gpu-operator\"}},"
                           "{\"apiVersion\": \"apps/v1\", \"kind\": \"DaemonSet\", \"metadata\": {\"name\": \"nvidia-dcgm-exporter\", \"namespace\": \"nvidia-gpu-operator\"}},"
                           "{\"apiVersion\": \"storage.k8s.io/v1\", \"kind\": \"StorageClass\", \"metadata\": {\"name\": \"cephfs\","
                           " \"annotations\": {\"storageclass.kubernetes.io/is-default-class\": \"true\"}}, \"provisioner\": \"openshift-storage.cephfs.csi.ceph.com\"}]}");

        // The tiny test model plus 12 MiB of weights: three parts of 5, 5 and 2 MiB.
        m_folder = m_dir.filePath(QStringLiteral("model"));
        QDir().mkpath(m_folder);
        for (const QFileInfo &f : QDir(test::tinyModelFolder()).entryInfoList(QDir::Files))
            QVERIFY(QFile::copy(f.filePath(), m_folder + QLatin1Char('/') + f.fileName()));
        m_weights = randomBytes(12LL << 20, 7);
        QFile weights(m_folder + QStringLiteral("/zz-extra-weights.safetensors"));
        QVERIFY(weights.open(QIODevice::WriteOnly));
        weights.write(m_weights);
        weights.close();

        m_clusters = std::make_unique<ClustersPanel>();
        m_clusters->loginForm()->setServer(QString::fromStdString(m_kube->server()));
        m_clusters->loginForm()->setCaFile(m_kube->caFile());
        m_clusters->loginForm()->setNamespace(QStringLiteral("models"));
        m_clusters->loginForm()->setToken(QString::fromLatin1(KubeTestServer::kAdminToken));
        QSignalSpy connected(m_clusters.get(), &ClustersPanel::connectedChanged);
        m_clusters->connectWithToken();
        QVERIFY(QTest::qWaitFor([&] { return !connected.isEmpty() && connected.last().at(0).toBool(); }, kWait));
    }
    void cleanupTestCase()
    {
        m_clusters.reset();
    }

    void wrongKeysStopWithWhatToFix()
    {
        DeployWizard wizard(nullptr, QStringLiteral("/nonexistent"));
        wizard.setClusters(m_clusters.get());
        ClusterDeployPage *page = deployPage(wizard, s3Choices("wrongkeys", "wrong/keys"));
        QVERIFY(page);
        ClusterDeployController *controller = page->controller();
        const QString access = QStringLiteral("NOT-A-KEY-AKIAWRONG");
        const QString secret = QStringLiteral("wrongSecret/with+chars0123456789");
        typeKeys(page, access, secret);
        QSignalSpy failed(controller, &ClusterDeployController::failed);
        page->deploy();
        QVERIFY(page->s3AccessKeyEdit()->text().isEmpty() && page->s3SecretKeyEdit()->text().isEmpty());
        QVERIFY(failed.wait(kWait));
        const QString message = failed.first().at(0).toString();
        QCOMPARE(controller->step(), ClusterDeployController::Step::Files);
        QVERIFY2(message.contains(QStringLiteral("check the access key ID and secret access key")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("s3://models/wrong/keys")), qPrintable(message));
        QVERIFY2(page->errorText().contains(QStringLiteral("access key ID")), qPrintable(page->errorText()));
        verifyKeysNotShown(page, access, secret);
        // Nothing reached the cluster: no Secret with the wrong keys, no InferenceService.
        kube::Client admin(m_kube->connection(KubeTestServer::kAdminToken, "models"));
        QVERIFY(!admin.get({"v1", "Secret", "models", kSecretName}).ok());
        QVERIFY(!admin.get({"serving.kserve.io/v1beta1", "InferenceService", "models", "wrongkeys"}).ok());

        // Without keys at all, the step says where to enter them.
        controller->clearS3Credentials();
        failed.clear();
        page->deploy();
        QVERIFY(failed.wait(kWait));
        QVERIFY2(failed.first().at(0).toString().contains(QStringLiteral("enter the S3 access key ID and secret access key")),
                 qPrintable(failed.first().at(0).toString()));
    }

    void uploadsThenAppliesSecretBeforeTheInferenceService()
    {
        DeployWizard wizard(nullptr, QStringLiteral("/nonexistent"));
        wizard.setClusters(m_clusters.get());
        ClusterDeployPage *page = deployPage(wizard, s3Choices("deepseek-s3", "/models/full/"));
        QVERIFY(page);
        ClusterDeployController *controller = page->controller();
        typeKeys(page, QString::fromLatin1(S3TestServer::kAccessKey), QString::fromLatin1(S3TestServer::kSecretKey));
        std::vector<storage::TransferProgress> progress;
        connect(controller, &ClusterDeployController::filesProgress, this,
                [&](const storage::TransferProgress &p) { progress.push_back(p); });
        QSignalSpy finished(controller, &ClusterDeployController::finished);
        m_s3->control("reset");
        page->deploy();
        QTRY_COMPARE_WITH_TIMEOUT(controller->step(), ClusterDeployController::Step::Rollout, kWait);
        QVERIFY2(page->errorText().isEmpty(), qPrintable(page->errorText()));

        // The upload reported progress with a rate and ended verified.
        QVERIFY(!progress.empty());
        QCOMPARE(progress.back().phase, std::string("done"));
        QCOMPARE(progress.back().bytesDone, progress.back().bytesTotal);
        QVERIFY(progress.back().bytesTotal >= m_weights.size());
        QVERIFY2(page->filesText().contains(QStringLiteral("/s")), qPrintable(page->filesText()));
        verifyBucket("models/full");

        // The Secret carries the keys and KServe's S3 annotations under the plan's Secret name; the
        // ServiceAccount names it.
        kube::Client admin(m_kube->connection(KubeTestServer::kAdminToken, "models"));
        auto secret = admin.get({"v1", "Secret", "models", kSecretName});
        QVERIFY2(secret, secret ? "" : secret.message().c_str());
        const QJsonObject s = jsonOf(secret->json);
        const QJsonObject annotations = s[QStringLiteral("metadata")][QStringLiteral("annotations")].toObject();
        QCOMPARE(annotations[QStringLiteral("serving.kserve.io/s3-endpoint")].toString(),
                 QString::fromStdString(m_s3->endpoint().substr(7)));
        QCOMPARE(annotations[QStringLiteral("serving.kserve.io/s3-usehttps")].toString(), QStringLiteral("0"));
        QCOMPARE(annotations[QStringLiteral("serving.kserve.io/s3-region")].toString(), QStringLiteral("us-east-1"));
        const QJsonObject stringData = s[QStringLiteral("stringData")].toObject();
        const QJsonObject data = s[QStringLiteral("data")].toObject();
        const QString storedKey = stringData.contains(QStringLiteral("AWS_SECRET_ACCESS_KEY"))
                                      ? stringData[QStringLiteral("AWS_SECRET_ACCESS_KEY")].toString()
                                      : QString::fromUtf8(QByteArray::fromBase64(data[QStringLiteral("AWS_SECRET_ACCESS_KEY")].toString().toLatin1()));
        QCOMPARE(storedKey, QString::fromLatin1(S3TestServer::kSecretKey));
        auto account = admin.get({"v1", "ServiceAccount", "models", "deepseek-s3"});
        QVERIFY2(account, account ? "" : account.message().c_str());
        QVERIFY(account->json.find(kSecretName) != std::string::npos);
        auto isvc = admin.get({"serving.kserve.io/v1beta1", "InferenceService", "models", "deepseek-s3"});
        QVERIFY2(isvc, isvc ? "" : isvc.message().c_str());
        QVERIFY2(isvc->json.find("s3://models/models/full") != std::string::npos, isvc->json.c_str());

        // Order on the wire: the Secret and ServiceAccount were applied (not dry run) before the
        // InferenceService.
        const QJsonArray requests = QJsonDocument::fromJson(QByteArray::fromStdString(m_kube->controlGet("requests"))).array();
        int secretAt = -1, isvcAt = -1;
        for (int i = 0; i < requests.size(); ++i) {
            const QJsonObject r = requests[i].toObject();
            if (r[QStringLiteral("method")].toString() != QStringLiteral("PATCH") || r[QStringLiteral("query")].toObject().contains(QStringLiteral("dryRun")))
                continue;
            const QString path = r[QStringLiteral("path")].toString();
            if (secretAt < 0 && path.endsWith(QStringLiteral("/secrets/") + QLatin1String(kSecretName)))
                secretAt = i;
            if (isvcAt < 0 && path.endsWith(QStringLiteral("/inferenceservices/deepseek-s3")))
                isvcAt = i;
        }
        QVERIFY2(secretAt >= 0 && isvcAt > secretAt, qPrintable(QStringLiteral("%1 %2").arg(secretAt).arg(isvcAt)));

        startPredictorPod("deepseek-s3");
        QVERIFY(finished.wait(kWait) || finished.count() == 1);
        QVERIFY(page->stepText().startsWith(QStringLiteral("Done")));
        verifyKeysNotShown(page, QString::fromLatin1(S3TestServer::kAccessKey), QString::fromLatin1(S3TestServer::kSecretKey));
        QVERIFY(page->s3SecretKeyEdit()->text().isEmpty());

        // Every applied manifest, the S3 step's included, passes the schema validator.
        // The S3 step applied the Namespace, the Secret and the ServiceAccount; the Namespace and
        // ServiceAccount are the Review page's own objects, the Secret is the one addition.
        std::vector<deploy::RenderedObject> applied = controller->objects();
        QCOMPARE(controller->s3Objects().size(), std::size_t{3});
        for (const deploy::RenderedObject &o : controller->s3Objects()) {
            const auto same = std::find_if(applied.begin(), applied.end(), [&](const deploy::RenderedObject &a) { return a.fileName == o.fileName; });
            if (o.kind == "Secret") {
                QCOMPARE(o.name, std::string(kSecretName));
                QVERIFY(same == applied.end());
                applied.push_back(o);
            } else {
                QVERIFY2(same != applied.end() && same->yaml == o.yaml, o.fileName.c_str());
            }
        }
        validate(applied, QStringLiteral("deepseek-s3"));
        controller->cancel();
        controller->waitForIdle();
    }

    void cancelledUploadResumesWithTheMissingParts()
    {
        DeployWizard wizard(nullptr, QStringLiteral("/nonexistent"));
        wizard.setClusters(m_clusters.get());
        ClusterDeployPage *page = deployPage(wizard, s3Choices("resumed-s3", "models/resumed"));
        QVERIFY(page);
        ClusterDeployController *controller = page->controller();
        typeKeys(page, QString::fromLatin1(S3TestServer::kAccessKey), QString::fromLatin1(S3TestServer::kSecretKey));
        bool cancelled = false;
        connect(controller, &ClusterDeployController::filesProgress, this, [&](const storage::TransferProgress &p) {
            // Cut once the first part of the weights is in and the second is on its way.
            if (!cancelled && p.currentFile == "zz-extra-weights.safetensors" && p.bytesDone >= p.bytesTotal - m_weights.size() + kPart + (1 << 20)) {
                cancelled = true;
                controller->cancel();
            }
        });
        QSignalSpy failed(controller, &ClusterDeployController::failed);
        m_s3->control("reset");
        page->deploy();
        QVERIFY(failed.wait(kWait));
        QVERIFY2(cancelled, qPrintable(failed.first().at(0).toString()));
        QCOMPARE(controller->step(), ClusterDeployController::Step::Files);
        QVERIFY2(failed.first().at(0).toString().contains(QStringLiteral("resume")), qPrintable(failed.first().at(0).toString()));
        QCOMPARE(object("models/resumed/zz-extra-weights.safetensors"), QByteArray("<missing>"));
        kube::Client admin(m_kube->connection(KubeTestServer::kAdminToken, "models"));
        QVERIFY(!admin.get({"serving.kserve.io/v1beta1", "InferenceService", "models", "resumed-s3"}).ok());

        // Deploy again with the kept keys (no new entry): only the missing parts go out.
        QVERIFY(controller->hasS3Credentials());
        m_s3->control("reset");
        std::vector<storage::TransferProgress> seen;
        connect(controller, &ClusterDeployController::filesProgress, this,
                [&](const storage::TransferProgress &p) { seen.push_back(p); });
        page->deploy();
        QTRY_COMPARE_WITH_TIMEOUT(controller->step(), ClusterDeployController::Step::Rollout, kWait);
        QVERIFY2(page->errorText().isEmpty(), qPrintable(page->errorText()));
        const QJsonObject stats = QJsonDocument::fromJson(QByteArray::fromStdString(m_s3->stats())).object();
        int puts = 0;
        qint64 bytes = 0;
        int smallerFiles = 0;
        for (const QJsonValue &v : stats[QStringLiteral("requests")].toArray()) {
            const QJsonObject r = v.toObject();
            if (r[QStringLiteral("method")].toString() != QStringLiteral("PUT"))
                continue;
            if (r[QStringLiteral("path")].toString() == QStringLiteral("/models/models/resumed/zz-extra-weights.safetensors")) {
                ++puts;
                bytes += r[QStringLiteral("bytes")].toInteger();
                QVERIFY(r[QStringLiteral("query")].toObject()[QStringLiteral("partNumber")].toString().toInt() >= 2);
            } else {
                ++smallerFiles;
            }
        }
        QVERIFY2(puts >= 1 && puts <= 2, qPrintable(QString::number(puts)));
        QCOMPARE(bytes, qint64(m_weights.size()) - (3 - puts) * kPart);
        QCOMPARE(smallerFiles, 0); // the small files were all in before the cut
        QVERIFY(!seen.empty());
        QVERIFY(seen.back().bytesSkipped >= kPart);
        QVERIFY2(page->findChild<QPlainTextEdit *>(QStringLiteral("clusterNotices"))->toPlainText().contains(QStringLiteral("resumed")),
                 qPrintable(page->findChild<QPlainTextEdit *>(QStringLiteral("clusterNotices"))->toPlainText()));
        verifyBucket("models/resumed");
        QVERIFY(admin.get({"serving.kserve.io/v1beta1", "InferenceService", "models", "resumed-s3"}).ok());
        controller->cancel();
        controller->waitForIdle();
    }
};

QTEST_MAIN(TestClusterDeployS3)
#include "test_cluster_deploy_s3.moc"
