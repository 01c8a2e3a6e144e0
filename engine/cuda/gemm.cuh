#pragma once
// Linear layers: y[M, N] = x[M, K] · W[N, K]^T (+ bias[N]), bf16 operands, fp32 accumulation,
// bf16 or fp32 output (torch.nn.Linear's row-major weight as stored in the checkpoint).
// Large M goes to cuBLASLt (bias fused as its epilogue); M <= gemv_max_rows to a
// bandwidth-bound GEMV kernel that streams W once with 16-byte loads; decode batches of
// kSkinnyMinRows..kSkinnyMaxRows rows may take the skinny tensor-core kernel (gemm_skinny.cuh)
// where the autotuner finds it faster than cuBLASLt on the real operands.
#include <cublasLt.h>

#include <map>
#include <string>
#include <vector>
#include <tuple>

#include "cuda/cuda_common.cuh"
#include "cuda/device_buffer.h"
#include "cuda/gemm_skinny.cuh"
#include "slipway/engine/status.h"

namespace slipway::engine::cuda {

// The GEMV path alone (exposed for tests): M in [1, 8], K a multiple of 8, 16-byte aligned rows.
// `variant` in [0, kGemvVariants) picks the block shape (rows per block x warps per row, rows
// per warp, loads in flight per lane). Launched with programmatic dependent launch (pdl.cuh).
constexpr int kGemvVariants = 13;
cudaError_t launch_gemv(const bf16 *x, int m, int k, const bf16 *w, int n, const bf16 *bias, void *y, bool y_fp32,
                        cudaStream_t stream, int variant = 0);
const char *gemv_variant_name(int variant);

// The gated GEMV of the MLP (gemv_gated.cu): act[M, n] = silu(g) * u, g and u the rows j and
// j + n of the fused gate|up weight w [2n, K] (bias [2n] or null), each rounded to bf16 first:
// bit for bit launch_gemv followed by launch_silu_and_mul, in one kernel. M in [1, 4].
constexpr int kGatedGemvMaxRows = 4;
constexpr int kGatedGemvVariants = 8;
cudaError_t launch_gated_gemv(const bf16 *x, int m, int k, const bf16 *w, int n, const bf16 *bias, bf16 *act,
                              cudaStream_t stream, int variant);
const char *gated_gemv_variant_name(int variant);

class Gemm final {
public:
    Gemm() = default;
    ~Gemm();
    Gemm(const Gemm &) = delete;
    Gemm &operator=(const Gemm &) = delete;

    Status init(size_t workspace_bytes = 32u << 20);
    // Rows up to this use the GEMV kernel (0 disables it); at most 8.
    void set_gemv_max_rows(int rows) { gemv_max_rows_ = rows; }
    int gemv_max_rows() const { return gemv_max_rows_; }
    // Autotuning (on by default): the first uncaptured run of a shape times the GEMV variants
    // (M <= gemv_max_rows) or cuBLASLt's heuristic candidates (M <= autotune_max_m) on the real
    // operands and keeps the fastest. Runs inside a stream capture never time anything.
    void set_autotune(bool on, int max_m = 256) {
        autotune_ = on;
        autotune_max_m_ = max_m;
    }
    // The skinny kernel as an autotuning candidate (on by default; SLIPWAY_SKINNY_GEMM=0 in the
    // environment turns it off at init). Off: cuBLASLt alone for M > gemv_max_rows.
    void set_skinny(bool on) { skinny_ = on; }
    // Whether run_gated takes M rows of K: M <= min(gemv_max_rows, kGatedGemvMaxRows) and the
    // fused form is on (SLIPWAY_FUSED_SILU=0 in the environment turns it off at init).
    bool gated_applies(int m, int k) const;
    // The gated GEMV above, its block shape tuned per shape like the GEMV's.
    Status run_gated(const bf16 *x, int m, int k, const bf16 *w, int n, const bf16 *bias, bf16 *act,
                     cudaStream_t stream);
    // Forces one GEMV variant (tests); -1 returns to the tuned choice.
    void force_gemv_variant(int variant) { forced_gemv_variant_ = variant; }
    // One line per tuned shape: what won and its time.
    const std::vector<std::string> &tuning_log() const { return tuning_log_; }

    // Capturable in a CUDA graph once the same shape has run uncaptured (the algorithm choice is
    // cached per shape).
    Status run(const bf16 *x, int m, int k, const bf16 *w, int n, const bf16 *bias, void *y, bool y_fp32,
               cudaStream_t stream);

private:
    struct Plan {
        cublasLtMatmulDesc_t desc = nullptr;
        cublasLtMatrixLayout_t a = nullptr, b = nullptr, c = nullptr;
        cublasLtMatmulAlgo_t algo{};
    };
    StatusOr<Plan *> plan(int m, int k, int n, const bf16 *x, const bf16 *w, const bf16 *bias, void *y, bool y_fp32,
                          cudaStream_t stream);
    Status run_gemv(const bf16 *x, int m, int k, const bf16 *w, int n, const bf16 *bias, void *y, bool y_fp32,
                    cudaStream_t stream);
    // The skinny kernel's tuned choice for a shape (config * 32 + splits), or -1 for cuBLASLt.
    StatusOr<int> skinny_choice(const bf16 *x, int m, int k, const bf16 *w, int n, const bf16 *bias, void *y,
                                bool y_fp32, cudaStream_t stream);
    bool can_time(cudaStream_t stream) const;
    template <typename Fn>
    StatusOr<float> time_ms(Fn &&fn, cudaStream_t stream);
    // The fastest of variants 0..count-1 of launch(variant) (a cudaError_t), timed on stream; logs
    // "label: name_of(variant) time" to the tuning log.
    template <typename Launch>
    StatusOr<int> tune_variant(int count, Launch &&launch, const char *(*name_of)(int), const std::string &label,
                               cudaStream_t stream);

    cublasLtHandle_t handle_ = nullptr;
    DeviceBuffer workspace_;
    int gemv_max_rows_ = 4;
    bool autotune_ = true;
    int autotune_max_m_ = 256;
    int forced_gemv_variant_ = -1;
    cudaEvent_t start_ = nullptr, stop_ = nullptr;
    std::map<std::tuple<int, int, int, bool, bool>, int> gemv_choice_;
    bool gated_ = true;
    std::map<std::tuple<int, int, int, bool>, int> gated_choice_;
    std::vector<std::string> tuning_log_;
    std::map<std::tuple<int, int, int, bool, bool>, Plan> plans_;
    // Off by default: on an H100 cuBLASLt beat every skinny configuration on the 7B decode shapes
    // (engine/BENCHMARKS.md); SLIPWAY_SKINNY_GEMM=1 or set_skinny(true) adds it to the tuner.
    bool skinny_ = false;
    int sm_count_ = 0;
    DeviceBuffer skinny_counters_;  // split-K tile counters (zeroed once); partials use workspace_
    std::map<std::tuple<int, int, int, bool, bool>, int> skinny_choice_;
};

} // namespace slipway::engine::cuda
