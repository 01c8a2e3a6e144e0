#include "cuda/gemm.cuh"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "cuda/cuda_check.h"
#include "cuda/gemv_kernel.cuh"
#include "cuda/pdl.cuh"

namespace slipway::engine::cuda {

namespace {

template <int M, int RPB, int WPR, int RPW, int U>
cudaError_t launch_gemv_shape(const bf16 *x, int k, const bf16 *w, int n, const bf16 *bias, void *y, bool y_fp32,
                              cudaStream_t stream) {
    const dim3 grid(ceil_div(n, RPB * RPW)), block(RPB * WPR * 32);
    if (y_fp32) return launch_pdl(gemv_kernel<M, RPB, WPR, RPW, U, true>, grid, block, 0, stream, x, k, w, n, bias, y);
    return launch_pdl(gemv_kernel<M, RPB, WPR, RPW, U, false>, grid, block, 0, stream, x, k, w, n, bias, y);
}

// The variants the autotuner chooses from (index = kGemvVariants entry; names below).
template <int M>
cudaError_t launch_gemv_m(int variant, const bf16 *x, int k, const bf16 *w, int n, const bf16 *bias, void *y,
                          bool y_fp32, cudaStream_t stream) {
    switch (variant) {
    case 0: return launch_gemv_shape<M, 4, 1, 1, 8>(x, k, w, n, bias, y, y_fp32, stream);
    case 1: return launch_gemv_shape<M, 8, 1, 1, 8>(x, k, w, n, bias, y, y_fp32, stream);
    case 2: return launch_gemv_shape<M, 2, 2, 1, 8>(x, k, w, n, bias, y, y_fp32, stream);
    case 3: return launch_gemv_shape<M, 1, 4, 1, 8>(x, k, w, n, bias, y, y_fp32, stream);
    case 4: return launch_gemv_shape<M, 2, 4, 1, 8>(x, k, w, n, bias, y, y_fp32, stream);
    case 5: return launch_gemv_shape<M, 4, 1, 2, 8>(x, k, w, n, bias, y, y_fp32, stream);
    case 6: return launch_gemv_shape<M, 2, 2, 2, 4>(x, k, w, n, bias, y, y_fp32, stream);
    case 7: return launch_gemv_shape<M, 1, 8, 1, 8>(x, k, w, n, bias, y, y_fp32, stream);
    case 8: return launch_gemv_shape<M, 4, 1, 1, 16>(x, k, w, n, bias, y, y_fp32, stream);
    case 9: return launch_gemv_shape<M, 2, 4, 2, 4>(x, k, w, n, bias, y, y_fp32, stream);
    case 10: return launch_gemv_shape<M, 1, 8, 2, 4>(x, k, w, n, bias, y, y_fp32, stream);
    case 11: return launch_gemv_shape<M, 1, 16, 1, 8>(x, k, w, n, bias, y, y_fp32, stream);
    default: return launch_gemv_shape<M, 2, 4, 2, 8>(x, k, w, n, bias, y, y_fp32, stream);
    }
}

// Split-K tile counters kept by a Gemm (N up to 64 x this for the narrowest tile).
constexpr int kSkinnyCounters = 4096;

std::string shape_text(int m, int n, int k) {
    return "M=" + std::to_string(m) + " N=" + std::to_string(n) + " K=" + std::to_string(k);
}

std::string us_text(float ms) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f us", ms * 1000.0f);
    return buf;
}

} // namespace

const char *gemv_variant_name(int variant) {
    static const char *names[kGemvVariants] = {"4 rows x 1 warp",
                                               "8 rows x 1 warp",
                                               "2 rows x 2 warps",
                                               "1 row x 4 warps",
                                               "2 rows x 4 warps",
                                               "4 row pairs x 1 warp",
                                               "2 row pairs x 2 warps, 4 deep",
                                               "1 row x 8 warps",
                                               "4 rows x 1 warp, 16 deep",
                                               "2 row pairs x 4 warps, 4 deep",
                                               "1 row pair x 8 warps, 4 deep",
                                               "1 row x 16 warps",
                                               "2 row pairs x 4 warps, 8 deep"};
    return variant >= 0 && variant < kGemvVariants ? names[variant] : "?";
}

cudaError_t launch_gemv(const bf16 *x, int m, int k, const bf16 *w, int n, const bf16 *bias, void *y, bool y_fp32,
                        cudaStream_t stream, int variant) {
    if (m <= 0 || n <= 0) return cudaSuccess;
    if (m > 8 || k <= 0 || k % 8 != 0 || variant < 0 || variant >= kGemvVariants ||
        reinterpret_cast<uintptr_t>(x) % 16 != 0 || reinterpret_cast<uintptr_t>(w) % 16 != 0)
        return cudaErrorInvalidValue;
    switch (m) {
    case 1: return launch_gemv_m<1>(variant, x, k, w, n, bias, y, y_fp32, stream);
    case 2: return launch_gemv_m<2>(variant, x, k, w, n, bias, y, y_fp32, stream);
    case 3: return launch_gemv_m<3>(variant, x, k, w, n, bias, y, y_fp32, stream);
    case 4: return launch_gemv_m<4>(variant, x, k, w, n, bias, y, y_fp32, stream);
    case 5: return launch_gemv_m<5>(variant, x, k, w, n, bias, y, y_fp32, stream);
    case 6: return launch_gemv_m<6>(variant, x, k, w, n, bias, y, y_fp32, stream);
    case 7: return launch_gemv_m<7>(variant, x, k, w, n, bias, y, y_fp32, stream);
    default: return launch_gemv_m<8>(variant, x, k, w, n, bias, y, y_fp32, stream);
    }
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
    if (const char *env = std::getenv("SLIPWAY_SKINNY_GEMM"); env != nullptr)
        skinny_ = std::strcmp(env, "1") == 0;
    if (const char *env = std::getenv("SLIPWAY_FUSED_SILU"); env != nullptr) gated_ = std::strcmp(env, "0") != 0;
    int device = 0;
    SLIPWAY_CUDA_TRY(cudaGetDevice(&device));
    SLIPWAY_CUDA_TRY(cudaDeviceGetAttribute(&sm_count_, cudaDevAttrMultiProcessorCount, device));
    SLIPWAY_CUDA_TRY(skinny_counters_.allocate(kSkinnyCounters * sizeof(unsigned)));
    SLIPWAY_CUDA_TRY(cudaMemset(skinny_counters_.get(), 0, skinny_counters_.bytes()));
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

template <typename Launch>
StatusOr<int> Gemm::tune_variant(int count, Launch &&launch, const char *(*name_of)(int), const std::string &label,
                                 cudaStream_t stream) {
    int best = 0;
    float best_ms = 0.0f;
    for (int v = 0; v < count; ++v) {
        auto t = time_ms([&]() -> Status {
            SLIPWAY_CUDA_TRY(launch(v));
            return {};
        }, stream);
        if (!t.ok()) return t.status();
        if (v == 0 || t.value() < best_ms) {
            best = v;
            best_ms = t.value();
        }
    }
    tuning_log_.push_back(label + ": " + name_of(best) + " " + std::to_string(best_ms * 1000.0f) + " us");
    return best;
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
            auto tuned = tune_variant(
                kGemvVariants, [&](int v) { return launch_gemv(x, m, k, w, n, bias, y, y_fp32, stream, v); },
                gemv_variant_name, "gemv " + shape_text(m, n, k), stream);
            if (!tuned.ok()) return tuned.status();
            variant = tuned.value();
            gemv_choice_.emplace(key, variant);
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

StatusOr<int> Gemm::skinny_choice(const bf16 *x, int m, int k, const bf16 *w, int n, const bf16 *bias, void *y,
                                  bool y_fp32, cudaStream_t stream) {
    const auto key = std::make_tuple(m, k, n, bias != nullptr, y_fp32);
    if (auto it = skinny_choice_.find(key); it != skinny_choice_.end()) return it->second;
    // Untimed (inside a capture, autotuning off): cuBLASLt, and no choice is remembered, so a
    // later uncaptured run of the shape still tunes.
    if (!can_time(stream) || m > autotune_max_m_) return -1;
    // In a decode step every weight matrix is cold (14 GB stream through a 50 MB L2), but
    // back-to-back timing runs would find a small one (o_proj: 26 MB) partly in L2. So both
    // cuBLASLt's chosen algorithm and the skinny candidates are timed cold: a scrub buffer of
    // twice the L2 is overwritten before each timed run (warm timing if it can't be allocated).
    int device = 0, l2_bytes = 0;
    SLIPWAY_CUDA_TRY(cudaGetDevice(&device));
    SLIPWAY_CUDA_TRY(cudaDeviceGetAttribute(&l2_bytes, cudaDevAttrL2CacheSize, device));
    DeviceBuffer scrub;
    if (scrub.allocate(2 * static_cast<size_t>(std::max(l2_bytes, 16 << 20))) != cudaSuccess) {
        (void)cudaGetLastError();
        scrub.reset();
    }
    auto time_cold = [&](auto &&fn) -> StatusOr<float> {
        SLIPWAY_STATUS_TRY(fn());  // warm-up (and a first check that it runs at all)
        constexpr int kReps = 3;
        float total = 0.0f;
        for (int i = 0; i < kReps; ++i) {
            if (scrub.get() != nullptr) SLIPWAY_CUDA_TRY(cudaMemsetAsync(scrub.get(), i, scrub.bytes(), stream));
            SLIPWAY_CUDA_TRY(cudaEventRecord(start_, stream));
            SLIPWAY_STATUS_TRY(fn());
            SLIPWAY_CUDA_TRY(cudaEventRecord(stop_, stream));
            SLIPWAY_CUDA_TRY(cudaEventSynchronize(stop_));
            float ms = 0.0f;
            SLIPWAY_CUDA_TRY(cudaEventElapsedTime(&ms, start_, stop_));
            total += ms;
        }
        return total / kReps;
    };
    // cuBLASLt's (tuned) algorithm on these operands is the bar to beat.
    auto p = plan(m, k, n, x, w, bias, y, y_fp32, stream);
    float bar = -1.0f;
    if (p.ok()) {
        Plan *pl = p.value();
        const float alpha = 1.0f, beta = 0.0f;
        auto t = time_cold([&]() -> Status {
            if (bias != nullptr)
                SLIPWAY_CUBLAS_TRY(
                    cublasLtMatmulDescSetAttribute(pl->desc, CUBLASLT_MATMUL_DESC_BIAS_POINTER, &bias, sizeof(bias)));
            SLIPWAY_CUBLAS_TRY(cublasLtMatmul(handle_, pl->desc, &alpha, w, pl->a, x, pl->b, &beta, y, pl->c, y, pl->c,
                                              &pl->algo, workspace_.get(), workspace_.bytes(), stream));
            return {};
        });
        if (t.ok()) bar = t.value();
        else (void)cudaGetLastError();
    }
    const SkinnyScratch scratch{workspace_.as<float>(), workspace_.bytes(), skinny_counters_.as<unsigned>(),
                                kSkinnyCounters};
    const int chunks = (k + 63) / 64;
    static const int kSplits[] = {1, 2, 3, 4, 6, 8, 12, 16};
    int best = -1;
    float best_ms = -1.0f;
    for (int config = 0; config < kSkinnyConfigs; ++config) {
        const int tiles = static_cast<int>(ceil_div(n, skinny_block_cols(config)));
        for (const int splits : kSplits) {
            if (splits > 1) {
                // Split-K only to fill the GPU (up to ~4 blocks per SM), with >= 4 K chunks per
                // split and no split left empty.
                const int per = (chunks + splits - 1) / splits;
                if (static_cast<int64_t>(tiles) * splits > 4 * std::max(sm_count_, 1) || per < 4 ||
                    (splits - 1) * per >= chunks || skinny_workspace_bytes(m, n, splits) > scratch.partial_bytes ||
                    skinny_counters_needed(n, config, splits) > scratch.counter_count)
                    continue;
            }
            auto t = time_cold([&]() -> Status {
                SLIPWAY_CUDA_TRY(launch_gemm_skinny(x, k, m, k, w, n, bias, y, y_fp32, config, splits, scratch, stream));
                return {};
            });
            if (!t.ok()) {
                (void)cudaGetLastError();  // a candidate that fails to launch is simply not chosen
                continue;
            }
            if (best < 0 || t.value() < best_ms) {
                best_ms = t.value();
                best = config * 32 + splits;
            }
        }
    }
    const int choice = best >= 0 && (bar < 0.0f || best_ms < bar) ? best : -1;
    // (A cuBLASLt failure with no skinny winner is left to run()'s own fallback.)
    skinny_choice_.emplace(key, choice);
    std::string line = "skinny " + shape_text(m, n, k) + (scrub.get() != nullptr ? " (cold L2)" : " (warm L2)") + ": ";
    const std::string cublas = bar < 0.0f ? std::string("cublasLt n/a") : "cublasLt " + us_text(bar);
    if (best < 0) line += "no candidate ran, " + cublas + " kept";
    else if (choice >= 0)
        line += std::string(skinny_config_name(best / 32)) + ", split " + std::to_string(best % 32) + " " +
                us_text(best_ms) + " (" + cublas + ")";
    else
        line += cublas + " kept (best skinny: " + skinny_config_name(best / 32) + ", split " +
                std::to_string(best % 32) + " " + us_text(best_ms) + ")";
    tuning_log_.push_back(line);
    return choice;
}

bool Gemm::gated_applies(int m, int k) const {
    return gated_ && m >= 1 && m <= gemv_max_rows_ && m <= kGatedGemvMaxRows && k % 8 == 0;
}

Status Gemm::run_gated(const bf16 *x, int m, int k, const bf16 *w, int n, const bf16 *bias, bf16 *act,
                       cudaStream_t stream) {
    if (!gated_applies(m, k))
        return Status::error("gated GEMV: " + std::to_string(m) + " rows of K " + std::to_string(k) +
                             " (it takes 1.." + std::to_string(kGatedGemvMaxRows) + " rows, K a multiple of 8)");
    int variant = 0;
    const auto key = std::make_tuple(m, k, n, bias != nullptr);
    if (auto it = gated_choice_.find(key); it != gated_choice_.end()) {
        variant = it->second;
    } else if (can_time(stream)) {
        auto tuned = tune_variant(
            kGatedGemvVariants, [&](int v) { return launch_gated_gemv(x, m, k, w, n, bias, act, stream, v); },
            gated_gemv_variant_name,
            "gated gemv M=" + std::to_string(m) + " N=2x" + std::to_string(n) + " K=" + std::to_string(k), stream);
        if (!tuned.ok()) return tuned.status();
        variant = tuned.value();
        gated_choice_.emplace(key, variant);
    }
    SLIPWAY_CUDA_TRY(launch_gated_gemv(x, m, k, w, n, bias, act, stream, variant));
    return {};
}

Status Gemm::run(const bf16 *x, int m, int k, const bf16 *w, int n, const bf16 *bias, void *y, bool y_fp32,
                 cudaStream_t stream) {
    if (m <= 0) return {};
    if (m <= gemv_max_rows_ && k % 8 == 0) return run_gemv(x, m, k, w, n, bias, y, y_fp32, stream);
    if (skinny_ && skinny_counters_.get() != nullptr && skinny_supports(x, k, m, k, w, n)) {
        auto choice = skinny_choice(x, m, k, w, n, bias, y, y_fp32, stream);
        if (!choice.ok()) return choice.status();
        if (const int c = choice.value(); c >= 0) {
            const SkinnyScratch scratch{workspace_.as<float>(), workspace_.bytes(), skinny_counters_.as<unsigned>(),
                                        kSkinnyCounters};
            SLIPWAY_CUDA_TRY(launch_gemm_skinny(x, k, m, k, w, n, bias, y, y_fp32, c / 32, c % 32, scratch, stream));
            return {};
        }
    }
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
