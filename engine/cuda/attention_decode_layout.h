#pragma once
// Fragment layouts of the tensor-core decode attention kernel (attention_decode_mma.cu), as
// plain functions of the lane so host code can check them against the PTX ISA's definitions of
// ldmatrix and mma.m16n8k16 (bf16 in, fp32 accumulate).
//
// One warp owns 16 keys of a K/V tile held in shared memory as [key][dim] rows:
//   S (16 query rows x 16 keys)  = Q (16 x head_dim) . K^T   two n-blocks of 8 keys, head_dim/16 k-steps
//   O (16 query rows x head_dim) += P (16 x 16 keys) . V     head_dim/8 n-blocks, one k-step
// Terms: g = lane / 4 ("groupID"), t = lane % 4 ("threadID_in_group").
#if defined(__CUDACC__)
#define SLIPWAY_HD __host__ __device__
#else
#define SLIPWAY_HD
#endif

namespace slipway::engine::cuda::decode_layout {

// A fragment (row-major 16x16, four 32-bit registers of two bf16 each): register r, element e
// (e = 0 the low half) is row g + 8 * (r & 1), column 2 t + 8 * (r >> 1) + e.
SLIPWAY_HD constexpr int a_row(int lane, int reg) { return lane / 4 + 8 * (reg & 1); }
SLIPWAY_HD constexpr int a_col(int lane, int reg, int elem) { return 2 * (lane % 4) + 8 * (reg >> 1) + elem; }

// C fragment (16x8 fp32, four registers): element e is row g + 8 * (e >> 1), column 2 t + (e & 1).
SLIPWAY_HD constexpr int c_row(int lane, int e) { return lane / 4 + 8 * (e >> 1); }
SLIPWAY_HD constexpr int c_col(int lane, int e) { return 2 * (lane % 4) + (e & 1); }

// ldmatrix.x4 on K (no transpose): lane L names the row of matrix L / 8. Matrices 0,1 are keys
// 0-7 at dims +0 / +8 (b0, b1 of key n-block 0), matrices 2,3 keys 8-15 (n-block 1).
SLIPWAY_HD constexpr int k_ldm_key(int lane) { return 8 * (lane / 16) + lane % 8; }
SLIPWAY_HD constexpr int k_ldm_dim(int lane) { return 8 * ((lane / 8) & 1); }

// ldmatrix.x4.trans on V: matrices 0,1 are keys 0-7 / 8-15 at dims +0 (b0, b1 of dim n-block
// 2j), matrices 2,3 the same keys at dims +8 (n-block 2j + 1).
SLIPWAY_HD constexpr int v_ldm_key(int lane) { return 8 * ((lane / 8) & 1) + lane % 8; }
SLIPWAY_HD constexpr int v_ldm_dim(int lane) { return 8 * (lane / 16); }

// P as the A operand of P.V is the S accumulator of the two key n-blocks repacked to bf16:
// A register r = S n-block (r >> 1), elements 2 (r & 1) and 2 (r & 1) + 1.
SLIPWAY_HD constexpr int p_block(int reg) { return reg >> 1; }
SLIPWAY_HD constexpr int p_elem(int reg, int half) { return 2 * (reg & 1) + half; }

} // namespace slipway::engine::cuda::decode_layout

#undef SLIPWAY_HD
