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

} // namespace slipway::engine::cuda
