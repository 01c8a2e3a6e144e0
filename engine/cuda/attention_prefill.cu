// Prefill attention on tensor cores, FlashAttention-2 style (contract: attention.cuh; fragment
// layouts and PTX wrappers: attention_prefill_mma.cuh).
//
// One block of 4 warps serves one 64-row query tile of one query head; warp w owns the tile's
// rows 16w..16w+15 over the whole key range. Q stays in registers as MMA A fragments. K/V tiles
// of 64 keys are gathered through the page table into shared memory with cp.async, two stages,
// so tile j+1 loads while tile j is computed. S = Q K^T and O += P V run on mma.sync m16n8k16
// (bf16 in, fp32 accumulate); the online softmax (base 2, scale folded with log2 e), P as bf16
// and the output accumulator stay in registers and O is written once. Keys past the tile's last
// row are never loaded; a warp skips key tiles wholly above its rows' diagonal and masks only
// the tiles that cross it. Head dims 64 and 128 take this path; other head dims fall back to the
// WMMA kernel (attention_prefill_wmma.cu).
#include <climits>

#include "cuda/attention.cuh"
#include "cuda/attention_prefill_mma.cuh"
#include "cuda/attention_prefill_wmma.cuh"

namespace slipway::engine::cuda {

namespace {

using namespace prefill_mma;

constexpr float kLog2e = 1.4426950408889634f;

template <int HD>
constexpr int tile_bytes() {
    return kKeys * HD * 2;
}
// Two stages of (K tile, V tile); Q is staged once in stage 1's K tile before the loop starts.
template <int HD>
constexpr int smem_bytes() {
    return 4 * tile_bytes<HD>();
}

// One 64-key tile for a warp's 16 query rows: S = Q K^T, online softmax update, O += P V.
// s_k: this stage's K tile (V follows it). k0: position of the tile's first key. diagonal: some
// key of the tile lies past some row's position, so mask key > pos (pos0 / pos1: positions of
// the lane's rows g and g + 8). m / l: running max (log2 domain) and this lane's partial sum of
// each of its two rows.
template <int HD>
__device__ __forceinline__ void attend_tile(uint32_t s_k, int lane, int k0, bool diagonal, int pos0, int pos1,
                                            float scale_log2, const uint32_t (&qf)[HD / 16][4],
                                            float (&o)[HD / 8][4], float (&m)[2], float (&l)[2]) {
    const uint32_t s_v = s_k + tile_bytes<HD>();
    float s[kKeys / 8][4];
#pragma unroll
    for (int n = 0; n < kKeys / 8; ++n)
#pragma unroll
        for (int c = 0; c < 4; ++c) s[n][c] = 0.0f;
#pragma unroll
    for (int kk = 0; kk < HD / 16; ++kk) {
#pragma unroll
        for (int np = 0; np < kKeys / 16; ++np) {
            uint32_t kb[4];
            ldmatrix_x4(kb, s_k + tile_chunk<HD>(k_ldm_row(lane, np), k_ldm_chunk(lane, kk)) * 16);
            mma_bf16_16816(s[2 * np], qf[kk], kb[0], kb[1]);
            mma_bf16_16816(s[2 * np + 1], qf[kk], kb[2], kb[3]);
        }
    }

    float mx[2] = {-INFINITY, -INFINITY};
#pragma unroll
    for (int n = 0; n < kKeys / 8; ++n) {
#pragma unroll
        for (int c = 0; c < 4; ++c) {
            float x = s[n][c] * scale_log2;
            if (diagonal && k0 + n * 8 + c_col(lane, c) > (c < 2 ? pos0 : pos1)) x = -INFINITY;
            s[n][c] = x;
            mx[c >> 1] = fmaxf(mx[c >> 1], x);
        }
    }
    float base[2], alpha[2];
#pragma unroll
    for (int r = 0; r < 2; ++r) {
        // The four lanes of a quad hold the same two rows.
        mx[r] = fmaxf(mx[r], __shfl_xor_sync(0xffffffffu, mx[r], 1));
        mx[r] = fmaxf(mx[r], __shfl_xor_sync(0xffffffffu, mx[r], 2));
        const float m_new = fmaxf(m[r], mx[r]);
        base[r] = m_new == -INFINITY ? 0.0f : m_new;  // a row with no visible key yet keeps p = 0
        alpha[r] = fast_exp2(m[r] - base[r]);         // 0 while m was -inf
        m[r] = m_new;
    }
    float sum[2] = {0.0f, 0.0f};
#pragma unroll
    for (int n = 0; n < kKeys / 8; ++n) {
#pragma unroll
        for (int c = 0; c < 4; ++c) {
            const float p = fast_exp2(s[n][c] - base[c >> 1]);
            s[n][c] = p;
            sum[c >> 1] += p;
        }
    }
#pragma unroll
    for (int r = 0; r < 2; ++r) l[r] = l[r] * alpha[r] + sum[r];
#pragma unroll
    for (int n = 0; n < HD / 8; ++n) {
        o[n][0] *= alpha[0];
        o[n][1] *= alpha[0];
        o[n][2] *= alpha[1];
        o[n][3] *= alpha[1];
    }

    // P (16 rows x 64 keys) as A fragments: key n-tiles 2ks and 2ks + 1 form k-step ks.
#pragma unroll
    for (int ks = 0; ks < kKeys / 16; ++ks) {
        const uint32_t pa[4] = {pack_bf16x2(s[2 * ks][0], s[2 * ks][1]), pack_bf16x2(s[2 * ks][2], s[2 * ks][3]),
                                pack_bf16x2(s[2 * ks + 1][0], s[2 * ks + 1][1]),
                                pack_bf16x2(s[2 * ks + 1][2], s[2 * ks + 1][3])};
#pragma unroll
        for (int dp = 0; dp < HD / 16; ++dp) {
            uint32_t vb[4];
            ldmatrix_x4_trans(vb, s_v + tile_chunk<HD>(v_ldm_row(lane, ks), v_ldm_chunk(lane, dp)) * 16);
            mma_bf16_16816(o[2 * dp], pa, vb[0], vb[1]);
            mma_bf16_16816(o[2 * dp + 1], pa, vb[2], vb[3]);
        }
    }
}

// Grid: num_tiles * num_heads blocks, the heads of one tile adjacent (the query heads of a KV
// group then read the same K/V through L2), tiles in reverse plan order so the last tiles of a
// sequence, which see the most keys, start first.
template <int HD>
__global__ void __launch_bounds__(kThreads, 2)
    prefill_mma_kernel(PagedKv kv, const bf16 *__restrict__ q, int64_t qkv_stride, const int32_t *__restrict__ q_starts,
                       const int32_t *__restrict__ q_lens, const int32_t *__restrict__ ctx_lens,
                       const int32_t *__restrict__ tile_seq, const int32_t *__restrict__ tile_row, int num_tiles,
                       bf16 *__restrict__ out) {
    extern __shared__ __align__(128) unsigned char smem[];
    constexpr int kChunks = HD / 8, kRowStep = load_row_step<HD>(), kPasses = load_passes<HD>();
    constexpr int kTile = tile_bytes<HD>();

    const int nh = kv.num_heads;
    const int h = static_cast<int>(blockIdx.x % static_cast<unsigned>(nh));
    const int tile = num_tiles - 1 - static_cast<int>(blockIdx.x / static_cast<unsigned>(nh));
    const int b = tile_seq[tile], row0 = tile_row[tile];
    const int qstart = q_starts[b], ctx = ctx_lens[b];
    const int rows = min(kRows, q_lens[b] - row0);
    if (rows <= 0) return;  // whole block: no barrier reached yet
    const int key_end = ctx + row0 + rows;  // keys [0, key_end) are visible to some row of the tile
    const int num_kt = (key_end + kKeys - 1) / kKeys;
    const int kvh = h / (nh / kv.num_kv_heads);
    const int tid = static_cast<int>(threadIdx.x), lane = tid & 31, warp = tid >> 5;
    const int32_t *pages = kv.kv_indices + kv.kv_indptr[b];
    const int ps = kv.page_size;

    // Stage s: K tile at sbase + 2s * kTile, V tile right after it.
    const uint32_t sbase = static_cast<uint32_t>(__cvta_generic_to_shared(smem));
    const uint32_t s_q = sbase + 2 * kTile;

    // This thread copies chunk ld_chunk of tile rows ld_row + i * kRowStep (i < kPasses).
    const int ld_chunk = tid % kChunks, ld_row = tid / kChunks;
    const int64_t kv_dim = static_cast<int64_t>(kv.num_kv_heads) * HD;
    const bf16 *k_src = kv.k_cache + kvh * HD + ld_chunk * 8;
    const bf16 *v_src = kv.v_cache + kvh * HD + ld_chunk * 8;
    // Cache slots of this thread's rows of the next key tile to load; -1 past key_end. (Slots
    // index the KV pool, which holds far fewer than 2^31 tokens.)
    int slot[kPasses];
    auto find_slots = [&](int kt) {
#pragma unroll
        for (int i = 0; i < kPasses; ++i) {
            const int pos = kt * kKeys + ld_row + i * kRowStep;
            const int page = pos / ps;
            slot[i] = pos < key_end ? pages[page] * ps + (pos - page * ps) : -1;
        }
    };
    auto load_kv = [&](int stage) {
        const uint32_t dst0 = sbase + static_cast<uint32_t>(stage) * 2 * kTile;
#pragma unroll
        for (int i = 0; i < kPasses; ++i) {
            const uint32_t dst = dst0 + tile_chunk<HD>(ld_row + i * kRowStep, ld_chunk) * 16;
            const int64_t off = static_cast<int64_t>(max(slot[i], 0)) * kv_dim;
            cp_async_16(dst, k_src + off, slot[i] >= 0);  // zero-filled past key_end
            cp_async_16(dst + kTile, v_src + off, slot[i] >= 0);
        }
    };

    // Q tile (rows past the tile's end zero-filled), then the first K/V tile, as one group.
    {
        const bf16 *q_src = q + static_cast<int64_t>(qstart + row0) * qkv_stride + static_cast<int64_t>(h) * HD +
                            ld_chunk * 8;
#pragma unroll
        for (int i = 0; i < kPasses; ++i) {
            const int r = ld_row + i * kRowStep;
            cp_async_16(s_q + tile_chunk<HD>(r, ld_chunk) * 16, q_src + static_cast<int64_t>(r < rows ? r : 0) * qkv_stride,
                        r < rows);
        }
    }
    find_slots(0);
    load_kv(0);
    cp_async_commit();
    if (num_kt > 1) find_slots(1);
    cp_async_wait<0>();
    __syncthreads();
    uint32_t qf[HD / 16][4];
#pragma unroll
    for (int kk = 0; kk < HD / 16; ++kk)
        ldmatrix_x4(qf[kk], s_q + tile_chunk<HD>(warp * 16 + q_ldm_row(lane), q_ldm_chunk(lane, kk)) * 16);
    __syncthreads();  // stage 1 (holding Q) is free for key tile 1

    float o[HD / 8][4];
#pragma unroll
    for (int n = 0; n < HD / 8; ++n)
#pragma unroll
        for (int c = 0; c < 4; ++c) o[n][c] = 0.0f;
    float m[2] = {-INFINITY, -INFINITY}, l[2] = {0.0f, 0.0f};
    const int w_first = ctx + row0 + warp * 16;  // position of the warp's first row
    const bool w_active = warp * 16 < rows;
    const int w_last = min(w_first + 15, key_end - 1);  // position of its last real row
    // Positions of the lane's two rows; rows past the tile's end (never stored) clamp to the last.
    const int pos0 = min(w_first + c_row(lane, 0), key_end - 1);
    const int pos1 = min(w_first + c_row(lane, 2), key_end - 1);
    const float scale_log2 = kv.scale * kLog2e;

    for (int kt = 0; kt < num_kt; ++kt) {
        if (kt + 1 < num_kt) load_kv((kt + 1) & 1);
        cp_async_commit();  // possibly empty: keeps the group count uniform
        if (kt + 2 < num_kt) find_slots(kt + 2);  // page-table reads overlap this tile's math
        cp_async_wait<1>();                      // tile kt has landed (this thread's copies) ...
        __syncthreads();                         // ... and everyone's
        const int k0 = kt * kKeys;
        if (w_active && k0 <= w_last)  // warp-uniform: mma.sync needs all 32 lanes
            attend_tile<HD>(sbase + static_cast<uint32_t>(kt & 1) * 2 * kTile, lane, k0, k0 + kKeys - 1 > w_first,
                            pos0, pos1, scale_log2, qf, o, m, l);
        __syncthreads();  // stage kt & 1 is refilled by the next iteration
    }

    if (!w_active) return;
    float inv[2];
#pragma unroll
    for (int r = 0; r < 2; ++r) {
        float t = l[r];
        t += __shfl_xor_sync(0xffffffffu, t, 1);
        t += __shfl_xor_sync(0xffffffffu, t, 2);
        inv[r] = t > 0.0f ? 1.0f / t : 0.0f;
    }
    const int64_t out_stride = static_cast<int64_t>(nh) * HD;
#pragma unroll
    for (int r = 0; r < 2; ++r) {
        const int row = warp * 16 + c_row(lane, 2 * r);
        if (row >= rows) continue;
        bf16 *dst = out + static_cast<int64_t>(qstart + row0 + row) * out_stride + static_cast<int64_t>(h) * HD;
#pragma unroll
        for (int n = 0; n < HD / 8; ++n)
            *reinterpret_cast<__nv_bfloat162 *>(dst + n * 8 + c_col(lane, 2 * r)) =
                __floats2bfloat162_rn(o[n][2 * r] * inv[r], o[n][2 * r + 1] * inv[r]);
    }
}

template <int HD>
cudaError_t launch_mma(const PagedKv &kv, const bf16 *q, int64_t qkv_stride, const int32_t *q_starts,
                       const int32_t *q_lens, const int32_t *ctx_lens, const int32_t *tile_seq, const int32_t *tile_row,
                       int num_tiles, bf16 *out, cudaStream_t stream) {
    static_assert(kRows == kPrefillTileRows);
    const int64_t blocks = static_cast<int64_t>(num_tiles) * kv.num_heads;
    if (blocks > INT_MAX) return cudaErrorInvalidValue;
    constexpr int smem = smem_bytes<HD>();
    // Per device and cheap; set on every launch so a second device is covered too.
    if (cudaError_t e = cudaFuncSetAttribute(prefill_mma_kernel<HD>, cudaFuncAttributeMaxDynamicSharedMemorySize, smem);
        e != cudaSuccess)
        return e;
    if (cudaError_t e = cudaFuncSetAttribute(prefill_mma_kernel<HD>, cudaFuncAttributePreferredSharedMemoryCarveout,
                                             cudaSharedmemCarveoutMaxShared);
        e != cudaSuccess)
        return e;
    prefill_mma_kernel<HD><<<static_cast<unsigned>(blocks), kThreads, smem, stream>>>(
        kv, q, qkv_stride, q_starts, q_lens, ctx_lens, tile_seq, tile_row, num_tiles, out);
    return cudaGetLastError();
}

} // namespace

cudaError_t launch_prefill_attention(const PagedKv &kv, const bf16 *q, int64_t qkv_stride, const int32_t *q_starts,
                                     const int32_t *q_lens, const int32_t *ctx_lens, const int32_t *tile_seq,
                                     const int32_t *tile_row, int num_tiles, bf16 *out, cudaStream_t stream) {
    if (num_tiles <= 0) return cudaSuccess;
    // 16-byte row loads: head_dim and the qkv row stride in whole 8-element vectors.
    if (kv.head_dim <= 0 || kv.head_dim % 8 != 0 || kv.head_dim > 128 || kv.num_kv_heads <= 0 || kv.num_heads <= 0 ||
        kv.num_heads % kv.num_kv_heads != 0 || kv.num_heads > 65535 || kv.page_size <= 0 || qkv_stride % 8 != 0)
        return cudaErrorInvalidValue;
    if (kv.head_dim == 128)
        return launch_mma<128>(kv, q, qkv_stride, q_starts, q_lens, ctx_lens, tile_seq, tile_row, num_tiles, out, stream);
    if (kv.head_dim == 64)
        return launch_mma<64>(kv, q, qkv_stride, q_starts, q_lens, ctx_lens, tile_seq, tile_row, num_tiles, out, stream);
    return launch_prefill_attention_wmma(kv, q, qkv_stride, q_starts, q_lens, ctx_lens, tile_seq, tile_row, num_tiles,
                                         out, stream);
}

} // namespace slipway::engine::cuda
