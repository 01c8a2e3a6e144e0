#pragma once
// Checked CUDA / cuBLAS calls: a failure becomes a Status naming the call, file and line.
#include <cublasLt.h>
#include <cuda_runtime.h>

#include <string>

#include "slipway/engine/status.h"

namespace slipway::engine::cuda {

inline Status cuda_status(cudaError_t e, const char *what, const char *file, int line) {
    return Status::error(std::string("CUDA error ") + cudaGetErrorName(e) + " (" + cudaGetErrorString(e) + ") in " +
                         what + " at " + file + ":" + std::to_string(line));
}

inline Status cublas_status(cublasStatus_t e, const char *what, const char *file, int line) {
    return Status::error(std::string("cuBLAS error ") + cublasLtGetStatusName(e) + " in " + what + " at " + file + ":" +
                         std::to_string(line));
}

} // namespace slipway::engine::cuda

// Returns a Status from the enclosing function when the call fails.
#define SLIPWAY_CUDA_TRY(expr)                                                                   \
    do {                                                                                         \
        const cudaError_t e_ = (expr);                                                           \
        if (e_ != cudaSuccess) return ::slipway::engine::cuda::cuda_status(e_, #expr, __FILE__, __LINE__); \
    } while (0)

#define SLIPWAY_CUBLAS_TRY(expr)                                                                 \
    do {                                                                                         \
        const cublasStatus_t e_ = (expr);                                                        \
        if (e_ != CUBLAS_STATUS_SUCCESS)                                                         \
            return ::slipway::engine::cuda::cublas_status(e_, #expr, __FILE__, __LINE__);        \
    } while (0)

#define SLIPWAY_STATUS_TRY(expr)                                                                 \
    do {                                                                                         \
        if (::slipway::engine::Status s_ = (expr); !s_.ok()) return s_;                          \
    } while (0)
