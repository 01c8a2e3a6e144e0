// Shard geometry of a tensor-parallel rank (see tp_shard.h).
#include "cuda/tp_shard.h"

#include <algorithm>
#include <string>

namespace slipway::engine::cuda {

namespace {

// Empty when `world` divides the model; else what does not divide.
std::string why_not(const ModelConfig &c, int world) {
    const std::string w = std::to_string(world);
    if (c.num_heads % world != 0)
        return "the model's " + std::to_string(c.num_heads) + " attention heads do not divide over " + w + " ranks";
    if (world <= c.num_kv_heads ? c.num_kv_heads % world != 0 : world % c.num_kv_heads != 0)
        return "the model's " + std::to_string(c.num_kv_heads) + " KV heads neither divide over " + w +
               " ranks nor divide " + w + " (for replication)";
    if (c.intermediate_size % world != 0 || (c.intermediate_size / world) % 8 != 0)
        return "the intermediate size " + std::to_string(c.intermediate_size) + " does not split into " + w +
               " slices of a multiple of 8";
    return {};
}

} // namespace

StatusOr<TpShard> make_tp_shard(const ModelConfig &global, int rank, int world) {
    if (world < 1 || rank < 0 || rank >= world)
        return Status::error("tensor parallel: rank " + std::to_string(rank) + " of " + std::to_string(world) +
                             " is not a valid rank");
    if (global.num_heads <= 0 || global.num_kv_heads <= 0 || global.vocab_size <= 0)
        return Status::error("tensor parallel: the model config has no attention heads or vocabulary");
    if (const std::string why = why_not(global, world); !why.empty()) {
        std::string ok;
        for (int t = 1; t <= 16; ++t)
            if (why_not(global, t).empty()) ok += (ok.empty() ? "" : ", ") + std::to_string(t);
        return Status::error("--tp " + std::to_string(world) + " cannot shard this model: " + why +
                             "; --tp values that work: " + ok);
    }
    TpShard s;
    s.rank = rank;
    s.world = world;
    s.global = global;
    s.local_q_heads = global.num_heads / world;
    s.q_head_begin = rank * s.local_q_heads;
    if (world <= global.num_kv_heads) {
        s.local_kv_heads = global.num_kv_heads / world;
        s.kv_head_begin = rank * s.local_kv_heads;
    } else {
        s.local_kv_heads = 1;
        s.kv_head_begin = static_cast<int64_t>(rank) * global.num_kv_heads / world;
    }
    s.local_inter = global.intermediate_size / world;
    s.inter_begin = rank * s.local_inter;
    s.vocab_local = (global.vocab_size + world - 1) / world;
    s.vocab_begin = rank * s.vocab_local;
    s.vocab_valid = std::clamp<int64_t>(global.vocab_size - s.vocab_begin, 0, s.vocab_local);
    return s;
}

ModelConfig local_config(const TpShard &shard) {
    ModelConfig c = shard.global;
    c.num_heads = shard.local_q_heads;
    c.num_kv_heads = shard.local_kv_heads;
    c.intermediate_size = shard.local_inter;
    return c;
}

} // namespace slipway::engine::cuda
