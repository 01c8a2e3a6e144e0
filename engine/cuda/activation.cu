#include "cuda/activation.cuh"

#include <algorithm>

namespace slipway::engine::cuda {

static __global__ void silu_and_mul_kernel(const bf16 *__restrict__ gu, int inter, bf16 *__restrict__ out) {
    const int t = blockIdx.y;
    const bf16 *g = gu + static_cast<int64_t>(t) * 2 * inter;
    const bf16 *u = g + inter;
    bf16 *o = out + static_cast<int64_t>(t) * inter;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < inter; i += gridDim.x * blockDim.x) {
        const float a = __bfloat162float(g[i]);
        // silu(a) = a / (1 + exp(-a)), as torch computes it in fp32 for the CPU reference.
        o[i] = __float2bfloat16(a / (1.0f + expf(-a)) * __bfloat162float(u[i]));
    }
}

cudaError_t launch_silu_and_mul(const bf16 *gate_up, int tokens, int inter, bf16 *out, cudaStream_t stream) {
    if (tokens <= 0) return cudaSuccess;
    if (inter <= 0 || tokens > 65535) return cudaErrorInvalidValue;
    const unsigned blocks = std::min(ceil_div(inter, 256), 64u);
    silu_and_mul_kernel<<<dim3(blocks, tokens), 256, 0, stream>>>(gate_up, inter, out);
    return cudaGetLastError();
}

} // namespace slipway::engine::cuda
