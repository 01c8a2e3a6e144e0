#include "cpu/cpu_model_runner.h"
#include "model/batch_check.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <new>
#include <string>
#include <unordered_map>

#include "cpu/cpu_kernels.h"
#include "cpu/thread_pool.h"

namespace slipway::engine {

int64_t cpu_kv_bytes_per_token(const ModelConfig &c) {
    return 2 * c.num_layers * c.num_kv_heads * c.head_dim * static_cast<int64_t>(sizeof(float));
}

CpuModelRunner::~CpuModelRunner() = default;

Status CpuModelRunner::widen(const TensorView *view, const float *&out) {
    if (view == nullptr) {
        out = nullptr;
        return {};
    }
    if (view->dtype == DType::F32 && reinterpret_cast<uintptr_t>(view->data) % alignof(float) == 0) {
        out = reinterpret_cast<const float *>(view->data);  // used in place from the mapping
        return {};
    }
    std::vector<float> wide(static_cast<size_t>(view->numel()));
    if (!convert_to_f32(view->dtype, view->data, wide.size(), wide.data()))
        return Status::error(view->file + ": tensor '" + view->name + "' has dtype " + view->dtype_name +
                             ", which the CPU backend cannot read");
    owned_.push_back(std::move(wide));
    out = owned_.back().data();
    return {};
}

Status CpuModelRunner::widen_linear(const TensorView *w, const TensorView *b, Linear &out) {
    out.out = w->shape[0];
    out.in = w->shape[1];
    if (Status s = widen(w, out.w); !s.ok()) return s;
    return widen(b, out.b);
}

StatusOr<std::unique_ptr<CpuModelRunner>> CpuModelRunner::create(std::shared_ptr<const LoadedModel> model,
                                                                  const CpuRunnerOptions &options) {
    if (!model) return Status::error("CPU backend: no model given");
    if (options.num_pages <= 0)
        return Status::error("CPU backend: the KV pool needs at least one page (num_pages is " +
                             std::to_string(options.num_pages) + ")");
    if (options.page_size <= 0)
        return Status::error("CPU backend: page_size must be positive, not " + std::to_string(options.page_size));
    std::unique_ptr<CpuModelRunner> r(new CpuModelRunner());
    r->model_ = model;
    r->config_ = model->config;
    const ModelConfig &c = r->config_;
    r->kv_dim_ = c.num_kv_heads * c.head_dim;
    r->total_slots_ = options.num_pages * options.page_size;

    r->info_.vocab_size = c.vocab_size;
    r->info_.max_context_len = options.max_context_len > 0
                                   ? std::min(options.max_context_len, c.max_position_embeddings)
                                   : c.max_position_embeddings;
    r->info_.page_size = options.page_size;
    r->info_.num_pages = options.num_pages;
    r->info_.kv_bytes_per_token = cpu_kv_bytes_per_token(c);

    // Every weight is written before any pointer into owned_ is taken for good: reserve so the
    // vector of buffers never reallocates (the buffers' data would survive, but be explicit).
    r->owned_.reserve(static_cast<size_t>(4 + 16 * c.num_layers));
    const ModelTensors &t = model->tensors;
    if (Status s = r->widen(t.embed_tokens, r->embed_); !s.ok()) return s;
    if (Status s = r->widen(t.final_norm, r->final_norm_); !s.ok()) return s;
    if (t.lm_head == t.embed_tokens) {
        r->lm_head_ = r->embed_;
    } else if (Status s = r->widen(t.lm_head, r->lm_head_); !s.ok()) {
        return s;
    }
    r->layers_.resize(t.layers.size());
    for (size_t i = 0; i < t.layers.size(); ++i) {
        const LayerTensors &lt = t.layers[i];
        Layer &l = r->layers_[i];
        for (Status s : {r->widen(lt.input_norm, l.input_norm), r->widen(lt.post_attention_norm, l.post_norm),
                         r->widen_linear(lt.q_proj, lt.q_bias, l.q), r->widen_linear(lt.k_proj, lt.k_bias, l.k),
                         r->widen_linear(lt.v_proj, lt.v_bias, l.v), r->widen_linear(lt.o_proj, lt.o_bias, l.o),
                         r->widen_linear(lt.gate_proj, lt.gate_bias, l.gate),
                         r->widen_linear(lt.up_proj, lt.up_bias, l.up),
                         r->widen_linear(lt.down_proj, lt.down_bias, l.down)})
            if (!s.ok()) return s;
    }
    r->inv_freq_ = rope_inv_freq(c.rope, c.head_dim);

    const int64_t cache_floats = c.num_layers * r->total_slots_ * r->kv_dim_;
    try {
        r->k_cache_.assign(static_cast<size_t>(cache_floats), 0.0f);
        r->v_cache_.assign(static_cast<size_t>(cache_floats), 0.0f);
    } catch (const std::bad_alloc &) {
        return Status::error("CPU backend: cannot allocate the KV pool of " + std::to_string(options.num_pages) +
                             " pages (" + std::to_string(2 * cache_floats * 4 / (1 << 20)) +
                             " MiB); lower the number of pages or the context length");
    }
    r->pool_ = std::make_unique<ThreadPool>(options.num_threads);
    return r;
}

RunnerInfo CpuModelRunner::info() const { return info_; }

Status CpuModelRunner::validate(const ForwardBatch &batch, std::vector<int64_t> &slot_of_token) const {
    return check_forward_batch(batch, info_, &slot_of_token);
}

Status CpuModelRunner::forward(const ForwardBatch &batch, std::vector<float> &logits) {
    logits.clear();
    std::vector<int64_t> slot_of_token;
    if (Status s = validate(batch, slot_of_token); !s.ok()) return s;
    const int64_t T = static_cast<int64_t>(batch.token_ids.size());
    if (T == 0) return {};

    const ModelConfig &c = config_;
    const int64_t H = c.hidden_size, hd = c.head_dim, nh = c.num_heads, nkv = c.num_kv_heads;
    const int64_t qd = nh * hd, kvd = kv_dim_, inter = c.intermediate_size, half = hd / 2;
    const int64_t group = nh / nkv, ps = info_.page_size;
    const float eps = static_cast<float>(c.rms_norm_eps);
    const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(hd)));

    // Per query token: its sequence and position, and its rotary cos/sin.
    std::vector<int32_t> seq_of(static_cast<size_t>(T));
    std::vector<int64_t> pos_of(static_cast<size_t>(T));
    for (size_t i = 0; i < batch.seqs.size(); ++i) {
        const SequenceSlice &s = batch.seqs[i];
        for (int32_t q = 0; q < s.query_len; ++q) {
            seq_of[static_cast<size_t>(s.query_start + q)] = static_cast<int32_t>(i);
            pos_of[static_cast<size_t>(s.query_start + q)] = static_cast<int64_t>(s.context_len) + q;
        }
    }
    std::vector<float> cos(static_cast<size_t>(T * half)), sin(static_cast<size_t>(T * half));
    for (int64_t t = 0; t < T; ++t) rope_cos_sin(inv_freq_, pos_of[static_cast<size_t>(t)], &cos[t * half], &sin[t * half]);

    std::vector<float> x(static_cast<size_t>(T * H)), hn(static_cast<size_t>(T * H)), proj(static_cast<size_t>(T * H));
    std::vector<float> q(static_cast<size_t>(T * qd)), k(static_cast<size_t>(T * kvd)), v(static_cast<size_t>(T * kvd));
    std::vector<float> attn(static_cast<size_t>(T * qd));
    std::vector<float> gate(static_cast<size_t>(T * inter)), up(static_cast<size_t>(T * inter));
    for (int64_t t = 0; t < T; ++t)
        std::memcpy(&x[t * H], embed_ + static_cast<int64_t>(batch.token_ids[static_cast<size_t>(t)]) * H,
                    static_cast<size_t>(H) * sizeof(float));

    for (size_t li = 0; li < layers_.size(); ++li) {
        const Layer &l = layers_[li];
        const int64_t layer = static_cast<int64_t>(li);
        for (int64_t t = 0; t < T; ++t) rms_norm(&x[t * H], l.input_norm, H, eps, &hn[t * H]);
        linear(*pool_, hn.data(), T, H, l.q.w, l.q.b, qd, q.data());
        linear(*pool_, hn.data(), T, H, l.k.w, l.k.b, kvd, k.data());
        linear(*pool_, hn.data(), T, H, l.v.w, l.v.b, kvd, v.data());
        for (int64_t t = 0; t < T; ++t) {
            for (int64_t h = 0; h < nh; ++h) apply_rope(&q[t * qd + h * hd], hd, &cos[t * half], &sin[t * half]);
            for (int64_t h = 0; h < nkv; ++h) apply_rope(&k[t * kvd + h * hd], hd, &cos[t * half], &sin[t * half]);
            const int64_t slot = slot_of_token[static_cast<size_t>(t)];
            std::memcpy(k_slot(layer, slot), &k[t * kvd], static_cast<size_t>(kvd) * sizeof(float));
            std::memcpy(v_slot(layer, slot), &v[t * kvd], static_cast<size_t>(kvd) * sizeof(float));
        }
        // Causal attention over the paged cache: query token t attends positions [0, pos_t].
        pool_->parallel_for(T * nh, [&](int64_t begin, int64_t end) {
            std::vector<float> scores;
            for (int64_t idx = begin; idx < end; ++idx) {
                const int64_t t = idx / nh, h = idx % nh, kvh = h / group;
                const SequenceSlice &s = batch.seqs[static_cast<size_t>(seq_of[static_cast<size_t>(t)])];
                const int64_t n_ctx = pos_of[static_cast<size_t>(t)] + 1;
                const float *qh = &q[t * qd + h * hd];
                scores.resize(static_cast<size_t>(n_ctx));
                float max_score = -INFINITY;
                for (int64_t p = 0; p < n_ctx; ++p) {
                    const int64_t slot = static_cast<int64_t>(s.page_table[static_cast<size_t>(p / ps)]) * ps + p % ps;
                    const float sc = dot(qh, k_slot(layer, slot) + kvh * hd, hd) * scale;
                    scores[static_cast<size_t>(p)] = sc;
                    max_score = std::max(max_score, sc);
                }
                float sum = 0.0f;
                for (float &sc : scores) {
                    sc = std::exp(sc - max_score);
                    sum += sc;
                }
                float *out = &attn[t * qd + h * hd];
                std::fill(out, out + hd, 0.0f);
                for (int64_t p = 0; p < n_ctx; ++p) {
                    const int64_t slot = static_cast<int64_t>(s.page_table[static_cast<size_t>(p / ps)]) * ps + p % ps;
                    const float w = scores[static_cast<size_t>(p)] / sum;
                    const float *vh = v_slot(layer, slot) + kvh * hd;
                    for (int64_t d = 0; d < hd; ++d) out[d] += w * vh[d];
                }
            }
        });
        linear(*pool_, attn.data(), T, qd, l.o.w, l.o.b, H, proj.data());
        for (int64_t i = 0; i < T * H; ++i) x[static_cast<size_t>(i)] += proj[static_cast<size_t>(i)];

        for (int64_t t = 0; t < T; ++t) rms_norm(&x[t * H], l.post_norm, H, eps, &hn[t * H]);
        linear(*pool_, hn.data(), T, H, l.gate.w, l.gate.b, inter, gate.data());
        linear(*pool_, hn.data(), T, H, l.up.w, l.up.b, inter, up.data());
        for (int64_t t = 0; t < T; ++t) silu_mul(&gate[t * inter], &up[t * inter], inter, &gate[t * inter]);
        linear(*pool_, gate.data(), T, inter, l.down.w, l.down.b, H, proj.data());
        for (int64_t i = 0; i < T * H; ++i) x[static_cast<size_t>(i)] += proj[static_cast<size_t>(i)];
    }

    // Final norm and lm head only for the last query token of sequences that want logits.
    std::vector<float> rows;
    int64_t n_rows = 0;
    for (const SequenceSlice &s : batch.seqs) {
        if (!s.need_logits) continue;
        const int64_t t = s.query_start + s.query_len - 1;
        rows.resize(static_cast<size_t>((n_rows + 1) * H));
        rms_norm(&x[t * H], final_norm_, H, eps, &rows[static_cast<size_t>(n_rows * H)]);
        ++n_rows;
    }
    if (n_rows == 0) return {};
    logits.resize(static_cast<size_t>(n_rows * c.vocab_size));
    linear(*pool_, rows.data(), n_rows, H, lm_head_, nullptr, c.vocab_size, logits.data());
    return {};
}

} // namespace slipway::engine
