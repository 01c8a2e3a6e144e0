#pragma once
// RMSNorm as transformers computes it in fp32: y = w * (x / sqrt(mean(x^2) + eps)).
// The fused form first adds a bf16 delta (the previous projection) into the fp32 residual.
// hidden % 4 == 0 with aligned rows (hidden <= 16384) takes a vectorized kernel of up to 1024
// threads per row, launched with PDL (pdl.cuh); other shapes a scalar one (hidden <= 8192).
#include "cuda/cuda_common.cuh"

namespace slipway::engine::cuda {

// out[r] = rmsnorm(x[src_rows ? src_rows[r] : r]) for r < rows; x fp32 [*, hidden], w bf16.
cudaError_t launch_rmsnorm(const float *x, const int32_t *src_rows, const bf16 *w, int rows, int hidden, float eps,
                           bf16 *out, cudaStream_t stream);

// x[r] += delta[r] (in place, fp32), then out[r] = rmsnorm(x[r]).
cudaError_t launch_add_rmsnorm(float *x, const bf16 *delta, const bf16 *w, int rows, int hidden, float eps, bf16 *out,
                               cudaStream_t stream);

// out[r] = rmsnorm(x[src_rows[r]] + delta[src_rows[r]]), x left unchanged (the final norm of
// the rows that need logits).
cudaError_t launch_gather_add_rmsnorm(const float *x, const bf16 *delta, const int32_t *src_rows, const bf16 *w,
                                      int rows, int hidden, float eps, bf16 *out, cudaStream_t stream);

} // namespace slipway::engine::cuda
