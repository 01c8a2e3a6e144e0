#pragma once
// The CUDA backend's public face, free of CUDA headers so the server and tools can include it
// in any build; only builds with the target slipway_engine_cuda (compile definition
// SLIPWAY_ENGINE_HAS_CUDA) can call it.
//
// Memory (as SGLang's --mem-fraction-static): after the weights, activation buffers and the
// cuBLASLt workspace are on the GPU, the KV pool takes
//     pool_bytes = mem_fraction_static * total_gpu_memory - (total_gpu_memory - free_gpu_memory)
// i.e. weights + everything else already allocated + KV pool = the fraction of the card; the
// rest (1 - fraction) stays free for CUDA graphs, cuBLAS and the driver. The pool holds
// pool_bytes / kv_bytes_per_token token slots (bf16 K and V of every layer), rounded down to
// whole pages. report().summary() states it for the start-up log and /get_model_info.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/model_loader.h"
#include "runtime/device_sampling.h"
#include "slipway/engine/model_runner.h"

namespace slipway::engine {

struct CudaRunnerOptions {
    int device = 0;                     // CUDA device ordinal
    double mem_fraction_static = 0.88;  // --mem-fraction-static
    int32_t page_size = 1;              // token slots per KV page
    int32_t cuda_graph_max_bs = 0;      // --cuda-graph-max-bs; 0: 256
    bool disable_cuda_graph = false;    // --disable-cuda-graph
    int64_t max_context_len = 0;        // <= 0: the model's max_position_embeddings; else the smaller
    int64_t num_pages = 0;              // > 0: this many pages instead of sizing by the fraction (tests)
    int32_t max_tokens_per_step = 8192; // initial activation capacity; grows on demand
};

struct CudaRunnerReport {
    std::string device_name;
    int64_t total_memory_bytes = 0;
    int64_t weights_bytes = 0;         // bf16 weights on the GPU
    int64_t decode_read_bytes = 0;     // weights one decode step reads (all but the embedding)
    int64_t kv_pool_bytes = 0;
    int64_t kv_pool_tokens = 0;        // num_pages * page_size
    int64_t kv_bytes_per_token = 0;
    int64_t num_pages = 0;
    std::vector<int32_t> graph_batch_sizes;  // captured decode sizes (empty: graphs off)
    double graph_capture_seconds = 0;
    std::vector<std::string> gemm_tuning;    // per decode shape: the GEMM kernel autotuning picked
    std::string summary() const;       // one line for the start-up log
};


// One op of a profiled decode step: GPU time summed over the layers, and how often it ran.
struct OpProfile {
    std::string op;
    double ms = 0;
    int count = 0;
};

class CudaRunner : public ModelRunner, public DeviceSampler {
public:
    // Thread-safety of everything below: one caller at a time (the scheduler loop).
    virtual const CudaRunnerReport &report() const = 0;
    // forward() plus sampling on the GPU: one token per sequence whose need_logits is set, in
    // order; only token ids cross PCIe. `sampling` has one entry per such sequence.
    Status forward_sample(const ForwardBatch &batch, const std::vector<DeviceSampling> &sampling,
                          std::vector<int32_t> &tokens) override = 0;
    // forward() then argmax on the GPU (greedy decoding without the logits copy).
    virtual Status forward_greedy(const ForwardBatch &batch, std::vector<int32_t> &tokens) = 0;
    // Runs one decode step of `batch` (every query_len 1) eagerly with a CUDA event after each
    // op, all enqueued behind a GPU spin so the kernels run back to back as in a graph; returns
    // GPU time per op kind (benchmarks: where a decode step's time goes). Writes KV like forward.
    virtual StatusOr<std::vector<OpProfile>> profile_decode_step(const ForwardBatch &batch) = 0;
};

StatusOr<std::unique_ptr<CudaRunner>> create_cuda_runner(std::shared_ptr<const LoadedModel> model,
                                                         const CudaRunnerOptions &options);

// Same shape, weights drawn on the GPU from `seed` (benchmarks: no checkpoint needed).
StatusOr<std::unique_ptr<CudaRunner>> create_cuda_runner_random(const ModelConfig &config,
                                                                const CudaRunnerOptions &options, uint64_t seed);

} // namespace slipway::engine
