#pragma once
// Rotary embedding, neox style (rotate halves), in place on the q and k heads of the fused qkv
// rows. inv_freq (head_dim / 2 fp32 values) already carries the linear / llama3 scaling, as
// computed on the host by rope_inv_freq(); angles are position * inv_freq in fp32 with accurate
// sinf/cosf, as the CPU reference does.
#include "cuda/cuda_common.cuh"

namespace slipway::engine::cuda {

// qkv [tokens, row_stride] bf16: q heads at column 0, k heads at column num_heads * head_dim.
cudaError_t launch_rope(bf16 *qkv, int64_t row_stride, const int32_t *positions, const float *inv_freq, int tokens,
                        int num_heads, int num_kv_heads, int head_dim, cudaStream_t stream);

// Rope and KV-cache write in one kernel: rotates the q and k heads of each token's qkv row in
// place (as launch_rope) and writes the rotated k heads and the v heads to the token's cache
// slot (as launch_kv_write). The qkv row holds q | k | v heads contiguously from column 0
// (k at num_heads * head_dim, v after k); cache layout as in kv_cache.cuh. Each thread rotates
// one pair (i, i + head_dim / 2) of several heads with a single sincosf, and tokens spread over
// several blocks, so one decode token still fills a handful of SMs. Launched with PDL (pdl.cuh).
cudaError_t launch_rope_kv_write(bf16 *qkv, int64_t row_stride, const int32_t *positions, const float *inv_freq,
                                 const int64_t *slot_mapping, int tokens, int num_heads, int num_kv_heads,
                                 int head_dim, bf16 *k_cache, bf16 *v_cache, cudaStream_t stream);

} // namespace slipway::engine::cuda
