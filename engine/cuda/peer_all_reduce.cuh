#pragma once
// The peer-memory all-reduce of one node's tensor-parallel ranks (peer_group.h), fused with what
// follows it in the model: the residual add and RMSNorm. Every rank launches the same kernel with
// the same grid; block b of each rank waits at a barrier for block b of every other rank (they
// have then finished the previous call, see peer_group.h), then reads the rows of every rank's
// buffer straight from the peers' memory and sums them in rank order (so every rank computes the
// bit-identical sum and residual). The fp32 sum is rounded to bf16 before it joins the residual,
// as with NCCL's bf16 all-reduce.
//
// Kernels launched with PDL (pdl.cuh): they read the norm weight before pdl_wait and let the
// next kernel start early. A peer that does not arrive within the group's timeout, or an abort
// of the group, ends the wait; the group then reports it (PeerGroup::health) and the step's
// output is garbage, which the caller discards by failing the step.
#include "cuda/cuda_common.cuh"
#include "cuda/peer_group.h"

namespace slipway::engine::cuda {

enum class PeerNorm {
    Add,     // x[r] += S(r);                  out[r] = rmsnorm(x[r])
    Init,    // x[r]  = S(r);                  out[r] = rmsnorm(x[r])
    Gather,  // out[r] = rmsnorm(x[s] + S(s)), s = src_rows[r]; x unchanged
    // where S(r) = bf16(sum over ranks p, in rank order, of buf[p][r]) (fp32 sum, one rounding)
};

// buf[which][p] of the view holds rank p's rows [rows or max(src_rows)+1, hidden] bf16.
// rows <= view.max_rows; hidden % 4 == 0 and hidden <= 16384.
cudaError_t launch_peer_all_reduce_rmsnorm(PeerNorm mode, const PeerView &view, int which, const int32_t *src_rows,
                                           float *x, const bf16 *w, int rows, int hidden, float eps, bf16 *out,
                                           cudaStream_t stream);

#ifdef __CUDACC__
__device__ __forceinline__ void peer_store_release(uint32_t *p, uint32_t v) {
    asm volatile("st.release.sys.global.u32 [%0], %1;" ::"l"(p), "r"(v) : "memory");
}

__device__ __forceinline__ uint32_t peer_load_acquire(const uint32_t *p) {
    uint32_t v;
    asm volatile("ld.acquire.sys.global.u32 %0, [%1];" : "=r"(v) : "l"(p) : "memory");
    return v;
}

__device__ __forceinline__ uint64_t peer_clock_ns() {
    uint64_t t;
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
    return t;
}

// Block-wide: block blockIdx.x of this rank and of every peer meet here. Threads 0..world-1
// each signal one peer and wait for that peer's signal; the whole block then proceeds.
__device__ __forceinline__ void peer_barrier(const PeerView &v) {
    const int b = blockIdx.x, t = threadIdx.x;
    if (t < v.world && t != v.rank) {
        const uint32_t epoch = v.epochs[b] + 1;
        peer_store_release(v.flags[t] + b * kPeerMaxRanks + v.rank, epoch);
        const uint32_t *mine = v.flags[v.rank] + b * kPeerMaxRanks + t;
        uint64_t start = 0;
        // Wrap-safe: a peer may already be one epoch ahead, never behind once it has signalled.
        for (uint32_t spin = 1; static_cast<int32_t>(peer_load_acquire(mine) - epoch) < 0; ++spin) {
            if ((spin & 255) != 0) continue;
            if (*v.state != kPeerHealthy) break;  // aborted, or another block timed out
            const uint64_t now = peer_clock_ns();
            if (start == 0) {
                start = now;
            } else if (static_cast<int64_t>(now - start) > v.timeout_ns) {
                *v.state = kPeerTimedOut;
                break;
            }
        }
    }
    __syncthreads();
    if (t == 0) v.epochs[b] += 1;
}
#endif

} // namespace slipway::engine::cuda
