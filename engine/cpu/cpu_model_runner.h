#pragma once
// The CPU reference backend: the Qwen2 / Llama graph in plain fp32 over a paged KV cache.
// Weights are widened to fp32 once at creation (fp32 tensors are used in place from the
// mapping when aligned). forward() is exact and deterministic: a token's K/V and logits are
// bitwise identical whether its prompt ran whole, in chunks or token by token, alone or in a
// batch, on any thread count.
#include <cstdint>
#include <memory>
#include <vector>

#include "model/model_loader.h"
#include "slipway/engine/model_runner.h"

namespace slipway::engine {

class ThreadPool;

struct CpuRunnerOptions {
    int64_t num_pages = 0;        // KV pool capacity in pages (required, > 0)
    int32_t page_size = 16;       // token positions per page
    int num_threads = 0;          // <= 0: all hardware threads
    int64_t max_context_len = 0;  // <= 0: the model's max_position_embeddings; else the smaller
};

// KV bytes one token position takes on this backend (K and V, every layer, fp32).
int64_t cpu_kv_bytes_per_token(const ModelConfig &config);

class CpuModelRunner final : public ModelRunner {
public:
    static StatusOr<std::unique_ptr<CpuModelRunner>> create(std::shared_ptr<const LoadedModel> model,
                                                            const CpuRunnerOptions &options);
    ~CpuModelRunner() override;

    RunnerInfo info() const override;
    // See ModelRunner::forward. Thread-safety: one caller at a time.
    Status forward(const ForwardBatch &batch, std::vector<float> &logits) override;

private:
    struct Linear {
        const float *w = nullptr;
        const float *b = nullptr;
        int64_t out = 0, in = 0;
    };
    struct Layer {
        const float *input_norm = nullptr, *post_norm = nullptr;
        Linear q, k, v, o, gate, up, down;
    };

    CpuModelRunner() = default;
    Status widen(const TensorView *view, const float *&out);
    Status widen_linear(const TensorView *w, const TensorView *b, Linear &out);
    Status validate(const ForwardBatch &batch, std::vector<int64_t> &slot_of_token) const;
    float *k_slot(int64_t layer, int64_t slot) { return k_cache_.data() + (layer * total_slots_ + slot) * kv_dim_; }
    float *v_slot(int64_t layer, int64_t slot) { return v_cache_.data() + (layer * total_slots_ + slot) * kv_dim_; }

    std::shared_ptr<const LoadedModel> model_;
    ModelConfig config_;
    RunnerInfo info_;
    std::unique_ptr<ThreadPool> pool_;
    std::vector<std::vector<float>> owned_;  // widened copies of non-fp32 weights
    const float *embed_ = nullptr;
    const float *final_norm_ = nullptr;
    const float *lm_head_ = nullptr;
    std::vector<Layer> layers_;
    std::vector<float> inv_freq_;
    int64_t kv_dim_ = 0;
    int64_t total_slots_ = 0;  // num_pages * page_size
    std::vector<float> k_cache_, v_cache_;  // [layer][page * page_size + slot][kv_heads * head_dim]
};

} // namespace slipway::engine
