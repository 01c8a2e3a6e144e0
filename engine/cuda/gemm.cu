#include "cuda/gemm.cuh"

#include <algorithm>
#include <string>

#include "cuda/cuda_check.h"

namespace slipway::engine::cuda {

namespace {

constexpr int kGemvWarps = 4;  // output features per block (one per warp)
constexpr int kGemvUnroll = 8; // 16-byte weight loads in flight per lane

template <int M, bool kFp32Out>
__global__ void __launch_bounds__(kGemvWarps * 32) gemv_kernel(const bf16 *__restrict__ x, int k,
                                                               const bf16 *__restrict__ w, int n,
                                                               const bf16 *__restrict__ bias, void *__restrict__ y) {
    const int lane = threadIdx.x & 31;
    const int row = blockIdx.x * kGemvWarps + (threadIdx.x >> 5);
    if (row >= n) return;
    const bf16 *wr = w + static_cast<int64_t>(row) * k;
    float acc[M];
#pragma unroll
    for (int r = 0; r < M; ++r) acc[r] = 0.0f;
    const int vecs = k / 8;
    // All kGemvUnroll loads of a lane are issued before any is used (predicated, no serial
    // tail loop), so each warp keeps kGemvUnroll x 512 bytes in flight.
    for (int v0 = lane; v0 < vecs; v0 += 32 * kGemvUnroll) {
        uint4 raw[kGemvUnroll];
#pragma unroll
        for (int u = 0; u < kGemvUnroll; ++u) {
            const int v = v0 + 32 * u;
            // Streaming loads: the weights are read once per step and should not evict x.
            raw[u] = v < vecs ? __ldcs(reinterpret_cast<const uint4 *>(wr) + v) : make_uint4(0, 0, 0, 0);
        }
#pragma unroll
        for (int u = 0; u < kGemvUnroll; ++u) {
            const int v = v0 + 32 * u;
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
#pragma unroll
    for (int r = 0; r < M; ++r) acc[r] = warp_sum(acc[r]);
    if (lane == 0) {
        const float b = bias != nullptr ? __bfloat162float(bias[row]) : 0.0f;
#pragma unroll
        for (int r = 0; r < M; ++r) {
            if (kFp32Out) static_cast<float *>(y)[static_cast<int64_t>(r) * n + row] = acc[r] + b;
            else static_cast<bf16 *>(y)[static_cast<int64_t>(r) * n + row] = __float2bfloat16(acc[r] + b);
        }
    }
}

template <int M>
void launch_gemv_m(const bf16 *x, int k, const bf16 *w, int n, const bf16 *bias, void *y, bool y_fp32,
                   cudaStream_t stream) {
    const unsigned blocks = ceil_div(n, kGemvWarps);
    if (y_fp32) gemv_kernel<M, true><<<blocks, kGemvWarps * 32, 0, stream>>>(x, k, w, n, bias, y);
    else gemv_kernel<M, false><<<blocks, kGemvWarps * 32, 0, stream>>>(x, k, w, n, bias, y);
}

} // namespace

cudaError_t launch_gemv(const bf16 *x, int m, int k, const bf16 *w, int n, const bf16 *bias, void *y, bool y_fp32,
                        cudaStream_t stream) {
    if (m <= 0 || n <= 0) return cudaSuccess;
    if (m > 8 || k <= 0 || k % 8 != 0 || reinterpret_cast<uintptr_t>(x) % 16 != 0 ||
        reinterpret_cast<uintptr_t>(w) % 16 != 0)
        return cudaErrorInvalidValue;
    switch (m) {
    case 1: launch_gemv_m<1>(x, k, w, n, bias, y, y_fp32, stream); break;
    case 2: launch_gemv_m<2>(x, k, w, n, bias, y, y_fp32, stream); break;
    case 3: launch_gemv_m<3>(x, k, w, n, bias, y, y_fp32, stream); break;
    case 4: launch_gemv_m<4>(x, k, w, n, bias, y, y_fp32, stream); break;
    case 5: launch_gemv_m<5>(x, k, w, n, bias, y, y_fp32, stream); break;
    case 6: launch_gemv_m<6>(x, k, w, n, bias, y, y_fp32, stream); break;
    case 7: launch_gemv_m<7>(x, k, w, n, bias, y, y_fp32, stream); break;
    default: launch_gemv_m<8>(x, k, w, n, bias, y, y_fp32, stream); break;
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
    if (handle_ != nullptr) cublasLtDestroy(handle_);
}

Status Gemm::init(size_t workspace_bytes) {
    SLIPWAY_CUBLAS_TRY(cublasLtCreate(&handle_));
    SLIPWAY_CUDA_TRY(workspace_.allocate(workspace_bytes));
    return {};
}

StatusOr<Gemm::Plan *> Gemm::plan(int m, int k, int n, bool bias, bool y_fp32) {
    const auto key = std::make_tuple(m, k, n, bias, y_fp32);
    if (auto it = plans_.find(key); it != plans_.end()) return &it->second;
    Plan p;
    // Column-major view: C[N, M] = op(A)[N, K] · B[K, M] with A = W stored [K, N] (transposed),
    // B = x stored [K, M], C = y stored [N, M].
    SLIPWAY_CUBLAS_TRY(cublasLtMatmulDescCreate(&p.desc, CUBLAS_COMPUTE_32F, CUDA_R_32F));
    const cublasOperation_t ta = CUBLAS_OP_T, tb = CUBLAS_OP_N;
    SLIPWAY_CUBLAS_TRY(cublasLtMatmulDescSetAttribute(p.desc, CUBLASLT_MATMUL_DESC_TRANSA, &ta, sizeof(ta)));
    SLIPWAY_CUBLAS_TRY(cublasLtMatmulDescSetAttribute(p.desc, CUBLASLT_MATMUL_DESC_TRANSB, &tb, sizeof(tb)));
    if (bias) {
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
    cublasLtMatmulHeuristicResult_t result{};
    int found = 0;
    const cublasStatus_t hs =
        cublasLtMatmulAlgoGetHeuristic(handle_, p.desc, p.a, p.b, p.c, p.c, pref, 1, &result, &found);
    cublasLtMatmulPreferenceDestroy(pref);
    if (hs != CUBLAS_STATUS_SUCCESS || found == 0) {
        cublasLtMatrixLayoutDestroy(p.a);
        cublasLtMatrixLayoutDestroy(p.b);
        cublasLtMatrixLayoutDestroy(p.c);
        cublasLtMatmulDescDestroy(p.desc);
        return Status::error("cuBLASLt has no algorithm for a bf16 GEMM of M=" + std::to_string(m) +
                             " N=" + std::to_string(n) + " K=" + std::to_string(k));
    }
    p.algo = result.algo;
    return &plans_.emplace(key, p).first->second;
}

Status Gemm::run(const bf16 *x, int m, int k, const bf16 *w, int n, const bf16 *bias, void *y, bool y_fp32,
                 cudaStream_t stream) {
    if (m <= 0) return {};
    if (m <= gemv_max_rows_ && k % 8 == 0) {
        SLIPWAY_CUDA_TRY(launch_gemv(x, m, k, w, n, bias, y, y_fp32, stream));
        return {};
    }
    auto p = plan(m, k, n, bias != nullptr, y_fp32);
    if (!p.ok()) {
        // cuBLASLt declines some shapes (e.g. an output row of odd length at M=1): the GEMV kernel
        // takes them 8 rows at a time, still correct, at bandwidth speed for small M.
        if (k % 8 != 0) return p.status();
        for (int r = 0; r < m; r += 8) {
            const size_t out_elem = y_fp32 ? 4 : 2;
            SLIPWAY_CUDA_TRY(launch_gemv(x + static_cast<int64_t>(r) * k, std::min(8, m - r), k, w, n, bias,
                                         static_cast<char *>(y) + static_cast<size_t>(r) * n * out_elem, y_fp32, stream));
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
