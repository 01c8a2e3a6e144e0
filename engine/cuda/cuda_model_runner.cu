// CudaModelRunner: planning and running a forward step (see cuda_model_runner.h).
#include "cuda/cuda_model_runner.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <unordered_map>

#include "cuda/activation.cuh"
#include "cuda/attention.cuh"
#include "cuda/cuda_check.h"
#include "cuda/embedding.cuh"
#include "cuda/kv_cache.cuh"
#include "cuda/peer_all_reduce.cuh"
#include "cuda/rmsnorm.cuh"
#include "cuda/rope.cuh"
#include "model/batch_check.h"

namespace slipway::engine::cuda {

Status CudaModelRunner::validate(const ForwardBatch &batch) const {
    return check_forward_batch(batch, info_, nullptr);
}

Status CudaModelRunner::plan(const ForwardBatch &batch, bool decode, int padded_bs, int &rows) {
    const int64_t ps = info_.page_size;
    const int n = static_cast<int>(batch.seqs.size());
    const int64_t tokens = decode ? std::max(padded_bs, n) : static_cast<int64_t>(batch.token_ids.size());
    const int64_t seqs = decode ? tokens : n;
    int64_t indices = decode ? tokens - n : 0;
    for (const SequenceSlice &s : batch.seqs) indices += (s.context_len + s.query_len + ps - 1) / ps;
    SLIPWAY_STATUS_TRY(ensure_capacity(tokens, seqs, indices));

    int32_t *h = meta_host_.as<int32_t>();
    const MetaLayout &m = layout_;
    int32_t *token_ids = h + m.token_ids, *positions = h + m.positions;
    int64_t *slots = reinterpret_cast<int64_t *>(h + m.slots);
    int32_t *seq_lens = h + m.seq_lens, *q_starts = h + m.q_starts, *q_lens = h + m.q_lens, *ctx_lens = h + m.ctx_lens;
    int32_t *indptr = h + m.kv_indptr, *logit_rows = h + m.logit_rows, *tile_seq = h + m.tile_seq,
            *tile_row = h + m.tile_row, *kv_indices = h + m.kv_indices;
    int32_t used = 0, tiles = 0;
    rows = 0;
    indptr[0] = 0;
    for (int i = 0; i < n; ++i) {
        const SequenceSlice &s = batch.seqs[static_cast<size_t>(i)];
        const int64_t end = static_cast<int64_t>(s.context_len) + s.query_len;
        for (int32_t q = 0; q < s.query_len; ++q) {
            const int64_t t = s.query_start + q, pos = s.context_len + q;
            token_ids[t] = batch.token_ids[static_cast<size_t>(t)];
            positions[t] = static_cast<int32_t>(pos);
            slots[t] = static_cast<int64_t>(s.page_table[static_cast<size_t>(pos / ps)]) * ps + pos % ps;
        }
        const int64_t pages = (end + ps - 1) / ps;
        std::memcpy(kv_indices + used, s.page_table.data(), static_cast<size_t>(pages) * 4);
        used += static_cast<int32_t>(pages);
        indptr[i + 1] = used;
        seq_lens[i] = static_cast<int32_t>(end);
        q_starts[i] = s.query_start;
        q_lens[i] = s.query_len;
        ctx_lens[i] = s.context_len;
        if (decode) {
            logit_rows[i] = i;
        } else {
            if (s.need_logits) logit_rows[rows++] = s.query_start + s.query_len - 1;
            for (int32_t r0 = 0; r0 < s.query_len; r0 += kPrefillTileRows) {
                tile_seq[tiles] = i;
                tile_row[tiles++] = r0;
            }
        }
    }
    if (decode) {
        // Padding rows: token 0 at position 0 of the scratch page, never read back.
        for (int64_t i = n; i < tokens; ++i) {
            token_ids[i] = 0;
            positions[i] = 0;
            slots[i] = scratch_page_ * ps;
            kv_indices[used++] = static_cast<int32_t>(scratch_page_);
            indptr[i + 1] = used;
            seq_lens[i] = 1;
            logit_rows[i] = static_cast<int32_t>(i);
        }
        rows = static_cast<int>(tokens);
    }
    int32_t *d = meta_.as<int32_t>();
    auto copy = [&](size_t off, size_t count) -> Status {
        if (count == 0) return {};
        SLIPWAY_CUDA_TRY(cudaMemcpyAsync(d + off, h + off, count * 4, cudaMemcpyHostToDevice, stream_));
        return {};
    };
    // token_ids, positions and slots are adjacent sections: one transfer up to the slots' end.
    SLIPWAY_STATUS_TRY(copy(m.token_ids, m.slots - m.token_ids + 2 * static_cast<size_t>(tokens)));
    SLIPWAY_STATUS_TRY(copy(m.seq_lens, m.kv_indptr - m.seq_lens + static_cast<size_t>(seqs) + 1));
    SLIPWAY_STATUS_TRY(copy(m.logit_rows, static_cast<size_t>(rows)));
    SLIPWAY_STATUS_TRY(copy(m.tile_seq, static_cast<size_t>(tiles)));
    SLIPWAY_STATUS_TRY(copy(m.tile_row, static_cast<size_t>(tiles)));
    SLIPWAY_STATUS_TRY(copy(m.kv_indices, static_cast<size_t>(used)));
    num_tiles_ = tiles;
    return {};
}

Status CudaModelRunner::run_layers(int tokens, int batch, bool decode, int num_tiles, int splits) {
    const ModelConfig &c = config_;
    const int H = static_cast<int>(hidden_);
    const float eps = static_cast<float>(c.rms_norm_eps);
    const int32_t *meta = meta_.as<int32_t>();
    const int32_t *ids = meta + layout_.token_ids, *positions = meta + layout_.positions;
    const int64_t *slots = reinterpret_cast<const int64_t *>(meta + layout_.slots);
    float *x = x_.as<float>();
    bf16 *hn = hn_.as<bf16>(), *qkv = qkv_.as<bf16>(), *attn = attn_.as<bf16>(), *proj = proj_.as<bf16>();
    bf16 *gu = gu_.as<bf16>(), *act = act_.as<bf16>();
    const int64_t layer_elems = 2 * slots_ * kvd_;

    // Tensor parallel within one node, few tokens: the all-reduces go through peer memory, each
    // fused with the add + RMSNorm after it (peer_all_reduce.cuh); the embedding's also performs
    // layer 0's input norm, and the last down_proj's is done by run_head for the rows it needs.
    const bool peer = use_peer(tokens);
    step_peer_ = peer;
    if (shard_.world > 1) SLIPWAY_STATUS_TRY(tp_embedding(ids, tokens, peer));  // vocab-parallel
    else SLIPWAY_CUDA_TRY(launch_embedding(embed_, ids, tokens, H, x, stream_));
    SLIPWAY_STATUS_TRY(mark(peer ? "embedding+all_reduce+rmsnorm" : "embedding"));
    for (size_t li = 0; li < layers_.size(); ++li) {
        const Layer &l = layers_[li];
        if (peer) {
            if (li > 0) SLIPWAY_STATUS_TRY(peer_add_rmsnorm(0, l.in_norm, tokens));
        } else if (li == 0) {
            SLIPWAY_CUDA_TRY(launch_rmsnorm(x, nullptr, l.in_norm, tokens, H, eps, hn, stream_));
        } else {
            SLIPWAY_CUDA_TRY(launch_add_rmsnorm(x, proj, l.in_norm, tokens, H, eps, hn, stream_));
        }
        SLIPWAY_STATUS_TRY(mark(peer ? "all_reduce+add+rmsnorm" : "add+rmsnorm"));
        SLIPWAY_STATUS_TRY(gemm_.run(hn, tokens, H, l.qkv_w, static_cast<int>(qkv_dim_), l.qkv_b, qkv, false, stream_));
        SLIPWAY_STATUS_TRY(mark("qkv_proj"));
        bf16 *kc = kv_.as<bf16>() + static_cast<int64_t>(li) * layer_elems;
        bf16 *vc = kc + slots_ * kvd_;
        // Rope on q and k, rotated k and v straight into the paged cache (one kernel).
        SLIPWAY_CUDA_TRY(launch_rope_kv_write(qkv, qkv_dim_, positions, inv_freq_.as<float>(), slots, tokens,
                                              static_cast<int>(c.num_heads), static_cast<int>(c.num_kv_heads),
                                              static_cast<int>(c.head_dim), kc, vc, stream_));
        SLIPWAY_STATUS_TRY(mark("rope+kv_write"));
        PagedKv kv;
        kv.k_cache = kc;
        kv.v_cache = vc;
        kv.kv_indptr = meta + layout_.kv_indptr;
        kv.kv_indices = meta + layout_.kv_indices;
        kv.page_size = info_.page_size;
        kv.num_heads = static_cast<int>(c.num_heads);
        kv.num_kv_heads = static_cast<int>(c.num_kv_heads);
        kv.head_dim = static_cast<int>(c.head_dim);
        kv.scale = 1.0f / sqrtf(static_cast<float>(c.head_dim));
        if (decode)
            SLIPWAY_CUDA_TRY(launch_decode_attention(kv, qkv, qkv_dim_, meta + layout_.seq_lens, batch, splits,
                                                     partial_.as<float>(), attn, stream_));
        else
            SLIPWAY_CUDA_TRY(launch_prefill_attention(kv, qkv, qkv_dim_, meta + layout_.q_starts, meta + layout_.q_lens,
                                                      meta + layout_.ctx_lens, meta + layout_.tile_seq,
                                                      meta + layout_.tile_row, num_tiles, attn, stream_));
        SLIPWAY_STATUS_TRY(mark("attention"));
        SLIPWAY_STATUS_TRY(gemm_.run(attn, tokens, static_cast<int>(qd_), l.o_w, H, l.o_b, peer ? peer_rows(1) : proj,
                                     false, stream_));
        SLIPWAY_STATUS_TRY(mark("o_proj"));
        if (peer) {
            SLIPWAY_STATUS_TRY(peer_add_rmsnorm(1, l.post_norm, tokens));
        } else {
            SLIPWAY_STATUS_TRY(tp_all_reduce(proj, tokens));  // row-parallel: sum the ranks' partials
            SLIPWAY_CUDA_TRY(launch_add_rmsnorm(x, proj, l.post_norm, tokens, H, eps, hn, stream_));
        }
        SLIPWAY_STATUS_TRY(mark(peer ? "all_reduce+add+rmsnorm" : "add+rmsnorm"));
        if (gemm_.gated_applies(tokens, H)) {  // decode of a few rows: SiLU-and-multiply in the GEMV
            SLIPWAY_STATUS_TRY(gemm_.run_gated(hn, tokens, H, l.gu_w, static_cast<int>(inter_), l.gu_b, act, stream_));
            SLIPWAY_STATUS_TRY(mark("gate_up_proj+silu_mul"));
        } else {
            SLIPWAY_STATUS_TRY(
                gemm_.run(hn, tokens, H, l.gu_w, static_cast<int>(2 * inter_), l.gu_b, gu, false, stream_));
            SLIPWAY_STATUS_TRY(mark("gate_up_proj"));
            SLIPWAY_CUDA_TRY(launch_silu_and_mul(gu, tokens, static_cast<int>(inter_), act, stream_));
            SLIPWAY_STATUS_TRY(mark("silu_mul"));
        }
        SLIPWAY_STATUS_TRY(gemm_.run(act, tokens, static_cast<int>(inter_), l.down_w, H, l.down_b,
                                     peer ? peer_rows(0) : proj, false, stream_));
        SLIPWAY_STATUS_TRY(mark("down_proj"));
        if (!peer) SLIPWAY_STATUS_TRY(tp_all_reduce(proj, tokens));
    }
    return {};
}

Status CudaModelRunner::run_head(int rows, Output output) {
    if (rows == 0) return {};
    const int H = static_cast<int>(hidden_);
    const float eps = static_cast<float>(config_.rms_norm_eps);
    // The last layer's down projection joins the residual only for the rows that need logits.
    const int32_t *logit_rows = meta_.as<int32_t>() + layout_.logit_rows;
    if (step_peer_)  // the last down_proj's all-reduce, for these rows only
        SLIPWAY_CUDA_TRY(launch_peer_all_reduce_rmsnorm(PeerNorm::Gather, shard_.peer, 0, logit_rows, x_.as<float>(),
                                                        final_norm_, rows, H, eps, rows_.as<bf16>(), stream_));
    else
        SLIPWAY_CUDA_TRY(launch_gather_add_rmsnorm(x_.as<float>(), proj_.as<bf16>(), logit_rows, final_norm_, rows, H,
                                                   eps, rows_.as<bf16>(), stream_));
    SLIPWAY_STATUS_TRY(mark(step_peer_ ? "all_reduce+final_norm" : "final_norm"));
    if (shard_.world > 1) return run_head_tp(rows, output);  // vocab-parallel head
    SLIPWAY_STATUS_TRY(gemm_.run(rows_.as<bf16>(), rows, H, lm_head_, static_cast<int>(vocab_), nullptr,
                                 logits_.as<float>(), true, stream_));
    SLIPWAY_STATUS_TRY(mark("lm_head"));
    if (output == Output::Greedy) {
        SLIPWAY_CUDA_TRY(launch_argmax(logits_.as<float>(), rows, static_cast<int>(vocab_), out_tokens_.as<int32_t>(),
                                       stream_));
        SLIPWAY_STATUS_TRY(mark("argmax"));
    }
    return {};
}

Status CudaModelRunner::execute(const ForwardBatch &batch, Output output, int &rows) {
    SLIPWAY_CUDA_TRY(cudaSetDevice(device_));
    const int n = static_cast<int>(batch.seqs.size());
    bool decode = n > 0;
    int64_t max_len = 0;
    for (const SequenceSlice &s : batch.seqs) {
        decode = decode && s.query_len == 1;
        max_len = std::max<int64_t>(max_len, s.context_len + s.query_len);
    }
    if (decode && graphs_enabled_ && n <= graph_max_bs_) {
        const int32_t padded = *std::lower_bound(graph_sizes_.begin(), graph_sizes_.end(), n);
        SLIPWAY_STATUS_TRY(plan(batch, true, padded, rows));
        auto it = graphs_.find(padded);
        if (it == graphs_.end()) return Status::error("CUDA backend: no graph captured for batch " + std::to_string(padded));
        SLIPWAY_CUDA_TRY(cudaGraphLaunch(it->second.get(), stream_));
        // Graphs end in the greedy head; with tensor parallelism the full logits are gathered after.
        if (shard_.world > 1 && output != Output::Greedy) SLIPWAY_STATUS_TRY(gather_logits_tp(rows));
        return {};
    }
    const int tokens = static_cast<int>(batch.token_ids.size());
    SLIPWAY_STATUS_TRY(plan(batch, decode, n, rows));
    SLIPWAY_STATUS_TRY(run_layers(tokens, n, decode, num_tiles_, decode ? decode_splits(n, max_len) : 1));
    return run_head(rows, output);
}

Status CudaModelRunner::forward(const ForwardBatch &batch, std::vector<float> &logits) {
    logits.clear();
    SLIPWAY_STATUS_TRY(validate(batch));
    if (batch.token_ids.empty()) return {};
    int rows = 0;
    SLIPWAY_STATUS_TRY(execute(batch, Output::Logits, rows));
    if (shard_.rank != 0) {  // tensor parallel: only rank 0's logits leave the GPU
        SLIPWAY_CUDA_TRY(cudaStreamSynchronize(stream_));
        return {};
    }
    // Decode steps compute a row per sequence (plus padding); prefill only the rows asked for.
    std::vector<int> wanted;
    bool all_seq_rows = true;
    for (const SequenceSlice &s : batch.seqs) all_seq_rows = all_seq_rows && s.query_len == 1;
    for (size_t i = 0, r = 0; i < batch.seqs.size(); ++i) {
        if (all_seq_rows) {
            if (batch.seqs[i].need_logits) wanted.push_back(static_cast<int>(i));
        } else if (batch.seqs[i].need_logits) {
            wanted.push_back(static_cast<int>(r++));
        }
    }
    const size_t V = static_cast<size_t>(vocab_);
    float *host = logits_host_.as<float>();
    // Contiguous runs of wanted rows are copied together.
    for (size_t i = 0; i < wanted.size();) {
        size_t j = i + 1;
        while (j < wanted.size() && wanted[j] == wanted[j - 1] + 1) ++j;
        SLIPWAY_CUDA_TRY(cudaMemcpyAsync(host + static_cast<size_t>(wanted[i]) * V,
                                         logits_.as<float>() + static_cast<size_t>(wanted[i]) * V,
                                         (j - i) * V * 4, cudaMemcpyDeviceToHost, stream_));
        i = j;
    }
    SLIPWAY_CUDA_TRY(cudaStreamSynchronize(stream_));
    logits.resize(wanted.size() * V);
    for (size_t i = 0; i < wanted.size(); ++i)
        std::memcpy(logits.data() + i * V, host + static_cast<size_t>(wanted[i]) * V, V * 4);
    return {};
}

Status CudaModelRunner::forward_greedy(const ForwardBatch &batch, std::vector<int32_t> &tokens) {
    tokens.clear();
    SLIPWAY_STATUS_TRY(validate(batch));
    if (batch.token_ids.empty()) return {};
    int rows = 0;
    SLIPWAY_STATUS_TRY(execute(batch, Output::Greedy, rows));
    SLIPWAY_CUDA_TRY(cudaMemcpyAsync(tokens_host_.as<int32_t>(), out_tokens_.get(), static_cast<size_t>(rows) * 4,
                                     cudaMemcpyDeviceToHost, stream_));
    SLIPWAY_CUDA_TRY(cudaStreamSynchronize(stream_));
    bool decode = true;
    for (const SequenceSlice &s : batch.seqs) decode = decode && s.query_len == 1;
    for (size_t i = 0, r = 0; i < batch.seqs.size(); ++i) {
        if (decode) {
            if (batch.seqs[i].need_logits) tokens.push_back(tokens_host_.as<int32_t>()[i]);
        } else if (batch.seqs[i].need_logits) {
            tokens.push_back(tokens_host_.as<int32_t>()[r++]);
        }
    }
    return {};
}

Status CudaModelRunner::forward_sample(const ForwardBatch &batch, const std::vector<DeviceSampling> &sampling,
                                       std::vector<int32_t> &tokens) {
    tokens.clear();
    SLIPWAY_STATUS_TRY(validate(batch));
    size_t wanted = 0;
    for (const SequenceSlice &s : batch.seqs) wanted += s.need_logits ? 1 : 0;
    if (sampling.size() != wanted)
        return Status::error("forward_sample: " + std::to_string(sampling.size()) + " sampling rows for " +
                             std::to_string(wanted) + " sequences that want a token");
    if (batch.token_ids.empty()) return {};
    int rows = 0;
    SLIPWAY_STATUS_TRY(execute(batch, Output::Sample, rows));
    bool decode = true;
    for (const SequenceSlice &s : batch.seqs) decode = decode && s.query_len == 1;
    // Row r of the logits buffer for each sampled sequence; other rows sample greedily.
    std::vector<int> row_of(wanted);
    for (size_t i = 0, r = 0, k = 0; i < batch.seqs.size(); ++i) {
        if (!batch.seqs[i].need_logits) continue;
        row_of[k++] = decode ? static_cast<int>(i) : static_cast<int>(r++);
    }
    SampleRowParams *params = sample_host_.as<SampleRowParams>();
    for (int r = 0; r < rows; ++r) params[r] = SampleRowParams{0.0f};
    std::vector<int32_t> indptr(static_cast<size_t>(rows) + 1, 0), ids, counts, flags;
    std::vector<std::vector<std::pair<int32_t, std::pair<int32_t, int32_t>>>> entries(static_cast<size_t>(rows));
    for (size_t k = 0; k < wanted; ++k) {
        const DeviceSampling &s = sampling[k];
        if (s.penalty_counts.size() != s.penalty_ids.size())
            return Status::error("forward_sample: row " + std::to_string(k) + ": penalty_ids and penalty_counts differ in length");
        SampleRowParams &p = params[row_of[k]];
        p.temperature = s.temperature;
        p.top_k = s.top_k;
        p.top_p = s.top_p;
        p.min_p = s.min_p;
        p.repetition_penalty = s.repetition_penalty;
        p.frequency_penalty = s.frequency_penalty;
        p.presence_penalty = s.presence_penalty;
        p.uniform = static_cast<float>(s.uniform);
        auto &e = entries[static_cast<size_t>(row_of[k])];
        for (size_t j = 0; j < s.penalty_ids.size(); ++j) e.push_back({s.penalty_ids[j], {s.penalty_counts[j], kPenaltySeen}});
        for (int32_t id : s.masked_ids) e.push_back({id, {0, kPenaltyMasked}});
    }
    for (int r = 0; r < rows; ++r) {
        for (const auto &[id, cf] : entries[static_cast<size_t>(r)]) {
            ids.push_back(id);
            counts.push_back(cf.first);
            flags.push_back(cf.second);
        }
        indptr[static_cast<size_t>(r) + 1] = static_cast<int32_t>(ids.size());
    }
    const size_t np = ids.size();
    const size_t need = (indptr.size() + 3 * np) * 4;
    if (penalty_.bytes() < need) {
        SLIPWAY_CUDA_TRY(cudaStreamSynchronize(stream_));
        SLIPWAY_CUDA_TRY(penalty_.allocate(std::max<size_t>(need, 1 << 16)));
        SLIPWAY_CUDA_TRY(penalty_host_.allocate(penalty_.bytes()));
    }
    int32_t *ph = penalty_host_.as<int32_t>();
    std::memcpy(ph, indptr.data(), indptr.size() * 4);
    if (np > 0) {
        std::memcpy(ph + indptr.size(), ids.data(), np * 4);
        std::memcpy(ph + indptr.size() + np, counts.data(), np * 4);
        std::memcpy(ph + indptr.size() + 2 * np, flags.data(), np * 4);
    }
    int32_t *pd = penalty_.as<int32_t>();
    SLIPWAY_CUDA_TRY(cudaMemcpyAsync(pd, ph, need, cudaMemcpyHostToDevice, stream_));
    SLIPWAY_CUDA_TRY(cudaMemcpyAsync(sample_params_.get(), params, static_cast<size_t>(rows) * sizeof(SampleRowParams),
                                     cudaMemcpyHostToDevice, stream_));
    const int V = static_cast<int>(vocab_);
    SampleRowParams *dparams = sample_params_.as<SampleRowParams>();
    if (np > 0)
        SLIPWAY_CUDA_TRY(launch_apply_penalties(logits_.as<float>(), rows, V, dparams, pd, pd + indptr.size(),
                                                pd + indptr.size() + np, pd + indptr.size() + 2 * np, stream_));
    SLIPWAY_CUDA_TRY(cuda::launch_sample(logits_.as<float>(), rows, V, dparams, out_tokens_.as<int32_t>(), stream_));
    SLIPWAY_CUDA_TRY(cudaMemcpyAsync(tokens_host_.as<int32_t>(), out_tokens_.get(), static_cast<size_t>(rows) * 4,
                                     cudaMemcpyDeviceToHost, stream_));
    SLIPWAY_CUDA_TRY(cudaStreamSynchronize(stream_));
    for (size_t k = 0; k < wanted; ++k) tokens.push_back(tokens_host_.as<int32_t>()[row_of[k]]);
    return {};
}

} // namespace slipway::engine::cuda
