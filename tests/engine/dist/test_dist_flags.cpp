// The serve flags of a multi-node group: SGLang's names, the engine's bounds, clear errors, and
// the set of flags every node must share.
#include <gtest/gtest.h>

#include "server/dist_node.h"
#include "server/serve_options.h"

namespace slipway::engine {
namespace {

StatusOr<ServeCommand> parse(std::vector<std::string> args) {
    args.insert(args.begin(), {"--model-path", "/models/x"});
    return parse_serve_args(args);
}

TEST(DistFlags, GuideCommandLineParses) {
    // Every LeaderWorkerSet pod of the guide: --tp 2 --dist-init-addr $(LWS_LEADER_ADDRESS):20000
    // --nnodes $(LWS_GROUP_SIZE) --node-rank $(LWS_WORKER_INDEX).
    auto c = parse({"--tp", "2", "--dist-init-addr", "ds-0.ds.llm:20000", "--nnodes", "2", "--node-rank", "1"});
    ASSERT_TRUE(c.ok()) << c.message();
    EXPECT_EQ(c->options.tp, 2);
    EXPECT_EQ(c->options.nnodes, 2);
    EXPECT_EQ(c->options.node_rank, 1);
    EXPECT_EQ(c->options.dist_init_addr, "ds-0.ds.llm:20000");
    EXPECT_DOUBLE_EQ(c->options.dist_heartbeat_timeout, 5);
    EXPECT_DOUBLE_EQ(c->options.dist_step_timeout, 60);
    EXPECT_FALSE(c->options.dist_timeout.has_value());

    auto bounds = parse({"--tp-size=4", "--dist-timeout", "30", "--dist-heartbeat-timeout", "2.5", "--dist-step-timeout=90"});
    ASSERT_TRUE(bounds.ok()) << bounds.message();
    EXPECT_EQ(bounds->options.tp, 4);
    EXPECT_EQ(*bounds->options.dist_timeout, 30);
    const auto ch = dist_channel_options(bounds->options);
    EXPECT_EQ(ch.heartbeat_timeout, std::chrono::milliseconds(2500));
    EXPECT_EQ(ch.step_timeout, std::chrono::milliseconds(90000));
    EXPECT_EQ(ch.ready_timeout, std::chrono::milliseconds(30000));
    EXPECT_LE(ch.heartbeat_interval * 3, ch.heartbeat_timeout);
}

TEST(DistFlags, BadValuesNameTheFlag) {
    struct Row {
        std::vector<std::string> args;
        const char *expected;
    };
    const Row rows[] = {
        {{"--tp", "3", "--nnodes", "2", "--dist-init-addr", "h:1"}, "--tp 3 is not divisible by --nnodes 2"},
        {{"--tp", "2", "--nnodes", "2"}, "--nnodes 2 needs --dist-init-addr HOST:PORT"},
        {{"--tp", "2", "--nnodes", "2", "--node-rank", "2", "--dist-init-addr", "h:1"}, "--node-rank 2"},
        {{"--dist-init-addr", "leader"}, "invalid value 'leader' for --dist-init-addr"},
        {{"--dist-heartbeat-timeout", "0"}, "invalid value '0' for --dist-heartbeat-timeout"},
        {{"--dist-step-timeout", "soon"}, "invalid value 'soon' for --dist-step-timeout"},
        {{"--dist-timeout", "-5"}, "invalid value '-5' for --dist-timeout"},
    };
    for (const Row &r : rows) {
        auto c = parse(r.args);
        ASSERT_FALSE(c.ok()) << r.expected;
        EXPECT_NE(c.message().find(r.expected), std::string::npos) << c.message();
    }
}

TEST(DistFlags, TheFlagsThatMustMatchIncludeTheKvAndGroupShape) {
    auto c = parse({"--tp", "4", "--nnodes", "2", "--dist-init-addr", "h:1", "--page-size", "16"});
    ASSERT_TRUE(c.ok());
    const dist::FlagSet f = dist_flag_set(c->options);
    auto value = [&](const std::string &name) {
        for (const auto &[n, v] : f.entries)
            if (n == name) return v;
        return std::string("(absent)");
    };
    EXPECT_EQ(value("--tp"), "4");
    EXPECT_EQ(value("--nnodes"), "2");
    EXPECT_EQ(value("--page-size"), "16");
    EXPECT_EQ(value("--context-length"), "the model's");
    EXPECT_EQ(value("--max-total-tokens"), "derived");
    EXPECT_EQ(value("--mem-fraction-static"), "default");
    EXPECT_EQ(value("--dist-step-timeout"), "60");
    // Per-node flags are not compared: every pod has its own rank, host and port.
    EXPECT_EQ(value("--node-rank"), "(absent)");
    EXPECT_EQ(value("--port"), "(absent)");
}

TEST(DistFlags, TensorParallelismNeedsTheCudaBackend) {
    auto c = parse({"--tp", "2", "--device", "cpu"});
    ASSERT_TRUE(c.ok());
    Status s = check_tensor_parallel_support(c->options);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.message().find("tensor parallelism needs the CUDA backend (--device cuda)"), std::string::npos)
        << s.message();
}

} // namespace
} // namespace slipway::engine
