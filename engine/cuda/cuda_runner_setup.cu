// CudaModelRunner construction: device, weights (uploaded as bf16, or drawn), buffers, the KV
// pool sized by mem_fraction_static, and the decode graphs.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cmath>
#include <cstring>
#include <sstream>

#include "cpu/cpu_kernels.h"
#include "cuda/cuda_check.h"
#include "cuda/attention.cuh"
#include "cuda/attention_decode_plan.h"
#include "cuda/cuda_model_runner.h"
#include "cuda/weight_fill.cuh"

namespace slipway::engine {

std::string CudaRunnerReport::summary() const {
    std::ostringstream s;
    s.precision(3);
    s << "CUDA backend on " << device_name << ": weights " << weights_bytes / 1e9 << " GB (bf16), KV pool "
      << kv_pool_tokens << " tokens in " << num_pages << " pages (" << kv_pool_bytes / 1e9 << " GB, "
      << kv_bytes_per_token << " bytes/token), CUDA graphs ";
    if (graph_batch_sizes.empty()) s << "off";
    else s << "for batch 1.." << graph_batch_sizes.back() << " (" << graph_batch_sizes.size() << " sizes, "
           << graph_capture_seconds << " s)";
    return s.str();
}

StatusOr<std::unique_ptr<CudaRunner>> create_cuda_runner(std::shared_ptr<const LoadedModel> model,
                                                         const CudaRunnerOptions &options) {
    if (!model) return Status::error("CUDA backend: no model given");
    return cuda::CudaModelRunner::create(model, model->config, options, 0);
}

StatusOr<std::unique_ptr<CudaRunner>> create_cuda_runner_random(const ModelConfig &config,
                                                                const CudaRunnerOptions &options, uint64_t seed) {
    return cuda::CudaModelRunner::create(nullptr, config, options, seed);
}

namespace cuda {

namespace {

// Uniform in [-scale, scale) (or exactly `offset` when scale == 0), from a counter hash.
__global__ void fill_random_kernel(bf16 *p, int64_t n, uint64_t seed, float scale, float offset) {
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x)
        p[i] = random_weight(seed, i, scale, offset);
}

} // namespace

CudaModelRunner::~CudaModelRunner() {
    graphs_.clear();
    for (cudaEvent_t e : marks_.events) cudaEventDestroy(e);
    if (stream_ != nullptr) cudaStreamDestroy(stream_);
}

StatusOr<std::unique_ptr<CudaRunner>> CudaModelRunner::create(std::shared_ptr<const LoadedModel> model,
                                                              const ModelConfig &config,
                                                              const CudaRunnerOptions &options, uint64_t seed,
                                                              const TpShard &shard) {
    const std::string who = "CUDA backend: ";
    if (options.page_size <= 0) return Status::error(who + "page size must be positive");
    if (!(options.mem_fraction_static > 0.0 && options.mem_fraction_static < 1.0))
        return Status::error(who + "--mem-fraction-static must lie in (0, 1), not " +
                             std::to_string(options.mem_fraction_static));
    if (config.head_dim % 8 != 0 || config.head_dim > 128)
        return Status::error(who + "head_dim " + std::to_string(config.head_dim) +
                             " is not supported (a multiple of 8, at most 128)");
    if (config.hidden_size % 8 != 0 || config.intermediate_size % 8 != 0 || config.hidden_size > 8192)
        return Status::error(who + "hidden_size and intermediate_size must be multiples of 8 (hidden at most 8192)");
    std::unique_ptr<CudaModelRunner> r(new CudaModelRunner());
    r->config_ = config;
    const ModelConfig &c = r->config_;
    r->hidden_ = c.hidden_size;
    r->vocab_ = c.vocab_size;
    r->qd_ = c.num_heads * c.head_dim;
    r->kvd_ = c.num_kv_heads * c.head_dim;
    r->qkv_dim_ = r->qd_ + 2 * r->kvd_;
    r->inter_ = c.intermediate_size;
    r->shard_ = shard;
    r->vocab_local_ = shard.world > 1 ? shard.vocab_local : r->vocab_;
    SLIPWAY_STATUS_TRY(r->init_device(options));
    SLIPWAY_STATUS_TRY(shard.world > 1 ? r->load_shard_weights(model.get(), seed) : r->load_weights(model.get(), seed));
    r->graph_max_bs_ = options.cuda_graph_max_bs > 0 ? options.cuda_graph_max_bs : 256;
    r->graphs_enabled_ = !options.disable_cuda_graph;
    SLIPWAY_STATUS_TRY(r->ensure_capacity(std::max<int64_t>(options.max_tokens_per_step, r->graph_max_bs_),
                                          std::max<int64_t>(256, r->graph_max_bs_), 4096));
    SLIPWAY_STATUS_TRY(r->size_kv_pool(options));
    SLIPWAY_STATUS_TRY(r->ensure_capacity(r->cap_tokens_, r->cap_rows_, r->report_.num_pages + r->cap_rows_));
    if (r->graphs_enabled_) SLIPWAY_STATUS_TRY(r->capture_graphs());
    return std::unique_ptr<CudaRunner>(std::move(r));
}

Status CudaModelRunner::init_device(const CudaRunnerOptions &options) {
    int count = 0;
    SLIPWAY_CUDA_TRY(cudaGetDeviceCount(&count));
    if (options.device < 0 || options.device >= count)
        return Status::error("CUDA backend: device " + std::to_string(options.device) + " does not exist (" +
                             std::to_string(count) + " visible)");
    device_ = options.device;
    SLIPWAY_CUDA_TRY(cudaSetDevice(device_));
    cudaDeviceProp prop{};
    SLIPWAY_CUDA_TRY(cudaGetDeviceProperties(&prop, device_));
    if (prop.major < 8)
        return Status::error(std::string("CUDA backend: ") + prop.name + " (sm_" + std::to_string(prop.major) +
                             std::to_string(prop.minor) + ") lacks bf16 tensor cores; sm_80 or newer is needed");
    sm_count_ = prop.multiProcessorCount;
    report_.device_name = prop.name;
    report_.total_memory_bytes = static_cast<int64_t>(prop.totalGlobalMem);
    SLIPWAY_CUDA_TRY(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
    SLIPWAY_STATUS_TRY(gemm_.init());
    if (const char *env = std::getenv("SLIPWAY_GEMV_MAX_ROWS")) gemm_.set_gemv_max_rows(std::atoi(env));

    info_.vocab_size = config_.vocab_size;
    info_.max_context_len = options.max_context_len > 0
                                ? std::min(options.max_context_len, config_.max_position_embeddings)
                                : config_.max_position_embeddings;
    info_.page_size = options.page_size;
    info_.kv_bytes_per_token = 2 * config_.num_layers * kvd_ * 2;
    report_.kv_bytes_per_token = info_.kv_bytes_per_token;
    const std::vector<float> inv = rope_inv_freq(config_.rope, config_.head_dim);
    SLIPWAY_CUDA_TRY(inv_freq_.allocate(inv.size() * sizeof(float)));
    SLIPWAY_CUDA_TRY(cudaMemcpy(inv_freq_.get(), inv.data(), inv.size() * sizeof(float), cudaMemcpyHostToDevice));
    return {};
}

Status CudaModelRunner::allocate_weights(int64_t vocab_rows) {
    const ModelConfig &c = config_;
    const int64_t H = hidden_, L = c.num_layers;
    const bool tied = c.tie_word_embeddings;
    // Element counts, in allocation order.
    const int64_t per_layer = 2 * H + qkv_dim_ * H + (c.qkv_bias ? qkv_dim_ : 0) + H * qd_ + (c.o_bias ? H : 0) +
                              2 * inter_ * H + (c.mlp_bias ? 2 * inter_ : 0) + H * inter_ + (c.mlp_bias ? H : 0);
    const int64_t total = vocab_rows * H * (tied ? 1 : 2) + H + L * per_layer;
    SLIPWAY_CUDA_TRY(weights_.allocate(static_cast<size_t>(total) * 2));
    report_.weights_bytes = total * 2;
    report_.decode_read_bytes = (total - vocab_rows * H * (tied ? 0 : 1)) * 2;  // the embedding is gathered, not read
    bf16 *at = weights_.as<bf16>();
    auto take = [&at](int64_t n) { bf16 *p = at; at += n; return p; };
    embed_ = take(vocab_rows * H);
    lm_head_ = tied ? embed_ : take(vocab_rows * H);
    final_norm_ = take(H);
    layers_.resize(static_cast<size_t>(L));
    for (Layer &l : layers_) {
        l.in_norm = take(H);
        l.post_norm = take(H);
        l.qkv_w = take(qkv_dim_ * H);
        if (c.qkv_bias) l.qkv_b = take(qkv_dim_);
        l.o_w = take(H * qd_);
        if (c.o_bias) l.o_b = take(H);
        l.gu_w = take(2 * inter_ * H);
        if (c.mlp_bias) l.gu_b = take(2 * inter_);
        l.down_w = take(H * inter_);
        if (c.mlp_bias) l.down_b = take(H);
    }
    return {};
}

Status CudaModelRunner::load_weights(const LoadedModel *model, uint64_t seed) {
    const ModelConfig &c = config_;
    const int64_t H = hidden_;
    const bool tied = c.tie_word_embeddings;
    SLIPWAY_STATUS_TRY(allocate_weights(vocab_));

    if (model == nullptr) {
        // Random weights: linear layers uniform with std ~0.02 (transformers' initializer
        // range), norms 1, biases small.
        uint64_t s = seed * 0x100000001b3ull + 1;
        auto fill = [&](bf16 *p, int64_t n, float scale, float offset) -> Status {
            if (p == nullptr) return {};
            fill_random_kernel<<<std::min<int64_t>(4096, (n + 255) / 256), 256, 0, stream_>>>(p, n, s++, scale, offset);
            SLIPWAY_CUDA_TRY(cudaGetLastError());
            return {};
        };
        const float w = 0.02f * std::sqrt(3.0f);
        SLIPWAY_STATUS_TRY(fill(embed_, vocab_ * H, w, 0));
        if (!tied) SLIPWAY_STATUS_TRY(fill(lm_head_, vocab_ * H, w, 0));
        SLIPWAY_STATUS_TRY(fill(final_norm_, H, 0, 1));
        for (Layer &l : layers_) {
            SLIPWAY_STATUS_TRY(fill(l.in_norm, H, 0, 1));
            SLIPWAY_STATUS_TRY(fill(l.post_norm, H, 0, 1));
            SLIPWAY_STATUS_TRY(fill(l.qkv_w, qkv_dim_ * H, w, 0));
            SLIPWAY_STATUS_TRY(fill(l.qkv_b, qkv_dim_, 0.1f, 0));
            SLIPWAY_STATUS_TRY(fill(l.o_w, H * qd_, w, 0));
            SLIPWAY_STATUS_TRY(fill(l.o_b, H, 0.01f, 0));
            SLIPWAY_STATUS_TRY(fill(l.gu_w, 2 * inter_ * H, w, 0));
            SLIPWAY_STATUS_TRY(fill(l.gu_b, 2 * inter_, 0.01f, 0));
            SLIPWAY_STATUS_TRY(fill(l.down_w, H * inter_, w, 0));
            SLIPWAY_STATUS_TRY(fill(l.down_b, H, 0.01f, 0));
        }
        SLIPWAY_CUDA_TRY(cudaStreamSynchronize(stream_));
        return {};
    }

    // Upload: bf16 as stored, fp16 / fp32 rounded to bf16 (nearest even) on the host.
    std::vector<uint16_t> staging;
    auto upload = [&](const TensorView *v, bf16 *dst) -> Status {
        if (v == nullptr || dst == nullptr) return {};
        const size_t n = static_cast<size_t>(v->numel());
        const void *src = v->data;
        if (v->dtype != DType::BF16) {
            std::vector<float> wide(n);
            if (!convert_to_f32(v->dtype, v->data, n, wide.data()))
                return Status::error(v->file + ": tensor '" + v->name + "' has dtype " + v->dtype_name +
                                     ", which the CUDA backend cannot read");
            staging.resize(n);
            for (size_t i = 0; i < n; ++i) staging[i] = float_to_bf16_bits(wide[i]);
            src = staging.data();
        }
        SLIPWAY_CUDA_TRY(cudaMemcpy(dst, src, n * 2, cudaMemcpyHostToDevice));
        return {};
    };
    const ModelTensors &t = model->tensors;
    SLIPWAY_STATUS_TRY(upload(t.embed_tokens, embed_));
    if (!tied) SLIPWAY_STATUS_TRY(upload(t.lm_head, lm_head_));
    SLIPWAY_STATUS_TRY(upload(t.final_norm, final_norm_));
    for (size_t i = 0; i < layers_.size(); ++i) {
        const LayerTensors &lt = t.layers[i];
        Layer &l = layers_[i];
        // Fused rows: q | k | v and gate | up (a Linear's weight is [out, in], rows concatenate).
        SLIPWAY_STATUS_TRY(upload(lt.input_norm, l.in_norm));
        SLIPWAY_STATUS_TRY(upload(lt.post_attention_norm, l.post_norm));
        SLIPWAY_STATUS_TRY(upload(lt.q_proj, l.qkv_w));
        SLIPWAY_STATUS_TRY(upload(lt.k_proj, l.qkv_w + qd_ * H));
        SLIPWAY_STATUS_TRY(upload(lt.v_proj, l.qkv_w + (qd_ + kvd_) * H));
        if (l.qkv_b != nullptr) {
            SLIPWAY_STATUS_TRY(upload(lt.q_bias, l.qkv_b));
            SLIPWAY_STATUS_TRY(upload(lt.k_bias, l.qkv_b + qd_));
            SLIPWAY_STATUS_TRY(upload(lt.v_bias, l.qkv_b + qd_ + kvd_));
        }
        SLIPWAY_STATUS_TRY(upload(lt.o_proj, l.o_w));
        SLIPWAY_STATUS_TRY(upload(lt.o_bias, l.o_b));
        SLIPWAY_STATUS_TRY(upload(lt.gate_proj, l.gu_w));
        SLIPWAY_STATUS_TRY(upload(lt.up_proj, l.gu_w + inter_ * H));
        if (l.gu_b != nullptr) {
            SLIPWAY_STATUS_TRY(upload(lt.gate_bias, l.gu_b));
            SLIPWAY_STATUS_TRY(upload(lt.up_bias, l.gu_b + inter_));
        }
        SLIPWAY_STATUS_TRY(upload(lt.down_proj, l.down_w));
        SLIPWAY_STATUS_TRY(upload(lt.down_bias, l.down_b));
    }
    return {};
}

int CudaModelRunner::decode_splits(int batch, int64_t max_len) const {
    // The policy lives with the kernel (attention_decode_plan.h).
    return decode_attention_splits(batch, static_cast<int>(config_.num_heads), static_cast<int>(config_.num_kv_heads),
                                   static_cast<int>(config_.head_dim), sm_count_, max_len);
}

Status CudaModelRunner::ensure_capacity(int64_t tokens, int64_t rows, int64_t indices) {
    if (tokens <= cap_tokens_ && rows <= cap_rows_ && indices <= cap_indices_) return {};
    const bool had_graphs = !graphs_.empty();
    graphs_.clear();
    SLIPWAY_CUDA_TRY(cudaStreamSynchronize(stream_));
    cap_tokens_ = std::max(tokens, cap_tokens_);
    cap_rows_ = std::max({rows, cap_rows_, static_cast<int64_t>(graph_max_bs_)});
    cap_indices_ = std::max(indices, cap_indices_);
    const size_t T = static_cast<size_t>(cap_tokens_), R = static_cast<size_t>(cap_rows_);
    const size_t H = static_cast<size_t>(hidden_);
    SLIPWAY_CUDA_TRY(x_.allocate(T * H * 4));
    SLIPWAY_CUDA_TRY(hn_.allocate(T * H * 2));
    SLIPWAY_CUDA_TRY(qkv_.allocate(T * static_cast<size_t>(qkv_dim_) * 2));
    SLIPWAY_CUDA_TRY(attn_.allocate(T * static_cast<size_t>(qd_) * 2));
    SLIPWAY_CUDA_TRY(proj_.allocate(T * H * 2));
    SLIPWAY_CUDA_TRY(gu_.allocate(T * 2 * static_cast<size_t>(inter_) * 2));
    SLIPWAY_CUDA_TRY(act_.allocate(T * static_cast<size_t>(inter_) * 2));
    SLIPWAY_CUDA_TRY(rows_.allocate(R * H * 2));
    SLIPWAY_CUDA_TRY(logits_.allocate(R * static_cast<size_t>(vocab_) * 4));
    SLIPWAY_CUDA_TRY(logits_host_.allocate(R * static_cast<size_t>(vocab_) * 4));
    SLIPWAY_CUDA_TRY(out_tokens_.allocate(R * 4));
    SLIPWAY_CUDA_TRY(tokens_host_.allocate(R * 4));
    SLIPWAY_CUDA_TRY(sample_params_.allocate(R * sizeof(SampleRowParams)));
    SLIPWAY_CUDA_TRY(sample_host_.allocate(R * sizeof(SampleRowParams)));
    // The sampler's penalty lists: allocated here so that a step allocates (and synchronizes)
    // only when a batch's lists outgrow them.
    if (penalty_.bytes() < (size_t{1} << 16)) {
        SLIPWAY_CUDA_TRY(penalty_.allocate(size_t{1} << 16));
        SLIPWAY_CUDA_TRY(penalty_host_.allocate(size_t{1} << 16));
    }
    size_t partial = 0;
    for (int b = 1; b <= static_cast<int>(R); ++b)
        partial = std::max(partial, decode_partial_floats(b, static_cast<int>(config_.num_heads),
                                                          static_cast<int>(config_.head_dim), decode_splits(b, 0)));
    SLIPWAY_CUDA_TRY(partial_.allocate(std::max<size_t>(partial, 1) * 4));

    MetaLayout &m = layout_;
    size_t at = 0;
    auto sec = [&at](size_t n) { const size_t o = at; at += (n + 3) & ~size_t{3}; return o; };  // 16-byte aligned
    const size_t tiles = T / kPrefillTileRows + R + 1;
    m.token_ids = sec(T);
    m.positions = sec(T);
    m.slots = sec(2 * T);
    m.seq_lens = sec(R);
    m.q_starts = sec(R);
    m.q_lens = sec(R);
    m.ctx_lens = sec(R);
    m.kv_indptr = sec(R + 1);
    m.logit_rows = sec(R);
    m.tile_seq = sec(tiles);
    m.tile_row = sec(tiles);
    m.kv_indices = sec(static_cast<size_t>(cap_indices_));
    m.total = at;
    SLIPWAY_CUDA_TRY(meta_.allocate(m.total * 4));
    SLIPWAY_CUDA_TRY(meta_host_.allocate(m.total * 4));
    SLIPWAY_STATUS_TRY(ensure_tp_buffers());
    if (had_graphs) SLIPWAY_STATUS_TRY(capture_graphs());
    return {};
}

Status CudaModelRunner::size_kv_pool(const CudaRunnerOptions &options) {
    size_t free_b = 0, total_b = 0;
    SLIPWAY_CUDA_TRY(cudaMemGetInfo(&free_b, &total_b));
    const int64_t page_bytes = info_.kv_bytes_per_token * options.page_size;
    int64_t pages = options.num_pages;
    if (pages <= 0) {
        const double pool = options.mem_fraction_static * static_cast<double>(total_b) -
                            static_cast<double>(total_b - free_b);
        pages = static_cast<int64_t>(pool / static_cast<double>(page_bytes));
        // Tensor parallel: every rank holds the same pages (SGLang takes the minimum too).
        if (shard_.comm != nullptr) SLIPWAY_STATUS_TRY(shard_.comm->all_reduce_min_host(pages, stream_));
        if (pages <= 0)
            return Status::error("CUDA backend: --mem-fraction-static " + std::to_string(options.mem_fraction_static) +
                                 " leaves no room for the KV cache: the weights and buffers already use " +
                                 std::to_string((total_b - free_b) >> 20) + " MiB of " +
                                 std::to_string(total_b >> 20) + " MiB; raise the fraction");
    }
    const int64_t bytes = (pages + 1) * page_bytes;  // + the scratch page of graph padding rows
    if (static_cast<size_t>(bytes) > free_b)
        return Status::error("CUDA backend: a KV pool of " + std::to_string(pages) + " pages needs " +
                             std::to_string(bytes >> 20) + " MiB but only " + std::to_string(free_b >> 20) +
                             " MiB are free");
    SLIPWAY_CUDA_TRY(kv_.allocate(static_cast<size_t>(bytes)));
    SLIPWAY_CUDA_TRY(cudaMemset(kv_.get(), 0, static_cast<size_t>(bytes)));
    info_.num_pages = pages;
    scratch_page_ = pages;
    slots_ = (pages + 1) * options.page_size;
    report_.num_pages = pages;
    report_.kv_pool_tokens = pages * options.page_size;
    report_.kv_pool_bytes = pages * page_bytes;
    return {};
}

Status CudaModelRunner::capture_graphs() {
    const auto t0 = std::chrono::steady_clock::now();
    graphs_.clear();
    graph_sizes_.clear();
    for (int32_t b : {1, 2, 4, 8}) if (b <= graph_max_bs_) graph_sizes_.push_back(b);
    for (int32_t b = 16; b <= graph_max_bs_; b += (b < 128 ? 8 : 16)) graph_sizes_.push_back(b);
    if (graph_sizes_.empty() || graph_sizes_.back() != graph_max_bs_) graph_sizes_.push_back(graph_max_bs_);
    for (int32_t bs : graph_sizes_) {
        // A batch of padding rows only: valid metadata for the warm-up run and the capture.
        ForwardBatch dummy;
        int rows = 0;
        SLIPWAY_STATUS_TRY(plan(dummy, true, bs, rows));
        const int splits = decode_splits(bs, 0);
        SLIPWAY_STATUS_TRY(run_layers(bs, bs, true, 0, splits));  // warms cuBLASLt's plan for this shape
        SLIPWAY_STATUS_TRY(run_head(bs, Output::Greedy));
        SLIPWAY_CUDA_TRY(cudaStreamSynchronize(stream_));
        cudaGraph_t graph = nullptr;
        SLIPWAY_CUDA_TRY(cudaStreamBeginCapture(stream_, cudaStreamCaptureModeThreadLocal));
        Status body = run_layers(bs, bs, true, 0, splits);
        if (body.ok()) body = run_head(bs, Output::Greedy);
        const cudaError_t end = cudaStreamEndCapture(stream_, &graph);
        if (!body.ok()) {
            if (graph != nullptr) cudaGraphDestroy(graph);
            return body;
        }
        SLIPWAY_CUDA_TRY(end);
        cudaGraphExec_t exec = nullptr;
        const cudaError_t inst = cudaGraphInstantiate(&exec, graph, 0);
        cudaGraphDestroy(graph);
        SLIPWAY_CUDA_TRY(inst);
        graphs_.emplace(bs, GraphExec(exec));
    }
    report_.graph_batch_sizes = graph_sizes_;
    report_.gemm_tuning = gemm_.tuning_log();
    report_.graph_capture_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return {};
}

} // namespace cuda
} // namespace slipway::engine
