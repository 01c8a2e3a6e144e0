#include "cuda/rmsnorm.cuh"

namespace slipway::engine::cuda {

namespace {

constexpr int kThreads = 256;
constexpr int kMaxPerThread = 32;  // hidden <= 8192

// kAdd: add delta's row; kWrite: store the sum back into x.
template <bool kAdd, bool kWrite>
__global__ void rmsnorm_kernel(float *__restrict__ x, const int32_t *__restrict__ src_rows,
                               const bf16 *__restrict__ delta, const bf16 *__restrict__ w, int hidden, float eps,
                               bf16 *__restrict__ out) {
    __shared__ float scratch[32];
    const int r = blockIdx.x;
    const int64_t src = src_rows != nullptr ? src_rows[r] : r;
    float *row = x + src * hidden;
    const bf16 *drow = kAdd ? delta + src * hidden : nullptr;
    float v[kMaxPerThread];
    float ss = 0.0f;
#pragma unroll
    for (int k = 0; k < kMaxPerThread; ++k) {
        const int i = threadIdx.x + k * kThreads;
        v[k] = 0.0f;
        if (i < hidden) {
            float a = row[i];
            if (kAdd) {
                a += __bfloat162float(drow[i]);
                if (kWrite) row[i] = a;
            }
            v[k] = a;
            ss += a * a;
        }
    }
    ss = block_sum(ss, scratch);
    const float inv = 1.0f / sqrtf(ss / static_cast<float>(hidden) + eps);
    bf16 *orow = out + static_cast<int64_t>(r) * hidden;
#pragma unroll
    for (int k = 0; k < kMaxPerThread; ++k) {
        const int i = threadIdx.x + k * kThreads;
        if (i < hidden) orow[i] = __float2bfloat16(__bfloat162float(w[i]) * (v[k] * inv));
    }
}

} // namespace

cudaError_t launch_rmsnorm(const float *x, const int32_t *src_rows, const bf16 *w, int rows, int hidden, float eps,
                           bf16 *out, cudaStream_t stream) {
    if (rows <= 0) return cudaSuccess;
    if (hidden <= 0 || hidden > kThreads * kMaxPerThread) return cudaErrorInvalidValue;
    rmsnorm_kernel<false, false><<<rows, kThreads, 0, stream>>>(const_cast<float *>(x), src_rows, nullptr, w, hidden, eps, out);
    return cudaGetLastError();
}

cudaError_t launch_add_rmsnorm(float *x, const bf16 *delta, const bf16 *w, int rows, int hidden, float eps, bf16 *out,
                               cudaStream_t stream) {
    if (rows <= 0) return cudaSuccess;
    if (hidden <= 0 || hidden > kThreads * kMaxPerThread) return cudaErrorInvalidValue;
    rmsnorm_kernel<true, true><<<rows, kThreads, 0, stream>>>(x, nullptr, delta, w, hidden, eps, out);
    return cudaGetLastError();
}

cudaError_t launch_gather_add_rmsnorm(const float *x, const bf16 *delta, const int32_t *src_rows, const bf16 *w,
                                      int rows, int hidden, float eps, bf16 *out, cudaStream_t stream) {
    if (rows <= 0) return cudaSuccess;
    if (hidden <= 0 || hidden > kThreads * kMaxPerThread || src_rows == nullptr) return cudaErrorInvalidValue;
    rmsnorm_kernel<true, false><<<rows, kThreads, 0, stream>>>(const_cast<float *>(x), src_rows, delta, w, hidden, eps,
                                                               out);
    return cudaGetLastError();
}

} // namespace slipway::engine::cuda
