// Applying a rendered plan against the Kubernetes API test server: a server-side dry run of every
// object before anything is stored, per-object progress, a conflict with another field manager
// named and then taken over with force, scaling, the list of Slipway and OpenShift AI dashboard
// deployments, and undeploy removing every object of the deployment.
#include "kube_test_server.h"

#include "deploy/deployment_plan.h"
#include "deploy/render.h"
#include "kube/apply_plan.h"
#include "kube/client.h"
#include "kube/deployments.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <memory>

using namespace slipway;
using namespace slipway::kube;
using slipway::testing::KubeTestServer;

#define VERIFY_OK(expr)                                                                                    \
    do {                                                                                                   \
        const auto &result_ = (expr);                                                                      \
        QVERIFY2(result_.ok(), result_.ok() ? "" : result_.message().c_str());                             \
    } while (false)

namespace {

deploy::DeploymentPlan plan(const std::string &name)
{
    deploy::DeploymentPlan p;
    p.name = name;
    p.namespaceName = "models";
    p.createNamespace = true;
    p.modelId = "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B";
    p.storage = deploy::Storage::Pvc;
    return p;
}

} // namespace

class TestKubeApply final : public QObject {
    Q_OBJECT

    std::unique_ptr<KubeTestServer> m_server;
    std::unique_ptr<Client> m_client;

    std::vector<deploy::RenderedObject> render(const deploy::DeploymentPlan &p)
    {
        auto objects = deploy::render(p);
        if (!objects)
            qWarning("render: %s", objects.message().c_str());
        return objects ? objects.value() : std::vector<deploy::RenderedObject>{};
    }
    QJsonArray requests()
    {
        return QJsonDocument::fromJson(QByteArray::fromStdString(m_server->controlGet("requests"))).array();
    }

private slots:
    void initTestCase()
    {
        m_server = std::make_unique<KubeTestServer>();
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        m_client = std::make_unique<Client>(m_server->connection(KubeTestServer::kAdminToken, "models"));
    }

    void dryRunsEverythingThenAppliesInOrder()
    {
        const auto objects = render(plan("deepseek"));
        QVERIFY(objects.size() >= 6);
        std::vector<ApplyProgress> seen;
        auto result = applyObjects(*m_client, objects, {"models", false, "slipway"},
                                   [&](const ApplyProgress &p) { seen.push_back(p); });
        VERIFY_OK(result);
        QVERIFY(result->applied);
        QVERIFY(result->conflicts.empty());
        QCOMPARE(result->created + result->configured, int(objects.size()));
        QCOMPARE(seen.size(), objects.size() * 2);
        for (size_t i = 0; i < objects.size(); ++i) {
            QCOMPARE(seen[i].stage, ApplyStage::DryRun);
            QCOMPARE(seen[i].name, objects[i].name);
            QCOMPARE(seen[objects.size() + i].stage, ApplyStage::Applied);
            QCOMPARE(seen[objects.size() + i].kind, objects[i].kind);
            QCOMPARE(seen[objects.size() + i].total, int(objects.size()));
        }
        // On the wire: every object's dry run (dryRun=All, fieldManager=slipway) came before the
        // first real apply of a namespaced object.
        int firstReal = -1, lastDry = -1, index = 0;
        for (const QJsonValue &v : requests()) {
            const QJsonObject r = v.toObject();
            if (r.value("method").toString() == "PATCH" && r.value("contentType").toString() == "application/apply-patch+yaml") {
                QCOMPARE(r.value("query").toObject().value("fieldManager").toString(), QString("slipway"));
                const bool dry = r.value("query").toObject().value("dryRun").toString() == "All";
                if (dry)
                    lastDry = index;
                else if (firstReal < 0 && r.value("path").toString().contains("/namespaces/models/"))
                    firstReal = index;
            }
            ++index;
        }
        QVERIFY2(lastDry >= 0 && firstReal > lastDry, m_server->controlGet("requests").substr(0, 3000).c_str());
        for (const auto &o : objects)
            if (o.kind == "Deployment")
                VERIFY_OK(m_client->get({"apps/v1", "Deployment", "models", o.name}));
    }

    void dryRunFailureStoresNothing()
    {
        auto objects = render(plan("broken"));
        // An object the server rejects (an invalid name) after valid ones.
        objects.push_back({"ConfigMap", "Bad_Name", "99-bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n  namespace: models\n"});
        auto result = applyObjects(*m_client, objects, {"models", false, "slipway"});
        QVERIFY(!result.ok());
        QVERIFY2(result.message().find("dry run rejected ConfigMap Bad_Name") != std::string::npos, result.message().c_str());
        QVERIFY(!m_client->get({"apps/v1", "Deployment", "models", "broken"}).ok());
    }

    void conflictNamesTheManagerAndForceTakesOver()
    {
        deploy::DeploymentPlan p = plan("deepseek");
        // Someone scaled it with kubectl (another field manager now owns spec.replicas).
        ApplyOptions other;
        other.fieldManager = "kubectl-edit";
        other.force = true;
        VERIFY_OK(m_client->apply("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: deepseek\n  namespace: models\nspec:\n  replicas: 3\n", other));

        p.replicas = 2;
        p.rwx = true; // two replicas share the model volume
        const auto objects = render(p);
        QVERIFY(!objects.empty());
        auto result = applyObjects(*m_client, objects, {"models", false, "slipway"});
        VERIFY_OK(result);
        QVERIFY(!result->applied);
        QCOMPARE(result->conflicts.size(), size_t(1));
        QCOMPARE(result->conflicts[0].kind, std::string("Deployment"));
        QCOMPARE(result->conflicts[0].managers, std::vector<std::string>{"kubectl-edit"});
        QVERIFY(result->conflicts[0].message.find("spec.replicas") != std::string::npos);
        auto unchanged = m_client->get({"apps/v1", "Deployment", "models", "deepseek"});
        QVERIFY(unchanged->json.find("\"replicas\":3") != std::string::npos);

        auto forced = applyObjects(*m_client, objects, {"models", true, "slipway"});
        VERIFY_OK(forced);
        QVERIFY(forced->applied);
        auto taken = m_client->get({"apps/v1", "Deployment", "models", "deepseek"});
        QVERIFY2(taken->json.find("\"replicas\":2") != std::string::npos, taken->json.c_str());
    }

    void listsSlipwayAndDashboardDeploymentsAndScales()
    {
        VERIFY_OK(m_client->apply(
            "apiVersion: serving.kserve.io/v1alpha1\nkind: ServingRuntime\nmetadata:\n  name: sglang-rt\n  namespace: models\n"
            "  labels:\n    opendatahub.io/dashboard: \"true\"\nspec:\n  containers:\n  - name: kserve-container\n    image: lmsysorg/sglang:latest\n"));
        VERIFY_OK(m_client->apply(
            "apiVersion: serving.kserve.io/v1alpha1\nkind: ServingRuntime\nmetadata:\n  name: unused-rt\n  namespace: models\n"
            "  labels:\n    opendatahub.io/dashboard: \"true\"\nspec:\n  containers:\n  - name: kserve-container\n    image: x\n"));
        VERIFY_OK(m_client->apply(
            "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: qwen-dash\n  namespace: models\n"
            "  labels:\n    opendatahub.io/dashboard: \"true\"\nspec:\n  predictor:\n    minReplicas: 1\n    model:\n"
            "      runtime: sglang-rt\n      storageUri: s3://models/qwen\n      modelFormat:\n        name: pytorch\n"));
        auto list = listDeployments(*m_client, "models");
        VERIFY_OK(list);
        std::map<std::string, DeploymentInfo> byName;
        for (const DeploymentInfo &d : list.value())
            byName[d.name] = d;
        QVERIFY(byName.count("deepseek"));
        QCOMPARE(byName["deepseek"].origin, DeploymentOrigin::Slipway);
        QCOMPARE(byName["deepseek"].mode, std::string("deployment"));
        QCOMPARE(byName["deepseek"].replicas, 2);
        QVERIFY(byName.count("qwen-dash"));
        QCOMPARE(byName["qwen-dash"].origin, DeploymentOrigin::Dashboard);
        QCOMPARE(byName["qwen-dash"].runtime, std::string("sglang-rt"));
        QCOMPARE(byName["qwen-dash"].model, std::string("s3://models/qwen"));
        QVERIFY(byName.count("unused-rt"));
        QCOMPARE(byName["unused-rt"].mode, std::string("servingruntime"));
        QVERIFY(!byName.count("sglang-rt")); // shown through its InferenceService

        auto scaled = scaleDeployment(*m_client, byName["deepseek"], 0);
        VERIFY_OK(scaled);
        QCOMPARE(scaled.value(), 0);
        QVERIFY(!scaleDeployment(*m_client, byName["unused-rt"], 1).ok());
    }

    void undeployRemovesEveryObject()
    {
        const deploy::DeploymentPlan p = plan("deepseek");
        const auto objects = render(p);
        std::vector<std::string> removedKinds;
        auto result = undeploy(*m_client, "deepseek", objects, {"models", false, true},
                               [&](const ApplyProgress &progress) { removedKinds.push_back(progress.kind); });
        VERIFY_OK(result);
        QVERIFY(result->removed.size() >= objects.size() - 1); // all but the kept Namespace
        // Reverse order: the server workload goes before its ServiceAccount.
        const auto deployment = std::find(removedKinds.begin(), removedKinds.end(), "Deployment");
        const auto account = std::find(removedKinds.begin(), removedKinds.end(), "ServiceAccount");
        QVERIFY(deployment < account);
        ListOptions selector;
        selector.labelSelector = instanceSelector("deepseek");
        for (const auto &o : objects) {
            if (o.kind == "Namespace")
                continue;
            auto left = m_client->list(renderedApiVersion(o), o.kind, "models", selector);
            VERIFY_OK(left);
            QVERIFY2(left->items.empty(), (o.kind + " left behind").c_str());
        }
        VERIFY_OK(m_client->get({"v1", "Namespace", "", "models"}));
        // The dashboard's deployment is not Slipway's to remove.
        VERIFY_OK(m_client->get({"serving.kserve.io/v1beta1", "InferenceService", "models", "qwen-dash"}));
    }
};

QTEST_GUILESS_MAIN(TestKubeApply)
#include "test_kube_apply.moc"
