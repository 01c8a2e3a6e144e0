#pragma once
// The bandwidth-bound GEMV kernel of gemm.cu (y[M, N] = x[M, K] . W[N, K]^T, M <= 8), and its
// gated form for the MLP (gate|up projection with SiLU-and-multiply fused, gemv_gated.cu).
// Device code: include from .cu files only.
#include "cuda/cuda_common.cuh"
#include "cuda/pdl.cuh"

namespace slipway::engine::cuda {

// A block holds RPB row groups; a row group is RPW consecutive output features (rows of W)
// handled by WPR warps that split K between them (interleaved 512-byte chunks), partial sums
// joined through shared memory. Each lane keeps U x RPW 16-byte weight loads in flight: all of
// a chunk's loads are issued before any is used (predicated, no serial tail loop). Rows of one
// group share each x load. The first chunk of weights is requested before the PDL wait (the
// weights are immutable), so it overlaps the end of the kernel that produces x.
//
// kGated (RPW == 2, bf16 out): the gate|up projection with SiLU-and-multiply in its epilogue.
// W holds 2n rows (gate rows, then up rows, as the fused gate|up weight); the warp's two rows are
// gate row j and up row j + n, and it writes y[r][j] = silu(g) * u with g and u first rounded
// to bf16 (bias added), bit for bit what the GEMV followed by launch_silu_and_mul computes.
template <int M, int RPB, int WPR, int RPW, int U, bool kFp32Out, bool kGated = false>
__global__ void __launch_bounds__(RPB *WPR * 32) gemv_kernel(const bf16 *__restrict__ x, int k,
                                                             const bf16 *__restrict__ w, int n,
                                                             const bf16 *__restrict__ bias, void *__restrict__ y) {
    pdl_trigger();
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    static_assert(!kGated || (RPW == 2 && !kFp32Out), "the gated form pairs one gate and one up row");
    const int unit = blockIdx.x * RPB + warp / WPR, part = warp % WPR;
    const int row0 = kGated ? unit : unit * RPW;  // gated: the output column j
    const int vecs = k / 8;
    constexpr int kStride = 32 * WPR;
    const uint4 *wr[RPW];
    bool active[RPW];
#pragma unroll
    for (int q = 0; q < RPW; ++q) {
        const int row = kGated ? row0 + q * n : row0 + q;
        active[q] = kGated ? row0 < n : row < n;
        wr[q] = reinterpret_cast<const uint4 *>(w + static_cast<int64_t>(active[q] ? row : 0) * k);
    }
    float acc[RPW][M];
#pragma unroll
    for (int q = 0; q < RPW; ++q)
#pragma unroll
        for (int r = 0; r < M; ++r) acc[q][r] = 0.0f;
    uint4 raw[RPW][U];
    // The U chunks of every row from vector `base` on. Streaming loads: the weights are read once
    // per step and should not evict x.
    auto load_chunks = [&](int base) {
#pragma unroll
        for (int q = 0; q < RPW; ++q)
#pragma unroll
            for (int u = 0; u < U; ++u) {
                const int v = base + kStride * u;
                raw[q][u] = active[q] && v < vecs ? __ldcs(wr[q] + v) : make_uint4(0, 0, 0, 0);
            }
    };
    int v0 = part * 32 + lane;
    load_chunks(v0);  // weights only: before the wait
    pdl_wait();       // x is written by the previous kernel
    for (; v0 < vecs; v0 += kStride * U) {
#pragma unroll
        for (int u = 0; u < U; ++u) {
            const int v = v0 + kStride * u;
            if (v >= vecs) break;
            float wf[RPW][8];
#pragma unroll
            for (int q = 0; q < RPW; ++q) bf16x8_to_float(*reinterpret_cast<const Bf16x8 *>(&raw[q][u]), wf[q]);
#pragma unroll
            for (int r = 0; r < M; ++r) {
                float xf[8];
                bf16x8_to_float(*reinterpret_cast<const Bf16x8 *>(x + static_cast<int64_t>(r) * k + v * 8), xf);
#pragma unroll
                for (int q = 0; q < RPW; ++q)
#pragma unroll
                    for (int i = 0; i < 8; ++i) acc[q][r] += wf[q][i] * xf[i];
            }
        }
        if (v0 + kStride * U < vecs) load_chunks(v0 + kStride * U);
    }
#pragma unroll
    for (int q = 0; q < RPW; ++q)
#pragma unroll
        for (int r = 0; r < M; ++r) acc[q][r] = warp_sum(acc[q][r]);
    if constexpr (WPR > 1) {
        __shared__ float partial[RPB * WPR][RPW][M];
        if (lane == 0) {
#pragma unroll
            for (int q = 0; q < RPW; ++q)
#pragma unroll
                for (int r = 0; r < M; ++r) partial[warp][q][r] = acc[q][r];
        }
        __syncthreads();
        if (part != 0) return;
#pragma unroll
        for (int q = 0; q < RPW; ++q)
#pragma unroll
            for (int r = 0; r < M; ++r) {
                float s = 0.0f;
#pragma unroll
                for (int p = 0; p < WPR; ++p) s += partial[warp + p][q][r];
                acc[q][r] = s;
            }
    }
    if (lane != 0) return;
    if constexpr (kGated) {
        if (!active[0]) return;
        const float bg = bias != nullptr ? __bfloat162float(bias[row0]) : 0.0f;
        const float bu = bias != nullptr ? __bfloat162float(bias[row0 + n]) : 0.0f;
#pragma unroll
        for (int r = 0; r < M; ++r) {
            const float g = __bfloat162float(__float2bfloat16(acc[0][r] + bg));
            const float u = __bfloat162float(__float2bfloat16(acc[1][r] + bu));
            // As activation.cu: silu(a) = a / (1 + exp(-a)), in fp32.
            static_cast<bf16 *>(y)[static_cast<int64_t>(r) * n + row0] = __float2bfloat16(g / (1.0f + expf(-g)) * u);
        }
    } else {
#pragma unroll
        for (int q = 0; q < RPW; ++q) {
            if (!active[q]) break;
            const int row = row0 + q;
            const float b = bias != nullptr ? __bfloat162float(bias[row]) : 0.0f;
#pragma unroll
            for (int r = 0; r < M; ++r) {
                if (kFp32Out) static_cast<float *>(y)[static_cast<int64_t>(r) * n + row] = acc[q][r] + b;
                else static_cast<bf16 *>(y)[static_cast<int64_t>(r) * n + row] = __float2bfloat16(acc[q][r] + b);
            }
        }
    }
}

} // namespace slipway::engine::cuda
