#include "cuda/peer_all_reduce.cuh"

#include "cuda/pdl.cuh"

namespace slipway::engine::cuda {

namespace {

__device__ __forceinline__ void add_bf16x4(float4 &acc, uint2 d) {
    const float2 lo = __bfloat1622float2(*reinterpret_cast<const __nv_bfloat162 *>(&d.x));
    const float2 hi = __bfloat1622float2(*reinterpret_cast<const __nv_bfloat162 *>(&d.y));
    acc.x += lo.x;
    acc.y += lo.y;
    acc.z += hi.x;
    acc.w += hi.y;
}

__device__ __forceinline__ float4 round_bf16x4(float4 v) {
    return make_float4(__bfloat162float(__float2bfloat16(v.x)), __bfloat162float(__float2bfloat16(v.y)),
                       __bfloat162float(__float2bfloat16(v.z)), __bfloat162float(__float2bfloat16(v.w)));
}

// One block per row; thread j handles the 4-element groups j, j + blockDim.x, ... (VPT of them),
// as rmsnorm.cu's vectorized kernel.
template <int VPT, PeerNorm kMode>
__global__ void __launch_bounds__(1024)
    peer_rmsnorm_kernel(PeerView v, int which, const int32_t *__restrict__ src_rows, float *__restrict__ x,
                        const bf16 *__restrict__ w, int hidden, float eps, bf16 *__restrict__ out) {
    __shared__ float scratch[32];
    pdl_trigger();
    const int nvec = hidden / 4;
    uint2 wv[VPT];
#pragma unroll
    for (int k = 0; k < VPT; ++k) {
        const int i = threadIdx.x + k * blockDim.x;
        wv[k] = i < nvec ? reinterpret_cast<const uint2 *>(w)[i] : make_uint2(0, 0);
    }
    pdl_wait();
    peer_barrier(v);
    const int r = blockIdx.x;
    const int64_t src = kMode == PeerNorm::Gather ? src_rows[r] : r;
    float4 *row = reinterpret_cast<float4 *>(x + src * hidden);
    float4 sum[VPT];
    uint2 d[VPT][kPeerMaxRanks];
#pragma unroll
    for (int k = 0; k < VPT; ++k) {
        const int i = threadIdx.x + k * blockDim.x;
#pragma unroll
        for (int p = 0; p < kPeerMaxRanks; ++p)
            if (p < v.world && i < nvec)
                d[k][p] = __ldcg(reinterpret_cast<const uint2 *>(static_cast<const bf16 *>(v.buf[which][p]) +
                                                                 src * hidden) +
                                 i);
    }
    float ss = 0.0f;
#pragma unroll
    for (int k = 0; k < VPT; ++k) {
        const int i = threadIdx.x + k * blockDim.x;
        float4 s = make_float4(0.0f, 0.0f, 0.0f, 0.0f);
        if (i < nvec) {
#pragma unroll
            for (int p = 0; p < kPeerMaxRanks; ++p)
                if (p < v.world) add_bf16x4(s, d[k][p]);  // rank order: the same sum on every rank
            // Rounded to bf16 before it joins the residual, as NCCL's bf16 all-reduce (and TP 1's
            // bf16 projection output) would have it.
            s = round_bf16x4(s);
            if (kMode != PeerNorm::Init) {
                const float4 base = row[i];
                s.x += base.x;
                s.y += base.y;
                s.z += base.z;
                s.w += base.w;
            }
            if (kMode != PeerNorm::Gather) row[i] = s;
        }
        sum[k] = s;
        ss += s.x * s.x + s.y * s.y + s.z * s.z + s.w * s.w;
    }
    ss = block_sum(ss, scratch);
    const float inv = 1.0f / sqrtf(ss / static_cast<float>(hidden) + eps);
    uint2 *orow = reinterpret_cast<uint2 *>(out + static_cast<int64_t>(r) * hidden);
#pragma unroll
    for (int k = 0; k < VPT; ++k) {
        const int i = threadIdx.x + k * blockDim.x;
        if (i >= nvec) break;
        const float2 wlo = __bfloat1622float2(*reinterpret_cast<const __nv_bfloat162 *>(&wv[k].x));
        const float2 whi = __bfloat1622float2(*reinterpret_cast<const __nv_bfloat162 *>(&wv[k].y));
        const __nv_bfloat162 lo = __floats2bfloat162_rn(wlo.x * (sum[k].x * inv), wlo.y * (sum[k].y * inv));
        const __nv_bfloat162 hi = __floats2bfloat162_rn(whi.x * (sum[k].z * inv), whi.y * (sum[k].w * inv));
        uint2 o;
        o.x = *reinterpret_cast<const unsigned *>(&lo);
        o.y = *reinterpret_cast<const unsigned *>(&hi);
        orow[i] = o;
    }
}

template <PeerNorm kMode>
cudaError_t launch_mode(const PeerView &view, int which, const int32_t *src_rows, float *x, const bf16 *w, int rows,
                        int hidden, float eps, bf16 *out, cudaStream_t stream) {
    const int nvec = hidden / 4;
    const int vpt = nvec <= 1024 ? 1 : nvec <= 2048 ? 2 : 4;
    const unsigned threads = static_cast<unsigned>(ceil_div(ceil_div(nvec, vpt), 32) * 32);
    const dim3 grid(static_cast<unsigned>(rows)), block(std::max(threads, 32u));
    if (vpt == 1)
        return launch_pdl(peer_rmsnorm_kernel<1, kMode>, grid, block, 0, stream, view, which, src_rows, x, w, hidden,
                          eps, out);
    if (vpt == 2)
        return launch_pdl(peer_rmsnorm_kernel<2, kMode>, grid, block, 0, stream, view, which, src_rows, x, w, hidden,
                          eps, out);
    return launch_pdl(peer_rmsnorm_kernel<4, kMode>, grid, block, 0, stream, view, which, src_rows, x, w, hidden, eps,
                      out);
}

} // namespace

cudaError_t launch_peer_all_reduce_rmsnorm(PeerNorm mode, const PeerView &view, int which, const int32_t *src_rows,
                                           float *x, const bf16 *w, int rows, int hidden, float eps, bf16 *out,
                                           cudaStream_t stream) {
    if (rows <= 0) return cudaSuccess;
    if (view.world < 2 || which < 0 || which > 1 || rows > view.max_rows || rows > kPeerMaxBlocks ||
        hidden <= 0 || hidden % 4 != 0 || hidden > 16384 || (mode == PeerNorm::Gather && src_rows == nullptr))
        return cudaErrorInvalidValue;
    switch (mode) {
    case PeerNorm::Add: return launch_mode<PeerNorm::Add>(view, which, src_rows, x, w, rows, hidden, eps, out, stream);
    case PeerNorm::Init: return launch_mode<PeerNorm::Init>(view, which, src_rows, x, w, rows, hidden, eps, out, stream);
    case PeerNorm::Gather:
        return launch_mode<PeerNorm::Gather>(view, which, src_rows, x, w, rows, hidden, eps, out, stream);
    }
    return cudaErrorInvalidValue;
}

} // namespace slipway::engine::cuda
