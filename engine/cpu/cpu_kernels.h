#pragma once
// The fp32 operations of the reference graph. Each output element is computed in one fixed
// order that does not depend on how many rows are batched together or how the work is split
// between threads, so a token's result is bitwise the same in any batch, chunk or thread count.
#include <cstdint>
#include <vector>

#include "model/model_config.h"

namespace slipway::engine {

class ThreadPool;

// sum_i a[i] * b[i] with eight interleaved partial sums, combined pairwise.
float dot(const float *a, const float *b, int64_t n);

// y[r, o] = dot(x[r, :], w[o, :]) + bias[o] for r < rows, o < out; w is [out, in] (row-major,
// as stored by torch.nn.Linear). Threads split the output features.
void linear(ThreadPool &pool, const float *x, int64_t rows, int64_t in, const float *w, const float *bias,
            int64_t out, float *y);

// y = w * (x / sqrt(mean(x^2) + eps)), as transformers' RMSNorm computes it in fp32.
void rms_norm(const float *x, const float *w, int64_t n, float eps, float *y);

// Inverse frequencies of rotary embedding for head_dim (head_dim / 2 values), computed in fp32
// the way transformers does (default, linear, llama3).
std::vector<float> rope_inv_freq(const RopeConfig &rope, int64_t head_dim);

// cos/sin of position * inv_freq for each of the head_dim / 2 frequencies.
void rope_cos_sin(const std::vector<float> &inv_freq, int64_t position, float *cos_out, float *sin_out);

// Rotates one head vector in place, neox style (halves, not interleaved pairs):
// out[i] = x[i] cos - x[i+h] sin, out[i+h] = x[i+h] cos + x[i] sin, h = head_dim / 2.
void apply_rope(float *x, int64_t head_dim, const float *cos, const float *sin);

// x[i] = silu(gate[i]) * up[i].
void silu_mul(const float *gate, const float *up, int64_t n, float *out);

} // namespace slipway::engine
