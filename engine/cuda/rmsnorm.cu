#include "cuda/rmsnorm.cuh"

#include "cuda/pdl.cuh"
#include "cuda/rmsnorm_row.cuh"

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

// Vectorized form (rmsnorm_row.cuh's layout), with blockDim.x up to 1024 so a lone row is spread
// over a whole SM. All loads (the norm weight first, before the PDL wait: it is immutable) are
// issued before the one reduction.
template <int VPT, bool kAdd, bool kWrite>
__global__ void __launch_bounds__(1024)
    rmsnorm_vec_kernel(float *__restrict__ x, const int32_t *__restrict__ src_rows, const bf16 *__restrict__ delta,
                       const bf16 *__restrict__ w, int hidden, float eps, bf16 *__restrict__ out) {
    __shared__ float scratch[32];
    pdl_trigger();
    const int nvec = hidden / 4;
    uint2 wv[VPT];
    rmsnorm_row_weight<VPT>(w, nvec, wv);
    pdl_wait();
    const int r = blockIdx.x;
    const int64_t src = src_rows != nullptr ? src_rows[r] : r;
    float4 *row = reinterpret_cast<float4 *>(x + src * hidden);
    const uint2 *drow = kAdd ? reinterpret_cast<const uint2 *>(delta + src * hidden) : nullptr;
    float4 v[VPT];
    uint2 d[VPT];
#pragma unroll
    for (int k = 0; k < VPT; ++k) {
        const int i = threadIdx.x + k * blockDim.x;
        v[k] = i < nvec ? row[i] : make_float4(0.0f, 0.0f, 0.0f, 0.0f);
        if (kAdd) d[k] = i < nvec ? drow[i] : make_uint2(0, 0);
    }
    if constexpr (kAdd) {
#pragma unroll
        for (int k = 0; k < VPT; ++k) {
            add_bf16x4(v[k], d[k]);
            if (kWrite && threadIdx.x + k * blockDim.x < nvec) row[threadIdx.x + k * blockDim.x] = v[k];
        }
    }
    rmsnorm_row_store<VPT>(v, wv, nvec, hidden, eps, scratch, out + static_cast<int64_t>(r) * hidden);
}

bool aligned(const void *p, uintptr_t bytes) { return reinterpret_cast<uintptr_t>(p) % bytes == 0; }

// The vectorized kernel when hidden and the pointers allow it (hidden % 4 == 0, fp32 rows
// 16-byte and bf16 rows 8-byte aligned, hidden <= 16384); false: the caller uses the scalar one.
template <bool kAdd, bool kWrite>
bool try_launch_vec(float *x, const int32_t *src_rows, const bf16 *delta, const bf16 *w, int rows, int hidden,
                    float eps, bf16 *out, cudaStream_t stream, cudaError_t &err) {
    const int nvec = hidden / 4;
    if (hidden % 4 != 0 || nvec > 4096 || !aligned(x, 16) || !aligned(w, 8) || !aligned(out, 8) ||
        (kAdd && !aligned(delta, 8)))
        return false;
    const int vpt = nvec <= 1024 ? 1 : nvec <= 2048 ? 2 : 4;
    const unsigned threads = ceil_div(ceil_div(nvec, vpt), 32) * 32;
    const dim3 grid(static_cast<unsigned>(rows)), block(threads);
    auto go = [&](auto kernel) {
        err = launch_pdl(kernel, grid, block, 0, stream, x, src_rows, delta, w, hidden, eps, out);
    };
    if (vpt == 1) go(rmsnorm_vec_kernel<1, kAdd, kWrite>);
    else if (vpt == 2) go(rmsnorm_vec_kernel<2, kAdd, kWrite>);
    else go(rmsnorm_vec_kernel<4, kAdd, kWrite>);
    return true;
}

} // namespace

cudaError_t launch_rmsnorm(const float *x, const int32_t *src_rows, const bf16 *w, int rows, int hidden, float eps,
                           bf16 *out, cudaStream_t stream) {
    if (rows <= 0) return cudaSuccess;
    if (hidden <= 0) return cudaErrorInvalidValue;
    cudaError_t err = cudaSuccess;
    if (try_launch_vec<false, false>(const_cast<float *>(x), src_rows, nullptr, w, rows, hidden, eps, out, stream, err))
        return err;
    if (hidden > kThreads * kMaxPerThread) return cudaErrorInvalidValue;
    rmsnorm_kernel<false, false><<<rows, kThreads, 0, stream>>>(const_cast<float *>(x), src_rows, nullptr, w, hidden, eps, out);
    return cudaGetLastError();
}

cudaError_t launch_add_rmsnorm(float *x, const bf16 *delta, const bf16 *w, int rows, int hidden, float eps, bf16 *out,
                               cudaStream_t stream) {
    if (rows <= 0) return cudaSuccess;
    if (hidden <= 0) return cudaErrorInvalidValue;
    cudaError_t err = cudaSuccess;
    if (try_launch_vec<true, true>(x, nullptr, delta, w, rows, hidden, eps, out, stream, err)) return err;
    if (hidden > kThreads * kMaxPerThread) return cudaErrorInvalidValue;
    rmsnorm_kernel<true, true><<<rows, kThreads, 0, stream>>>(x, nullptr, delta, w, hidden, eps, out);
    return cudaGetLastError();
}

cudaError_t launch_gather_add_rmsnorm(const float *x, const bf16 *delta, const int32_t *src_rows, const bf16 *w,
                                      int rows, int hidden, float eps, bf16 *out, cudaStream_t stream) {
    if (rows <= 0) return cudaSuccess;
    if (hidden <= 0 || src_rows == nullptr) return cudaErrorInvalidValue;
    cudaError_t err = cudaSuccess;
    if (try_launch_vec<true, false>(const_cast<float *>(x), src_rows, delta, w, rows, hidden, eps, out, stream, err))
        return err;
    if (hidden > kThreads * kMaxPerThread) return cudaErrorInvalidValue;
    rmsnorm_kernel<true, false><<<rows, kThreads, 0, stream>>>(const_cast<float *>(x), src_rows, delta, w, hidden, eps,
                                                               out);
    return cudaGetLastError();
}

} // namespace slipway::engine::cuda
