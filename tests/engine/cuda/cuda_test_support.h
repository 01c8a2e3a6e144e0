// Helpers shared by the CUDA backend tests (tests/engine/cuda/test_cuda_*.cpp): NaN-poisoned
// device buffers and host <-> device copies, bf16 rounding, random bf16-exact values, the CUDA_OK
// assertions and the closeness checks. Header-only, compiled by the host compiler.
//
// Random helpers take the generator as a parameter: each test file owns its generator and seed,
// so its sequence of draws does not depend on what other files do.
#pragma once

#include <cuda_bf16.h>
#include <cuda_runtime.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <random>
#include <string>
#include <vector>

// Asserts that a CUDA call returned cudaSuccess (inside a TEST or a void function). The message
// names the call and the text of cudaGetLastError(), which also clears the runtime's last
// (non-sticky) error; more text can be streamed after it.
#define CUDA_OK(expr) ASSERT_EQ((expr), cudaSuccess) << #expr << ": " << cudaGetErrorString(cudaGetLastError())

// As CUDA_OK, but the message names the error the call itself returned, and the runtime's
// last-error state is left alone. A statement: nothing can be streamed after it.
#define CUDA_OK_RC(expr)                                                       \
    do {                                                                       \
        const cudaError_t e_ = (expr);                                         \
        ASSERT_EQ(e_, cudaSuccess) << #expr << ": " << cudaGetErrorString(e_); \
    } while (0)

namespace slipway::engine::cuda::test {

// f rounded to the nearest bf16 (ties to even), as a bf16 store and load of f gives.
inline float round_bf16(float f) { return __bfloat162float(__float2bfloat16(f)); }

// Visible CUDA devices; 0 when the runtime cannot count them (no driver, no GPU).
inline int gpu_count() {
    int n = 0;
    return cudaGetDeviceCount(&n) == cudaSuccess ? n : 0;
}

// n values drawn from N(0, stddev^2) with `g`, each rounded to bf16 (exact in bf16 and fp32).
inline std::vector<float> random_normal_bf16_values(size_t n, std::mt19937 &g, float stddev = 1.0f) {
    std::normal_distribution<float> d(0.0f, stddev);
    std::vector<float> v(n);
    for (float &x : v) x = round_bf16(d(g));
    return v;
}

// n values drawn uniformly from [lo, hi) with `g`, each rounded to bf16.
inline std::vector<float> random_uniform_bf16_values(size_t n, std::mt19937 &g, float lo, float hi) {
    std::uniform_real_distribution<float> d(lo, hi);
    std::vector<float> v(n);
    for (float &x : v) x = round_bf16(d(g));
    return v;
}

// Host-side bf16 copy of v (round to nearest even).
inline std::vector<__nv_bfloat16> to_bf16_host(const std::vector<float> &v) {
    std::vector<__nv_bfloat16> out(v.size());
    for (size_t i = 0; i < v.size(); ++i) out[i] = __float2bfloat16(v[i]);
    return out;
}

// What the buffer helpers below do when a CUDA call of theirs fails. Ignore: nothing (a later
// CUDA_OK or the poisoned output catches it). Expect: an EXPECT failure naming the call.
enum class CudaErrors { Ignore, Expect };

inline void note_cuda_result(cudaError_t result, CudaErrors errors, const char *call) {
    if (errors == CudaErrors::Expect) {
        EXPECT_EQ(result, cudaSuccess) << call << ": " << cudaGetErrorString(result);
    }
}

// Device buffer of n elements (at least one is allocated), filled with 0xff bytes (NaN as bf16
// and fp32) so output a kernel leaves unwritten shows; freed at scope end.
template <typename T>
struct Dev {
    T *p = nullptr;
    size_t n = 0;
    explicit Dev(size_t count, CudaErrors errors = CudaErrors::Ignore) : n(count) {
        const size_t bytes = std::max<size_t>(count, 1) * sizeof(T);
        note_cuda_result(cudaMalloc(&p, bytes), errors, "cudaMalloc");
        note_cuda_result(cudaMemset(p, 0xff, bytes), errors, "cudaMemset");
    }
    ~Dev() { cudaFree(p); }
    Dev(const Dev &) = delete;
    Dev &operator=(const Dev &) = delete;
};

// Device copy of v converted to bf16.
inline std::unique_ptr<Dev<__nv_bfloat16>> to_bf16(const std::vector<float> &v,
                                                   CudaErrors errors = CudaErrors::Ignore) {
    const std::vector<__nv_bfloat16> h = to_bf16_host(v);
    auto d = std::make_unique<Dev<__nv_bfloat16>>(v.size(), errors);
    note_cuda_result(cudaMemcpy(d->p, h.data(), h.size() * sizeof(__nv_bfloat16), cudaMemcpyHostToDevice), errors,
                     "cudaMemcpy to the device");
    return d;
}

// Device copy of v as it is.
template <typename T>
std::unique_ptr<Dev<T>> to_dev(const std::vector<T> &v, CudaErrors errors = CudaErrors::Ignore) {
    auto d = std::make_unique<Dev<T>>(v.size(), errors);
    note_cuda_result(cudaMemcpy(d->p, v.data(), v.size() * sizeof(T), cudaMemcpyHostToDevice), errors,
                     "cudaMemcpy to the device");
    return d;
}

// n bf16 device values read back as float.
inline std::vector<float> from_bf16(const __nv_bfloat16 *p, size_t n, CudaErrors errors = CudaErrors::Ignore) {
    std::vector<__nv_bfloat16> h(n);
    note_cuda_result(cudaMemcpy(h.data(), p, n * sizeof(__nv_bfloat16), cudaMemcpyDeviceToHost), errors,
                     "cudaMemcpy to the host");
    std::vector<float> out(n);
    for (size_t i = 0; i < n; ++i) out[i] = __bfloat162float(h[i]);
    return out;
}

// n device values read back as they are.
template <typename T>
std::vector<T> from_dev(const T *p, size_t n, CudaErrors errors = CudaErrors::Ignore) {
    std::vector<T> h(n);
    note_cuda_result(cudaMemcpy(h.data(), p, n * sizeof(T), cudaMemcpyDeviceToHost), errors, "cudaMemcpy to the host");
    return h;
}

// Every element within abs + rel * |ref| of the reference (NaN fails); reports the first five
// misses by index and one total under `what`.
inline void expect_close(const std::vector<float> &got, const std::vector<float> &ref, double rel, double abs,
                         const std::string &what) {
    ASSERT_EQ(got.size(), ref.size()) << what;
    size_t bad = 0;
    for (size_t i = 0; i < got.size(); ++i) {
        if (!(std::abs(got[i] - ref[i]) <= abs + rel * std::abs(ref[i]))) {
            if (bad++ < 5) ADD_FAILURE() << what << ": element " << i << " is " << got[i] << ", expected " << ref[i];
        }
    }
    EXPECT_EQ(bad, 0u) << what;
}

// ||got - ref|| / ||ref|| over got's elements; infinity when any of them is not finite.
inline double rel_norm_error(const std::vector<float> &got, const std::vector<double> &ref) {
    double num = 0, den = 0;
    for (size_t i = 0; i < got.size(); ++i) {
        if (!std::isfinite(got[i])) return INFINITY;
        num += (got[i] - ref[i]) * (got[i] - ref[i]);
        den += ref[i] * ref[i];
    }
    return std::sqrt(num / std::max(den, 1e-30));
}

} // namespace slipway::engine::cuda::test
