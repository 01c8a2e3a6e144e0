// Two real processes as the two nodes of a group (dist_test_node: slipway-engine's worker path and
// its leader group object, no GPU): clean shutdown, worker /health, and kill -9 / SIGSTOP of
// either node, which must end the other non-zero within the bound, naming the dead node.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "dist_test_support.h"
#include "node_process.h"

namespace slipway::engine::dist {
namespace {

using namespace std::chrono_literals;

std::string fixture_model() { return std::string(SLIPWAY_SOURCE_DIR) + "/tests/engine/fixtures/qwen2-tiny-bf16"; }

// dist_test_node with the flags of a two-node tp 2 group and short bounds.
class Node : public test::NodeProcess {
public:
    Node(const std::string &role, uint16_t rendezvous_port, int node_rank, std::vector<std::string> extra = {})
        : NodeProcess(args(role, rendezvous_port, node_rank, std::move(extra))) {}

private:
    static std::vector<std::string> args(const std::string &role, uint16_t port, int node_rank,
                                         std::vector<std::string> extra) {
        std::vector<std::string> a = {DIST_TEST_NODE, role, "--model-path", fixture_model(), "--device", "cpu",
                                      "--tp", "2", "--nnodes", "2", "--node-rank", std::to_string(node_rank),
                                      "--dist-init-addr", "127.0.0.1:" + std::to_string(port), "--host", "127.0.0.1",
                                      "--port", "0", "--dist-timeout", "10", "--dist-heartbeat-timeout", "1.5",
                                      "--dist-step-timeout", "3"};
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    }
};

using test::http_get;

TEST(DistProcesses, WorkerFirstThenLeaderRunStepsAndShutDownCleanly) {
    const uint16_t port = test::free_port();
    Node worker("worker", port, 1);
    ASSERT_TRUE(worker.wait_log("listening on http://", 5s)) << worker.log();
    const int hport = worker.http_port();
    auto waiting = http_get(hport, "/health");
    EXPECT_EQ(waiting.first, 503) << waiting.second;  // not in a group yet
    EXPECT_EQ(nlohmann::json::parse(waiting.second)["status"], "waiting_for_leader");
    std::this_thread::sleep_for(500ms);

    Node leader("leader=150", port, 0);
    ASSERT_TRUE(worker.wait_log("ready: node 1 (rank 1)", 8s)) << worker.log() << leader.log();
    ASSERT_TRUE(leader.wait_log("tensor-parallel group formed", 5s)) << leader.log();
    std::this_thread::sleep_for(300ms);
    auto health = http_get(hport, "/health");
    ASSERT_EQ(health.first, 200) << health.second;
    const auto j = nlohmann::json::parse(health.second);
    EXPECT_EQ(j["node_rank"], 1);
    EXPECT_EQ(j["ranks"], "1");
    EXPECT_EQ(j["leader_connected"], true);
    EXPECT_EQ(j["status"], "serving");
    EXPECT_GT(j["last_step"].get<int>(), 0);
    EXPECT_EQ(http_get(hport, "/health_generate").first, 200);
    auto api = http_get(hport, "/v1/models");
    EXPECT_EQ(api.first, 404);
    EXPECT_NE(api.second.find("the API is served by node 0"), std::string::npos) << api.second;

    EXPECT_EQ(leader.wait_exit(10s), 0) << leader.log();
    EXPECT_EQ(worker.wait_exit(5s), 0) << worker.log();
    EXPECT_NE(worker.log().find("the leader shut the group down"), std::string::npos) << worker.log();
    EXPECT_NE(leader.log().find("every worker node acknowledged the shutdown"), std::string::npos) << leader.log();
    EXPECT_NE(leader.log().find("tp 2 over 2 nodes (1 GPU each), this is node 0 (the leader): rank 0"), std::string::npos);
}

TEST(DistProcesses, KillingTheWorkerEndsTheLeader) {
    const uint16_t port = test::free_port();
    Node leader("leader", port, 0);
    Node worker("worker", port, 1);
    ASSERT_TRUE(worker.wait_log("ready: node 1", 8s)) << worker.log() << leader.log();
    std::this_thread::sleep_for(300ms);
    const auto start = Clock::now();
    worker.signal(SIGKILL);
    EXPECT_EQ(worker.wait_exit(2s), 128 + SIGKILL);
    const int code = leader.wait_exit(4s);
    EXPECT_LT(Clock::now() - start, 3s);
    EXPECT_NE(code, 0);
    EXPECT_NE(code, -1) << "the leader did not exit";
    EXPECT_NE(leader.log().find("node 1 (rank 1) stopped answering: connection closed; exiting so LeaderWorkerSet "
                                "restarts the group"),
              std::string::npos)
        << leader.log();
}

TEST(DistProcesses, KillingTheLeaderEndsTheWorker) {
    const uint16_t port = test::free_port();
    Node leader("leader", port, 0);
    Node worker("worker", port, 1);
    ASSERT_TRUE(worker.wait_log("ready: node 1", 8s)) << worker.log() << leader.log();
    std::this_thread::sleep_for(300ms);
    const auto start = Clock::now();
    leader.signal(SIGKILL);
    const int code = worker.wait_exit(4s);
    EXPECT_LT(Clock::now() - start, 3s);
    EXPECT_EQ(code, 1) << worker.log();
    EXPECT_NE(worker.log().find("node 0 (rank 0, the leader) stopped answering: connection closed; exiting so "
                                "LeaderWorkerSet restarts the group"),
              std::string::npos)
        << worker.log();
}

TEST(DistProcesses, AFrozenNodeIsDeclaredDeadAfterTheHeartbeatBound) {
    // SIGSTOP: the process holds its sockets open but answers nothing, like a node hung hard.
    const uint16_t port = test::free_port();
    Node leader("leader", port, 0);
    Node worker("worker", port, 1);
    ASSERT_TRUE(worker.wait_log("ready: node 1", 8s)) << worker.log() << leader.log();
    std::this_thread::sleep_for(300ms);
    const auto start = Clock::now();
    worker.signal(SIGSTOP);
    const int code = leader.wait_exit(6s);
    const auto took = Clock::now() - start;
    worker.signal(SIGKILL);
    EXPECT_EQ(code, 1) << leader.log();
    EXPECT_GE(took, 1400ms);  // --dist-heartbeat-timeout 1.5 (or the 3 s step bound, whichever first)
    EXPECT_LT(took, 4500ms);
    const std::string log = leader.log();
    const bool named = log.find("node 1 (rank 1) stopped answering: nothing heard for") != std::string::npos ||
                       log.find("node 1 (rank 1) has not finished step") != std::string::npos;
    EXPECT_TRUE(named) << log;
}

TEST(DistProcesses, MismatchedFlagsStopBothNodesNamingTheFlag) {
    const uint16_t port = test::free_port();
    Node leader("leader", port, 0, {"--page-size", "16"});
    Node worker("worker", port, 1);
    EXPECT_EQ(leader.wait_exit(8s), 1) << leader.log();
    EXPECT_EQ(worker.wait_exit(8s), 1) << worker.log();
    for (const Node *n : {&leader, &worker}) {
        EXPECT_NE(n->log().find("--page-size: node 1 has 1, node 0 has 16"), std::string::npos) << n->log();
    }
}

} // namespace
} // namespace slipway::engine::dist
