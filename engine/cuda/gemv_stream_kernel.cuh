#pragma once
// The streamed GEMV (sm_90): y[M, N] = x[M, K] . W[N, K]^T for decode batches of 1-4 rows, with
// the weights brought into shared memory by the Tensor Memory Accelerator (cp.async.bulk) through
// stages, one CTA per SM (persistent: each CTA owns a contiguous, balanced range of rows), each
// of its kWarps warps issuing the copies of its own rows and computing them.
//
// Why: the register GEMV (gemv_kernel.cuh) keeps a few KiB a warp in flight and loses a fixed
// ramp and tail on every call, which at tensor parallelism's half-size matrices costs 13 % of its
// bandwidth; and between GEMVs the latency-bound kernels (all-reduce, norm, rope, attention)
// leave HBM idle. Here every warp fills its stages (up to ~200 KiB a SM, ~26 MB over an H200)
// before the PDL wait — the weights are immutable — so the copies run while the kernel before
// it still finishes, and the stages keep many bytes in flight.
//
// Work: the CTA's rows are dealt to its consumer warps round robin (row i to warp i % kWarps),
// each row walked in K-chunks of `kc` elements. Every warp owns `depth` stages of the ring
// (stage = warp + kWarps * slot): its items, (row, chunk) pairs in order, go to its slots in
// turn, so a stage is only ever filled and emptied by one warp, one use after the other — which
// the barriers' phase parity needs (kGated: the gate row's and the up row's chunk side by side in
// one stage); lane 0 refills a stage as soon as the warp is done with it, and a warp sums its
// rows alone (no join across warps, no CTA barrier after the start). The epilogue matches gemv_kernel.cuh's (bias, fp32 or bf16 out, the gated
// form's silu(bf16(g)) * bf16(u)); the summation order differs from it, so results agree to
// rounding, not bit for bit.
// Device code: include from .cu files only.
#include "cuda/cuda_common.cuh"
#include "cuda/pdl.cuh"

// cp.async.bulk and mbarrier transaction counts need sm_90: for older targets of a multi-arch
// build the device code is left out (the launcher refuses those GPUs).
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ < 900
#define SLIPWAY_GEMV_STREAM_DEVICE 0
#else
#define SLIPWAY_GEMV_STREAM_DEVICE 1
#endif

namespace slipway::engine::cuda {

constexpr int kStreamMaxStages = 64;

__device__ __forceinline__ uint32_t smem_address(const void *p) {
    return static_cast<uint32_t>(__cvta_generic_to_shared(p));
}

__device__ __forceinline__ void mbar_init(uint64_t *bar, uint32_t count) {
#if SLIPWAY_GEMV_STREAM_DEVICE
    asm volatile("mbarrier.init.shared::cta.b64 [%0], %1;" ::"r"(smem_address(bar)), "r"(count) : "memory");
#endif
}

__device__ __forceinline__ void mbar_arrive(uint64_t *bar) {
#if SLIPWAY_GEMV_STREAM_DEVICE
    asm volatile("mbarrier.arrive.shared::cta.b64 _, [%0];" ::"r"(smem_address(bar)) : "memory");
#endif
}

__device__ __forceinline__ void mbar_arrive_expect_tx(uint64_t *bar, uint32_t bytes) {
#if SLIPWAY_GEMV_STREAM_DEVICE
    asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;" ::"r"(smem_address(bar)), "r"(bytes)
                 : "memory");
#endif
}

// Until the barrier's phase of this parity has completed.
__device__ __forceinline__ void mbar_wait(uint64_t *bar, uint32_t parity) {
#if SLIPWAY_GEMV_STREAM_DEVICE
    asm volatile(
        "{\n"
        ".reg .pred done;\n"
        "WAIT_%=:\n"
        "mbarrier.try_wait.parity.shared::cta.b64 done, [%0], %1;\n"
        "@!done bra WAIT_%=;\n"
        "}\n" ::"r"(smem_address(bar)),
        "r"(parity)
        : "memory");
#endif
}

// bytes (a multiple of 16, both addresses 16-byte aligned) from global to shared memory; the
// barrier's transaction count drops by `bytes` when they have landed.
__device__ __forceinline__ void bulk_copy_to_shared(void *dst, const void *src, uint32_t bytes, uint64_t *bar) {
#if SLIPWAY_GEMV_STREAM_DEVICE
    asm volatile(
        "cp.async.bulk.shared::cluster.global.mbarrier::complete_tx::bytes [%0], [%1], %2, [%3];" ::"r"(
            smem_address(dst)),
        "l"(src), "r"(bytes), "r"(smem_address(bar))
        : "memory");
#endif
}

struct StreamPlan {
    int kc = 0;     // K-chunk, elements (a multiple of 8)
    int depth = 0;  // stages a warp owns; kWarps * depth <= kStreamMaxStages
};

template <int M, int kWarps, bool kFp32Out, bool kGated>
__global__ void __launch_bounds__(kWarps * 32, 1)
    gemv_stream_kernel(const bf16 *__restrict__ x, int k, const bf16 *__restrict__ w, int n,
                       const bf16 *__restrict__ bias, void *__restrict__ y, StreamPlan plan) {
    constexpr int kPieces = kGated ? 2 : 1;  // row chunks a stage holds
    extern __shared__ __align__(128) unsigned char stage_mem[];
    __shared__ __align__(8) uint64_t full[kStreamMaxStages];
    pdl_trigger();

    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    const int r0 = static_cast<int>(static_cast<int64_t>(blockIdx.x) * n / gridDim.x);
    const int r1 = static_cast<int>(static_cast<int64_t>(blockIdx.x + 1) * n / gridDim.x);
    const int kc = plan.kc, depth = plan.depth;
    const int chunks = (k + kc - 1) / kc;
    const size_t stage_elems = static_cast<size_t>(kPieces) * kc;
    bf16 *ring = reinterpret_cast<bf16 *>(stage_mem);

    if (threadIdx.x == 0) {
        for (int s = 0; s < kWarps * depth; ++s) mbar_init(&full[s], 1);
#if SLIPWAY_GEMV_STREAM_DEVICE
        asm volatile("fence.mbarrier_init.release.cluster;" ::: "memory");
#endif
    }
    __syncthreads();

    // Each warp copies its own items (lane 0 issues): item j of this warp is chunk j % chunks of
    // its row j / chunks (the CTA's row warp + kWarps * (j / chunks)), into stage
    // warp + kWarps * (j % depth).
    const int my_rows = r0 + warp < r1 ? (r1 - r0 - warp + kWarps - 1) / kWarps : 0;
    const int my_items = my_rows * chunks;
    auto issue = [&](int item) {
        const int row = r0 + warp + kWarps * (item / chunks), k0 = (item % chunks) * kc, len = min(kc, k - k0);
        const int s = warp + kWarps * (item % depth);
        const uint32_t bytes = static_cast<uint32_t>(len) * 2;
        bf16 *dst = ring + static_cast<size_t>(s) * stage_elems;
        mbar_arrive_expect_tx(&full[s], bytes * kPieces);
        bulk_copy_to_shared(dst, w + static_cast<int64_t>(row) * k + k0, bytes, &full[s]);
        if constexpr (kGated) bulk_copy_to_shared(dst + kc, w + static_cast<int64_t>(row + n) * k + k0, bytes, &full[s]);
    };
    if (lane == 0)
        for (int item = 0; item < my_items && item < depth; ++item) issue(item);

    pdl_wait();  // x is written by the previous kernel
    int j = 0;   // this warp's items so far
    for (int i = warp; r0 + i < r1; i += kWarps) {
        const int row = r0 + i;
        // One partial sum per element of a 16-byte vector: eight independent FMA chains, so a
        // warp is not held up by the latency of one (a CTA has few warps to switch between).
        float acc[kPieces][M][8];
#pragma unroll
        for (int o = 0; o < kPieces; ++o)
#pragma unroll
            for (int r = 0; r < M; ++r)
#pragma unroll
                for (int e = 0; e < 8; ++e) acc[o][r][e] = 0.0f;
        for (int c = 0; c < chunks; ++c, ++j) {
            const int s = warp + kWarps * (j % depth);
            const int k0 = c * kc, len = min(kc, k - k0);
            mbar_wait(&full[s], (j / depth) & 1);
            const uint4 *wp = reinterpret_cast<const uint4 *>(ring + static_cast<size_t>(s) * stage_elems);
            const int vecs = len / 8, stride = kc / 8;
#pragma unroll 4
            for (int v = lane; v < vecs; v += 32) {
                float wf[kPieces][8];
#pragma unroll
                for (int o = 0; o < kPieces; ++o)
                    bf16x8_to_float(*reinterpret_cast<const Bf16x8 *>(wp + o * stride + v), wf[o]);
#pragma unroll
                for (int r = 0; r < M; ++r) {
                    float xf[8];
                    bf16x8_to_float(
                        *reinterpret_cast<const Bf16x8 *>(x + static_cast<int64_t>(r) * k + k0 + v * 8), xf);
#pragma unroll
                    for (int o = 0; o < kPieces; ++o)
#pragma unroll
                        for (int e = 0; e < 8; ++e) acc[o][r][e] += wf[o][e] * xf[e];
                }
            }
            __syncwarp();  // every lane is done reading the stage: refill it
            if (lane == 0 && j + depth < my_items) {
#if SLIPWAY_GEMV_STREAM_DEVICE
                asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
#endif
                issue(j + depth);
            }
        }
        float sum[kPieces][M];
#pragma unroll
        for (int o = 0; o < kPieces; ++o)
#pragma unroll
            for (int r = 0; r < M; ++r) {
                float part = 0.0f;
#pragma unroll
                for (int e = 0; e < 8; ++e) part += acc[o][r][e];
                sum[o][r] = warp_sum(part);
            }
        if (lane != 0) continue;
        if constexpr (kGated) {
            const float bg = bias != nullptr ? __bfloat162float(bias[row]) : 0.0f;
            const float bu = bias != nullptr ? __bfloat162float(bias[row + n]) : 0.0f;
#pragma unroll
            for (int r = 0; r < M; ++r) {
                const float gv = __bfloat162float(__float2bfloat16(sum[0][r] + bg));
                const float uv = __bfloat162float(__float2bfloat16(sum[kPieces - 1][r] + bu));
                // As activation.cu: silu(a) = a / (1 + exp(-a)), in fp32.
                static_cast<bf16 *>(y)[static_cast<int64_t>(r) * n + row] =
                    __float2bfloat16(gv / (1.0f + expf(-gv)) * uv);
            }
        } else {
            const float b = bias != nullptr ? __bfloat162float(bias[row]) : 0.0f;
#pragma unroll
            for (int r = 0; r < M; ++r) {
                if (kFp32Out) static_cast<float *>(y)[static_cast<int64_t>(r) * n + row] = sum[0][r] + b;
                else static_cast<bf16 *>(y)[static_cast<int64_t>(r) * n + row] = __float2bfloat16(sum[0][r] + b);
            }
        }
    }
}

} // namespace slipway::engine::cuda
