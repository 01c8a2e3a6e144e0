#include "cuda/gemm_skinny.cuh"

#include <atomic>
#include <cstdint>

#include "cuda/pdl.cuh"

namespace slipway::engine::cuda {

namespace {

// K elements per pipeline stage: one 128-byte shared-memory row per W feature / x row, eight
// 16-byte chunks stored XOR-swizzled (chunk q of row r at q ^ (r % 8)) so that ldmatrix's eight
// row addresses of one 8x8 matrix fall into distinct bank groups.
constexpr int kBK = 64;
constexpr int kRowBytes = kBK * 2;

__device__ __forceinline__ uint32_t smem_addr(const void *p) {
    return static_cast<uint32_t>(__cvta_generic_to_shared(p));
}

__device__ __forceinline__ uint32_t swizzled(int row, int chunk) {
    return static_cast<uint32_t>(row * kRowBytes + ((chunk ^ (row & 7)) << 4));
}

// 16-byte global -> shared copy, zero-filled when !valid (src is then not read).
__device__ __forceinline__ void cp_async16(uint32_t dst, const void *src, bool valid) {
    const int bytes = valid ? 16 : 0;
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(dst), "l"(src), "r"(bytes) : "memory");
}

// The same with an L2 eviction policy (weights: evict first, they are read once per step).
__device__ __forceinline__ void cp_async16_policy(uint32_t dst, const void *src, bool valid, uint64_t policy) {
    const int bytes = valid ? 16 : 0;
    asm volatile("cp.async.cg.shared.global.L2::cache_hint [%0], [%1], 16, %2, %3;\n" ::"r"(dst), "l"(src),
                 "r"(bytes), "l"(policy)
                 : "memory");
}

__device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\n" ::: "memory"); }

template <int N>
__device__ __forceinline__ void cp_async_wait() {
    asm volatile("cp.async.wait_group %0;\n" ::"n"(N) : "memory");
}

__device__ __forceinline__ void ldmatrix_x4(uint32_t (&r)[4], uint32_t addr) {
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0, %1, %2, %3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(addr));
}

__device__ __forceinline__ void ldmatrix_x2(uint32_t &r0, uint32_t &r1, uint32_t addr) {
    asm volatile("ldmatrix.sync.aligned.m8n8.x2.shared.b16 {%0, %1}, [%2];\n" : "=r"(r0), "=r"(r1) : "r"(addr));
}

// d += a (16x16, row-major) * b (16x8, column-major), bf16 in, fp32 accumulate.
__device__ __forceinline__ void mma_bf16(float (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) {
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, "
                 "{%8, %9}, {%0, %1, %2, %3};\n"
                 : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}

__device__ __forceinline__ void store_out(void *y, bool y_fp32, int64_t i, float v) {
    if (y_fp32) static_cast<float *>(y)[i] = v;
    else static_cast<bf16 *>(y)[i] = __float2bfloat16(v);
}

// MT: 8-row tiles of x (M padded to MT * 8). NW warps, each owning WN (16 or 32) consecutive
// output features of the block's tile of BN = NW * WN. STAGES: pipeline depth.
// Grid: (ceil(N / BN), splits). Shared memory per stage: BN W rows then MT * 8 x rows.
template <int MT, int NW, int WN, int STAGES>
__global__ void __launch_bounds__(NW * 32) skinny_gemm_kernel(const bf16 *__restrict__ x, int ldx, int m, int k,
                                                              const bf16 *__restrict__ w, int n,
                                                              const bf16 *__restrict__ bias, void *__restrict__ y,
                                                              int y_fp32, int splits, float *__restrict__ partials,
                                                              unsigned *__restrict__ counters) {
    constexpr int BN = NW * WN, MP = MT * 8, kThreads = NW * 32, kWT = WN / 16;
    constexpr int kStageBytes = (BN + MP) * kRowBytes;
    extern __shared__ __align__(128) unsigned char smem[];
    __shared__ int last_block;
    pdl_trigger();

    const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
    const int n0 = blockIdx.x * BN, split = blockIdx.y;
    const int chunks = (k + kBK - 1) / kBK, per = (chunks + splits - 1) / splits;
    const int c_begin = min(chunks, split * per), c_end = min(chunks, c_begin + per);
    const int count = c_end - c_begin;
    const uint32_t sbase = smem_addr(smem);
    uint64_t policy;
    asm volatile("createpolicy.fractional.L2::evict_first.b64 %0, 1.0;\n" : "=l"(policy));

    auto load_w = [&](int slot, int chunk) {
        const uint32_t dst = sbase + slot * kStageBytes;
        const int k0 = chunk * kBK;
#pragma unroll
        for (int i = 0; i < BN * 8 / kThreads; ++i) {
            const int idx = tid + i * kThreads, r = idx >> 3, q = idx & 7;
            const bool ok = n0 + r < n && k0 + q * 8 < k;
            const bf16 *src = ok ? w + static_cast<int64_t>(n0 + r) * k + k0 + q * 8 : w;
            cp_async16_policy(dst + swizzled(r, q), src, ok, policy);
        }
    };
    auto load_x = [&](int slot, int chunk) {
        const uint32_t dst = sbase + slot * kStageBytes + BN * kRowBytes;
        const int k0 = chunk * kBK;
#pragma unroll
        for (int i = 0; i < (MP * 8 + kThreads - 1) / kThreads; ++i) {
            const int idx = tid + i * kThreads, r = idx >> 3, q = idx & 7;
            if ((MP * 8) % kThreads != 0 && idx >= MP * 8) break;
            const bool ok = r < m && k0 + q * 8 < k;
            const bf16 *src = ok ? x + static_cast<int64_t>(r) * ldx + k0 + q * 8 : x;
            cp_async16(dst + swizzled(r, q), src, ok);
        }
    };

    // Prologue: the weights are immutable, so their first stages are requested before the PDL
    // wait; x (written by the previous kernel) only after it.
#pragma unroll
    for (int s = 0; s < STAGES - 1; ++s)
        if (s < count) load_w(s, c_begin + s);
    pdl_wait();
#pragma unroll
    for (int s = 0; s < STAGES - 1; ++s) {
        if (s < count) load_x(s, c_begin + s);
        cp_async_commit();
    }

    float acc[kWT][MT][4];
#pragma unroll
    for (int t = 0; t < kWT; ++t)
#pragma unroll
        for (int j = 0; j < MT; ++j)
#pragma unroll
            for (int e = 0; e < 4; ++e) acc[t][j][e] = 0.0f;

    // ldmatrix row addresses: A (W, x4): lane -> feature row lane % 16, k half lane / 16.
    // B (x, x4 over two 8-row tiles): lane -> x row (lane / 16) * 8 + lane % 8, k half (lane / 8) % 2.
    const int a_row = warp * WN + (lane & 15), a_half = lane >> 4;
    const int b_row = ((lane >> 4) << 3) + (lane & 7), b_half = (lane >> 3) & 1;

    for (int it = 0; it < count; ++it) {
        cp_async_wait<STAGES - 2>();
        __syncthreads();  // stage `it` landed for every thread; the slot refilled below is free
        const int next = it + STAGES - 1;
        if (next < count) {
            load_w(next % STAGES, c_begin + next);
            load_x(next % STAGES, c_begin + next);
        }
        cp_async_commit();

        const uint32_t ws = sbase + (it % STAGES) * kStageBytes, xs = ws + BN * kRowBytes;
#pragma unroll
        for (int ks = 0; ks < kBK / 16; ++ks) {
            uint32_t a[kWT][4];
#pragma unroll
            for (int t = 0; t < kWT; ++t) ldmatrix_x4(a[t], ws + swizzled(a_row + t * 16, ks * 2 + a_half));
#pragma unroll
            for (int j = 0; j + 1 < MT; j += 2) {
                uint32_t b[4];
                ldmatrix_x4(b, xs + swizzled(j * 8 + b_row, ks * 2 + b_half));
#pragma unroll
                for (int t = 0; t < kWT; ++t) {
                    mma_bf16(acc[t][j], a[t], b[0], b[1]);
                    mma_bf16(acc[t][j + 1], a[t], b[2], b[3]);
                }
            }
            if constexpr (MT % 2 != 0) {
                uint32_t b0, b1;  // lanes 0-15 address the last 8-row tile (16-31 are ignored)
                ldmatrix_x2(b0, b1, xs + swizzled((MT - 1) * 8 + (lane & 7), ks * 2 + b_half));
#pragma unroll
                for (int t = 0; t < kWT; ++t) mma_bf16(acc[t][MT - 1], a[t], b0, b1);
            }
        }
    }
    cp_async_wait<0>();

    // Accumulator fragment: acc[t][j][e] is feature warp*WN + t*16 + lane/4 (+8 for e >= 2),
    // x row j*8 + (lane%4)*2 (+1 for odd e).
    const int g = lane >> 2, tq = lane & 3;
    if (splits == 1) {
#pragma unroll
        for (int t = 0; t < kWT; ++t)
#pragma unroll
            for (int h = 0; h < 2; ++h) {
                const int col = n0 + warp * WN + t * 16 + g + h * 8;
                if (col >= n) continue;
                const float b = bias != nullptr ? __bfloat162float(bias[col]) : 0.0f;
#pragma unroll
                for (int j = 0; j < MT; ++j)
#pragma unroll
                    for (int e = 0; e < 2; ++e) {
                        const int row = j * 8 + tq * 2 + e;
                        if (row < m) store_out(y, y_fp32 != 0, static_cast<int64_t>(row) * n + col, acc[t][j][h * 2 + e] + b);
                    }
            }
        return;
    }

    // Split-K: publish this split's partial sums, then the tile's last block reduces.
    float *part = partials + static_cast<int64_t>(split) * m * n;
#pragma unroll
    for (int t = 0; t < kWT; ++t)
#pragma unroll
        for (int h = 0; h < 2; ++h) {
            const int col = n0 + warp * WN + t * 16 + g + h * 8;
            if (col >= n) continue;
#pragma unroll
            for (int j = 0; j < MT; ++j)
#pragma unroll
                for (int e = 0; e < 2; ++e) {
                    const int row = j * 8 + tq * 2 + e;
                    if (row < m) __stcg(part + static_cast<int64_t>(row) * n + col, acc[t][j][h * 2 + e]);
                }
        }
    __threadfence();
    __syncthreads();
    if (tid == 0) last_block = atomicAdd(&counters[blockIdx.x], 1u) == static_cast<unsigned>(splits - 1);
    __syncthreads();
    if (!last_block) return;
    __threadfence();
    const int cols = min(BN, n - n0);
    const int64_t plane = static_cast<int64_t>(m) * n;
    for (int idx = tid; idx < m * BN; idx += kThreads) {
        const int row = idx / BN, c = idx % BN;
        if (c >= cols) continue;
        const int64_t off = static_cast<int64_t>(row) * n + n0 + c;
        float s = 0.0f;
        for (int sp = 0; sp < splits; ++sp) s += __ldcg(partials + sp * plane + off);
        if (bias != nullptr) s += __bfloat162float(bias[n0 + c]);
        store_out(y, y_fp32 != 0, off, s);
    }
    if (tid == 0) counters[blockIdx.x] = 0u;  // ready for the next launch
}

template <int MT, int NW, int WN, int STAGES>
cudaError_t launch_config(const bf16 *x, int ldx, int m, int k, const bf16 *w, int n, const bf16 *bias, void *y,
                          bool y_fp32, int splits, const SkinnyScratch &scratch, cudaStream_t stream) {
    constexpr int BN = NW * WN;
    constexpr size_t smem = static_cast<size_t>(STAGES) * (BN + MT * 8) * kRowBytes;
    auto *kernel = skinny_gemm_kernel<MT, NW, WN, STAGES>;
    // Over 48 KiB of dynamic shared memory needs an opt-in, once per device.
    static std::atomic<uint64_t> opted_in{0};
    int device = 0;
    if (const cudaError_t e = cudaGetDevice(&device); e != cudaSuccess) return e;
    const uint64_t bit = device < 64 ? uint64_t{1} << device : 0;
    if (bit == 0 || (opted_in.load(std::memory_order_acquire) & bit) == 0) {
        if (const cudaError_t e =
                cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, static_cast<int>(smem));
            e != cudaSuccess)
            return e;
        opted_in.fetch_or(bit, std::memory_order_acq_rel);
    }
    const dim3 grid(ceil_div(n, BN), static_cast<unsigned>(splits)), block(NW * 32);
    return launch_pdl(kernel, grid, block, smem, stream, x, ldx, m, k, w, n, bias, y, y_fp32 ? 1 : 0, splits,
                      scratch.partials, scratch.counters);
}

template <int MT>
cudaError_t launch_mt(int config, const bf16 *x, int ldx, int m, int k, const bf16 *w, int n, const bf16 *bias,
                      void *y, bool y_fp32, int splits, const SkinnyScratch &scratch, cudaStream_t stream) {
    switch (config) {
    case 0: return launch_config<MT, 4, 16, 4>(x, ldx, m, k, w, n, bias, y, y_fp32, splits, scratch, stream);
    case 1: return launch_config<MT, 4, 32, 4>(x, ldx, m, k, w, n, bias, y, y_fp32, splits, scratch, stream);
    case 2: return launch_config<MT, 8, 16, 4>(x, ldx, m, k, w, n, bias, y, y_fp32, splits, scratch, stream);
    default: return launch_config<MT, 8, 32, 3>(x, ldx, m, k, w, n, bias, y, y_fp32, splits, scratch, stream);
    }
}

} // namespace

const char *skinny_config_name(int config) {
    static const char *names[kSkinnyConfigs] = {"64 cols (4 warps x 16), 4 stages", "128 cols (4 warps x 32), 4 stages",
                                                "128 cols (8 warps x 16), 4 stages",
                                                "256 cols (8 warps x 32), 3 stages"};
    return config >= 0 && config < kSkinnyConfigs ? names[config] : "?";
}

int skinny_block_cols(int config) {
    static const int cols[kSkinnyConfigs] = {64, 128, 128, 256};
    return config >= 0 && config < kSkinnyConfigs ? cols[config] : 0;
}

bool skinny_supports(const void *x, int ldx, int m, int k, const void *w, int n) {
    return m >= kSkinnyMinRows && m <= kSkinnyMaxRows && n > 0 && n % 8 == 0 && k > 0 && k % 8 == 0 && ldx >= k &&
           ldx % 8 == 0 && reinterpret_cast<uintptr_t>(x) % 16 == 0 && reinterpret_cast<uintptr_t>(w) % 16 == 0;
}

size_t skinny_workspace_bytes(int m, int n, int splits) {
    return splits > 1 ? static_cast<size_t>(splits) * m * n * sizeof(float) : 0;
}

int skinny_counters_needed(int n, int config, int splits) {
    const int bn = skinny_block_cols(config);
    return splits > 1 && bn > 0 ? static_cast<int>(ceil_div(n, bn)) : 0;
}

cudaError_t launch_gemm_skinny(const bf16 *x, int ldx, int m, int k, const bf16 *w, int n, const bf16 *bias, void *y,
                               bool y_fp32, int config, int splits, const SkinnyScratch &scratch, cudaStream_t stream) {
    if (!skinny_supports(x, ldx, m, k, w, n) || config < 0 || config >= kSkinnyConfigs || splits < 1 ||
        splits > kSkinnyMaxSplits || y == nullptr)
        return cudaErrorInvalidValue;
    if (splits > 1 && (scratch.partials == nullptr || scratch.counters == nullptr ||
                       scratch.partial_bytes < skinny_workspace_bytes(m, n, splits) ||
                       scratch.counter_count < skinny_counters_needed(n, config, splits)))
        return cudaErrorInvalidValue;
    const int tiles8 = (m + 7) / 8;
    if (tiles8 <= 1) return launch_mt<1>(config, x, ldx, m, k, w, n, bias, y, y_fp32, splits, scratch, stream);
    if (tiles8 <= 2) return launch_mt<2>(config, x, ldx, m, k, w, n, bias, y, y_fp32, splits, scratch, stream);
    if (tiles8 <= 4) return launch_mt<4>(config, x, ldx, m, k, w, n, bias, y, y_fp32, splits, scratch, stream);
    if (tiles8 <= 6) return launch_mt<6>(config, x, ldx, m, k, w, n, bias, y, y_fp32, splits, scratch, stream);
    if (tiles8 <= 8) return launch_mt<8>(config, x, ldx, m, k, w, n, bias, y, y_fp32, splits, scratch, stream);
    if (tiles8 <= 12) return launch_mt<12>(config, x, ldx, m, k, w, n, bias, y, y_fp32, splits, scratch, stream);
    return launch_mt<16>(config, x, ldx, m, k, w, n, bias, y, y_fp32, splits, scratch, stream);
}

} // namespace slipway::engine::cuda
