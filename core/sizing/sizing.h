#pragma once
// The GPU sizing calculator: from a model, dtypes, a load (context × concurrent sequences) and a
// GPU to weights per GPU, the KV cache pool as SGLang sizes it, the smallest valid tensor-parallel
// size, node count, pod resources and a decode speed ceiling. Every figure carries its formula.
//
// Memory model (SGLang's --mem-fraction-static): of a GPU's memory M, the static share f × M holds
// the weights and the KV cache pool; the rest, (1 − f) × M, is the reserve for activations, CUDA
// graphs, the CUDA context and NCCL buffers. So the pool is f × M − weights per GPU, and it holds
// pool ÷ (KV bytes per token per GPU) tokens. The load fits when context × concurrency tokens fit.
//
// Pure computation: no I/O, thread-safe.
#include "common/message.h"
#include "common/result.h"
#include "model/model_spec.h"
#include "sizing/dtype.h"
#include "sizing/figure.h"
#include "sizing/gpu_catalog.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slipway::sizing {

struct SizingInput {
    model::ModelSpec model;
    WeightDtype weightDtype = WeightDtype::Auto;
    KvDtype kvDtype = KvDtype::Auto;
    int64_t contextLength = 0;        // tokens per sequence; 0: the model's max_position_embeddings
    int64_t concurrency = 1;          // sequences held at full context at once
    GpuSpec gpu;
    int gpusPerNode = 8;
    std::optional<double> memFraction; // --mem-fraction-static; absent: SGLang's default (card, TP)
    std::optional<int> tensorParallel; // forced --tp; absent: the smallest valid TP that fits
};

// One TP size considered by the search, with why it was or wasn't taken.
struct TpCandidate {
    int tp = 1;
    int nodes = 1;
    bool valid = false;   // divides heads, KV heads, MLP widths (and 128-blocks when quantised)
    bool fits = false;
    double memFraction = 0;
    int64_t perGpuWeightsBytes = 0;
    int64_t kvPoolBytes = 0;
    Message note;         // "weights 70.55 GB per GPU exceed the static 66.0 GB", "fits", ...
};

struct SizingResult {
    // Inputs as resolved.
    std::string modelId;
    std::string modelName;
    GpuSpec gpu;
    WeightDtype weightDtype = WeightDtype::Bf16;      // never Auto
    WeightDtype checkpointDtype = WeightDtype::Bf16;  // what the volume holds (see volume figure)
    KvDtype kvDtype = KvDtype::Bf16;                  // never Auto
    int64_t contextLength = 0;
    int64_t concurrency = 1;
    double memFraction = 0;
    bool memFractionIsDefault = false;

    // Model.
    int64_t params = 0;                // main model (without MTP layers)
    int64_t activeParamsPerToken = 0;
    int64_t weightsBytes = 0;          // whole model in weightDtype, MTP excluded (not loaded)
    int64_t kvBytesPerToken = 0;       // whole model, one token

    // Parallelism.
    int tp = 1;
    bool tpForced = false;
    bool tpValid = true;
    int nodes = 1;
    int gpusPerNode = 1;               // GPUs each pod (node) uses
    int gpusTotal = 1;
    std::vector<TpCandidate> tpSearch;

    // Per GPU.
    int64_t gpuMemoryBytes = 0;
    int64_t perGpuWeightsBytes = 0;
    int64_t kvBytesPerTokenPerGpu = 0;
    int64_t staticBytes = 0;           // f × M
    int64_t reserveBytes = 0;          // (1 − f) × M
    int64_t reserveNeededBytes = 0;    // estimated minimum for activations etc. (see figure)
    int64_t kvPoolBytes = 0;           // may be negative: weights exceed the static share
    int64_t kvCapacityTokens = 0;
    int64_t kvNeededTokens = 0;        // context × concurrency
    bool fits = false;

    // Per pod.
    int cpuCores = 0;
    int64_t hostMemoryBytes = 0;
    int64_t shmBytes = 0;
    int64_t checkpointBytes = 0;       // on disk, MTP included
    int64_t volumeBytes = 0;

    // Decode ceilings (0 when the GPU's bandwidth is unknown).
    int64_t decodeBytesPerStepPerGpu = 0;
    double decodeCeilingTokensPerS = 0;       // one sequence at full context
    double decodeCeilingBatchTokensPerS = 0;  // all `concurrency` sequences together

    std::vector<Figure> figures;
    std::vector<Message> warnings; // deployable, but worth knowing (codes in sizing_messages.h)
    std::vector<Message> errors;   // not deployable as asked: doesn't fit, invalid forced TP

    const Figure *figure(std::string_view key) const;
    bool deployable() const { return errors.empty(); }
};

// Validates the input (context, concurrency, fraction, GPUs per node, TP > 0; a model with heads
// and layers) and sizes it. A load that doesn't fit or a forced TP that doesn't divide the heads
// is not a failure here: the result says so in `fits`, `tpValid` and `errors`.
Result<SizingResult> computeSizing(const SizingInput &input);

// SGLang's default --mem-fraction-static for a card and TP size (server_args.py): it reserves
// (2.8 + TP/10) GiB on cards under 35 GiB, (9.5 + TP/2) GiB under 90 GiB, (12 + TP/2) GiB under
// 160 GiB and 32 GiB above, and takes round((M − reserve) / M, 3) with M in MiB.
double sglangDefaultMemFraction(const GpuSpec &gpu, int tp);
// SGLang's default --chunked-prefill-size for the card: 2048 under 35 GiB, 8192 under 160 GiB,
// else 16384.
int64_t sglangDefaultChunkedPrefill(const GpuSpec &gpu);

// Why `tp` can't serve this model in this dtype; empty when it can.
std::vector<Message> tpProblems(const model::ModelSpec &spec, WeightDtype dtype, int tp);

} // namespace slipway::sizing
