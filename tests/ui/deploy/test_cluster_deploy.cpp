// The Deploy wizard's Cluster target against the Kubernetes API test server over HTTPS, offscreen:
// the Target page lists the Clusters panel's contexts; Deploy runs the preflight (a failure shown
// with its fix, and "deploy anyway"), the server-side apply (dry run first, every object created)
// and the rollout until the pod is Running and Ready; a token that expires mid-flow asks to log in
// again and the apply resumes; the model folder copy to the PVC, cancelled half way, resumes and
// sends only what is missing. Every applied manifest passes the schema validator.
#include "kube_test_server.h"
#include "wizard_test_support.h"

#include "clusters/clusters_panel.h"
#include "clusters/context_table_model.h"
#include "clusters/login_form.h"
#include "clusters/preflight_model.h"
#include "deploy/cluster_deploy_controller.h"
#include "deploy/cluster_deploy_models.h"
#include "deploy/cluster_deploy_page.h"
#include "deploy/deploy_wizard.h"
#include "deploy/names.h"
#include "storage/pvc_upload.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace slipway;
using namespace slipway::ui;
using slipway::testing::KubeTestServer;

namespace {

constexpr int kWait = 20000;

DeployChoices clusterChoices(const std::string &name)
{
    DeployChoices c;
    c.target = DeployTarget::Cluster;
    c.sizing.model = {ModelSource::Kind::Catalog, QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B")};
    c.sizing.gpuName = QStringLiteral("H100");
    c.sizing.contextLength = 8192;
    c.plan.mode = deploy::Mode::Deployment;
    c.plan.runtime = deploy::Runtime::SGLang;
    c.plan.storage = deploy::Storage::Pvc;
    c.plan.name = name;
    c.plan.namespaceName = "models";
    c.plan.createNamespace = true;
    return c;
}

} // namespace

class TestClusterDeploy final : public QObject {
    Q_OBJECT

    std::unique_ptr<KubeTestServer> m_server;
    std::unique_ptr<ClustersPanel> m_clusters;
    QTemporaryDir m_dir;

    void control(const std::string &path, const std::string &json)
    {
        const std::string reply = m_server->control(path, json);
        QVERIFY2(reply.rfind("ERROR", 0) != 0 && reply.find("\"ok\":false") == std::string::npos, reply.c_str());
    }
    void connectWithToken(ClustersPanel *clusters, const std::string &token)
    {
        clusters->loginForm()->setServer(QString::fromStdString(m_server->server()));
        clusters->loginForm()->setCaFile(m_server->caFile());
        clusters->loginForm()->setNamespace(QStringLiteral("models"));
        clusters->loginForm()->setToken(QString::fromStdString(token));
        QSignalSpy connected(clusters, &ClustersPanel::connectedChanged);
        clusters->connectWithToken();
        QVERIFY(QTest::qWaitFor([&] { return !connected.isEmpty() && connected.last().at(0).toBool(); }, kWait));
    }
    // Walks `wizard` to the cluster deploy page.
    ClusterDeployPage *deployPage(DeployWizard &wizard, const DeployChoices &choices)
    {
        wizard.setChoices(choices);
        test::walkTo(wizard, DeployWizard::ReviewPageId);
        if (!QTest::qWaitFor([&] { return wizard.currentPage()->isComplete(); }, kWait))
            return nullptr;
        wizard.next();
        if (wizard.currentId() != DeployWizard::ClusterDeployPageId)
            return nullptr;
        return static_cast<ClusterDeployPage *>(wizard.currentPage());
    }
    // A pod of the deployment, as the Deployment's ReplicaSet would make it.
    void startServerPod(const std::string &name, const std::string &state = "Running")
    {
        control("pods", "{\"namespace\": \"models\", \"name\": \"" + name + "-7d9f-abcde\", \"containers\": [\"server\"],"
                        " \"labels\": {\"app.kubernetes.io/instance\": \"" + name + "\", \"app.kubernetes.io/component\": "
                        "\"inference-server\"}, \"state\": \"" + state + "\"}");
    }
    void validate(const std::vector<deploy::RenderedObject> &objects, const QString &name)
    {
        test::validateManifests(objects, m_dir.filePath(name));
    }

private slots:
    void initTestCase()
    {
        m_server = std::make_unique<KubeTestServer>();
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        m_clusters = std::make_unique<ClustersPanel>();
        connectWithToken(m_clusters.get(), KubeTestServer::kAdminToken);
    }
    void cleanupTestCase()
    {
        m_clusters.reset();
    }

    void targetPageListsTheClustersContexts()
    {
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("config"));
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray::fromStdString("apiVersion: v1\nkind: Config\ncurrent-context: prod\nclusters:\n- name: c\n  cluster:\n"
                                             "    server: " + m_server->server() + "\n    certificate-authority: " +
                                             m_server->caFile().toStdString() + "\nusers:\n- name: u\n  user:\n    token: admin-token\n"
                                             "contexts:\n- name: prod\n  context:\n    cluster: c\n    user: u\n- name: lab\n  context:\n"
                                             "    cluster: c\n    user: u\n"));
        file.close();
        ClustersPanel clusters;
        QCOMPARE(clusters.loadKubeconfig({config.toStdString()}), QString());
        DeployWizard wizard(nullptr, QStringLiteral("/nonexistent"));
        wizard.setClusters(&clusters);
        wizard.setChoices(clusterChoices("listing"));
        test::walkTo(wizard, DeployWizard::TargetPageId);
        auto *box = wizard.currentPage()->findChild<QComboBox *>(QStringLiteral("clusterContext"));
        QVERIFY(box);
        QCOMPARE(box->count(), 2);
        QCOMPARE(box->currentText(), QStringLiteral("prod"));
        // Choosing a context connects the Clusters panel to it.
        QSignalSpy connected(&clusters, &ClustersPanel::connectedChanged);
        const int lab = box->findText(QStringLiteral("lab"));
        box->setCurrentIndex(lab);
        emit box->activated(lab);
        QVERIFY(QTest::qWaitFor([&] { return !connected.isEmpty() && connected.last().at(0).toBool(); }, kWait));
        QCOMPARE(clusters.connectedContext(), QStringLiteral("lab"));
    }

    void preflightFailureIsExplainedWithItsFix()
    {
        // The cluster has no GPU nodes yet.
        DeployWizard wizard(nullptr, QStringLiteral("/nonexistent"));
        wizard.setClusters(m_clusters.get());
        ClusterDeployPage *page = deployPage(wizard, clusterChoices("nogpu"));
        QVERIFY(page);
        QSignalSpy preflight(page->controller(), &ClusterDeployController::preflightFinished);
        page->deploy();
        QVERIFY(preflight.wait(kWait));
        QCOMPARE(preflight.first().at(0).toBool(), false);
        PreflightModel *model = page->preflightModel();
        const QModelIndex gpus = model->index(model->rowOf(QStringLiteral("gpu-nodes")));
        QCOMPARE(gpus.data(PreflightModel::StatusRole).toInt(), int(kube::CheckStatus::Fail));
        QVERIFY2(gpus.data().toString().contains(QStringLiteral("Fix: ")), qPrintable(gpus.data().toString()));
        QVERIFY(page->continueButton()->isVisibleTo(page));
        QVERIFY2(page->stepText().contains(QStringLiteral("fix")), qPrintable(page->stepText()));
        // Nothing was applied.
        QVERIFY(!kube::Client(m_server->connection(KubeTestServer::kAdminToken, "models")).get({"apps/v1", "Deployment", "models", "nogpu"}).ok());
        QVERIFY(page->isComplete());
    }

    void deploysEndToEndUntilThePodIsReady()
    {
        control("nodes", "{\"nodes\": [{\"name\": \"gpu-a\", \"gpus\": 8, \"product\": \"NVIDIA-H100-80GB-HBM3\", \"memoryMiB\": 81559}]}");
        control("objects", "{\"objects\": ["
                           "{\"apiVersion\": \"apps/v1\", \"kind\": \"DaemonSet\", \"metadata\": {\"name\": \"nvidia-device-plugin-daemonset\", \"namespace\": \"nvidia-gpu-operator\"}},"
                           "{\"apiVersion\": \"apps/v1\", \"kind\": \"DaemonSet\", \"metadata\": {\"name\": \"nvidia-dcgm-exporter\", \"namespace\": \"nvidia-gpu-operator\"}},"
                           "{\"apiVersion\": \"storage.k8s.io/v1\", \"kind\": \"StorageClass\", \"metadata\": {\"name\": \"cephfs\","
                           " \"annotations\": {\"storageclass.kubernetes.io/is-default-class\": \"true\"}}, \"provisioner\": \"openshift-storage.cephfs.csi.ceph.com\"}]}");
        DeployWizard wizard(nullptr, QStringLiteral("/nonexistent"));
        wizard.setClusters(m_clusters.get());
        ClusterDeployPage *page = deployPage(wizard, clusterChoices("deepseek"));
        QVERIFY(page);
        ClusterDeployController *controller = page->controller();
        QSignalSpy finished(controller, &ClusterDeployController::finished);
        QSignalSpy preflight(controller, &ClusterDeployController::preflightFinished);
        page->deploy();
        QVERIFY(preflight.wait(kWait));
        const kube::PreflightReport report = controller->preflight();
        QVERIFY2(preflight.first().at(0).toBool(), report.failures().empty() ? "" : report.failures().front()->detail.c_str());
        QTRY_COMPARE_WITH_TIMEOUT(controller->step(), ClusterDeployController::Step::Rollout, kWait);
        QVERIFY(!page->isComplete()); // the rollout is being watched

        // Every object went through the dry run, then was created.
        ApplyObjectsModel *apply = page->applyModel();
        QVERIFY(apply->rowCount() >= 5);
        for (int row = 0; row < apply->rowCount(); ++row) {
            QCOMPARE(apply->state(row, ApplyObjectsModel::DryRunColumn), ApplyObjectsModel::State::Passed);
            const auto applied = apply->state(row, ApplyObjectsModel::ApplyColumn);
            QVERIFY(applied == ApplyObjectsModel::State::Created || applied == ApplyObjectsModel::State::Configured);
        }
        QCOMPARE(apply->state(apply->rowOf(QStringLiteral("Deployment"), QStringLiteral("deepseek")), ApplyObjectsModel::ApplyColumn),
                 ApplyObjectsModel::State::Created);
        kube::Client admin(m_server->connection(KubeTestServer::kAdminToken, "models"));
        QVERIFY(admin.get({"apps/v1", "Deployment", "models", "deepseek"}).ok());

        // The ReplicaSet's pod comes up.
        startServerPod("deepseek", "ContainerCreating");
        QTRY_VERIFY_WITH_TIMEOUT(page->rolloutModel()->rowCount() == 1, kWait);
        startServerPod("deepseek");
        QVERIFY(finished.wait(kWait) || finished.count() == 1);
        RolloutModel *rollout = page->rolloutModel();
        QCOMPARE(rollout->index(0, RolloutModel::PhaseColumn).data().toString(), QStringLiteral("Running"));
        QCOMPARE(rollout->index(0, RolloutModel::ReadyColumn).data().toString(), QStringLiteral("ready"));
        QCOMPARE(controller->rollout().phase, kube::RolloutPhase::Ready);
        QVERIFY(page->stepText().startsWith(QStringLiteral("Done")));
        QVERIFY(page->isComplete());

        validate(controller->objects(), QStringLiteral("deepseek"));
        page->resize(1200, 1100);
        QDir().mkpath(QStringLiteral(SLIPWAY_BINARY_DIR "/screenshots"));
        QVERIFY(page->grab().save(QStringLiteral(SLIPWAY_BINARY_DIR "/screenshots/deploy_cluster_rollout.png")));
    }

    void expiredTokenMidFlowAsksToLogInAndResumes()
    {
        const std::string first = "sha256~DeployFlowToken0000000000000000";
        const std::string fresh = "sha256~DeployFlowFresh1111111111111111";
        control("tokens", "{\"token\": \"" + first + "\", \"user\": \"ops\"}");
        control("tokens", "{\"token\": \"" + fresh + "\", \"user\": \"ops\"}");
        ClustersPanel clusters;
        connectWithToken(&clusters, first);

        DeployWizard wizard(nullptr, QStringLiteral("/nonexistent"));
        wizard.setClusters(&clusters);
        ClusterDeployPage *page = deployPage(wizard, clusterChoices("resumed"));
        QVERIFY(page);
        ClusterDeployController *controller = page->controller();
        // The token expires right after the preflight, before the apply.
        connect(controller, &ClusterDeployController::preflightFinished, this,
                [&] { control("expire", "{\"token\": \"" + first + "\"}"); });
        QSignalSpy relogin(controller, &ClusterDeployController::reloginNeeded);
        QSignalSpy finished(controller, &ClusterDeployController::finished);
        page->deploy();
        QVERIFY(relogin.wait(kWait));
        QCOMPARE(controller->step(), ClusterDeployController::Step::Apply);
        QVERIFY(page->reloginVisible());
        QVERIFY(page->stepText().contains(QStringLiteral("Log in again")));
        kube::Client admin(m_server->connection(KubeTestServer::kAdminToken, "models"));
        QVERIFY(!admin.get({"apps/v1", "Deployment", "models", "resumed"}).ok());

        page->reloginForm()->setToken(QString::fromStdString(fresh));
        emit page->reloginForm()->submitted();
        QVERIFY(!page->reloginVisible());
        QVERIFY(page->reloginForm()->tokenEdit()->text().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(controller->step(), ClusterDeployController::Step::Rollout, kWait);
        QVERIFY(admin.get({"apps/v1", "Deployment", "models", "resumed"}).ok());
        startServerPod("resumed");
        QVERIFY(finished.wait(kWait) || finished.count() == 1);
        // The token is nowhere on the page.
        for (QWidget *w : page->findChildren<QWidget *>())
            if (auto *label = qobject_cast<QLabel *>(w))
                QVERIFY(!label->text().contains(QString::fromStdString(fresh)));
    }

    void modelUploadCancelledHalfWayResumes()
    {
        // A model folder: the tiny test model plus 64 MiB of extra weights, so the copy takes a while.
        const QString folder = m_dir.filePath(QStringLiteral("model"));
        QDir().mkpath(folder);
        for (const QFileInfo &f : QDir(test::tinyModelFolder()).entryInfoList(QDir::Files))
            QVERIFY(QFile::copy(f.filePath(), folder + QLatin1Char('/') + f.fileName()));
        for (int i = 0; i < 4; ++i) {
            QFile extra(folder + QStringLiteral("/extra-%1.bin").arg(i));
            QVERIFY(extra.open(QIODevice::WriteOnly));
            QByteArray block(1 << 20, char('a' + i));
            for (int mb = 0; mb < 16; ++mb)
                extra.write(block);
        }
        const QString podRoot = m_dir.filePath(QStringLiteral("pod-root"));
        QDir().mkpath(podRoot);

        DeployChoices choices = clusterChoices("upload");
        choices.sizing.model = {ModelSource::Kind::Folder, folder};
        choices.sizing.customGpu = false;
        DeployWizard wizard(nullptr, QStringLiteral("/nonexistent"));
        wizard.setClusters(m_clusters.get());
        ClusterDeployPage *page = deployPage(wizard, choices);
        QVERIFY(page);
        ClusterDeployController *controller = page->controller();
        const std::string loader = deploy::objectNames(wizard.planBuild()->plan).loaderPod;
        // The loader pod runs once applied (the test plays the kubelet), its filesystem a folder here.
        connect(controller, &ClusterDeployController::notice, this, [&](const QString &text) {
            if (!text.contains(QStringLiteral("Waiting for the loader pod")))
                return;
            // Its filesystem first: the controller execs into the pod as soon as it sees it Running.
            control("exec/root", "{\"namespace\": \"models\", \"pod\": \"" + loader + "\", \"root\": \"" + podRoot.toStdString() + "\"}");
            control("pods", "{\"namespace\": \"models\", \"name\": \"" + loader + "\", \"containers\": [\"loader\"], \"state\": \"Running\"}");
        });
        bool cancelled = false;
        connect(controller, &ClusterDeployController::filesProgress, this, [&](const storage::TransferProgress &p) {
            if (!cancelled && p.phase == "uploading" && p.filesDone >= 1 && p.bytesDone < p.bytesTotal) {
                cancelled = true;
                controller->cancel();
            }
        });
        QSignalSpy failed(controller, &ClusterDeployController::failed);
        page->deploy();
        QVERIFY(failed.wait(kWait));
        QVERIFY2(cancelled, qPrintable(failed.first().at(0).toString()));
        QCOMPARE(controller->step(), ClusterDeployController::Step::Files);
        QVERIFY2(failed.first().at(0).toString().contains(QStringLiteral("cancel")), qPrintable(failed.first().at(0).toString()));

        // Deploy again: the files already on the volume are not sent again.
        page->deploy();
        QTRY_COMPARE_WITH_TIMEOUT(controller->step(), ClusterDeployController::Step::Rollout, kWait);
        QVERIFY2(page->filesText().contains(QStringLiteral("already there")), qPrintable(page->filesText()));
        const auto targets = storage::loaderTargets(wizard.planBuild()->plan);
        QVERIFY(targets.ok() && targets->size() == 1);
        for (const QFileInfo &f : QDir(folder).entryInfoList(QDir::Files)) {
            const QFileInfo copied(podRoot + QString::fromStdString(targets->front().directory) + QLatin1Char('/') + f.fileName());
            QVERIFY2(copied.exists() && copied.size() == f.size(), qPrintable(copied.filePath()));
        }
        controller->cancel();
        controller->waitForIdle();
    }
};

QTEST_MAIN(TestClusterDeploy)
#include "test_cluster_deploy.moc"
