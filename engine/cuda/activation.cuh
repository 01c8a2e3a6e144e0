#pragma once
// SiLU-and-multiply over the fused gate|up projection: out[t, i] = silu(gu[t, i]) * gu[t, inter + i].
// inter % 8 == 0 with 16-byte aligned buffers takes a vectorized kernel (PDL, see pdl.cuh).
#include "cuda/cuda_common.cuh"

namespace slipway::engine::cuda {

cudaError_t launch_silu_and_mul(const bf16 *gate_up, int tokens, int inter, bf16 *out, cudaStream_t stream);

} // namespace slipway::engine::cuda
