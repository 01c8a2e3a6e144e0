#pragma once
// SiLU-and-multiply over the fused gate|up projection: out[t, i] = silu(gu[t, i]) * gu[t, inter + i].
#include "cuda/cuda_common.cuh"

namespace slipway::engine::cuda {

cudaError_t launch_silu_and_mul(const bf16 *gate_up, int tokens, int inter, bf16 *out, cudaStream_t stream);

} // namespace slipway::engine::cuda
