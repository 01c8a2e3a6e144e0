// Workloads' cluster rows against the Kubernetes API test server over HTTPS, offscreen: the
// deployments Slipway and the OpenShift AI dashboard made are listed with their replicas, scaled
// and undeployed; a deployment's pod logs are followed into the Logs panel (new lines arrive as
// the pod writes them); the Chat panel talks to the deployment through the API server's service
// proxy with the user's token and the cluster CA, and never shows the token.
#include "kube_test_server.h"

#include "chat/chat_panel.h"
#include "deploy/deployment_plan.h"
#include "deploy/render.h"
#include "kube/apply_plan.h"
#include "logs/log_model.h"
#include "logs/log_source_model.h"
#include "logs/logs_panel.h"
#include "workloads/cluster_workloads.h"
#include "workloads/workloads_model.h"
#include "workloads/workloads_panel.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include <memory>

using namespace slipway;
using namespace slipway::ui;
using slipway::testing::KubeTestServer;

namespace {

constexpr int kWait = 15000;
constexpr const char *kUserToken = "sha256~WorkloadsUserToken42424242";

} // namespace

class TestClusterWorkloads final : public QObject {
    Q_OBJECT

    std::unique_ptr<KubeTestServer> m_server;
    std::shared_ptr<kube::Client> m_client;
    std::unique_ptr<WorkloadsModel> m_model;
    std::unique_ptr<LogSourceModel> m_logs;
    std::unique_ptr<ClusterWorkloads> m_workloads;
    QString m_qwen;

    void control(const std::string &path, const std::string &json)
    {
        const std::string reply = m_server->control(path, json);
        QVERIFY2(reply.rfind("ERROR", 0) != 0 && reply.find("\"ok\":false") == std::string::npos, reply.c_str());
    }
    void refresh()
    {
        QSignalSpy refreshed(m_workloads.get(), &ClusterWorkloads::refreshed);
        m_workloads->refresh();
        QVERIFY(refreshed.wait(kWait));
    }

private slots:
    void initTestCase()
    {
        m_server = std::make_unique<KubeTestServer>();
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        control("tokens", std::string("{\"token\": \"") + kUserToken + "\", \"user\": \"ops\"}");
        m_client = std::make_shared<kube::Client>(m_server->connection(kUserToken, "models"));

        deploy::DeploymentPlan plan;
        plan.name = "qwen";
        plan.namespaceName = "models";
        plan.createNamespace = true;
        plan.modelId = "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B";
        auto objects = deploy::render(plan);
        QVERIFY(objects.ok());
        auto applied = kube::applyObjects(*m_client, *objects, {"models", false, "slipway"});
        QVERIFY2(applied.ok() && applied->applied, applied.ok() ? "" : applied.message().c_str());
        control("objects", "{\"objects\": [{\"apiVersion\": \"serving.kserve.io/v1beta1\", \"kind\": \"InferenceService\","
                           " \"metadata\": {\"name\": \"granite\", \"namespace\": \"models\", \"labels\": {\"opendatahub.io/dashboard\": \"true\"}},"
                           " \"spec\": {\"predictor\": {\"minReplicas\": 1, \"model\": {\"runtime\": \"granite\", \"storageUri\": \"s3://models/granite\"}}}}]}");

        m_model = std::make_unique<WorkloadsModel>();
        m_logs = std::make_unique<LogSourceModel>(10000);
        m_workloads = std::make_unique<ClusterWorkloads>(m_model.get(), m_logs.get());
        QSignalSpy refreshed(m_workloads.get(), &ClusterWorkloads::refreshed);
        m_workloads->setClient(m_client, QStringLiteral("test"));
        QVERIFY(refreshed.wait(kWait));
        m_qwen = QStringLiteral("cluster:models/qwen/deployment");
    }
    void cleanupTestCase()
    {
        m_workloads.reset();
    }

    void listsSlipwayAndDashboardDeployments()
    {
        const int qwen = m_model->rowOf(m_qwen);
        QVERIFY2(qwen >= 0, qPrintable(QString::number(m_model->rowCount())));
        const Workload &w = m_model->workload(qwen);
        QVERIFY(w.cluster);
        QCOMPARE(w.name, QStringLiteral("qwen"));
        QCOMPARE(w.target, QStringLiteral("test / models"));
        QCOMPARE(w.replicas, 1);
        QCOMPARE(w.state, WorkloadState::Starting); // no pod is ready yet
        QVERIFY(w.detail.contains(QStringLiteral("Slipway")));
        const int granite = m_model->rowOf(QStringLiteral("cluster:models/granite/kserve"));
        QVERIFY(granite >= 0);
        QVERIFY(m_model->workload(granite).detail.contains(QStringLiteral("OpenShift AI")));
        QCOMPARE(m_model->workload(granite).modelPath, QStringLiteral("s3://models/granite"));

        // The panel shows the cluster actions for a cluster row.
        WorkloadsPanel panel(m_model.get());
        panel.show();
        panel.selectWorkload(m_qwen);
        QVERIFY(panel.scaleButton()->isVisibleTo(&panel));
        QVERIFY(!panel.startButton()->isVisibleTo(&panel));
        QCOMPARE(panel.replicasSpin()->value(), 1);
    }

    void scalesFromThePanel()
    {
        WorkloadsPanel panel(m_model.get());
        connect(&panel, &WorkloadsPanel::scaleRequested, m_workloads.get(), [this](const QString &id, int n) { m_workloads->scale(id, n); });
        panel.selectWorkload(m_qwen);
        panel.replicasSpin()->setValue(2);
        QSignalSpy scaled(m_workloads.get(), &ClusterWorkloads::scaled);
        QSignalSpy refreshed(m_workloads.get(), &ClusterWorkloads::refreshed);
        panel.scaleButton()->click();
        QVERIFY(scaled.wait(kWait));
        QCOMPARE(scaled.first().at(1).toInt(), 2);
        QVERIFY(refreshed.wait(kWait));
        QCOMPARE(m_model->workload(m_model->rowOf(m_qwen)).replicas, 2);
        auto deployment = m_client->get({"apps/v1", "Deployment", "models", "qwen"});
        QVERIFY(deployment.ok());
        QCOMPARE(QJsonDocument::fromJson(QByteArray::fromStdString(deployment->json)).object()
                     .value("spec").toObject().value("replicas").toInt(), 2);
    }

    void followsPodLogsIntoTheLogsPanel()
    {
        control("pods", "{\"namespace\": \"models\", \"name\": \"qwen-5c8d-x1\", \"containers\": [\"server\"], \"labels\":"
                        " {\"app.kubernetes.io/instance\": \"qwen\", \"app.kubernetes.io/component\": \"inference-server\"}, \"state\": \"Running\"}");
        control("logs", "{\"namespace\": \"models\", \"pod\": \"qwen-5c8d-x1\", \"container\": \"server\","
                        " \"lines\": [\"loading weights\", \"server started on 0.0.0.0:8000\"]}");
        LogsPanel logs(m_logs.get());
        QSignalSpy started(m_workloads.get(), &ClusterWorkloads::logsStarted);
        ClusterLogRequest request;
        request.tailLines = 100;
        m_workloads->followLogs(m_qwen, request);
        QCOMPARE(started.count(), 1);
        const QString source = started.first().at(0).toString();
        logs.setCurrentSource(source);
        LogModel *model = logs.currentModel();
        QVERIFY(model);
        const auto has = [&](const QString &text) {
            for (int row = 0; row < model->rowCount(); ++row)
                if (model->lineAt(row).text == text)
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(has(QStringLiteral("[qwen-5c8d-x1] server started on 0.0.0.0:8000")), kWait);
        // Followed, not polled: a new line arrives while the stream is open.
        control("logs", "{\"namespace\": \"models\", \"pod\": \"qwen-5c8d-x1\", \"container\": \"server\", \"lines\": [\"POST /v1/chat/completions 200\"]}");
        QTRY_VERIFY_WITH_TIMEOUT(has(QStringLiteral("[qwen-5c8d-x1] POST /v1/chat/completions 200")), kWait);
        m_workloads->stopLogs(m_qwen);
    }

    void chatsThroughTheServiceProxy()
    {
        control("proxy", "{\"namespace\": \"models\", \"kind\": \"services\", \"name\": \"qwen\", \"reply\": {\"status\": 200,"
                         " \"contentType\": \"application/json\", \"body\": {\"object\": \"list\", \"data\": [{\"id\": \"deepseek-r1-qwen\", \"object\": \"model\"}]}}}");
        QSignalSpy found(m_workloads.get(), &ClusterWorkloads::endpointFound);
        m_workloads->findEndpoint(m_qwen);
        QVERIFY(found.wait(kWait));
        const auto endpoint = found.first().at(0).value<ClusterEndpoint>();
        QVERIFY(endpoint.viaProxy);
        QVERIFY2(endpoint.baseUrl.startsWith(QString::fromStdString(m_server->server()) +
                                             QStringLiteral("/api/v1/namespaces/models/services/qwen:")),
                 qPrintable(endpoint.baseUrl));
        QCOMPARE(endpoint.bearerToken, QString::fromLatin1(kUserToken));
        QVERIFY(!endpoint.tls.caData.empty() || !endpoint.tls.caFile.empty());

        ChatPanel chat;
        QSignalSpy models(&chat, &ChatPanel::modelsRefreshed);
        chat.setEndpoint(endpoint.baseUrl, endpoint.bearerToken, QString(), endpoint.tls);
        QVERIFY(models.wait(kWait));
        QCOMPARE(models.first().at(0).toStringList(), QStringList{QStringLiteral("deepseek-r1-qwen")});
        // The API server saw the user's token on the proxy request.
        const std::string requests = m_server->controlGet("requests");
        QVERIFY(requests.find("/services/qwen:") != std::string::npos);
        // The token is never readable on screen.
        for (QLineEdit *edit : chat.findChildren<QLineEdit *>()) {
            QVERIFY(!edit->displayText().contains(QString::fromLatin1(kUserToken)));
            if (edit->text() == QString::fromLatin1(kUserToken))
                QCOMPARE(edit->echoMode(), QLineEdit::Password);
        }
    }

    void undeploysEveryObject()
    {
        QSignalSpy undeployed(m_workloads.get(), &ClusterWorkloads::undeployed);
        QSignalSpy refreshed(m_workloads.get(), &ClusterWorkloads::refreshed);
        m_workloads->undeploy(m_qwen);
        QVERIFY(undeployed.wait(kWait));
        QVERIFY(refreshed.wait(kWait));
        QCOMPARE(m_model->rowOf(m_qwen), -1);
        QVERIFY(!m_client->get({"apps/v1", "Deployment", "models", "qwen"}).ok());
        QVERIFY(!m_client->get({"v1", "Service", "models", "qwen"}).ok());
        // The model's volume stays.
        QVERIFY(m_client->get({"v1", "PersistentVolumeClaim", "models", "qwen-models"}).ok() ||
                m_client->list("v1", "PersistentVolumeClaim", "models").value().items.size() >= 1);
        QVERIFY(m_model->rowOf(QStringLiteral("cluster:models/granite/kserve")) >= 0);
    }
};

QTEST_MAIN(TestClusterWorkloads)
#include "test_cluster_workloads.moc"
