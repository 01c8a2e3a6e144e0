// The gated GEMV (gemv_kernel.cuh, kGated): act[M, n] = silu(x W_gate^T + b_g) * (x W_up^T + b_u)
// for decode batches of at most kGatedGemvMaxRows rows, one kernel instead of the GEMV and
// launch_silu_and_mul (Gemm::run_gated in gemm.cu tunes its block shape per shape).
#include "cuda/gemm.cuh"
#include "cuda/gemv_kernel.cuh"

namespace slipway::engine::cuda {

namespace {

template <int M, int RPB, int WPR, int U>
cudaError_t launch_shape(const bf16 *x, int k, const bf16 *w, int n, const bf16 *bias, bf16 *y, cudaStream_t stream) {
    const dim3 grid(ceil_div(n, RPB)), block(RPB * WPR * 32);
    return launch_pdl(gemv_kernel<M, RPB, WPR, 2, U, false, true>, grid, block, 0, stream, x, k, w, n, bias,
                      static_cast<void *>(y));
}

template <int M>
cudaError_t launch_m(int variant, const bf16 *x, int k, const bf16 *w, int n, const bf16 *bias, bf16 *y,
                     cudaStream_t stream) {
    switch (variant) {
    case 0: return launch_shape<M, 4, 1, 8>(x, k, w, n, bias, y, stream);
    case 1: return launch_shape<M, 8, 1, 4>(x, k, w, n, bias, y, stream);
    case 2: return launch_shape<M, 2, 2, 8>(x, k, w, n, bias, y, stream);
    case 3: return launch_shape<M, 2, 2, 4>(x, k, w, n, bias, y, stream);
    case 4: return launch_shape<M, 1, 4, 4>(x, k, w, n, bias, y, stream);
    case 5: return launch_shape<M, 4, 1, 4>(x, k, w, n, bias, y, stream);
    case 6: return launch_shape<M, 1, 8, 4>(x, k, w, n, bias, y, stream);
    default: return launch_shape<M, 2, 4, 4>(x, k, w, n, bias, y, stream);
    }
}

} // namespace

const char *gated_gemv_variant_name(int variant) {
    static const char *names[kGatedGemvVariants] = {"4 pairs x 1 warp, 8 deep", "8 pairs x 1 warp, 4 deep",
                                                    "2 pairs x 2 warps, 8 deep", "2 pairs x 2 warps, 4 deep",
                                                    "1 pair x 4 warps, 4 deep", "4 pairs x 1 warp, 4 deep",
                                                    "1 pair x 8 warps, 4 deep", "2 pairs x 4 warps, 4 deep"};
    return variant >= 0 && variant < kGatedGemvVariants ? names[variant] : "?";
}

cudaError_t launch_gated_gemv(const bf16 *x, int m, int k, const bf16 *w, int n, const bf16 *bias, bf16 *act,
                              cudaStream_t stream, int variant) {
    if (m <= 0 || n <= 0) return cudaSuccess;
    if (m > kGatedGemvMaxRows || k <= 0 || k % 8 != 0 || variant < 0 || variant >= kGatedGemvVariants ||
        reinterpret_cast<uintptr_t>(x) % 16 != 0 || reinterpret_cast<uintptr_t>(w) % 16 != 0)
        return cudaErrorInvalidValue;
    switch (m) {
    case 1: return launch_m<1>(variant, x, k, w, n, bias, act, stream);
    case 2: return launch_m<2>(variant, x, k, w, n, bias, act, stream);
    case 3: return launch_m<3>(variant, x, k, w, n, bias, act, stream);
    default: return launch_m<4>(variant, x, k, w, n, bias, act, stream);
    }
}

} // namespace slipway::engine::cuda
