#include "cuda/gemm.cuh"

#include <algorithm>
#include <string>
#include <vector>

#include "cuda/cuda_check.h"

namespace slipway::engine::cuda {

namespace {

constexpr int kGemvUnroll = 8; // 16-byte weight loads in flight per lane

// RPB output features (rows of W) per block, WPR warps per row splitting K between them
// (interleaved 512-byte chunks), partial sums joined through shared memory.
template <int M, int RPB, int WPR, bool kFp32Out>
__global__ void __launch_bounds__(RPB *WPR * 32) gemv_kernel(const bf16 *__restrict__ x, int k,
                                                             const bf16 *__restrict__ w, int n,
                                                             const bf16 *__restrict__ bias, void *__restrict__ y) {
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    const int row = blockIdx.x * RPB + warp / WPR, part = warp % WPR;
    const bool active = row < n;
    float acc[M];
#pragma unroll
    for (int r = 0; r < M; ++r) acc[r] = 0.0f;
    if (active) {
        const bf16 *wr = w + static_cast<int64_t>(row) * k;
        const int vecs = k / 8;
        constexpr int kStride = 32 * WPR;
        // All kGemvUnroll loads of a lane are issued before any is used (predicated, no serial
        // tail loop), so each warp keeps kGemvUnroll x 512 bytes in flight.
        for (int v0 = part * 32 + lane; v0 < vecs; v0 += kStride * kGemvUnroll) {
            uint4 raw[kGemvUnroll];
#pragma unroll
            for (int u = 0; u < kGemvUnroll; ++u) {
                const int v = v0 + kStride * u;
                // Streaming loads: the weights are read once per step and should not evict x.
                raw[u] = v < vecs ? __ldcs(reinterpret_cast<const uint4 *>(wr) + v) : make_uint4(0, 0, 0, 0);
            }
#pragma unroll
            for (int u = 0; u < kGemvUnroll; ++u) {
                const int v = v0 + kStride * u;
                if (v >= vecs) break;
                float wf[8];
                bf16x8_to_float(*reinterpret_cast<const Bf16x8 *>(&raw[u]), wf);
#pragma unroll
                for (int r = 0; r < M; ++r) {
                    float xf[8];
                    bf16x8_to_float(*reinterpret_cast<const Bf16x8 *>(x + static_cast<int64_t>(r) * k + v * 8), xf);
#pragma unroll
                    for (int i = 0; i < 8; ++i) acc[r] += wf[i] * xf[i];
                }
            }
        }
    }
#pragma unroll
    for (int r = 0; r < M; ++r) acc[r] = warp_sum(acc[r]);
    if constexpr (WPR > 1) {
        __shared__ float partial[RPB * WPR][M];
        if (lane == 0) {
#pragma unroll
            for (int r = 0; r < M; ++r) partial[warp][r] = acc[r];
        }
        __syncthreads();
        if (part != 0) return;
#pragma unroll
        for (int r = 0; r < M; ++r) {
            float s = 0.0f;
#pragma unroll
            for (int p = 0; p < WPR; ++p) s += partial[warp + p][r];
            acc[r] = s;
        }
    }
    if (active && lane == 0) {
        const float b = bias != nullptr ? __bfloat162float(bias[row]) : 0.0f;
#pragma unroll
        for (int r = 0; r < M; ++r) {
            if (kFp32Out) static_cast<float *>(y)[static_cast<int64_t>(r) * n + row] = acc[r] + b;
            else static_cast<bf16 *>(y)[static_cast<int64_t>(r) * n + row] = __float2bfloat16(acc[r] + b);
        }
    }
}

template <int M, int RPB, int WPR>
void launch_gemv_shape(const bf16 *x, int k, const bf16 *w, int n, const bf16 *bias, void *y, bool y_fp32,
                       cudaStream_t stream) {
    const unsigned blocks = ceil_div(n, RPB);
    if (y_fp32) gemv_kernel<M, RPB, WPR, true><<<blocks, RPB * WPR * 32, 0, stream>>>(x, k, w, n, bias, y);
    else gemv_kernel<M, RPB, WPR, false><<<blocks, RPB * WPR * 32, 0, stream>>>(x, k, w, n, bias, y);
}

// The variants the autotuner chooses from (index = kGemvVariants entry).
template <int M>
void launch_gemv_m(int variant, const bf16 *x, int k, const bf16 *w, int n, const bf16 *bias, void *y, bool y_fp32,
                   cudaStream_t stream) {
    switch (variant) {
    case 0: launch_gemv_shape<M, 4, 1>(x, k, w, n, bias, y, y_fp32, stream); break;
    case 1: launch_gemv_shape<M, 8, 1>(x, k, w, n, bias, y, y_fp32, stream); break;
    case 2: launch_gemv_shape<M, 2, 2>(x, k, w, n, bias, y, y_fp32, stream); break;
    case 3: launch_gemv_shape<M, 1, 4>(x, k, w, n, bias, y, y_fp32, stream); break;
    default: launch_gemv_shape<M, 2, 4>(x, k, w, n, bias, y, y_fp32, stream); break;
    }
}

} // namespace

const char *gemv_variant_name(int variant) {
    static const char *names[kGemvVariants] = {"4 rows x 1 warp", "8 rows x 1 warp", "2 rows x 2 warps",
                                               "1 row x 4 warps", "2 rows x 4 warps"};
    return variant >= 0 && variant < kGemvVariants ? names[variant] : "?";
}

cudaError_t launch_gemv(const bf16 *x, int m, int k, const bf16 *w, int n, const bf16 *bias, void *y, bool y_fp32,
                        cudaStream_t stream, int variant) {
    if (m <= 0 || n <= 0) return cudaSuccess;
    if (m > 8 || k <= 0 || k % 8 != 0 || variant < 0 || variant >= kGemvVariants ||
        reinterpret_cast<uintptr_t>(x) % 16 != 0 || reinterpret_cast<uintptr_t>(w) % 16 != 0)
        return cudaErrorInvalidValue;
    switch (m) {
    case 1: launch_gemv_m<1>(variant, x, k, w, n, bias, y, y_fp32, stream); break;
    case 2: launch_gemv_m<2>(variant, x, k, w, n, bias, y, y_fp32, stream); break;
    case 3: launch_gemv_m<3>(variant, x, k, w, n, bias, y, y_fp32, stream); break;
    case 4: launch_gemv_m<4>(variant, x, k, w, n, bias, y, y_fp32, stream); break;
    case 5: launch_gemv_m<5>(variant, x, k, w, n, bias, y, y_fp32, stream); break;
    case 6: launch_gemv_m<6>(variant, x, k, w, n, bias, y, y_fp32, stream); break;
    case 7: launch_gemv_m<7>(variant, x, k, w, n, bias, y, y_fp32, stream); break;
    default: launch_gemv_m<8>(variant, x, k, w, n, bias, y, y_fp32, stream); break;
    }
    return cudaGetLastError();
}

Gemm::~Gemm() {
    for (auto &[key, p] : plans_) {
        cublasLtMatrixLayoutDestroy(p.a);
        cublasLtMatrixLayoutDestroy(p.b);
        cublasLtMatrixLayoutDestroy(p.c);
        cublasLtMatmulDescDestroy(p.desc);
    }
    if (start_ != nullptr) cudaEventDestroy(start_);
    if (stop_ != nullptr) cudaEventDestroy(stop_);
    if (handle_ != nullptr) cublasLtDestroy(handle_);
}

Status Gemm::init(size_t workspace_bytes) {
    SLIPWAY_CUBLAS_TRY(cublasLtCreate(&handle_));
    SLIPWAY_CUDA_TRY(workspace_.allocate(workspace_bytes));
    SLIPWAY_CUDA_TRY(cudaEventCreate(&start_));
    SLIPWAY_CUDA_TRY(cudaEventCreate(&stop_));
    return {};
}

bool Gemm::can_time(cudaStream_t stream) const {
    if (!autotune_) return false;
    cudaStreamCaptureStatus st = cudaStreamCaptureStatusNone;
    return cudaStreamIsCapturing(stream, &st) == cudaSuccess && st == cudaStreamCaptureStatusNone;
}

template <typename Fn>
StatusOr<float> Gemm::time_ms(Fn &&fn, cudaStream_t stream) {
    SLIPWAY_STATUS_TRY(fn());  // warm-up (and a first check that it runs at all)
    constexpr int kReps = 3;
    SLIPWAY_CUDA_TRY(cudaEventRecord(start_, stream));
    for (int i = 0; i < kReps; ++i) SLIPWAY_STATUS_TRY(fn());
    SLIPWAY_CUDA_TRY(cudaEventRecord(stop_, stream));
    SLIPWAY_CUDA_TRY(cudaEventSynchronize(stop_));
    float ms = 0.0f;
    SLIPWAY_CUDA_TRY(cudaEventElapsedTime(&ms, start_, stop_));
    return ms / kReps;
}

Status Gemm::run_gemv(const bf16 *x, int m, int k, const bf16 *w, int n, const bf16 *bias, void *y, bool y_fp32,
                      cudaStream_t stream) {
    int variant = forced_gemv_variant_;
    if (variant < 0) {
        const auto key = std::make_tuple(m, k, n, bias != nullptr, y_fp32);
        auto it = gemv_choice_.find(key);
        if (it != gemv_choice_.end()) {
            variant = it->second;
        } else if (!can_time(stream)) {
            variant = 0;  // untimed (inside a capture or autotuning off): the general default
        } else {
            float best = 0.0f;
            for (int v = 0; v < kGemvVariants; ++v) {
                auto t = time_ms([&]() -> Status {
                    SLIPWAY_CUDA_TRY(launch_gemv(x, m, k, w, n, bias, y, y_fp32, stream, v));
                    return {};
                }, stream);
                if (!t.ok()) return t.status();
                if (v == 0 || t.value() < best) {
                    best = t.value();
                    variant = v;
                }
            }
            gemv_choice_.emplace(key, variant);
            tuning_log_.push_back("gemv M=" + std::to_string(m) + " N=" + std::to_string(n) + " K=" +
                                  std::to_string(k) + ": " + gemv_variant_name(variant) + " " +
                                  std::to_string(best * 1000.0f) + " us");
        }
    }
    SLIPWAY_CUDA_TRY(launch_gemv(x, m, k, w, n, bias, y, y_fp32, stream, variant));
    return {};
}

StatusOr<Gemm::Plan *> Gemm::plan(int m, int k, int n, const bf16 *x, const bf16 *w, const bf16 *bias, void *y,
                                  bool y_fp32, cudaStream_t stream) {
    const auto key = std::make_tuple(m, k, n, bias != nullptr, y_fp32);
    if (auto it = plans_.find(key); it != plans_.end()) return &it->second;
    Plan p;
    // Column-major view: C[N, M] = op(A)[N, K] · B[K, M] with A = W stored [K, N] (transposed),
    // B = x stored [K, M], C = y stored [N, M].
    SLIPWAY_CUBLAS_TRY(cublasLtMatmulDescCreate(&p.desc, CUBLAS_COMPUTE_32F, CUDA_R_32F));
    auto destroy = [&p] {
        if (p.a) cublasLtMatrixLayoutDestroy(p.a);
        if (p.b) cublasLtMatrixLayoutDestroy(p.b);
        if (p.c) cublasLtMatrixLayoutDestroy(p.c);
        cublasLtMatmulDescDestroy(p.desc);
    };
    const cublasOperation_t ta = CUBLAS_OP_T, tb = CUBLAS_OP_N;
    SLIPWAY_CUBLAS_TRY(cublasLtMatmulDescSetAttribute(p.desc, CUBLASLT_MATMUL_DESC_TRANSA, &ta, sizeof(ta)));
    SLIPWAY_CUBLAS_TRY(cublasLtMatmulDescSetAttribute(p.desc, CUBLASLT_MATMUL_DESC_TRANSB, &tb, sizeof(tb)));
    if (bias != nullptr) {
        const cublasLtEpilogue_t epi = CUBLASLT_EPILOGUE_BIAS;
        SLIPWAY_CUBLAS_TRY(cublasLtMatmulDescSetAttribute(p.desc, CUBLASLT_MATMUL_DESC_EPILOGUE, &epi, sizeof(epi)));
        const cudaDataType_t bt = CUDA_R_16BF;
        SLIPWAY_CUBLAS_TRY(
            cublasLtMatmulDescSetAttribute(p.desc, CUBLASLT_MATMUL_DESC_BIAS_DATA_TYPE, &bt, sizeof(bt)));
    }
    SLIPWAY_CUBLAS_TRY(cublasLtMatrixLayoutCreate(&p.a, CUDA_R_16BF, k, n, k));
    SLIPWAY_CUBLAS_TRY(cublasLtMatrixLayoutCreate(&p.b, CUDA_R_16BF, k, m, k));
    SLIPWAY_CUBLAS_TRY(cublasLtMatrixLayoutCreate(&p.c, y_fp32 ? CUDA_R_32F : CUDA_R_16BF, n, m, n));
    cublasLtMatmulPreference_t pref = nullptr;
    SLIPWAY_CUBLAS_TRY(cublasLtMatmulPreferenceCreate(&pref));
    const size_t ws = workspace_.bytes();
    cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &ws, sizeof(ws));
    // Decode-sized shapes (M up to autotune_max_m_) time every candidate the heuristic offers on
    // the real operands and keep the fastest: its first choice is often not the fastest for
    // skinny bf16 GEMMs. Larger M (prefill, many distinct shapes) keeps the first choice.
    const bool tune = m <= autotune_max_m_ && can_time(stream);
    constexpr int kCandidates = 12;
    cublasLtMatmulHeuristicResult_t results[kCandidates]{};
    int found = 0;
    const cublasStatus_t hs = cublasLtMatmulAlgoGetHeuristic(handle_, p.desc, p.a, p.b, p.c, p.c, pref,
                                                             tune ? kCandidates : 1, results, &found);
    cublasLtMatmulPreferenceDestroy(pref);
    if (hs != CUBLAS_STATUS_SUCCESS || found == 0) {
        destroy();
        return Status::error("cuBLASLt has no algorithm for a bf16 GEMM of M=" + std::to_string(m) +
                             " N=" + std::to_string(n) + " K=" + std::to_string(k));
    }
    p.algo = results[0].algo;
    if (tune && found > 1) {
        if (bias != nullptr) {
            const cublasStatus_t bs =
                cublasLtMatmulDescSetAttribute(p.desc, CUBLASLT_MATMUL_DESC_BIAS_POINTER, &bias, sizeof(bias));
            if (bs != CUBLAS_STATUS_SUCCESS) {
                destroy();
                return Status::error("cuBLASLt: setting the bias pointer failed");
            }
        }
        float best = -1.0f;
        int best_i = 0;
        const float alpha = 1.0f, beta = 0.0f;
        for (int i = 0; i < found; ++i) {
            if (results[i].state != CUBLAS_STATUS_SUCCESS || results[i].workspaceSize > ws) continue;
            auto t = time_ms([&]() -> Status {
                SLIPWAY_CUBLAS_TRY(cublasLtMatmul(handle_, p.desc, &alpha, w, p.a, x, p.b, &beta, y, p.c, y, p.c,
                                                  &results[i].algo, workspace_.get(), workspace_.bytes(), stream));
                return {};
            }, stream);
            if (!t.ok()) continue;  // a candidate that fails to launch is simply not chosen
            if (best < 0.0f || t.value() < best) {
                best = t.value();
                best_i = i;
            }
        }
        p.algo = results[best_i].algo;
        tuning_log_.push_back("cublasLt M=" + std::to_string(m) + " N=" + std::to_string(n) + " K=" +
                              std::to_string(k) + ": candidate " + std::to_string(best_i) + " of " +
                              std::to_string(found) + " " + std::to_string(best * 1000.0f) + " us");
    }
    return &plans_.emplace(key, p).first->second;
}

Status Gemm::run(const bf16 *x, int m, int k, const bf16 *w, int n, const bf16 *bias, void *y, bool y_fp32,
                 cudaStream_t stream) {
    if (m <= 0) return {};
    if (m <= gemv_max_rows_ && k % 8 == 0) return run_gemv(x, m, k, w, n, bias, y, y_fp32, stream);
    auto p = plan(m, k, n, x, w, bias, y, y_fp32, stream);
    if (!p.ok()) {
        // cuBLASLt declines some shapes (e.g. an output row of odd length at M=1): the GEMV kernel
        // takes them 8 rows at a time, still correct, at bandwidth speed for small M.
        if (k % 8 != 0) return p.status();
        for (int r = 0; r < m; r += 8) {
            const size_t out_elem = y_fp32 ? 4 : 2;
            SLIPWAY_CUDA_TRY(launch_gemv(x + static_cast<int64_t>(r) * k, std::min(8, m - r), k, w, n, bias,
                                         static_cast<char *>(y) + static_cast<size_t>(r) * n * out_elem, y_fp32,
                                         stream, 0));
        }
        return {};
    }
    Plan *pl = p.value();
    if (bias != nullptr)
        SLIPWAY_CUBLAS_TRY(
            cublasLtMatmulDescSetAttribute(pl->desc, CUBLASLT_MATMUL_DESC_BIAS_POINTER, &bias, sizeof(bias)));
    const float alpha = 1.0f, beta = 0.0f;
    SLIPWAY_CUBLAS_TRY(cublasLtMatmul(handle_, pl->desc, &alpha, w, pl->a, x, pl->b, &beta, y, pl->c, y, pl->c,
                                      &pl->algo, workspace_.get(), workspace_.bytes(), stream));
    return {};
}

} // namespace slipway::engine::cuda
