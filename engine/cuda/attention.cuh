#pragma once
// Paged attention over the bf16 KV cache (layout in kv_cache.cuh), softmax in fp32.
//
// The KV pages of sequence b are kv_indices[kv_indptr[b] .. kv_indptr[b + 1]) (page ids, in
// position order); position p sits in page kv_indices[kv_indptr[b] + p / page_size], slot
// p % page_size. q rows come from the fused qkv buffer (row stride qkv_stride, q heads first).
#include "cuda/cuda_common.cuh"

namespace slipway::engine::cuda {

struct PagedKv {
    const bf16 *k_cache = nullptr;  // this layer's [slots][num_kv_heads * head_dim]
    const bf16 *v_cache = nullptr;
    const int32_t *kv_indptr = nullptr;   // [batch + 1]
    const int32_t *kv_indices = nullptr;  // page ids
    int page_size = 1;
    int num_heads = 0, num_kv_heads = 0, head_dim = 0;
    float scale = 1.0f;  // 1 / sqrt(head_dim)
};

// Decode: one query token per sequence, attending positions [0, seq_lens[b]) (its own K/V is
// already written). For head_dim 64 and 128 a block serves one KV head and up to 16 of its query
// heads with tensor cores (attention_decode_mma.cu), so K/V are read once per group (GQA); other
// head dims take the CUDA-core kernel (attention_decode_simt.cu, up to 8 heads a block). The KV range is split num_splits ways (split-KV) when the batch alone
// cannot fill the GPU; partial results (fp32, `partial` of decode_partial_floats() floats) are
// then merged by a second kernel. num_splits is fixed per launch (CUDA graphs), the split
// lengths follow the device-side seq_lens. head_dim: a multiple of 8, at most 256.
size_t decode_partial_floats(int batch, int num_heads, int head_dim, int num_splits);
cudaError_t launch_decode_attention(const PagedKv &kv, const bf16 *q, int64_t qkv_stride, const int32_t *seq_lens,
                                    int batch, int num_splits, float *partial, bf16 *out, cudaStream_t stream);

// Prefill / mixed batch: ragged queries, causal. Query row i of sequence b (token
// q_starts[b] + i) sits at position ctx_lens[b] + i and attends [0, ctx_lens[b] + i].
// Work is tiled by 64 query rows: tile_seq / tile_row (num_tiles entries) name each tile's
// sequence and first row (planned in CudaModelRunner::plan()). head_dim 64 and 128 run the
// FlashAttention-2-style mma.sync kernel (attention_prefill.cu), other head dims the WMMA
// fallback (attention_prefill_wmma.cu); bf16 in, fp32 accumulate. head_dim: a multiple of 8, at
// most 128.
constexpr int kPrefillTileRows = 64;
cudaError_t launch_prefill_attention(const PagedKv &kv, const bf16 *q, int64_t qkv_stride, const int32_t *q_starts,
                                     const int32_t *q_lens, const int32_t *ctx_lens, const int32_t *tile_seq,
                                     const int32_t *tile_row, int num_tiles, bf16 *out, cudaStream_t stream);

} // namespace slipway::engine::cuda
