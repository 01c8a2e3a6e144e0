#pragma once
// CudaModelRunner: the Qwen2 / Llama graph on one GPU. bf16 weights (fused qkv and gate|up),
// fp32 residual stream, bf16 activations between ops, fp32 accumulation everywhere, bf16 paged
// KV cache. Each forward() plans on the host into pinned buffers (token ids, positions, slots,
// page lists, attention tiles), copies them in a few transfers, then only launches kernels;
// decode batches up to the largest captured size replay a CUDA graph padded to the nearest
// captured batch size (padding rows write to a scratch page nobody reads).
#include <cuda_runtime.h>

#include <map>
#include <memory>
#include <vector>

#include "cuda/cuda_common.cuh"
#include "cuda/cuda_runner.h"
#include "cuda/device_buffer.h"
#include "cuda/gemm.cuh"
#include "cuda/sampling.cuh"
#include "cuda/tp_shard.h"

namespace slipway::engine::cuda {

class CudaModelRunner final : public CudaRunner {
public:
    // Builds the runner: weights from `model`, or drawn from `seed` when model is null. With a
    // shard of world > 1, `config` is local_config(shard) and the runner holds that rank's part
    // of every weight (tp_weights.cu) and joins the group's collectives (tp_head.cu).
    static StatusOr<std::unique_ptr<CudaRunner>> create(std::shared_ptr<const LoadedModel> model,
                                                        const ModelConfig &config, const CudaRunnerOptions &options,
                                                        uint64_t seed, const TpShard &shard = TpShard{});
    ~CudaModelRunner() override;

    RunnerInfo info() const override { return info_; }
    const CudaRunnerReport &report() const override { return report_; }
    Status forward(const ForwardBatch &batch, std::vector<float> &logits) override;
    Status forward_sample(const ForwardBatch &batch, const std::vector<DeviceSampling> &sampling,
                          std::vector<int32_t> &tokens) override;
    Status forward_greedy(const ForwardBatch &batch, std::vector<int32_t> &tokens) override;
    StatusOr<std::vector<OpProfile>> profile_decode_step(const ForwardBatch &batch) override;

private:
    struct Layer {
        bf16 *in_norm = nullptr, *post_norm = nullptr;
        bf16 *qkv_w = nullptr, *qkv_b = nullptr, *o_w = nullptr, *o_b = nullptr;
        bf16 *gu_w = nullptr, *gu_b = nullptr, *down_w = nullptr, *down_b = nullptr;
    };
    // Offsets (in int32 units) of the metadata sections, fixed for a given capacity so that
    // captured graphs keep pointing at the right place.
    struct MetaLayout {
        size_t token_ids, positions, slots /* int64, 8-byte aligned */, seq_lens, q_starts, q_lens, ctx_lens,
            kv_indptr, logit_rows, tile_seq, tile_row, kv_indices, total;
    };
    enum class Output { Logits, Greedy, Sample };

    CudaModelRunner() = default;
    Status init_device(const CudaRunnerOptions &options);
    Status load_weights(const LoadedModel *model, uint64_t seed);
    // Allocates the weight block in load order (embedding of `vocab_rows` rows, head, final norm,
    // then each layer) with this runner's (local) dimensions and points the members into it.
    Status allocate_weights(int64_t vocab_rows);
    // Tensor parallelism (tp_weights.cu, tp_head.cu); all no-ops / unused when world == 1.
    Status load_shard_weights(const LoadedModel *model, uint64_t seed);
    Status ensure_tp_buffers();
    // peer: sum the ranks' rows through peer memory and apply layer 0's input norm too.
    Status tp_embedding(const int32_t *ids, int tokens, bool peer);
    Status tp_all_reduce(bf16 *buf, int tokens);
    // The peer-memory path (peer_group.h): for steps of at most shard_.peer.max_rows tokens.
    bool use_peer(int tokens) const { return shard_.peer.world > 1 && tokens <= shard_.peer.max_rows; }
    bf16 *peer_rows(int which) const { return static_cast<bf16 *>(shard_.peer.buf[which][shard_.peer.rank]); }
    // x += the ranks' rows of peer buffer `which`; hn = rmsnorm(x) with weight w.
    Status peer_add_rmsnorm(int which, const bf16 *w, int tokens);
    Status run_head_tp(int rows, Output output);
    Status gather_logits_tp(int rows);
    Status ensure_capacity(int64_t tokens, int64_t rows, int64_t indices);
    Status size_kv_pool(const CudaRunnerOptions &options);
    Status capture_graphs();
    int decode_splits(int batch, int64_t max_len) const;

    Status validate(const ForwardBatch &batch) const;
    // Fills the pinned metadata and copies it; returns the padded decode batch size (graph) or 0.
    Status plan(const ForwardBatch &batch, bool decode, int padded_bs, int &rows);
    Status run_layers(int tokens, int batch, bool decode, int num_tiles, int splits);
    Status run_head(int rows, Output output);
    Status execute(const ForwardBatch &batch, Output output, int &rows);

    ModelConfig config_;
    TpShard shard_;
    int64_t vocab_local_ = 0;  // rows of embed_ / lm_head_ (vocab_ unless sharded)
    DeviceBuffer tp_logits_, tp_gathered_, tp_pairs_, tp_pairs_all_;
    bool step_peer_ = false;  // whether the last run_layers took the peer path (run_head follows it)
    RunnerInfo info_;
    CudaRunnerReport report_;
    int device_ = 0, sm_count_ = 0;
    cudaStream_t stream_ = nullptr;
    Gemm gemm_;

    DeviceBuffer weights_;
    bf16 *embed_ = nullptr, *final_norm_ = nullptr, *lm_head_ = nullptr;
    std::vector<Layer> layers_;
    DeviceBuffer inv_freq_;
    int64_t qd_ = 0, kvd_ = 0, qkv_dim_ = 0, inter_ = 0, hidden_ = 0, vocab_ = 0;

    DeviceBuffer kv_;  // [layer][K|V][slots][kv_dim], slots = (num_pages + 1) * page_size
    int64_t slots_ = 0, scratch_page_ = 0;

    // Activations, sized for cap_tokens_ / cap_rows_.
    int64_t cap_tokens_ = 0, cap_rows_ = 0, cap_indices_ = 0;
    DeviceBuffer x_, hn_, qkv_, attn_, proj_, gu_, act_, rows_, logits_, partial_, out_tokens_;
    DeviceBuffer sample_params_, penalty_;
    PinnedBuffer penalty_host_, sample_host_;
    DeviceBuffer meta_;
    PinnedBuffer meta_host_, logits_host_, tokens_host_;
    MetaLayout layout_{};
    int num_tiles_ = 0;  // prefill attention tiles of the last plan

    // Op profiling (profile_decode_step): when active, mark() records an event after each op.
    struct OpMarks {
        bool active = false;
        std::vector<std::string> labels;
        std::vector<cudaEvent_t> events;
        size_t used = 0;
    };
    OpMarks marks_;
    Status mark(const char *label);

    std::vector<int32_t> graph_sizes_;
    std::map<int32_t, GraphExec> graphs_;
    bool graphs_enabled_ = false;
    int32_t graph_max_bs_ = 0;
};

} // namespace slipway::engine::cuda
