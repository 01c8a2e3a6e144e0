// GPU (label gpu, needs 2 GPUs): two slipway-engine processes as the two nodes of a tp 2 group on
// one host, one GPU each, NCCL confined to sockets as between machines, started the way
// LeaderWorkerSet starts pods (--nnodes 2 --node-rank 0|1 --dist-init-addr 127.0.0.1:PORT), the
// worker first. Node 0 serves the OpenAI API (greedy and sampled completions); killing either
// node ends the other non-zero. With 4 GPUs, also a tp 4 group of two nodes with two GPUs each
// (the shape of a LeaderWorkerSet whose pods hold several GPUs).
#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "dist_test_support.h"
#include "node_process.h"

namespace slipway::engine::dist {
namespace {

using namespace std::chrono_literals;
using test::NodeProcess;

const std::string kModel = std::string(SLIPWAY_SOURCE_DIR) + "/tests/engine/fixtures/qwen2-tiny-bf16";

int gpu_count() {
    FILE *p = ::popen("nvidia-smi -L 2>/dev/null", "r");
    if (p == nullptr) return 0;
    int lines = 0;
    char buf[512];
    while (std::fgets(buf, sizeof buf, p) != nullptr) lines += std::string(buf).rfind("GPU ", 0) == 0 ? 1 : 0;
    ::pclose(p);
    return lines;
}

std::vector<std::string> engine_args(std::vector<std::string> extra) {
    std::vector<std::string> a = {SLIPWAY_ENGINE_BINARY, "--model-path", kModel, "--served-model-name", "tiny",
                                  "--device", "cuda", "--host", "127.0.0.1", "--port", "0",
                                  "--max-total-tokens", "4096", "--cuda-graph-max-bs", "4"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
}

std::vector<std::string> node_args(uint16_t port, int node_rank, int tp = 2) {
    return engine_args({"--tp", std::to_string(tp), "--nnodes", "2", "--node-rank", std::to_string(node_rank),
                        "--dist-init-addr", "127.0.0.1:" + std::to_string(port), "--dist-timeout", "120",
                        "--dist-heartbeat-timeout", "3", "--dist-step-timeout", "30"});
}

// `gpus`: the node's CUDA_VISIBLE_DEVICES ("1", "2,3").
std::vector<std::string> gpu_env(const std::string &gpus) {
    return {"CUDA_VISIBLE_DEVICES=" + gpus, "NCCL_P2P_DISABLE=1", "NCCL_SHM_DISABLE=1", "NCCL_NVLS_ENABLE=0"};
}

// A 16-token completion; greedy unless a temperature is given (then with `seed`).
std::string complete(int port, double temperature = 0, int seed = 0) {
    nlohmann::json body = {{"model", "tiny"}, {"prompt", "The quick brown fox"}, {"max_tokens", 16},
                           {"temperature", temperature}};
    if (temperature > 0) {
        body["seed"] = seed;
        body["top_p"] = 0.9;
    }
    auto r = test::http_request(port, "POST", "/v1/completions", body.dump());
    EXPECT_EQ(r.first, 200) << r.second;
    if (r.first != 200) return "";
    return nlohmann::json::parse(r.second)["choices"][0]["text"].get<std::string>();
}

class DistGpuNodes : public ::testing::Test {
protected:
    void SetUp() override {
        if (gpu_count() < 2) GTEST_SKIP() << "needs 2 GPUs";
    }
};

// The greedy completion of one GPU (tp 1), what every group must reproduce.
std::string tp1_reference() {
    NodeProcess single(engine_args({}), {"CUDA_VISIBLE_DEVICES=0"});
    EXPECT_TRUE(single.wait_log("ready: serving", 180s)) << single.log();
    const std::string text = complete(single.http_port());
    single.signal(SIGTERM);
    EXPECT_EQ(single.wait_exit(20s), 0) << single.log();
    return text;
}

TEST_F(DistGpuNodes, TwoNodesServeLikeOneGpuAndShutDownTogether) {
    const std::string reference = tp1_reference();
    ASSERT_FALSE(reference.empty());
    const uint16_t port = test::free_port();
    NodeProcess worker(node_args(port, 1), gpu_env("1"));
    ASSERT_TRUE(worker.wait_log("listening on http://", 20s)) << worker.log();
    std::this_thread::sleep_for(1s);  // the worker meets a missing leader first
    NodeProcess leader(node_args(port, 0), gpu_env("0"));
    ASSERT_TRUE(leader.wait_log("ready: serving", 180s)) << leader.log() << "\n--- worker:\n" << worker.log();
    EXPECT_NE(leader.log().find("tensor-parallel group formed: node 1 (rank 1)"), std::string::npos) << leader.log();
    // The start-up lines name the transport NCCL chose between the nodes (P2P and SHM are off:
    // a network one, sockets or InfiniBand where the host has it).
    EXPECT_NE(leader.log().find(" over NET/"), std::string::npos) << leader.log();
    EXPECT_NE(worker.log().find("NET/"), std::string::npos) << worker.log();

    const std::string text = complete(leader.http_port());
    EXPECT_FALSE(text.empty());
    EXPECT_EQ(text, reference) << "greedy text at tp 2 over two nodes differs from tp 1";
    // Sampling across nodes: the logits are gathered and every rank samples them with the plan's
    // random numbers. Two completions with the same seed come back, and alike.
    const std::string sampled = complete(leader.http_port(), 0.8, 7);
    EXPECT_FALSE(sampled.empty()) << leader.log() << "\n--- worker:\n" << worker.log();
    EXPECT_EQ(complete(leader.http_port(), 0.8, 7), sampled);

    auto health = test::http_get(worker.http_port(), "/health");
    ASSERT_EQ(health.first, 200) << health.second;
    const auto j = nlohmann::json::parse(health.second);
    EXPECT_EQ(j["status"], "serving");
    EXPECT_GT(j["last_step"].get<int>(), 0);

    leader.signal(SIGTERM);
    EXPECT_EQ(leader.wait_exit(30s), 0) << leader.log();
    EXPECT_EQ(worker.wait_exit(15s), 0) << worker.log();
}

// tp 4 over two nodes of two GPUs each: ranks 0-1 on node 0, 2-3 on node 1 (two ranks a process,
// NCCL across the processes only), the worker first.
TEST_F(DistGpuNodes, TwoNodesOfTwoGpusServeLikeOneGpu) {
    if (gpu_count() < 4) GTEST_SKIP() << "needs 4 GPUs";
    const std::string reference = tp1_reference();
    ASSERT_FALSE(reference.empty());
    const uint16_t port = test::free_port();
    NodeProcess worker(node_args(port, 1, 4), gpu_env("2,3"));
    ASSERT_TRUE(worker.wait_log("listening on http://", 20s)) << worker.log();
    NodeProcess leader(node_args(port, 0, 4), gpu_env("0,1"));
    ASSERT_TRUE(leader.wait_log("ready: serving", 180s)) << leader.log() << "\n--- worker:\n" << worker.log();
    EXPECT_NE(leader.log().find("tensor-parallel group formed: node 1 (ranks 2-3)"), std::string::npos)
        << leader.log();
    EXPECT_EQ(complete(leader.http_port()), reference) << "greedy text at tp 4 over two nodes differs from tp 1";
    const std::string sampled = complete(leader.http_port(), 0.8, 11);
    EXPECT_FALSE(sampled.empty());
    EXPECT_EQ(complete(leader.http_port(), 0.8, 11), sampled);
    auto health = test::http_get(worker.http_port(), "/health");
    ASSERT_EQ(health.first, 200) << health.second;
    EXPECT_EQ(nlohmann::json::parse(health.second)["status"], "serving");

    // Losing the worker (two ranks at once) ends the leader, naming it.
    worker.signal(SIGKILL);
    const int code = leader.wait_exit(10s);
    EXPECT_NE(code, 0);
    EXPECT_NE(code, -1) << "the leader did not exit";
    EXPECT_NE(leader.log().find("node 1 (ranks 2-3) stopped answering"), std::string::npos) << leader.log();
}

TEST_F(DistGpuNodes, KillingEitherNodeEndsTheOther) {
    for (int victim : {1, 0}) {
        SCOPED_TRACE(victim == 1 ? "kill -9 the worker" : "kill -9 the leader");
        const uint16_t port = test::free_port();
        NodeProcess leader(node_args(port, 0), gpu_env("0"));
        NodeProcess worker(node_args(port, 1), gpu_env("1"));
        ASSERT_TRUE(leader.wait_log("ready: serving", 180s)) << leader.log() << "\n--- worker:\n" << worker.log();
        ASSERT_FALSE(complete(leader.http_port()).empty());
        NodeProcess &dead = victim == 1 ? worker : leader;
        NodeProcess &survivor = victim == 1 ? leader : worker;
        const auto start = Clock::now();
        dead.signal(SIGKILL);
        const int code = survivor.wait_exit(10s);
        EXPECT_LT(Clock::now() - start, 5s);
        EXPECT_NE(code, 0);
        EXPECT_NE(code, -1) << "the survivor did not exit";
        const std::string named = victim == 1 ? "node 1 (rank 1) stopped answering" : "node 0 (rank 0, the leader) stopped answering";
        EXPECT_NE(survivor.log().find(named), std::string::npos) << survivor.log();
    }
}

} // namespace
} // namespace slipway::engine::dist
