#pragma once
// Building blocks of the mma.sync prefill attention kernel (attention_prefill.cu): the
// shared-memory tile layout, which lane feeds which ldmatrix row, where each lane's MMA
// accumulator elements sit, and thin wrappers over the sm_80+ PTX instructions.
//
// The index helpers are __host__ __device__ so a host-side emulation of the warp instructions
// can check the kernel's index math without a GPU.
//
// Fragment layouts of mma.sync.m16n8k16 (bf16 in, fp32 accumulate), g = lane / 4, t = lane % 4:
//   A (16x16, row-major), 4 registers of 2 bf16: {row g, cols 2t, 2t+1}, {row g+8, cols 2t..},
//     {row g, cols 2t+8, 2t+9}, {row g+8, cols 2t+8..}.
//   B (16x8, "col": K x N with K contiguous per column), 2 registers: {k 2t, 2t+1; n g},
//     {k 2t+8, 2t+9; n g}.
//   C/D (16x8 fp32), 4 floats: {row g, cols 2t, 2t+1}, {row g+8, cols 2t, 2t+1}.
// ldmatrix.x4 loads four 8x8 b16 matrices; lanes 8i..8i+7 give the row addresses of matrix i
// and register i of lane l receives matrix i's {row l/4, cols 2(l%4), 2(l%4)+1} (.trans: the
// transposed matrix, i.e. {rows 2(l%4), 2(l%4)+1; col l/4}).
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cstdint>

namespace slipway::engine::cuda::prefill_mma {

constexpr int kWarps = 4;             // one block: 4 warps of 16 query rows
constexpr int kThreads = kWarps * 32;
constexpr int kRows = kWarps * 16;    // query rows of a tile (= kPrefillTileRows)
constexpr int kKeys = 64;             // keys of a K/V tile

// A [64 rows][HD] bf16 tile in shared memory is stored as 16-byte chunks (8 bf16); chunk c of
// row r sits at chunk slot r * HD/8 + (c ^ (r % 8)). The XOR swizzle puts the eight rows one
// ldmatrix phase reads (same logical chunk, consecutive rows) in eight distinct bank groups,
// and keeps the 16-byte cp.async stores aligned. HD/8 must be at least 8.
template <int HD>
__host__ __device__ constexpr int tile_chunk(int row, int chunk) {
    return row * (HD / 8) + (chunk ^ (row & 7));
}

// ldmatrix.x4 source of lane `lane`, as (tile row, chunk), for each operand.
// Q as the A operand of k-step kk (head dims 16kk..16kk+15), relative to the warp's first row:
// matrices (rows 0-7, dims 0-7), (rows 8-15, dims 0-7), (rows 0-7, dims 8-15), (rows 8-15,
// dims 8-15) are exactly a0..a3.
__host__ __device__ constexpr int q_ldm_row(int lane) { return lane & 15; }
__host__ __device__ constexpr int q_ldm_chunk(int lane, int kk) { return kk * 2 + (lane >> 4); }
// K as the B operand of S = Q K^T: B[k = head dim][n = key] = K[key][dim], so the row-major K
// tile is B in "col" layout and loads without .trans. For keys 16np..16np+15 and k-step kk:
// matrices (keys 0-7, dims 0-7), (keys 0-7, dims 8-15), (keys 8-15, dims 0-7), (keys 8-15,
// dims 8-15) = {b0, b1} of key n-tile 2np, then {b0, b1} of n-tile 2np+1.
__host__ __device__ constexpr int k_ldm_row(int lane, int np) { return np * 16 + (lane & 7) + (lane >> 4) * 8; }
__host__ __device__ constexpr int k_ldm_chunk(int lane, int kk) { return kk * 2 + ((lane >> 3) & 1); }
// V as the B operand of O = P V: B[k = key][n = dim] = V[key][dim] is row-major, so it loads
// with .trans. For keys 16ks..16ks+15 and dims 16dp..16dp+15: matrices (keys 0-7, dims 0-7),
// (keys 8-15, dims 0-7), (keys 0-7, dims 8-15), (keys 8-15, dims 8-15) = {b0, b1} of dim
// n-tile 2dp, then {b0, b1} of n-tile 2dp+1.
__host__ __device__ constexpr int v_ldm_row(int lane, int ks) { return ks * 16 + (lane & 7) + ((lane >> 3) & 1) * 8; }
__host__ __device__ constexpr int v_ldm_chunk(int lane, int dp) { return dp * 2 + (lane >> 4); }

// Element c (0..3) of a lane's C/D fragment: its row (0..15) and column (0..7) in the 16x8 tile.
__host__ __device__ constexpr int c_row(int lane, int c) { return (lane >> 2) + (c >> 1) * 8; }
__host__ __device__ constexpr int c_col(int lane, int c) { return (lane & 3) * 2 + (c & 1); }

// Tile loads: thread `tid` copies chunk tid % (HD/8) of rows tid / (HD/8) + i * load_row_step, i < load_passes.
template <int HD>
__host__ __device__ constexpr int load_row_step() { return kThreads / (HD / 8); }
template <int HD>
__host__ __device__ constexpr int load_passes() { return kRows / load_row_step<HD>(); }

#ifdef __CUDACC__

// 16-byte asynchronous global -> shared copy; when `full` is false nothing is read and the
// destination is zero-filled (src must still be a valid address).
__device__ __forceinline__ void cp_async_16(uint32_t dst, const void *src, bool full) {
    const int bytes = full ? 16 : 0;
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(dst), "l"(src), "r"(bytes) : "memory");
}
__device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\n" ::: "memory"); }
// Waits until at most N of this thread's committed groups are still in flight.
template <int N>
__device__ __forceinline__ void cp_async_wait() {
    asm volatile("cp.async.wait_group %0;\n" ::"n"(N) : "memory");
}

__device__ __forceinline__ void ldmatrix_x4(uint32_t (&r)[4], uint32_t addr) {
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0, %1, %2, %3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(addr));
}
__device__ __forceinline__ void ldmatrix_x4_trans(uint32_t (&r)[4], uint32_t addr) {
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0, %1, %2, %3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(addr));
}

// d += a * b for one m16n8k16 tile.
__device__ __forceinline__ void mma_bf16_16816(float (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) {
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "
                 "{%0, %1, %2, %3};\n"
                 : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}

// Two floats as a bf16 pair in one register, `lo` in the low half (the lower column index).
__device__ __forceinline__ uint32_t pack_bf16x2(float lo, float hi) {
    const __nv_bfloat162 v = __floats2bfloat162_rn(lo, hi);
    return (static_cast<uint32_t>(__bfloat16_as_ushort(v.y)) << 16) | __bfloat16_as_ushort(v.x);
}

// 2^x on the special-function unit; 2^-inf = 0.
__device__ __forceinline__ float fast_exp2(float x) {
    float y;
    asm("ex2.approx.ftz.f32 %0, %1;\n" : "=f"(y) : "f"(x));
    return y;
}

#endif // __CUDACC__

} // namespace slipway::engine::cuda::prefill_mma
