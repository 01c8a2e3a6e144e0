#pragma once
// The weights of a model as groups of equally shaped tensors, with how SGLang shards each group
// under tensor parallelism and whether fp8/int4 quantise it. Everything the calculator says about
// weights (bytes per dtype, bytes per GPU, bytes read per decoded token) is a sum over this list.
#include "sizing/dtype.h"

#include <cstdint>
#include <string>
#include <vector>

namespace slipway::model {
struct ModelSpec;
}

namespace slipway::sizing {

// How a tensor is split across TP ranks (SGLang's layers of the same names).
enum class Sharding {
    Replicated,    // every rank holds it all: norms, the MoE router, MLA's q_a/kv_a projections
    Column,        // output rows split in `unit`-row pieces (q/k/v/gate/up, q_b/kv_b); k/v are split
                   // by KV head and each rank keeps one whole head when TP exceeds the KV heads
    Row,           // input columns split in `unit`-column pieces (o_proj, down_proj)
    VocabParallel, // vocabulary rows split: embed_tokens and lm_head
};

enum class TensorRole { Embedding, Head, Norm, Bias, Attention, Mlp, Expert, SharedExpert, Router, Mtp };

struct TensorGroup {
    std::string name;    // "layers.*.self_attn.q_proj.weight"
    TensorRole role = TensorRole::Attention;
    int64_t rows = 0;    // output features; vocabulary for embeddings; length for vectors
    int64_t cols = 1;    // input features; 1 for vectors
    int64_t count = 1;   // how many such tensors (layers × experts)
    Sharding sharding = Sharding::Replicated;
    int64_t unit = 1;    // rows (Column) or columns (Row) that move together: a head's width
    bool quantisable = false; // a decoder linear layer: fp8 blocks / int4 groups apply
    bool fp32 = false;        // kept in fp32 whatever the dtype (V3's e_score_correction_bias)
    bool mtp = false;         // multi-token-prediction layer: on disk, not loaded without speculation
    // Share of the tensor one decoded token reads: 1; experts topk/routed; embedding one row.
    double readShare = 1.0;

    int64_t elements() const { return rows * cols * count; }
};

struct WeightLayout {
    std::vector<TensorGroup> groups;
};

// Breakdown of bytes for one dtype, for formulas: quantised params at their width plus scales,
// the rest at 2 bytes (4 for fp32 parts).
struct WeightBytes {
    int64_t quantisedParams = 0; // linear-layer parameters stored at the dtype's width
    int64_t scaleCount = 0;      // fp8 block scales (4 B) or int4 group scales (2 B)
    int64_t wideParams = 0;      // parameters kept at 2 bytes (embeddings, head, norms, biases, router)
    int64_t fp32Params = 0;      // parameters kept at 4 bytes
    int64_t totalBytes = 0;
};

WeightLayout buildWeightLayout(const model::ModelSpec &spec);

// Parameters of the layout. includeMtp adds the MTP layers (what the checkpoint holds).
int64_t layoutParameterCount(const WeightLayout &layout, bool includeMtp);

// Rows and columns of one group's tensor on one of `tp` ranks.
int64_t rowsPerRank(const TensorGroup &g, int tp);
int64_t colsPerRank(const TensorGroup &g, int tp);

// Bytes of the whole model (tp = 1) or of one rank under TP, in `dtype` (not Auto).
WeightBytes weightBytes(const WeightLayout &layout, WeightDtype dtype, int tp, bool includeMtp);

// Bytes one rank holds per sharding kind (sum equals weightBytes(...).totalBytes), for formulas.
struct RankBytes {
    int64_t sharded = 0;       // Column and Row groups
    int64_t vocabParallel = 0; // embed_tokens, lm_head
    int64_t replicated = 0;
    int64_t total() const { return sharded + vocabParallel + replicated; }
};
RankBytes rankBytes(const WeightLayout &layout, WeightDtype dtype, int tp);

// Bytes one rank reads for one decoded token of one sequence (MoE: only the routed experts'
// share; embedding: one row), and for a batch of `sequences` tokens, where the MoE experts read
// are the expected distinct ones under uniform routing: E × (1 − (1 − k/E)^B).
double readBytesPerToken(const WeightLayout &layout, WeightDtype dtype, int tp, int64_t sequences);

// Parameters read per decoded token (MoE: active experts; embedding: one row).
int64_t activeParameterCount(const WeightLayout &layout);

} // namespace slipway::sizing
