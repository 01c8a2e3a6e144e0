// Rollout and group logs against the Kubernetes API test server: each failure the server can
// simulate (Pending for lack of GPUs, ImagePullBackOff, OOMKilled, CrashLoopBackOff with its last
// log lines, probe failures, NCCL errors in the log, a PVC that stays Pending) is explained in
// plain words with the fix; a deployment whose pods come up is summed up as ready; the logs of a
// LeaderWorkerSet's pods merge into one prefixed stream that survives dropped streams and picks
// up a pod that joins later, losing and repeating nothing.
#include "kube_test_server.h"

#include "kube/client.h"
#include "kube/group_logs.h"
#include "kube/rollout.h"

#include <QTest>

#include <map>
#include <memory>
#include <mutex>
#include <thread>

using namespace slipway;
using namespace slipway::kube;
using slipway::testing::KubeTestServer;

namespace {

// The latest status a watchRollout thread published.
class RolloutProbe {
public:
    RolloutProbe(Client &client, RolloutTarget target) : m_target(std::move(target))
    {
        m_thread = std::thread([this, &client] {
            m_result = watchRollout(client, m_target, [this](const RolloutStatus &s) {
                std::lock_guard lock(m_mutex);
                m_status = s;
                ++m_updates;
                return true;
            }, &m_cancel);
        });
    }
    ~RolloutProbe()
    {
        m_cancel.cancel();
        m_thread.join();
    }
    RolloutStatus status()
    {
        std::lock_guard lock(m_mutex);
        return m_status;
    }
    std::optional<PodState> pod(const std::string &name)
    {
        for (const PodState &p : status().pods)
            if (p.name == name)
                return p;
        return std::nullopt;
    }
    bool waitForIssue(const std::string &name, PodIssue issue)
    {
        return KubeTestServer::waitFor([&] { auto p = pod(name); return p && p->issue == issue; }, 8000);
    }

private:
    RolloutTarget m_target;
    net::CancelToken m_cancel;
    std::mutex m_mutex;
    RolloutStatus m_status;
    int m_updates = 0;
    Result<void> m_result;
    std::thread m_thread;
};

RolloutTarget target(const std::string &ns, const std::string &name, int pods)
{
    RolloutTarget t;
    t.name = name;
    t.namespaceName = ns;
    t.labelSelector = "leaderworkerset.sigs.k8s.io/name=" + name;
    t.expectedPods = pods;
    t.memoryLimitBytes = 64ull << 30;
    t.suggestedMemoryBytes = 96ull << 30;
    t.image = "lmsysorg/sglang:latest";
    return t;
}

std::string podJson(const std::string &ns, const std::string &name, const std::string &group, const std::string &state)
{
    return "{\"namespace\": \"" + ns + "\", \"name\": \"" + name + "\", \"state\": \"" + state +
           "\", \"labels\": {\"leaderworkerset.sigs.k8s.io/name\": \"" + group + "\"}}";
}

} // namespace

class TestKubeRollout final : public QObject {
    Q_OBJECT

    std::unique_ptr<KubeTestServer> m_server;
    std::unique_ptr<Client> m_client;

    void control(const std::string &path, const std::string &json)
    {
        const std::string reply = m_server->control(path, json);
        QVERIFY2(reply.rfind("ERROR", 0) != 0, reply.c_str());
    }

private slots:
    void initTestCase()
    {
        m_server = std::make_unique<KubeTestServer>(QStringList{QStringLiteral("--bookmark-ms"), QStringLiteral("200")});
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        m_client = std::make_unique<Client>(m_server->connection(KubeTestServer::kAdminToken, "default"));
    }

    void recognisesNcclErrorLines_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<bool>("nccl");
        QTest::addRow("warn") << "ds-0:123:456 [0] NCCL WARN Net : Connect to 10.0.0.5<20000> failed" << true;
        QTest::addRow("system error") << "RuntimeError: NCCL error in: ProcessGroupNCCL.cpp:1970, unhandled system error" << true;
        QTest::addRow("refused on dist port") << "torch.distributed.DistNetworkError: Connection refused (ds-0.ds.ns:20000)" << true;
        QTest::addRow("shm") << "Error while creating shared memory segment /dev/shm/nccl-abc (size 9637888)" << true;
        QTest::addRow("refused elsewhere") << "GET http://metrics:9090 Connection refused" << false;
        QTest::addRow("info") << "ds-0:123:456 [0] NCCL INFO Bootstrap : Using eth0:10.0.0.4<0>" << false;
    }
    void recognisesNcclErrorLines()
    {
        QFETCH(QString, line);
        QFETCH(bool, nccl);
        QCOMPARE(isNcclErrorLine(line.toStdString(), 20000), nccl);
    }

    void explainsPendingForLackOfGpus()
    {
        control("pods", podJson("r1", "gpu-0", "gpu", "Pending"));
        RolloutProbe probe(*m_client, target("r1", "gpu", 1));
        QVERIFY(probe.waitForIssue("gpu-0", PodIssue::InsufficientGpu));
        const PodState p = *probe.pod("gpu-0");
        QVERIFY2(p.reason.find("nvidia.com/gpu") != std::string::npos, p.reason.c_str());
        QVERIFY(p.fix.find("Free GPUs") != std::string::npos);
        QVERIFY(p.evidence.at(0).find("Insufficient nvidia.com/gpu") != std::string::npos);
        QCOMPARE(probe.status().phase, RolloutPhase::Failed);
    }

    void explainsImagePullAndPointsToMirroring()
    {
        control("pods", podJson("r2", "img-0", "img", "ContainerCreating"));
        RolloutProbe probe(*m_client, target("r2", "img", 1));
        QVERIFY(KubeTestServer::waitFor([&] { return probe.pod("img-0").has_value(); }));
        QCOMPARE(probe.status().phase, RolloutPhase::Progressing);
        control("pod-state", "{\"namespace\": \"r2\", \"name\": \"img-0\", \"state\": \"ImagePullBackOff\"}");
        QVERIFY(probe.waitForIssue("img-0", PodIssue::ImagePull));
        QVERIFY(probe.pod("img-0")->fix.find("slipway-cli mirror-script") != std::string::npos);
    }

    void explainsOomWithTheSizingFigure()
    {
        control("pods", podJson("r3", "oom-0", "oom", "Running"));
        RolloutProbe probe(*m_client, target("r3", "oom", 1));
        QVERIFY(KubeTestServer::waitFor([&] { return probe.status().phase == RolloutPhase::Ready; }));
        control("pod-state", "{\"namespace\": \"r3\", \"name\": \"oom-0\", \"state\": \"OOMKilled\"}");
        QVERIFY(probe.waitForIssue("oom-0", PodIssue::OOMKilled));
        const PodState p = *probe.pod("oom-0");
        QCOMPARE(p.restarts, 1);
        QVERIFY2(p.fix.find("above 64Gi") != std::string::npos && p.fix.find("96Gi") != std::string::npos, p.fix.c_str());
    }

    void explainsCrashLoopWithTheLastLogLines()
    {
        control("pods", podJson("r4", "crash-0", "crash", "Running"));
        control("logs", "{\"namespace\": \"r4\", \"pod\": \"crash-0\", \"container\": \"server\", \"lines\": "
                        "[\"loading weights\", \"ValueError: --model-path /models/x does not exist\"]}");
        control("pod-state", "{\"namespace\": \"r4\", \"name\": \"crash-0\", \"state\": \"CrashLoopBackOff\"}");
        RolloutProbe probe(*m_client, target("r4", "crash", 1));
        QVERIFY(probe.waitForIssue("crash-0", PodIssue::CrashLoop));
        const PodState p = *probe.pod("crash-0");
        QVERIFY2(p.fix.find("--model-path /models/x does not exist") != std::string::npos, p.fix.c_str());
        QCOMPARE(p.evidence.size(), size_t(2));
        QVERIFY(probe.status().summary.find("crash-0") != std::string::npos);
    }

    void explainsProbeFailures()
    {
        control("objects",
                "{\"objects\": [{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"slow-0\", \"namespace\": \"r5\","
                " \"labels\": {\"leaderworkerset.sigs.k8s.io/name\": \"slow\"}}, \"spec\": {\"nodeName\": \"n1\", \"containers\": [{\"name\": \"server\"}]},"
                " \"status\": {\"phase\": \"Running\", \"containerStatuses\": [{\"name\": \"server\", \"ready\": false, \"restartCount\": 0,"
                " \"state\": {\"running\": {\"startedAt\": \"2026-01-01T00:00:00Z\"}}}]}}]}");
        RolloutProbe probe(*m_client, target("r5", "slow", 1));
        QVERIFY(KubeTestServer::waitFor([&] { return probe.pod("slow-0").has_value(); }));
        control("objects",
                "{\"objects\": [{\"apiVersion\": \"v1\", \"kind\": \"Event\", \"metadata\": {\"name\": \"slow-0.1\", \"namespace\": \"r5\"},"
                " \"involvedObject\": {\"kind\": \"Pod\", \"name\": \"slow-0\", \"namespace\": \"r5\"}, \"type\": \"Warning\", \"reason\": \"Unhealthy\","
                " \"message\": \"Readiness probe failed: dial tcp 10.0.0.9:40000: connect: connection refused\"}]}");
        QVERIFY(probe.waitForIssue("slow-0", PodIssue::ProbeFailure));
        QVERIFY(probe.pod("slow-0")->fix.find("startup timeout") != std::string::npos);
        QCOMPARE(probe.status().phase, RolloutPhase::Progressing); // probes may still pass
    }

    void findsNcclErrorsInTheLog()
    {
        control("objects",
                "{\"objects\": [{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"nccl-0-1\", \"namespace\": \"r6\","
                " \"labels\": {\"leaderworkerset.sigs.k8s.io/name\": \"nccl\"}}, \"spec\": {\"nodeName\": \"n1\", \"containers\": [{\"name\": \"server\"}]},"
                " \"status\": {\"phase\": \"Running\", \"containerStatuses\": [{\"name\": \"server\", \"ready\": false, \"restartCount\": 0,"
                " \"state\": {\"running\": {\"startedAt\": \"2026-01-01T00:00:00Z\"}}}]}}]}");
        control("logs", "{\"namespace\": \"r6\", \"pod\": \"nccl-0-1\", \"container\": \"server\", \"lines\": "
                        "[\"init torch distributed\", \"nccl-0-1:77:77 [0] NCCL WARN socketStartConnect: Connect to 10.128.2.5<20000> failed : Connection refused\"]}");
        RolloutProbe probe(*m_client, target("r6", "nccl", 2));
        QVERIFY(probe.waitForIssue("nccl-0-1", PodIssue::Nccl));
        const PodState p = *probe.pod("nccl-0-1");
        QVERIFY(p.fix.find("NCCL_SOCKET_IFNAME") != std::string::npos);
        QVERIFY(p.fix.find("/dev/shm") != std::string::npos);
        QCOMPARE(p.evidence.size(), size_t(1));
    }

    void explainsAPendingClaim()
    {
        control("objects",
                "{\"objects\": [{\"apiVersion\": \"v1\", \"kind\": \"PersistentVolumeClaim\", \"metadata\": {\"name\": \"models\", \"namespace\": \"r7\"},"
                " \"spec\": {\"accessModes\": [\"ReadWriteMany\"]}, \"status\": {\"phase\": \"Pending\"}},"
                "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"pvc-0\", \"namespace\": \"r7\","
                " \"labels\": {\"leaderworkerset.sigs.k8s.io/name\": \"pvc\"}}, \"spec\": {\"containers\": [{\"name\": \"server\"}],"
                " \"volumes\": [{\"name\": \"m\", \"persistentVolumeClaim\": {\"claimName\": \"models\"}}]}, \"status\": {\"phase\": \"Pending\"}}]}");
        RolloutProbe probe(*m_client, target("r7", "pvc", 1));
        QVERIFY(probe.waitForIssue("pvc-0", PodIssue::PvcPending));
        QVERIFY(probe.pod("pvc-0")->fix.find("RWX") != std::string::npos);
    }

    void podsComingUpMakeTheDeploymentReady()
    {
        control("pods", podJson("r8", "ok-0", "ok", "ContainerCreating"));
        control("pods", podJson("r8", "ok-0-1", "ok", "ContainerCreating"));
        RolloutProbe probe(*m_client, target("r8", "ok", 2));
        QVERIFY(KubeTestServer::waitFor([&] { return probe.status().pods.size() == 2; }));
        QCOMPARE(probe.status().phase, RolloutPhase::Progressing);
        QCOMPARE(probe.status().summary, std::string("0 of 2 pods ready"));
        control("pod-state", "{\"namespace\": \"r8\", \"name\": \"ok-0\", \"state\": \"Running\"}");
        control("pod-state", "{\"namespace\": \"r8\", \"name\": \"ok-0-1\", \"state\": \"Running\"}");
        QVERIFY(KubeTestServer::waitFor([&] { return probe.status().phase == RolloutPhase::Ready; }));
        QCOMPARE(probe.status().summary, std::string("2 of 2 pods ready"));
    }

    void groupLogsMergeWithPrefixesAcrossDropsAndJoins()
    {
        control("pods", podJson("g1", "ds-0", "ds", "Running"));
        control("pods", podJson("g1", "ds-0-1", "ds", "Running"));
        control("logs", "{\"namespace\": \"g1\", \"pod\": \"ds-0\", \"container\": \"server\", \"lines\": [\"leader 1\", \"leader 2\"]}");
        control("logs", "{\"namespace\": \"g1\", \"pod\": \"ds-0-1\", \"container\": \"server\", \"lines\": [\"worker 1\"]}");

        std::mutex mutex;
        std::vector<std::string> lines;
        std::vector<std::string> notices;
        net::CancelToken cancel;
        GroupLogOptions options;
        options.namespaceName = "g1";
        options.labelSelector = "leaderworkerset.sigs.k8s.io/name=ds";
        std::thread follower([&] {
            auto result = followGroupLogs(*m_client, options, [&](const GroupLogLine &l) {
                std::lock_guard lock(mutex);
                lines.push_back(l.prefixed());
            }, &cancel, [&](const std::string &n) { std::lock_guard lock(mutex); notices.push_back(n); });
            QVERIFY2(result.ok(), result.ok() ? "" : result.message().c_str());
        });
        auto count = [&] { std::lock_guard lock(mutex); return lines.size(); };
        QVERIFY(KubeTestServer::waitFor([&] { return count() == 3; }));

        control("drop", "{}"); // every log (and watch) stream cut mid-stream
        control("logs", "{\"namespace\": \"g1\", \"pod\": \"ds-0\", \"container\": \"server\", \"lines\": [\"leader 3\"]}");
        control("logs", "{\"namespace\": \"g1\", \"pod\": \"ds-0-1\", \"container\": \"server\", \"lines\": [\"worker 2\", \"worker 3\"], \"sameTimestamp\": true}");
        QVERIFY(KubeTestServer::waitFor([&] { return count() == 6; }));

        // A pod that joins later (a second group) is followed too.
        control("pods", podJson("g1", "ds-1", "ds", "Running"));
        QVERIFY(KubeTestServer::waitFor([&] {
            return m_server->controlGet("streams").find("\"log\":3") != std::string::npos;
        }));
        control("logs", "{\"namespace\": \"g1\", \"pod\": \"ds-1\", \"container\": \"server\", \"lines\": [\"second group up\"]}");
        QVERIFY(KubeTestServer::waitFor([&] { return count() == 7; }));
        QTest::qWait(300); // nothing repeated late
        cancel.cancel();
        follower.join();

        std::vector<std::string> sorted = lines;
        std::sort(sorted.begin(), sorted.end());
        QCOMPARE(sorted, (std::vector<std::string>{"[ds-0-1] worker 1", "[ds-0-1] worker 2", "[ds-0-1] worker 3", "[ds-0] leader 1",
                                                   "[ds-0] leader 2", "[ds-0] leader 3", "[ds-1] second group up"}));
        // Each pod's lines keep their order.
        auto position = [&](const std::string &l) { return std::find(lines.begin(), lines.end(), l) - lines.begin(); };
        QVERIFY(position("[ds-0] leader 1") < position("[ds-0] leader 2"));
        QVERIFY(position("[ds-0] leader 2") < position("[ds-0] leader 3"));
        QVERIFY(position("[ds-0-1] worker 2") < position("[ds-0-1] worker 3"));
    }
};

QTEST_GUILESS_MAIN(TestKubeRollout)
#include "test_kube_rollout.moc"
