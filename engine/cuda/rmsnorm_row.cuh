#pragma once
// The row layout and epilogue shared by the vectorized RMSNorm kernels (rmsnorm.cu) and the
// peer all-reduce fused with RMSNorm (peer_all_reduce.cu): one block per row, thread j holding
// the 4-element groups j, j + blockDim.x, ... (VPT of them, nvec = hidden / 4 in all).
// Device code: include from .cu files only.
#include "cuda/cuda_common.cuh"

namespace slipway::engine::cuda {

// This thread's groups of the norm weight (immutable: may be read before the PDL wait).
template <int VPT>
__device__ __forceinline__ void rmsnorm_row_weight(const bf16 *__restrict__ w, int nvec, uint2 (&wv)[VPT]) {
#pragma unroll
    for (int k = 0; k < VPT; ++k) {
        const int i = threadIdx.x + k * blockDim.x;
        wv[k] = i < nvec ? reinterpret_cast<const uint2 *>(w)[i] : make_uint2(0, 0);
    }
}

// out_row = bf16(w * (v / sqrt(mean(v^2) + eps))) for the whole row, v being this thread's groups
// (zero past nvec). Block-wide: every thread of the block must call it.
template <int VPT>
__device__ __forceinline__ void rmsnorm_row_store(const float4 (&v)[VPT], const uint2 (&wv)[VPT], int nvec,
                                                  int hidden, float eps, float *scratch, bf16 *__restrict__ out_row) {
    float ss = 0.0f;
#pragma unroll
    for (int k = 0; k < VPT; ++k) ss += v[k].x * v[k].x + v[k].y * v[k].y + v[k].z * v[k].z + v[k].w * v[k].w;
    ss = block_sum(ss, scratch);
    const float inv = 1.0f / sqrtf(ss / static_cast<float>(hidden) + eps);
    uint2 *orow = reinterpret_cast<uint2 *>(out_row);
#pragma unroll
    for (int k = 0; k < VPT; ++k) {
        const int i = threadIdx.x + k * blockDim.x;
        if (i >= nvec) break;
        const float2 wlo = __bfloat1622float2(*reinterpret_cast<const __nv_bfloat162 *>(&wv[k].x));
        const float2 whi = __bfloat1622float2(*reinterpret_cast<const __nv_bfloat162 *>(&wv[k].y));
        const __nv_bfloat162 lo = __floats2bfloat162_rn(wlo.x * (v[k].x * inv), wlo.y * (v[k].y * inv));
        const __nv_bfloat162 hi = __floats2bfloat162_rn(whi.x * (v[k].z * inv), whi.y * (v[k].w * inv));
        uint2 o;
        o.x = *reinterpret_cast<const unsigned *>(&lo);
        o.y = *reinterpret_cast<const unsigned *>(&hi);
        orow[i] = o;
    }
}

// Adds four bf16 values (one uint2) to a float4.
__device__ __forceinline__ void add_bf16x4(float4 &acc, uint2 d) {
    const float2 lo = __bfloat1622float2(*reinterpret_cast<const __nv_bfloat162 *>(&d.x));
    const float2 hi = __bfloat1622float2(*reinterpret_cast<const __nv_bfloat162 *>(&d.y));
    acc.x += lo.x;
    acc.y += lo.y;
    acc.z += hi.x;
    acc.w += hi.y;
}

} // namespace slipway::engine::cuda
