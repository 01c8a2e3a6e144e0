#pragma once
// KV-cache write: the k and v columns of each token's fused qkv row go to its page slot.
// Cache layout per layer: [slot][num_kv_heads * head_dim] bf16, slot = page * page_size + offset.
#include "cuda/cuda_common.cuh"

namespace slipway::engine::cuda {

// k at column k_col, v at column v_col of qkv [tokens, row_stride]; kv_dim elements each.
cudaError_t launch_kv_write(const bf16 *qkv, int64_t row_stride, int64_t k_col, int64_t v_col,
                            const int64_t *slot_mapping, int tokens, int kv_dim, bf16 *k_cache, bf16 *v_cache,
                            cudaStream_t stream);

} // namespace slipway::engine::cuda
