// The shard geometry of tensor parallelism (engine/cuda/tp_shard.h), host logic only: it runs in
// CI without a GPU, for world sizes the GPU machines have not offered (TP 4, 8, 16). For every
// rank of each valid (model, --tp): the q heads, the intermediate columns and the vocabulary
// slices partition the model exactly once; every q head of a rank belongs to a KV head the rank
// holds (GQA groups never straddle ranks, KV heads replicated when --tp exceeds them); a --tp
// that does not divide is refused with the values that would work.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cuda/tp_shard.h"
#include "model/model_config.h"

using namespace slipway::engine;

namespace {

ModelConfig shape(int64_t vocab, int64_t hidden, int64_t inter, int64_t heads, int64_t kv_heads) {
    ModelConfig c;
    c.vocab_size = vocab;
    c.hidden_size = hidden;
    c.intermediate_size = inter;
    c.num_layers = 2;
    c.num_heads = heads;
    c.num_kv_heads = kv_heads;
    c.head_dim = hidden / heads;
    return c;
}

// R1-Distill-Qwen-7B, R1-Distill-Llama-70B, a small random shape, the tiny fixtures' shapes.
const ModelConfig kQwen7B = shape(152064, 3584, 18944, 28, 4);
const ModelConfig kLlama70B = shape(128256, 8192, 28672, 64, 8);

void check_partition(const ModelConfig &c, int world) {
    SCOPED_TRACE("world " + std::to_string(world) + " heads " + std::to_string(c.num_heads) + "/" +
                 std::to_string(c.num_kv_heads));
    std::vector<int> q_owner(static_cast<size_t>(c.num_heads), 0), inter_owner(static_cast<size_t>(c.intermediate_size), 0),
        vocab_owner(static_cast<size_t>(c.vocab_size), 0), kv_holders(static_cast<size_t>(c.num_kv_heads), 0);
    const int64_t group = c.num_heads / c.num_kv_heads;  // q heads per KV head
    for (int r = 0; r < world; ++r) {
        auto s = cuda::make_tp_shard(c, r, world);
        ASSERT_TRUE(s.ok()) << s.message();
        const cuda::TpShard &t = s.value();
        EXPECT_EQ(t.local_q_heads * world, c.num_heads);
        for (int64_t q = t.q_head_begin; q < t.q_head_begin + t.local_q_heads; ++q) {
            ++q_owner[static_cast<size_t>(q)];
            const int64_t kv = q / group;
            EXPECT_GE(kv, t.kv_head_begin) << "rank " << r << " q head " << q;
            EXPECT_LT(kv, t.kv_head_begin + t.local_kv_heads) << "rank " << r << " q head " << q;
        }
        for (int64_t k = t.kv_head_begin; k < t.kv_head_begin + t.local_kv_heads; ++k) ++kv_holders[static_cast<size_t>(k)];
        for (int64_t i = t.inter_begin; i < t.inter_begin + t.local_inter; ++i) ++inter_owner[static_cast<size_t>(i)];
        EXPECT_EQ(t.local_inter % 8, 0);
        EXPECT_EQ(t.vocab_local, (c.vocab_size + world - 1) / world);
        EXPECT_LE(t.vocab_valid, t.vocab_local);
        for (int64_t v = t.vocab_begin; v < t.vocab_begin + t.vocab_valid; ++v) ++vocab_owner[static_cast<size_t>(v)];
        const ModelConfig local = cuda::local_config(t);
        EXPECT_EQ(local.num_heads, t.local_q_heads);
        EXPECT_EQ(local.num_kv_heads, t.local_kv_heads);
        EXPECT_EQ(local.num_heads % local.num_kv_heads, 0);  // the rank's GQA grouping is whole
        EXPECT_EQ(local.intermediate_size, t.local_inter);
        EXPECT_EQ(local.vocab_size, c.vocab_size);  // token ids and logits stay global
    }
    for (int n : q_owner) ASSERT_EQ(n, 1);
    for (int n : inter_owner) ASSERT_EQ(n, 1);
    for (int n : vocab_owner) ASSERT_EQ(n, 1);
    // Every KV head is held: by world / KV ranks when replicated, else by exactly one.
    const int expect_holders = world > c.num_kv_heads ? static_cast<int>(world / c.num_kv_heads) : 1;
    for (int n : kv_holders) ASSERT_EQ(n, expect_holders);
}

TEST(TpShard, EveryRankOfEveryValidTpPartitionsTheModel) {
    for (int world : {1, 2, 4}) check_partition(kQwen7B, world);
    for (int world : {1, 2, 4, 8, 16}) check_partition(kLlama70B, world);    // 16: each KV head on 2 ranks
    for (int world : {1, 2, 4, 8}) check_partition(shape(1001, 256, 640, 8, 2), world);  // 4, 8: replicated
    for (int world : {1, 2}) check_partition(shape(1000, 64, 128, 4, 1), world);        // 1 KV head
}

TEST(TpShard, TheRanksOfARandomShapeAtTp4) {
    const ModelConfig c = shape(1001, 256, 640, 8, 2);
    auto s = cuda::make_tp_shard(c, 3, 4);
    ASSERT_TRUE(s.ok()) << s.message();
    EXPECT_EQ(s->local_q_heads, 2);
    EXPECT_EQ(s->q_head_begin, 6);
    EXPECT_EQ(s->local_kv_heads, 1);  // 2 KV heads over 4 ranks: replicated
    EXPECT_EQ(s->kv_head_begin, 1);   // q heads 6-7 belong to KV head 1 (group of 4)
    EXPECT_EQ(s->local_inter, 160);
    EXPECT_EQ(s->vocab_local, 251);
    EXPECT_EQ(s->vocab_begin, 753);
    EXPECT_EQ(s->vocab_valid, 248);
}

TEST(TpShard, ATpThatDoesNotDivideIsRefusedWithTheValuesThatWork) {
    auto seven = cuda::make_tp_shard(kQwen7B, 0, 8);  // 28 heads over 8 ranks
    ASSERT_FALSE(seven.ok());
    EXPECT_NE(seven.message().find("--tp 8"), std::string::npos) << seven.message();
    EXPECT_NE(seven.message().find("28 attention heads"), std::string::npos) << seven.message();
    EXPECT_NE(seven.message().find("--tp values that work: 1, 2, 4"), std::string::npos) << seven.message();
    auto three = cuda::make_tp_shard(shape(1001, 256, 640, 8, 2), 0, 3);
    ASSERT_FALSE(three.ok());
    EXPECT_NE(three.message().find("--tp values that work: 1, 2, 4, 8"), std::string::npos) << three.message();
    auto kv = cuda::make_tp_shard(shape(1000, 384, 768, 12, 3), 0, 2);  // 3 KV heads neither divide nor replicate
    ASSERT_FALSE(kv.ok());
    EXPECT_NE(kv.message().find("KV heads"), std::string::npos) << kv.message();
    auto rank = cuda::make_tp_shard(kQwen7B, 2, 2);
    ASSERT_FALSE(rank.ok());
    EXPECT_NE(rank.message().find("not a valid rank"), std::string::npos) << rank.message();
}

} // namespace
