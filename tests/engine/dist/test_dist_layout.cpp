// ParallelLayout: derived once from --tp / --nnodes / --node-rank; bad flags are named.
#include <gtest/gtest.h>

#include "dist/control_channel.h"
#include "dist/parallel_layout.h"

namespace slipway::engine::dist {
namespace {

TEST(DistLayout, DerivesRanksPerNode) {
    auto l = ParallelLayout::from_flags(4, 2, 1);
    ASSERT_TRUE(l.ok()) << l.message();
    EXPECT_EQ(l->world_size, 4);
    EXPECT_EQ(l->gpus_per_node, 2);
    EXPECT_EQ(l->first_rank(), 2);
    EXPECT_EQ(l->global_rank(1), 3);
    EXPECT_EQ(l->node_of(3), 1);
    EXPECT_FALSE(l->is_leader());
    EXPECT_TRUE(l->multi_node());
    EXPECT_EQ(l->describe(), "tp 4 over 2 nodes (2 GPUs each), this is node 1: ranks 2-3");

    auto guide = ParallelLayout::from_flags(2, 2, 0);  // the guide's LeaderWorkerSet: --tp 2, size 2
    ASSERT_TRUE(guide.ok());
    EXPECT_EQ(guide->describe(), "tp 2 over 2 nodes (1 GPU each), this is node 0 (the leader): rank 0");

    auto one = ParallelLayout::from_flags(1, 1, 0);
    ASSERT_TRUE(one.ok());
    EXPECT_EQ(one->describe(), "tp 1 (one GPU, no tensor parallelism)");
    auto local = ParallelLayout::from_flags(8, 1, 0);
    ASSERT_TRUE(local.ok());
    EXPECT_EQ(local->describe(), "tp 8 on one node (8 GPUs: ranks 0-7)");
    EXPECT_FALSE(local->multi_node());
}

TEST(DistLayout, NamesTheFlagToChange) {
    struct Row {
        const char *name;
        int tp, nnodes, node_rank;
        const char *expected;
    };
    const Row rows[] = {
        {"tp zero", 0, 1, 0, "--tp 0 must be at least 1"},
        {"nnodes zero", 2, 0, 0, "--nnodes 0 must be at least 1"},
        {"tp not divisible", 3, 2, 0, "--tp 3 is not divisible by --nnodes 2"},
        {"more nodes than ranks", 1, 2, 0, "--tp 1 is not divisible by --nnodes 2"},
        {"node rank too high", 4, 2, 2, "--node-rank 2 is out of range: with --nnodes 2 it must be 0..1"},
        {"node rank negative", 4, 2, -1, "--node-rank -1 is out of range"},
    };
    for (const Row &r : rows) {
        auto l = ParallelLayout::from_flags(r.tp, r.nnodes, r.node_rank);
        ASSERT_FALSE(l.ok()) << r.name;
        EXPECT_NE(l.message().find(r.expected), std::string::npos) << r.name << ": " << l.message();
    }
}

TEST(DistLayout, NodeLabelsNameTheirRanks) {
    auto l = ParallelLayout::from_flags(4, 2, 0);
    ASSERT_TRUE(l.ok());
    EXPECT_EQ(node_label(l.value(), 0), "node 0 (ranks 0-1, the leader)");
    EXPECT_EQ(node_label(l.value(), 1), "node 1 (ranks 2-3)");
    auto g = ParallelLayout::from_flags(2, 2, 1);
    ASSERT_TRUE(g.ok());
    EXPECT_EQ(node_label(g.value(), 1), "node 1 (rank 1)");
}

} // namespace
} // namespace slipway::engine::dist
