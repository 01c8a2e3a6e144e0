// The WMMA prefill attention kernel: the fallback of launch_prefill_attention() for head dims the
// mma.sync kernel (attention_prefill.cu) does not cover. Scores and the output accumulator pass
// through shared memory; one block serves 64 query rows of one query head.
#include "cuda/attention_prefill_wmma.cuh"

#include <mma.h>

namespace slipway::engine::cuda {

namespace {

using namespace nvcuda;

constexpr int kWarps = 4;           // 16 query rows each
constexpr int kRows = kWarps * 16;  // = kPrefillTileRows
constexpr int kKeys = 64;           // keys per tile
constexpr float kLog2e = 1.4426950408889634f;

template <int HDP>
struct Smem {
    bf16 q[kRows][HDP];
    bf16 k[kKeys][HDP];
    bf16 v[kKeys][HDP];
    float s[kWarps][16][kKeys];
    bf16 p[kWarps][16][kKeys];
    float o[kWarps][16][HDP];
};

// One block: 64 query rows of one sequence, one query head. HDP: head_dim padded to 16.
template <int HDP>
__global__ void __launch_bounds__(kWarps * 32) prefill_kernel(PagedKv kv, const bf16 *__restrict__ q,
                                                              int64_t qkv_stride, const int32_t *__restrict__ q_starts,
                                                              const int32_t *__restrict__ q_lens,
                                                              const int32_t *__restrict__ ctx_lens,
                                                              const int32_t *__restrict__ tile_seq,
                                                              const int32_t *__restrict__ tile_row,
                                                              bf16 *__restrict__ out) {
    extern __shared__ __align__(128) unsigned char smem_raw[];
    Smem<HDP> &sm = *reinterpret_cast<Smem<HDP> *>(smem_raw);
    const int tile = blockIdx.x, h = blockIdx.y;
    const int b = tile_seq[tile], row0 = tile_row[tile];
    const int qlen = q_lens[b], ctx = ctx_lens[b], qstart = q_starts[b];
    const int rows = min(kRows, qlen - row0);
    const int hd = kv.head_dim, kv_dim = kv.num_kv_heads * hd;
    const int kvh = h / (kv.num_heads / kv.num_kv_heads);
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    const int32_t *pages = kv.kv_indices + kv.kv_indptr[b];
    constexpr int kVec = HDP / 8;  // 16-byte vectors per padded row

    // Q tile (zero rows / dims past the end).
    for (int idx = threadIdx.x; idx < kRows * kVec; idx += blockDim.x) {
        const int r = idx / kVec, c = (idx % kVec) * 8;
        Bf16x8 v{};
        if (r < rows && c < hd)
            v = *reinterpret_cast<const Bf16x8 *>(q + static_cast<int64_t>(qstart + row0 + r) * qkv_stride +
                                                  static_cast<int64_t>(h) * hd + c);
        *reinterpret_cast<Bf16x8 *>(&sm.q[r][c]) = v;
    }
    // Each lane pair owns one of the warp's 16 rows: lane 2r and 2r+1, 32 key columns each.
    const int my_row = lane >> 1, half = lane & 1;
    const int my_pos = ctx + row0 + warp * 16 + my_row;  // position of that query row
    const bool row_ok = warp * 16 + my_row < rows;
    float m = -INFINITY, l = 0.0f;
    for (int i = lane; i < 16 * HDP; i += 32) sm.o[warp][i / HDP][i % HDP] = 0.0f;

    const int key_end = ctx + row0 + rows;  // keys [0, key_end) are visible to some row
    const float sc = kv.scale * kLog2e;
    for (int k0 = 0; k0 < key_end; k0 += kKeys) {
        __syncthreads();
        for (int idx = threadIdx.x; idx < kKeys * kVec; idx += blockDim.x) {
            const int r = idx / kVec, c = (idx % kVec) * 8;
            const int pos = k0 + r;
            Bf16x8 kvec{}, vvec{};
            if (pos < key_end && c < hd) {
                const int64_t slot = static_cast<int64_t>(pages[pos / kv.page_size]) * kv.page_size + pos % kv.page_size;
                const int64_t off = slot * kv_dim + static_cast<int64_t>(kvh) * hd + c;
                kvec = *reinterpret_cast<const Bf16x8 *>(kv.k_cache + off);
                vvec = *reinterpret_cast<const Bf16x8 *>(kv.v_cache + off);
            }
            *reinterpret_cast<Bf16x8 *>(&sm.k[r][c]) = kvec;
            *reinterpret_cast<Bf16x8 *>(&sm.v[r][c]) = vvec;
        }
        __syncthreads();
        // S = Q K^T for this warp's 16 rows and the 64 keys.
        for (int n = 0; n < kKeys / 16; ++n) {
            wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc;
            wmma::fill_fragment(acc, 0.0f);
#pragma unroll
            for (int kk = 0; kk < HDP / 16; ++kk) {
                wmma::fragment<wmma::matrix_a, 16, 16, 16, bf16, wmma::row_major> a;
                wmma::fragment<wmma::matrix_b, 16, 16, 16, bf16, wmma::col_major> bk;
                wmma::load_matrix_sync(a, &sm.q[warp * 16][kk * 16], HDP);
                wmma::load_matrix_sync(bk, &sm.k[n * 16][kk * 16], HDP);
                wmma::mma_sync(acc, a, bk, acc);
            }
            wmma::store_matrix_sync(&sm.s[warp][0][n * 16], acc, kKeys, wmma::mem_row_major);
        }
        __syncwarp();
        // Online softmax on the lane pair's row; P to bf16; rescale the row of O.
        float sv[32];
        float mx = -INFINITY;
#pragma unroll
        for (int j = 0; j < 32; ++j) {
            const int key = k0 + half * 32 + j;
            const bool ok = row_ok && key <= my_pos;
            sv[j] = ok ? sm.s[warp][my_row][half * 32 + j] * sc : -INFINITY;
            mx = fmaxf(mx, sv[j]);
        }
        mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 1));
        const float mn = fmaxf(m, mx);
        const float alpha = mn == -INFINITY ? 1.0f : exp2f(m - mn);
        float sum = 0.0f;
#pragma unroll
        for (int j = 0; j < 32; ++j) {
            const float p = mn == -INFINITY ? 0.0f : exp2f(sv[j] - mn);
            sum += p;
            sm.p[warp][my_row][half * 32 + j] = __float2bfloat16(p);
        }
        sum += __shfl_xor_sync(0xffffffffu, sum, 1);
        l = l * alpha + sum;
        m = mn;
        for (int d = half; d < HDP; d += 2) sm.o[warp][my_row][d] *= alpha;
        __syncwarp();
        // O += P V.
        for (int n = 0; n < HDP / 16; ++n) {
            wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc;
            wmma::load_matrix_sync(acc, &sm.o[warp][0][n * 16], HDP, wmma::mem_row_major);
#pragma unroll
            for (int kk = 0; kk < kKeys / 16; ++kk) {
                wmma::fragment<wmma::matrix_a, 16, 16, 16, bf16, wmma::row_major> a;
                wmma::fragment<wmma::matrix_b, 16, 16, 16, bf16, wmma::row_major> bv;
                wmma::load_matrix_sync(a, &sm.p[warp][0][kk * 16], kKeys);
                wmma::load_matrix_sync(bv, &sm.v[kk * 16][n * 16], HDP);
                wmma::mma_sync(acc, a, bv, acc);
            }
            wmma::store_matrix_sync(&sm.o[warp][0][n * 16], acc, HDP, wmma::mem_row_major);
        }
        __syncwarp();
    }
    if (row_ok) {
        const float inv = l > 0.0f ? 1.0f / l : 0.0f;
        bf16 *dst = out + static_cast<int64_t>(qstart + row0 + warp * 16 + my_row) * kv.num_heads * hd +
                    static_cast<int64_t>(h) * hd;
        for (int d = half; d < hd; d += 2) dst[d] = __float2bfloat16(sm.o[warp][my_row][d] * inv);
    }
}

template <int HDP>
cudaError_t launch_hdp(const PagedKv &kv, const bf16 *q, int64_t qkv_stride, const int32_t *q_starts,
                       const int32_t *q_lens, const int32_t *ctx_lens, const int32_t *tile_seq, const int32_t *tile_row,
                       int num_tiles, bf16 *out, cudaStream_t stream) {
    const size_t smem = sizeof(Smem<HDP>);
    // Per device and cheap; set on every launch so a second device is covered too.
    if (cudaError_t e = cudaFuncSetAttribute(prefill_kernel<HDP>, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                             static_cast<int>(smem));
        e != cudaSuccess)
        return e;
    prefill_kernel<HDP><<<dim3(num_tiles, kv.num_heads), kWarps * 32, smem, stream>>>(
        kv, q, qkv_stride, q_starts, q_lens, ctx_lens, tile_seq, tile_row, out);
    return cudaGetLastError();
}

} // namespace

cudaError_t launch_prefill_attention_wmma(const PagedKv &kv, const bf16 *q, int64_t qkv_stride, const int32_t *q_starts,
                                          const int32_t *q_lens, const int32_t *ctx_lens, const int32_t *tile_seq,
                                          const int32_t *tile_row, int num_tiles, bf16 *out, cudaStream_t stream) {
    static_assert(kRows == kPrefillTileRows);
    const int hd = kv.head_dim;
    if (hd <= 16) return launch_hdp<16>(kv, q, qkv_stride, q_starts, q_lens, ctx_lens, tile_seq, tile_row, num_tiles, out, stream);
    if (hd <= 32) return launch_hdp<32>(kv, q, qkv_stride, q_starts, q_lens, ctx_lens, tile_seq, tile_row, num_tiles, out, stream);
    if (hd <= 64) return launch_hdp<64>(kv, q, qkv_stride, q_starts, q_lens, ctx_lens, tile_seq, tile_row, num_tiles, out, stream);
    return launch_hdp<128>(kv, q, qkv_stride, q_starts, q_lens, ctx_lens, tile_seq, tile_row, num_tiles, out, stream);
}

} // namespace slipway::engine::cuda
