#pragma once
// The WMMA prefill attention kernel (shared-memory scores and accumulators), kept as the fallback
// of launch_prefill_attention() for head dims other than 64 and 128. Same contract as
// launch_prefill_attention() in attention.cuh; the caller has validated the arguments
// (head_dim a multiple of 8, at most 128; num_heads at most 65535).
#include "cuda/attention.cuh"

namespace slipway::engine::cuda {

cudaError_t launch_prefill_attention_wmma(const PagedKv &kv, const bf16 *q, int64_t qkv_stride, const int32_t *q_starts,
                                          const int32_t *q_lens, const int32_t *ctx_lens, const int32_t *tile_seq,
                                          const int32_t *tile_row, int num_tiles, bf16 *out, cudaStream_t stream);

} // namespace slipway::engine::cuda
