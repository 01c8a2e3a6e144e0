#include "cuda/peer_all_reduce.cuh"

#include "cuda/pdl.cuh"
#include "cuda/rmsnorm_row.cuh"

namespace slipway::engine::cuda {

namespace {

__device__ __forceinline__ float4 round_bf16x4(float4 v) {
    return make_float4(__bfloat162float(__float2bfloat16(v.x)), __bfloat162float(__float2bfloat16(v.y)),
                       __bfloat162float(__float2bfloat16(v.z)), __bfloat162float(__float2bfloat16(v.w)));
}

// The inboxes' element protocol (peer_group.h): 0xFFFF is "empty".
constexpr uint32_t kEmptyPair = 0xFFFFFFFFu;

__device__ __forceinline__ bool holds_empty(uint2 d) {
    return (d.x & 0xFFFFu) == 0xFFFFu || (d.x >> 16) == 0xFFFFu || (d.y & 0xFFFFu) == 0xFFFFu || (d.y >> 16) == 0xFFFFu;
}

__device__ __forceinline__ uint32_t sendable(uint32_t pair) {  // an 0xFFFF NaN goes out as 0x7FFF
    if ((pair & 0xFFFFu) == 0xFFFFu) pair = (pair & 0xFFFF0000u) | 0x7FFFu;
    if ((pair >> 16) == 0xFFFFu) pair = (pair & 0x0000FFFFu) | 0x7FFF0000u;
    return pair;
}

// Volatile: every poll goes to memory (the L2 the peer's stores land in), never to L1.
__device__ __forceinline__ uint2 load_volatile(const uint2 *p) {
    uint2 v;
    asm volatile("ld.volatile.global.v2.u32 {%0, %1}, [%2];" : "=r"(v.x), "=r"(v.y) : "l"(p) : "memory");
    return v;
}

__device__ __forceinline__ void store_volatile(uint2 *p, uint2 v) {
    asm volatile("st.volatile.global.v2.u32 [%0], {%1, %2};" ::"l"(p), "r"(v.x), "r"(v.y) : "memory");
}

// s[k] = the sum over ranks p, in rank order, of rank p's group k of row `src` (unrounded fp32).
//
// Push mode: sends this rank's groups to every peer (this block's row r of their inboxes), then
// takes the peers' from its own inbox in rank order, polling until each has arrived and emptying
// it as it goes (no per-peer array: the adds happen in rank order as the rows come).
template <int VPT>
__device__ __forceinline__ void row_sums_push(const PeerView &v, int which, int64_t src, int nvec, float4 (&s)[VPT]) {
    const int r = blockIdx.x;
    const int64_t slot = v.epochs[r] & 1u;
    const int64_t hidden = 4 * static_cast<int64_t>(nvec);
    auto box = [&](int owner, int from) {
        return reinterpret_cast<uint2 *>(static_cast<bf16 *>(v.inbox[owner]) +
                                         ((slot * v.world + from) * v.max_rows + r) * hidden);
    };
    uint2 own[VPT];
    const uint2 *mine = reinterpret_cast<const uint2 *>(static_cast<const bf16 *>(v.buf[which][v.rank]) + src * hidden);
#pragma unroll
    for (int k = 0; k < VPT; ++k) {
        const int i = threadIdx.x + k * blockDim.x;
        own[k] = i < nvec ? __ldcg(mine + i) : make_uint2(0, 0);
        s[k] = make_float4(0.0f, 0.0f, 0.0f, 0.0f);
    }
    for (int p = 0; p < v.world; ++p) {
        if (p == v.rank) continue;
        uint2 *to = box(p, v.rank);
#pragma unroll
        for (int k = 0; k < VPT; ++k) {
            const int i = threadIdx.x + k * blockDim.x;
            if (i < nvec) store_volatile(to + i, make_uint2(sendable(own[k].x), sendable(own[k].y)));
        }
    }
    for (int p = 0; p < v.world; ++p) {
        if (p == v.rank) {
#pragma unroll
            for (int k = 0; k < VPT; ++k) add_bf16x4(s[k], own[k]);
            continue;
        }
        uint2 *from = box(v.rank, p);
#pragma unroll
        for (int k = 0; k < VPT; ++k) {
            const int i = threadIdx.x + k * blockDim.x;
            if (i >= nvec) break;
            uint2 got = load_volatile(from + i);
            for (PeerWait wait; holds_empty(got) && wait.keep_waiting(v);) got = load_volatile(from + i);
            store_volatile(from + i, make_uint2(kEmptyPair, kEmptyPair));
            add_bf16x4(s[k], got);
        }
    }
}

// Pull mode: the barrier, then every rank's groups read from its buffer (over NVLink for the
// peers), all loads in flight before the adds.
template <int VPT>
__device__ __forceinline__ void row_sums_pull(const PeerView &v, int which, int64_t src, int nvec, float4 (&s)[VPT]) {
    peer_barrier(v);
    uint2 d[VPT][kPeerMaxRanks];
#pragma unroll
    for (int k = 0; k < VPT; ++k) {
        const int i = threadIdx.x + k * blockDim.x;
#pragma unroll
        for (int p = 0; p < kPeerMaxRanks; ++p)
            if (p < v.world && i < nvec)
                d[k][p] = __ldcg(reinterpret_cast<const uint2 *>(static_cast<const bf16 *>(v.buf[which][p]) +
                                                                 src * 4 * nvec) +
                                 i);
    }
#pragma unroll
    for (int k = 0; k < VPT; ++k) {
        s[k] = make_float4(0.0f, 0.0f, 0.0f, 0.0f);
        if (threadIdx.x + k * blockDim.x < nvec)
#pragma unroll
            for (int p = 0; p < kPeerMaxRanks; ++p)
                if (p < v.world) add_bf16x4(s[k], d[k][p]);
    }
}

// One block per row (rmsnorm_row.cuh's layout).
template <int VPT, PeerNorm kMode, bool kPush>
__global__ void __launch_bounds__(1024)
    peer_rmsnorm_kernel(PeerView v, int which, const int32_t *__restrict__ src_rows, float *__restrict__ x,
                        const bf16 *__restrict__ w, int hidden, float eps, bf16 *__restrict__ out) {
    __shared__ float scratch[32];
    pdl_trigger();
    const int nvec = hidden / 4;
    uint2 wv[VPT];
    rmsnorm_row_weight<VPT>(w, nvec, wv);
    pdl_wait();
    const int r = blockIdx.x;
    const int64_t src = kMode == PeerNorm::Gather ? src_rows[r] : r;
    float4 *row = reinterpret_cast<float4 *>(x + src * hidden);
    float4 sum[VPT];
    if constexpr (kPush) row_sums_push<VPT>(v, which, src, nvec, sum);
    else row_sums_pull<VPT>(v, which, src, nvec, sum);
#pragma unroll
    for (int k = 0; k < VPT; ++k) {
        const int i = threadIdx.x + k * blockDim.x;
        if (i >= nvec) {
            sum[k] = make_float4(0.0f, 0.0f, 0.0f, 0.0f);
            continue;
        }
        // The same sum on every rank (rank order); rounded to bf16 before it joins the residual,
        // as NCCL's bf16 all-reduce (and TP 1's bf16 projection output) would have it.
        float4 t = round_bf16x4(sum[k]);
        if (kMode != PeerNorm::Init) {
            const float4 base = row[i];
            t.x += base.x;
            t.y += base.y;
            t.z += base.z;
            t.w += base.w;
        }
        if (kMode != PeerNorm::Gather) row[i] = t;
        sum[k] = t;
    }
    rmsnorm_row_store<VPT>(sum, wv, nvec, hidden, eps, scratch, out + static_cast<int64_t>(r) * hidden);
    // (rmsnorm_row_store's reduction has synchronised the block: every thread has read the epoch.)
    if (kPush && threadIdx.x == 0) v.epochs[r] += 1;
}

template <PeerNorm kMode, bool kPush>
cudaError_t launch_mode(const PeerView &view, int which, const int32_t *src_rows, float *x, const bf16 *w, int rows,
                        int hidden, float eps, bf16 *out, cudaStream_t stream) {
    const int nvec = hidden / 4;
    const int vpt = nvec <= 1024 ? 1 : nvec <= 2048 ? 2 : 4;
    const unsigned threads = static_cast<unsigned>(ceil_div(ceil_div(nvec, vpt), 32) * 32);
    const dim3 grid(static_cast<unsigned>(rows)), block(std::max(threads, 32u));
    auto go = [&](auto kernel) {
        return launch_pdl(kernel, grid, block, 0, stream, view, which, src_rows, x, w, hidden, eps, out);
    };
    if (vpt == 1) return go(peer_rmsnorm_kernel<1, kMode, kPush>);
    if (vpt == 2) return go(peer_rmsnorm_kernel<2, kMode, kPush>);
    return go(peer_rmsnorm_kernel<4, kMode, kPush>);
}

template <PeerNorm kMode>
cudaError_t launch_mode(const PeerView &view, int which, const int32_t *src_rows, float *x, const bf16 *w, int rows,
                        int hidden, float eps, bf16 *out, cudaStream_t stream) {
    if (view.push) return launch_mode<kMode, true>(view, which, src_rows, x, w, rows, hidden, eps, out, stream);
    return launch_mode<kMode, false>(view, which, src_rows, x, w, rows, hidden, eps, out, stream);
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
