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
    std::string summary() const;       // one line for the start-up log
};

// Per-row sampling parameters for sample_on_device (the runtime's SamplingParams, flattened).
struct DeviceSampling {
    float temperature = 1.0f;  // < 1e-6: greedy
    int32_t top_k = -1;
    float top_p = 1.0f;
    float min_p = 0.0f;
    float repetition_penalty = 1.0f;
    float frequency_penalty = 0.0f;
    float presence_penalty = 0.0f;
    double uniform = 0.0;                   // one draw of the request's RequestRng
    std::vector<int32_t> penalty_ids;       // unique token ids seen in prompt or output
    std::vector<int32_t> penalty_counts;    // their occurrences in the output so far
    std::vector<int32_t> masked_ids;        // forced to -inf (EOS / stop below min_new_tokens)
};

class CudaRunner : public ModelRunner {
public:
    // Thread-safety of everything below: one caller at a time (the scheduler loop).
    virtual const CudaRunnerReport &report() const = 0;
    // forward() plus sampling on the GPU: one token per sequence whose need_logits is set, in
    // order; only token ids cross PCIe. `sampling` has one entry per such sequence.
    virtual Status forward_sample(const ForwardBatch &batch, const std::vector<DeviceSampling> &sampling,
                                  std::vector<int32_t> &tokens) = 0;
    // forward() then argmax on the GPU (greedy decoding without the logits copy).
    virtual Status forward_greedy(const ForwardBatch &batch, std::vector<int32_t> &tokens) = 0;
};

StatusOr<std::unique_ptr<CudaRunner>> create_cuda_runner(std::shared_ptr<const LoadedModel> model,
                                                         const CudaRunnerOptions &options);

// Same shape, weights drawn on the GPU from `seed` (benchmarks: no checkpoint needed).
StatusOr<std::unique_ptr<CudaRunner>> create_cuda_runner_random(const ModelConfig &config,
                                                                const CudaRunnerOptions &options, uint64_t seed);

} // namespace slipway::engine
