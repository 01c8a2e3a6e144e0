// Preflight against the Kubernetes API test server: a well-equipped GPU cluster passes; missing
// or busy GPUs, a missing LeaderWorkerSet CRD, no RWX storage class, a forbidden verb, the
// privileged SCC not permitted and a missing namespace each fail with the fix that applies.
#include "kube_test_server.h"

#include "deploy/deployment_plan.h"
#include "kube/client.h"
#include "kube/preflight.h"

#include <QTest>

#include <memory>

using namespace slipway;
using namespace slipway::kube;
using slipway::testing::KubeTestServer;

namespace {

deploy::DeploymentPlan lwsPlan()
{
    deploy::DeploymentPlan plan;
    plan.name = "deepseek";
    plan.namespaceName = "deepseek";
    plan.modelId = "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B";
    plan.mode = deploy::Mode::Lws;
    plan.nodes = 2;
    plan.gpusPerNode = 1;
    plan.tp = 2;
    plan.rwx = true;
    plan.storage = deploy::Storage::Pvc;
    return plan;
}

deploy::DeploymentPlan deploymentPlan(int gpus, int replicas)
{
    deploy::DeploymentPlan plan = lwsPlan();
    plan.mode = deploy::Mode::Deployment;
    plan.nodes = 1;
    plan.gpusPerNode = gpus;
    plan.tp = gpus;
    plan.replicas = replicas;
    plan.rwx = false;
    return plan;
}

QByteArray describe(const PreflightReport &report)
{
    std::string text;
    for (const PreflightItem &item : report.items)
        text += item.id + " [" + std::string(checkStatusName(item.status)) + "] " + item.detail + " | fix: " + item.fix + "\n";
    return QByteArray::fromStdString(text);
}

} // namespace

class TestKubePreflight final : public QObject {
    Q_OBJECT

    std::unique_ptr<KubeTestServer> m_server;

    void control(const std::string &path, const std::string &json)
    {
        const std::string reply = m_server->control(path, json);
        QVERIFY2(reply.rfind("ERROR", 0) != 0, reply.c_str());
    }
    PreflightReport run(const deploy::DeploymentPlan &plan, const std::string &token = KubeTestServer::kAdminToken)
    {
        Client client(m_server->connection(token, plan.namespaceName));
        return runPreflight(client, plan);
    }
    static CheckStatus statusOf(const PreflightReport &report, const char *id)
    {
        const PreflightItem *item = report.find(id);
        return item ? item->status : CheckStatus::Skipped;
    }

private slots:
    void initTestCase()
    {
        m_server = std::make_unique<KubeTestServer>();
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        // Two H100 nodes and a CPU node; 6 GPUs of gpu-a are taken by another team's pod.
        control("nodes", "{\"nodes\": [{\"name\": \"gpu-a\", \"gpus\": 8, \"product\": \"NVIDIA-H100-80GB-HBM3\", \"memoryMiB\": 81559},"
                         "{\"name\": \"gpu-b\", \"gpus\": 8, \"product\": \"NVIDIA-H100-80GB-HBM3\", \"memoryMiB\": 81559},"
                         "{\"name\": \"cpu-a\"}]}");
        control("objects",
                "{\"objects\": ["
                "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"deepseek\"}},"
                "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"team-b\"}},"
                "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"train\", \"namespace\": \"team-b\"},"
                " \"spec\": {\"nodeName\": \"gpu-a\", \"containers\": [{\"name\": \"t\", \"resources\": {\"requests\": {\"nvidia.com/gpu\": \"6\"}}}]},"
                " \"status\": {\"phase\": \"Running\"}},"
                "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"done\", \"namespace\": \"team-b\"},"
                " \"spec\": {\"nodeName\": \"gpu-b\", \"containers\": [{\"name\": \"t\", \"resources\": {\"limits\": {\"nvidia.com/gpu\": \"8\"}}}]},"
                " \"status\": {\"phase\": \"Succeeded\"}},"
                "{\"apiVersion\": \"apps/v1\", \"kind\": \"DaemonSet\", \"metadata\": {\"name\": \"nvidia-device-plugin-daemonset\", \"namespace\": \"nvidia-gpu-operator\"}},"
                "{\"apiVersion\": \"apps/v1\", \"kind\": \"DaemonSet\", \"metadata\": {\"name\": \"nvidia-dcgm-exporter\", \"namespace\": \"nvidia-gpu-operator\"}},"
                "{\"apiVersion\": \"storage.k8s.io/v1\", \"kind\": \"StorageClass\", \"metadata\": {\"name\": \"ocs-storagecluster-cephfs\","
                " \"annotations\": {\"storageclass.kubernetes.io/is-default-class\": \"true\"}}, \"provisioner\": \"openshift-storage.cephfs.csi.ceph.com\"},"
                "{\"apiVersion\": \"storage.k8s.io/v1\", \"kind\": \"StorageClass\", \"metadata\": {\"name\": \"gp3-csi\"}, \"provisioner\": \"ebs.csi.aws.com\"}"
                "]}");
    }

    void provisionersKnowTheirAccessModes_data()
    {
        QTest::addColumn<QString>("provisioner");
        QTest::addColumn<bool>("rwx");
        QTest::addRow("cephfs") << "openshift-storage.cephfs.csi.ceph.com" << true;
        QTest::addRow("nfs") << "nfs.csi.k8s.io" << true;
        QTest::addRow("efs") << "efs.csi.aws.com" << true;
        QTest::addRow("azurefile") << "file.csi.azure.com" << true;
        QTest::addRow("rbd") << "openshift-storage.rbd.csi.ceph.com" << false;
        QTest::addRow("ebs") << "ebs.csi.aws.com" << false;
        QTest::addRow("gp2 in-tree") << "kubernetes.io/aws-ebs" << false;
    }
    void provisionersKnowTheirAccessModes()
    {
        QFETCH(QString, provisioner);
        QFETCH(bool, rwx);
        QCOMPARE(provisionerSupportsRwx(provisioner.toStdString()), rwx);
    }

    void podsArePlacedWholeOnOneNode()
    {
        std::vector<GpuNode> nodes{{"a", "", 0, 8, 6}, {"b", "", 0, 8, 0}};
        QCOMPARE(unplacedPods(nodes, 1, 8), 0);
        QCOMPARE(unplacedPods(nodes, 2, 8), 1);   // a has 2 free: not enough for 8
        QCOMPARE(unplacedPods(nodes, 5, 2), 0);   // 2 on a, 4 pods of 2 on b
        QCOMPARE(unplacedPods(nodes, 6, 2), 1);
    }

    void wellEquippedClusterPasses()
    {
        const PreflightReport report = run(lwsPlan());
        QVERIFY2(report.passed(), describe(report).constData());
        for (const char *id : {"api", "platform", "gpu-nodes", "gpu-capacity", "gpu-operator", "dcgm-exporter", "lws-crd",
                               "storage-class", "rwx", "permissions", "scc", "namespace"})
            QVERIFY2(statusOf(report, id) == CheckStatus::Pass, (std::string(id) + "\n" + describe(report).toStdString()).c_str());
        QCOMPARE(report.gpuNodes.size(), size_t(2));
        const GpuNode &a = report.gpuNodes[0].name == "gpu-a" ? report.gpuNodes[0] : report.gpuNodes[1];
        QCOMPARE(a.free(), 2);                   // the Succeeded pod on gpu-b holds nothing
        QCOMPARE(a.product, std::string("NVIDIA-H100-80GB-HBM3"));
        QCOMPARE(a.memoryMiB, 81559LL);
        QVERIFY(report.server.gitVersion.rfind("v1.", 0) == 0);
    }

    void insufficientGpusFailWithTheShortfall()
    {
        const PreflightReport report = run(deploymentPlan(8, 2)); // 2 pods of 8: gpu-a has only 2 free
        const PreflightItem *item = report.find("gpu-capacity");
        QVERIFY(item);
        QCOMPARE(item->status, CheckStatus::Fail);
        QVERIFY2(item->detail.find("1 pod(s) would stay Pending") != std::string::npos, item->detail.c_str());
        QVERIFY2(item->fix.find("Free 8 GPU(s)") != std::string::npos, item->fix.c_str());
        QVERIFY(!report.passed());

        const PreflightReport tooBig = run(deploymentPlan(16, 1));
        QVERIFY2(tooBig.find("gpu-capacity")->fix.find("No node has 16 GPUs") != std::string::npos, describe(tooBig).constData());
    }

    void missingGpusFailWithTheOperatorFix()
    {
        deploy::DeploymentPlan plan = deploymentPlan(1, 1);
        plan.gpuResource = "amd.com/gpu"; // no node offers it
        const PreflightReport report = run(plan);
        QCOMPARE(statusOf(report, "gpu-nodes"), CheckStatus::Fail);
        QVERIFY(report.find("gpu-nodes")->fix.find("GPU Operator") != std::string::npos);
        QCOMPARE(statusOf(report, "gpu-capacity"), CheckStatus::Fail);
    }

    void missingLwsCrdFails()
    {
        control("features", "{\"lws\": false}");
        const PreflightReport report = run(lwsPlan());
        control("features", "{\"lws\": true}");
        QCOMPARE(statusOf(report, "lws-crd"), CheckStatus::Fail);
        QVERIFY(report.find("lws-crd")->fix.find("Leader Worker Set Operator") != std::string::npos);
        QCOMPARE(statusOf(report, "kserve-crd"), CheckStatus::Skipped); // not asked for: not listed
        QVERIFY(!report.find("kserve-crd"));
    }

    void sharedVolumeWithoutRwxClassFails()
    {
        deploy::DeploymentPlan plan = lwsPlan();
        plan.storageClass = "gp3-csi";
        const PreflightReport report = run(plan);
        QCOMPARE(statusOf(report, "storage-class"), CheckStatus::Pass);
        const PreflightItem *rwx = report.find("rwx");
        QCOMPARE(rwx->status, CheckStatus::Fail);
        QVERIFY2(rwx->detail.find("ReadWriteOnce only") != std::string::npos, rwx->detail.c_str());
        QVERIFY2(rwx->fix.find("ocs-storagecluster-cephfs") != std::string::npos, rwx->fix.c_str());

        plan.storageClass = "no-such-class";
        QCOMPARE(statusOf(run(plan), "storage-class"), CheckStatus::Fail);
    }

    void forbiddenVerbFailsNamingIt()
    {
        control("tokens", "{\"token\": \"dev-no-deploy\", \"user\": \"dev\", \"deny\": [{\"verbs\": [\"create\", \"patch\"],"
                          " \"resources\": [\"leaderworkersets\"], \"group\": \"leaderworkerset.x-k8s.io\"}]}");
        const PreflightReport report = run(lwsPlan(), "dev-no-deploy");
        const PreflightItem *item = report.find("permissions");
        QCOMPARE(item->status, CheckStatus::Fail);
        QVERIFY2(item->detail.find("create leaderworkersets.leaderworkerset.x-k8s.io") != std::string::npos, item->detail.c_str());
        QVERIFY2(item->detail.find("patch leaderworkersets") != std::string::npos, item->detail.c_str());
        QVERIFY2(item->fix.find("edit") != std::string::npos, item->fix.c_str());
        QCOMPARE(statusOf(report, "scc"), CheckStatus::Pass);
    }

    void uploadsWithoutExecOrProxyWarn()
    {
        control("tokens", "{\"token\": \"dev-no-exec\", \"user\": \"dev\", \"deny\": [{\"verbs\": [\"create\"],"
                          " \"resources\": [\"pods/exec\", \"pods/proxy\"]}]}");
        const PreflightReport report = run(lwsPlan(), "dev-no-exec");
        const PreflightItem *item = report.find("permissions");
        QCOMPARE(item->status, CheckStatus::Warn);
        QVERIFY2(item->detail.find("model uploads") != std::string::npos, item->detail.c_str());
        QVERIFY(report.passed()); // a warning does not block the deployment
    }

    void privilegedSccNotPermittedFails()
    {
        control("tokens", "{\"token\": \"dev-no-scc\", \"user\": \"dev\", \"deny\": [{\"verbs\": [\"use\"],"
                          " \"resources\": [\"securitycontextconstraints\"], \"group\": \"security.openshift.io\"}]}");
        const PreflightReport report = run(lwsPlan(), "dev-no-scc");
        QCOMPARE(statusOf(report, "permissions"), CheckStatus::Pass);
        const PreflightItem *scc = report.find("scc");
        QCOMPARE(scc->status, CheckStatus::Fail);
        QVERIFY2(scc->fix.find("restricted") != std::string::npos, scc->fix.c_str());
        QVERIFY2(scc->fix.find("add-scc-to-user privileged") != std::string::npos, scc->fix.c_str());

        deploy::DeploymentPlan restricted = lwsPlan();
        restricted.security = deploy::Security::Restricted;
        QVERIFY(!run(restricted, "dev-no-scc").find("scc")); // not needed, not checked
    }

    void missingNamespaceFailsUnlessCreated()
    {
        deploy::DeploymentPlan plan = lwsPlan();
        plan.namespaceName = "fresh";
        QCOMPARE(statusOf(run(plan), "namespace"), CheckStatus::Fail);
        plan.createNamespace = true;
        QCOMPARE(statusOf(run(plan), "namespace"), CheckStatus::Pass);
        control("tokens", "{\"token\": \"dev-no-ns\", \"user\": \"dev\", \"deny\": [{\"verbs\": [\"create\"], \"resources\": [\"namespaces\"]}]}");
        const PreflightReport denied = run(plan, "dev-no-ns");
        QCOMPARE(statusOf(denied, "namespace"), CheckStatus::Fail);
        QVERIFY(denied.find("namespace")->fix.find("cluster admin") != std::string::npos);
    }

    void unreachableApiFailsFirstAndSkipsTheRest()
    {
        auto connection = tokenConnection("https://127.0.0.1:1", "x", m_server->caPem());
        QVERIFY(connection.ok());
        connection->connectTimeout = std::chrono::milliseconds(1000);
        Client client(connection.value());
        const PreflightReport report = runPreflight(client, lwsPlan());
        QCOMPARE(statusOf(report, "api"), CheckStatus::Fail);
        QVERIFY(!report.find("api")->fix.empty());
        QCOMPARE(statusOf(report, "gpu-nodes"), CheckStatus::Skipped);
    }
};

QTEST_GUILESS_MAIN(TestKubePreflight)
#include "test_kube_preflight.moc"
