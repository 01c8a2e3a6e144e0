// Decode attention on tensor cores (FlashDecoding-style); contract in attention_decode_kernels.cuh.
//
// A block serves one (KV split, KV head with up to 16 of its query heads, sequence). Its four
// warps stream the split's keys in 64-key tiles: every thread copies its share of the K and V
// rows of the next tile into shared memory with cp.async (double-buffered, page lookups one tile
// ahead) while the current tile is scored. Each warp owns 16 keys of a tile: S = Q.K^T with
// mma.m16n8k16 (the query group zero-padded to 16 rows, Q fragments in registers for the whole
// split), online softmax in fp32 registers, then O += P.V with P taken straight from the S
// accumulators. The four warps' (m, l, O) are merged through shared memory at the end. Fragment
// layouts: attention_decode_layout.h.
#include <atomic>
#include <cstring>

#include "cuda/attention_decode_kernels.cuh"
#include "cuda/attention_decode_layout.h"

namespace slipway::engine::cuda {

namespace {

namespace L = decode_layout;

constexpr int kTileKeys = 64;           // keys per K/V tile
constexpr int kWarps = kTileKeys / 16;  // a warp scores 16 keys of each tile
constexpr int kThreads = kWarps * 32;
constexpr int kStages = 2;              // tiles in shared memory: one scored, one arriving
constexpr int kRows = 16;               // query heads per block (the mma M)
constexpr float kLog2e = 1.4426950408889634f;

template <int HD>
struct Tile {
    // A K or V row in shared memory: head_dim bf16 plus 16 bytes, so the 8 rows one ldmatrix
    // reads start 4 banks apart (conflict-free).
    static constexpr int kStride = HD + 8;
    static constexpr int kChunks = HD / 8;  // 16-byte copies per row
    static constexpr int kRowsPerPass = kThreads / kChunks;
    static constexpr int kRowsPerThread = kTileKeys / kRowsPerPass;
    static constexpr int kElems = kTileKeys * kStride;  // one K or V tile, bf16
    static constexpr int kStageBytes = 2 * kElems * 2;  // K then V
    static constexpr size_t kSmemBytes = static_cast<size_t>(kStages) * kStageBytes;
    // The end-of-block merge reuses the tile buffers: O [warp][row][HD + 8] fp32, m and l [warp][row].
    static constexpr int kMergeStride = HD + 8;
    static constexpr size_t kMergeBytes = sizeof(float) * kWarps * kRows * (kMergeStride + 2);
    static_assert(kThreads % kChunks == 0 && kTileKeys % kRowsPerPass == 0, "tile rows must split evenly over threads");
    static_assert(kMergeBytes <= kSmemBytes, "the warp merge must fit in the tile buffers");
};

__device__ __forceinline__ uint32_t smem_u32(const void *p) {
    return static_cast<uint32_t>(__cvta_generic_to_shared(p));
}

// 16 bytes global -> shared, bypassing L1; with `valid` false the destination is zero-filled and
// nothing is read.
__device__ __forceinline__ void cp_async_16(uint32_t dst, const void *src, bool valid) {
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(dst), "l"(src), "r"(valid ? 16 : 0)
                 : "memory");
}
__device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\n" ::: "memory"); }
// Wait until at most N of this thread's committed copy groups are still in flight.
template <int N>
__device__ __forceinline__ void cp_async_wait() {
    asm volatile("cp.async.wait_group %0;\n" ::"n"(N) : "memory");
}

__device__ __forceinline__ void ldmatrix_x4(uint32_t r[4], uint32_t addr) {
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0, %1, %2, %3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(addr)
                 : "memory");
}
__device__ __forceinline__ void ldmatrix_x4_trans(uint32_t r[4], uint32_t addr) {
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0, %1, %2, %3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(addr)
                 : "memory");
}

// c (16x8 fp32) += a (16x16 bf16, row-major) . b (16x8 bf16, col-major).
__device__ __forceinline__ void mma_bf16(float c[4], const uint32_t a[4], uint32_t b0, uint32_t b1) {
    asm("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "
        "{%0, %1, %2, %3};\n"
        : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}

// Two floats as one bf16 pair register, `lo` in the low half (the lower k index).
__device__ __forceinline__ uint32_t pack_bf16(float lo, float hi) {
    const __nv_bfloat162 v = __floats2bfloat162_rn(lo, hi);
    uint32_t u;
    memcpy(&u, &v, sizeof(u));
    return u;
}

// Blocks resident per SM the register budget must allow (decode_attention_splits() assumes them;
// shared memory allows 3 at head_dim 128 and 6 at 64 on an H100).
template <int HD>
constexpr int kMinBlocks = HD == 128 ? 3 : 5;

template <int HD>
__global__ void __launch_bounds__(kThreads, kMinBlocks<HD>)
    decode_mma_kernel(PagedKv kv, const bf16 *__restrict__ q, int64_t qkv_stride, const int32_t *__restrict__ seq_lens,
                      int num_splits, float *__restrict__ partial, bf16 *__restrict__ out) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
    using T = Tile<HD>;
    extern __shared__ __align__(16) unsigned char smem[];
    const int split = blockIdx.x, b = blockIdx.z;
    const int group = kv.num_heads / kv.num_kv_heads;
    const int chunks = (group + kRows - 1) / kRows;
    const int kvh = blockIdx.y / chunks, chunk = blockIdx.y % chunks;
    const int h0 = kvh * group + chunk * kRows;
    const int ng = min(kRows, group - chunk * kRows);
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;

    // Splits cover whole tiles, so only a sequence's last tile is partial; splits past the end
    // are empty and write m = -inf, l = 0, o = 0.
    const int len = seq_lens[b];
    const int seq_tiles = (len + kTileKeys - 1) / kTileKeys;
    const int split_keys = (seq_tiles + num_splits - 1) / num_splits * kTileKeys;
    const int begin = min(len, split * split_keys);
    const int end = min(len, begin + split_keys);
    const int num_tiles = (end - begin + kTileKeys - 1) / kTileKeys;

    // This thread copies 16 bytes at column `col` of rows row0 + i * kRowsPerPass of each tile.
    const int64_t kv_dim = static_cast<int64_t>(kv.num_kv_heads) * HD;
    const int col = (threadIdx.x % T::kChunks) * 8;
    const int row0 = threadIdx.x / T::kChunks;
    const bf16 *k_src = kv.k_cache + kvh * HD + col;
    const bf16 *v_src = kv.v_cache + kvh * HD + col;
    const int32_t *pages = kv.kv_indices + kv.kv_indptr[b];
    const uint32_t smem_base = smem_u32(smem);
    const uint32_t copy_dst = smem_base + (row0 * T::kStride + col) * 2;
    // Cache offsets (slot * kv_dim) of this thread's rows of the next tile to copy; -1 past `end`.
    // Power-of-two page sizes (1, 16, ...) divide by shifting.
    const int page_shift = (kv.page_size & (kv.page_size - 1)) == 0 ? __ffs(kv.page_size) - 1 : -1;
    int64_t row_off[T::kRowsPerThread];
    auto locate = [&](int tile) {
        const int base = begin + tile * kTileKeys + row0;
#pragma unroll
        for (int i = 0; i < T::kRowsPerThread; ++i) {
            const int pos = base + i * T::kRowsPerPass;
            const int page = page_shift >= 0 ? pos >> page_shift : pos / kv.page_size;
            const int in_page = page_shift >= 0 ? pos & (kv.page_size - 1) : pos % kv.page_size;
            row_off[i] = pos < end ? (static_cast<int64_t>(pages[page]) * kv.page_size + in_page) * kv_dim : -1;
        }
    };
    auto issue = [&](int stage) {
        const uint32_t k_dst = copy_dst + stage * T::kStageBytes, v_dst = k_dst + T::kElems * 2;
#pragma unroll
        for (int i = 0; i < T::kRowsPerThread; ++i) {
            const bool ok = row_off[i] >= 0;
            const int64_t off = ok ? row_off[i] : 0;
            const uint32_t r = i * T::kRowsPerPass * T::kStride * 2;
            cp_async_16(k_dst + r, k_src + off, ok);
            cp_async_16(v_dst + r, v_src + off, ok);
        }
    };

    if (num_tiles > 0) {
        locate(0);
        issue(0);
    }
    cp_async_commit();
    if (num_tiles > 1) locate(1);

    // Q as A fragments for every 16-dim k-step; rows past the group are zero.
    uint32_t qf[HD / 16][4];
    const bf16 *qb = q + static_cast<int64_t>(b) * qkv_stride + static_cast<int64_t>(h0) * HD;
#pragma unroll
    for (int kk = 0; kk < HD / 16; ++kk)
#pragma unroll
        for (int r = 0; r < 4; ++r) {
            const int row = L::a_row(lane, r);
            qf[kk][r] = row < ng ? *reinterpret_cast<const uint32_t *>(qb + row * HD + kk * 16 + L::a_col(lane, r, 0))
                                 : 0u;
        }

    // Per warp: O rows g and g + 8 (g = lane / 4) over head_dim, their running max (log2 units)
    // and this lane's share of the row sums (the quad's lanes are added at the end).
    float o[HD / 8][4];
#pragma unroll
    for (int nb = 0; nb < HD / 8; ++nb) o[nb][0] = o[nb][1] = o[nb][2] = o[nb][3] = 0.0f;
    float m[2] = {-INFINITY, -INFINITY}, l[2] = {0.0f, 0.0f};
    const float scale = kv.scale * kLog2e;
    const uint32_t k_ldm = smem_base + ((warp * 16 + L::k_ldm_key(lane)) * T::kStride + L::k_ldm_dim(lane)) * 2;
    const uint32_t v_ldm =
        smem_base + T::kElems * 2 + ((warp * 16 + L::v_ldm_key(lane)) * T::kStride + L::v_ldm_dim(lane)) * 2;

    for (int t = 0; t < num_tiles; ++t) {
        if (t + 1 < num_tiles) {
            issue((t + 1) & 1);
            if (t + 2 < num_tiles) locate(t + 2);  // the page reads land while tile t is scored
        }
        cp_async_commit();
        cp_async_wait<1>();  // tile t has arrived (this thread's copies) ...
        __syncthreads();     // ... and everyone's
        const uint32_t stage = (t & 1) * T::kStageBytes;

        float s[2][4] = {};
#pragma unroll
        for (int kk = 0; kk < HD / 16; ++kk) {
            uint32_t kb[4];
            ldmatrix_x4(kb, k_ldm + stage + kk * 32);
            mma_bf16(s[0], qf[kk], kb[0], kb[1]);
            mma_bf16(s[1], qf[kk], kb[2], kb[3]);
        }
        const int key0 = begin + t * kTileKeys + warp * 16;
        float mx[2] = {-INFINITY, -INFINITY};
#pragma unroll
        for (int j = 0; j < 2; ++j)
#pragma unroll
            for (int e = 0; e < 4; ++e) {
                s[j][e] = key0 + 8 * j + L::c_col(lane, e) < end ? s[j][e] * scale : -INFINITY;
                mx[e >> 1] = fmaxf(mx[e >> 1], s[j][e]);
            }
        float base[2];
#pragma unroll
        for (int r = 0; r < 2; ++r) {
            mx[r] = fmaxf(mx[r], __shfl_xor_sync(0xffffffffu, mx[r], 1));
            mx[r] = fmaxf(mx[r], __shfl_xor_sync(0xffffffffu, mx[r], 2));
            const float mn = fmaxf(m[r], mx[r]);
            base[r] = mn == -INFINITY ? 0.0f : mn;  // a row with no key yet keeps everything at 0
            const float alpha = exp2f(m[r] - base[r]);
            m[r] = mn;
            l[r] *= alpha;
#pragma unroll
            for (int nb = 0; nb < HD / 8; ++nb) {
                o[nb][2 * r] *= alpha;
                o[nb][2 * r + 1] *= alpha;
            }
        }
#pragma unroll
        for (int j = 0; j < 2; ++j)
#pragma unroll
            for (int e = 0; e < 4; ++e) {
                s[j][e] = exp2f(s[j][e] - base[e >> 1]);
                l[e >> 1] += s[j][e];
            }
        uint32_t pa[4];
#pragma unroll
        for (int r = 0; r < 4; ++r)
            pa[r] = pack_bf16(s[L::p_block(r)][L::p_elem(r, 0)], s[L::p_block(r)][L::p_elem(r, 1)]);
#pragma unroll
        for (int dp = 0; dp < HD / 16; ++dp) {
            uint32_t vb[4];
            ldmatrix_x4_trans(vb, v_ldm + stage + dp * 32);
            mma_bf16(o[2 * dp], pa, vb[0], vb[1]);
            mma_bf16(o[2 * dp + 1], pa, vb[2], vb[3]);
        }
        __syncthreads();  // the stage is refilled two tiles on
    }
    cp_async_wait<0>();

    // Merge the warps through shared memory (the loop's last barrier freed the tile buffers).
#pragma unroll
    for (int r = 0; r < 2; ++r) {
        l[r] += __shfl_xor_sync(0xffffffffu, l[r], 1);
        l[r] += __shfl_xor_sync(0xffffffffu, l[r], 2);
    }
    float *sm_o = reinterpret_cast<float *>(smem);
    float *sm_m = sm_o + kWarps * kRows * T::kMergeStride;
    float *sm_l = sm_m + kWarps * kRows;
#pragma unroll
    for (int nb = 0; nb < HD / 8; ++nb)
#pragma unroll
        for (int r = 0; r < 2; ++r)
            *reinterpret_cast<float2 *>(sm_o + (warp * kRows + L::c_row(lane, 2 * r)) * T::kMergeStride + nb * 8 +
                                        L::c_col(lane, 0)) = make_float2(o[nb][2 * r], o[nb][2 * r + 1]);
    if ((lane & 3) == 0) {
#pragma unroll
        for (int r = 0; r < 2; ++r) {
            sm_m[warp * kRows + L::c_row(lane, 2 * r)] = m[r];
            sm_l[warp * kRows + L::c_row(lane, 2 * r)] = l[r];
        }
    }
    __syncthreads();
    for (int idx = threadIdx.x; idx < ng * HD; idx += kThreads) {
        const int g = idx / HD, d = idx % HD;
        float mxw = -INFINITY;
#pragma unroll
        for (int w = 0; w < kWarps; ++w) mxw = fmaxf(mxw, sm_m[w * kRows + g]);
        float lsum = 0.0f, acc = 0.0f;
        if (mxw != -INFINITY) {
#pragma unroll
            for (int w = 0; w < kWarps; ++w) {
                const float a = exp2f(sm_m[w * kRows + g] - mxw);
                lsum += sm_l[w * kRows + g] * a;
                acc += sm_o[(w * kRows + g) * T::kMergeStride + d] * a;
            }
        }
        const int h = h0 + g;
        if (num_splits == 1) {
            out[(static_cast<int64_t>(b) * kv.num_heads + h) * HD + d] = __float2bfloat16(lsum > 0.0f ? acc / lsum : 0.0f);
        } else {
            const int64_t bhs = (static_cast<int64_t>(b) * kv.num_heads + h) * num_splits + split;
            partial[bhs * HD + d] = acc;
            if (d == 0) {
                const int64_t stats = static_cast<int64_t>(gridDim.z) * kv.num_heads * num_splits * HD;
                partial[stats + 2 * bhs] = mxw;
                partial[stats + 2 * bhs + 1] = lsum;
            }
        }
    }
#endif
}

template <int HD>
cudaError_t launch(const PagedKv &kv, const bf16 *q, int64_t qkv_stride, const int32_t *seq_lens, int batch,
                   int num_splits, float *partial, bf16 *out, cudaStream_t stream) {
    constexpr size_t smem = Tile<HD>::kSmemBytes;
    // Above the 48 KiB default: opt in once per device (the first launch, normally a warm-up
    // before graph capture; the call is legal during capture too).
    static std::atomic<uint64_t> opted_in{0};
    int device = 0;
    if (cudaError_t e = cudaGetDevice(&device); e != cudaSuccess) return e;
    const uint64_t bit = device < 64 ? uint64_t{1} << device : 0;
    if (bit == 0 || (opted_in.load(std::memory_order_relaxed) & bit) == 0) {
        if (cudaError_t e = cudaFuncSetAttribute(decode_mma_kernel<HD>, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                                 static_cast<int>(smem));
            e != cudaSuccess)
            return e;
        opted_in.fetch_or(bit, std::memory_order_relaxed);
    }
    const int chunks = (kv.num_heads / kv.num_kv_heads + kRows - 1) / kRows;
    const dim3 grid(num_splits, kv.num_kv_heads * chunks, batch);
    decode_mma_kernel<HD><<<grid, kThreads, smem, stream>>>(kv, q, qkv_stride, seq_lens, num_splits, partial, out);
    return cudaGetLastError();
}

} // namespace

bool decode_mma_supported(const PagedKv &kv) {
    if (kv.head_dim != 64 && kv.head_dim != 128) return false;
    int device = 0, major = 0;
    if (cudaGetDevice(&device) != cudaSuccess) return false;
    if (cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device) != cudaSuccess) return false;
    return major >= 8;  // mma.sync m16n8k16 bf16, cp.async, ldmatrix
}

cudaError_t launch_decode_mma(const PagedKv &kv, const bf16 *q, int64_t qkv_stride, const int32_t *seq_lens,
                              int batch, int num_splits, float *partial, bf16 *out, cudaStream_t stream) {
    if (kv.head_dim == 64) return launch<64>(kv, q, qkv_stride, seq_lens, batch, num_splits, partial, out, stream);
    if (kv.head_dim == 128) return launch<128>(kv, q, qkv_stride, seq_lens, batch, num_splits, partial, out, stream);
    return cudaErrorInvalidValue;
}

} // namespace slipway::engine::cuda
