#include "cuda/activation.cuh"

#include <algorithm>

#include "cuda/pdl.cuh"

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

// Eight elements per thread with 16-byte loads and stores (inter % 8 == 0, aligned rows); one
// thread per vector, so a lone decode row of 18944 spreads over 10 blocks. Launched with PDL.
static __global__ void __launch_bounds__(256)
    silu_and_mul_vec_kernel(const bf16 *__restrict__ gu, int inter, bf16 *__restrict__ out) {
    pdl_trigger();
    pdl_wait();
    const int t = blockIdx.y;
    const int v = blockIdx.x * blockDim.x + threadIdx.x;
    if (v >= inter / 8) return;
    const bf16 *g = gu + static_cast<int64_t>(t) * 2 * inter;
    const Bf16x8 graw = reinterpret_cast<const Bf16x8 *>(g)[v];
    const Bf16x8 uraw = reinterpret_cast<const Bf16x8 *>(g + inter)[v];
    float a[8], u[8], o[8];
    bf16x8_to_float(graw, a);
    bf16x8_to_float(uraw, u);
#pragma unroll
    for (int i = 0; i < 8; ++i) o[i] = a[i] / (1.0f + expf(-a[i])) * u[i];
    reinterpret_cast<Bf16x8 *>(out + static_cast<int64_t>(t) * inter)[v] = float_to_bf16x8(o);
}

cudaError_t launch_silu_and_mul(const bf16 *gate_up, int tokens, int inter, bf16 *out, cudaStream_t stream) {
    if (tokens <= 0) return cudaSuccess;
    if (inter <= 0 || tokens > 65535) return cudaErrorInvalidValue;
    if (inter % 8 == 0 && reinterpret_cast<uintptr_t>(gate_up) % 16 == 0 && reinterpret_cast<uintptr_t>(out) % 16 == 0)
        return launch_pdl(silu_and_mul_vec_kernel, dim3(ceil_div(inter / 8, 256), static_cast<unsigned>(tokens)),
                          dim3(256), 0, stream, gate_up, inter, out);
    const unsigned blocks = std::min(ceil_div(inter, 256), 64u);
    silu_and_mul_kernel<<<dim3(blocks, tokens), 256, 0, stream>>>(gate_up, inter, out);
    return cudaGetLastError();
}

} // namespace slipway::engine::cuda
