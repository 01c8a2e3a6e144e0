#pragma once
// The peer-memory all-reduce of one node's tensor-parallel ranks (peer_group.h), fused with what
// follows it in the model: the residual add and RMSNorm. Every rank launches the same kernel with
// the same grid; block b of each rank exchanges row b with block b of every other rank: by
// default it pushes its partial row into the peers' inboxes and waits for theirs in its own
// (view.push); in the pull form it waits at a barrier for block b of every peer, then reads
// their buffers' rows over NVLink. Either way the rows are summed in rank order (so every rank
// computes the bit-identical sum and residual), and the fp32 sum is rounded to bf16 before it
// joins the residual, as with NCCL's bf16 all-reduce.
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

// One thread's wait for its peers: keep_waiting() is called once per unsuccessful poll; every
// 256th call reads the clock and records a timeout. The group's state word (aborted, or another
// thread timed out) lives in host memory, a read across PCIe: a healthy wait lasts microseconds
// and never reads it; one past kPeerStateAfterNs reads it then and every 2^18 polls after (with
// thousands of threads polling, a read per 256 polls would flood PCIe and slow every rank's next
// wait in turn). false: stop waiting (the step's output is then garbage).
constexpr int64_t kPeerStateAfterNs = 1000000;

struct PeerWait {
    uint64_t start = 0;
    uint32_t spins = 0;
    uint32_t next_state_read = 0;
    __device__ __forceinline__ bool keep_waiting(const PeerView &v) {
        if ((++spins & 255) != 0) return true;
        const uint64_t now = peer_clock_ns();
        if (start == 0) {
            start = now;
            return true;
        }
        const int64_t waited = static_cast<int64_t>(now - start);
        if (waited > kPeerStateAfterNs && static_cast<int32_t>(spins - next_state_read) >= 0) {
            if (*v.state != kPeerHealthy) return false;
            next_state_read = spins + (1u << 18);
        }
        if (waited > v.timeout_ns) {
            *v.state = kPeerTimedOut;
            return false;
        }
        return true;
    }
};

// Block-wide: block blockIdx.x of this rank and of every peer meet here. Threads 0..world-1
// each signal one peer and wait for that peer's signal; the whole block then proceeds.
__device__ __forceinline__ void peer_barrier(const PeerView &v) {
    const int b = blockIdx.x, t = threadIdx.x;
    if (t < v.world && t != v.rank) {
        const uint32_t epoch = v.epochs[b] + 1;
        peer_store_release(v.flags[t] + b * kPeerMaxRanks + v.rank, epoch);
        const uint32_t *mine = v.flags[v.rank] + b * kPeerMaxRanks + t;
        // Wrap-safe: a peer may already be one epoch ahead, never behind once it has signalled.
        for (PeerWait wait; static_cast<int32_t>(peer_load_acquire(mine) - epoch) < 0;)
            if (!wait.keep_waiting(v)) break;
    }
    __syncthreads();
    if (t == 0) v.epochs[b] += 1;
}
#endif

} // namespace slipway::engine::cuda
