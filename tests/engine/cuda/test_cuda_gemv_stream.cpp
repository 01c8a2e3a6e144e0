// The streamed GEMV (engine/cuda/gemv_stream_kernel.cuh, gemv_stream.cu): every shape of the
// plain and the gated form against an fp64 host reference on the 7B decode shapes at tp 1 and
// tp 2 and on ragged ones (row groups and K-chunks that do not divide, fewer rows than SMs),
// the PDL chain in a CUDA graph against the same chain run eagerly (bit for bit), the tuner
// restricted to it by SLIPWAY_GEMV_STREAM=1, and what it refuses. Label gpu (sm_90).
#include <gtest/gtest.h>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "cuda/gemm.cuh"
#include "cuda/rmsnorm.cuh"
#include "cuda_test_support.h"

using namespace slipway::engine;
using namespace slipway::engine::cuda;
using namespace slipway::engine::cuda::test;

namespace {

std::mt19937 &rng() {
    static std::mt19937 g(20261128);
    return g;
}

bool sm90() {
    int device = 0, major = 0;
    return cudaGetDevice(&device) == cudaSuccess &&
           cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device) == cudaSuccess && major >= 9;
}

#define REQUIRE_SM90()                                                          \
    do {                                                                        \
        if (gpu_count() < 1 || !sm90()) GTEST_SKIP() << "needs an sm_90 GPU"; \
    } while (0)

// y[m][j] = x[m] . w[j] (+ bias[j]) in fp64.
std::vector<double> host_gemv(const std::vector<float> &x, int M, const std::vector<float> &w, int n, int k,
                              const std::vector<float> *bias) {
    std::vector<double> y(static_cast<size_t>(M) * n);
    for (int m = 0; m < M; ++m)
        for (int j = 0; j < n; ++j) {
            double acc = bias != nullptr ? (*bias)[static_cast<size_t>(j)] : 0.0;
            const float *xr = &x[static_cast<size_t>(m) * k];
            const float *wr = &w[static_cast<size_t>(j) * k];
            for (int i = 0; i < k; ++i) acc += static_cast<double>(xr[i]) * wr[i];
            y[static_cast<size_t>(m) * n + j] = acc;
        }
    return y;
}

TEST(GemvStream, EveryShapeMatchesTheHostOnDecodeShapes) {
    REQUIRE_SM90();
    struct Shape {
        int n, k;
        bool bias;
    };
    // tp 2 qkv / o_proj / down, tp 1 o_proj, ragged ones, and fewer rows than SMs with long rows.
    for (Shape sh : {Shape{2304, 3584, true}, Shape{3584, 1792, false}, Shape{3584, 9472, false},
                     Shape{3584, 3584, false}, Shape{37, 2056, true}, Shape{1, 8, true}, Shape{19, 8, false},
                     Shape{5, 18944, true}}) {
        const auto w = random_normal_bf16_values(static_cast<size_t>(sh.n) * sh.k, rng(), 0.05f);
        const auto bias = random_normal_bf16_values(static_cast<size_t>(sh.n), rng());
        auto dw = to_bf16(w);
        auto db = to_bf16(bias);
        const bool big = sh.n * static_cast<int64_t>(sh.k) > 1000000;
        for (int M : big ? std::vector<int>{1, 3} : std::vector<int>{1, 2, 3, 4}) {
            const auto x = random_normal_bf16_values(static_cast<size_t>(M) * sh.k, rng());
            auto dx = to_bf16(x);
            const auto ref = host_gemv(x, M, w, sh.n, sh.k, sh.bias ? &bias : nullptr);
            for (int variant = 0; variant < kGemvStreamVariants; ++variant)
                for (bool fp32 : {true, false}) {
                    Dev<float> y32(ref.size());
                    Dev<bf16> y16(ref.size());
                    CUDA_OK(launch_gemv_stream(dx->p, M, sh.k, dw->p, sh.n, sh.bias ? db->p : nullptr,
                                               fp32 ? static_cast<void *>(y32.p) : static_cast<void *>(y16.p), fp32,
                                               nullptr, variant));
                    ASSERT_EQ(cudaDeviceSynchronize(), cudaSuccess) << gemv_stream_variant_name(variant);
                    const auto got = fp32 ? from_dev(y32.p, y32.n) : from_bf16(y16.p, y16.n);
                    EXPECT_LE(rel_norm_error(got, ref), fp32 ? 1e-5 : 4e-3)
                        << gemv_stream_variant_name(variant) << " M=" << M << " N=" << sh.n << " K=" << sh.k
                        << (fp32 ? " fp32" : " bf16");
                }
        }
    }
}

TEST(GemvStream, GatedFormMatchesTheHost) {
    REQUIRE_SM90();
    struct Shape {
        int pairs, k;
        bool bias;
    };
    for (Shape sh : {Shape{9472, 3584, false}, Shape{37, 2056, true}, Shape{1, 8, true}, Shape{3, 18944, false}}) {
        const size_t rows = static_cast<size_t>(2 * sh.pairs);
        const auto w = random_normal_bf16_values(rows * sh.k, rng(), 0.05f);
        const auto bias = random_normal_bf16_values(rows, rng());
        auto dw = to_bf16(w);
        auto db = to_bf16(bias);
        for (int M : {1, 2, 4}) {
            const auto x = random_normal_bf16_values(static_cast<size_t>(M) * sh.k, rng());
            auto dx = to_bf16(x);
            const auto gu = host_gemv(x, M, w, 2 * sh.pairs, sh.k, sh.bias ? &bias : nullptr);
            std::vector<double> ref(static_cast<size_t>(M) * sh.pairs);
            for (int m = 0; m < M; ++m)
                for (int j = 0; j < sh.pairs; ++j) {
                    const double g = round_bf16(static_cast<float>(gu[static_cast<size_t>(m) * 2 * sh.pairs + j]));
                    const double u =
                        round_bf16(static_cast<float>(gu[static_cast<size_t>(m) * 2 * sh.pairs + sh.pairs + j]));
                    ref[static_cast<size_t>(m) * sh.pairs + j] = g / (1.0 + std::exp(-g)) * u;
                }
            for (int variant = 0; variant < kGemvStreamVariants; ++variant) {
                Dev<bf16> act(ref.size());
                CUDA_OK(launch_gated_gemv_stream(dx->p, M, sh.k, dw->p, sh.pairs, sh.bias ? db->p : nullptr, act.p,
                                                 nullptr, variant));
                ASSERT_EQ(cudaDeviceSynchronize(), cudaSuccess) << gemv_stream_variant_name(variant);
                // bf16 rounding of g and u on either side of a tie can move a product by an ulp.
                EXPECT_LE(rel_norm_error(from_bf16(act.p, act.n), ref), 1e-2)
                    << gemv_stream_variant_name(variant) << " M=" << M << " pairs=" << sh.pairs << " K=" << sh.k;
            }
        }
    }
}

// add+rmsnorm writes x, the streamed GEMV reads it (its warps start copying weights
// before the PDL wait, its consumers must not read x before it): captured in a graph and
// replayed, the chain gives the bits of the same chain run eagerly with a sync after each kernel.
TEST(GemvStream, PdlChainInAGraphMatchesTheSerializedRun) {
    REQUIRE_SM90();
    const int hidden = 3584, n = 2304, M = 2;
    const auto w = random_normal_bf16_values(static_cast<size_t>(n) * hidden, rng(), 0.05f);
    const auto norm_w = random_normal_bf16_values(hidden, rng(), 0.5f);
    const auto delta = random_normal_bf16_values(static_cast<size_t>(M) * hidden, rng());
    const auto x0 = random_normal_bf16_values(static_cast<size_t>(M) * hidden, rng());
    auto dw = to_bf16(w);
    auto dnorm = to_bf16(norm_w);
    auto ddelta = to_bf16(delta);
    for (int variant = 0; variant < kGemvStreamVariants; ++variant) {
        std::vector<float> outs[2];
        for (int graphed = 0; graphed < 2; ++graphed) {
            auto dx = to_dev(x0);
            Dev<bf16> normed(static_cast<size_t>(M) * hidden), y(static_cast<size_t>(M) * n);
            cudaStream_t stream = nullptr;
            CUDA_OK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
            // Warm the launcher once outside any capture (it sets the kernel's shared-memory limit).
            CUDA_OK(launch_gemv_stream(normed.p, M, hidden, dw->p, n, nullptr, y.p, false, stream, variant));
            CUDA_OK(cudaStreamSynchronize(stream));
            auto chain = [&](bool sync) {
                for (int step = 0; step < 3; ++step) {
                    if (launch_add_rmsnorm(dx->p, ddelta->p, dnorm->p, M, hidden, 1e-6f, normed.p, stream) !=
                        cudaSuccess)
                        return false;
                    if (sync && cudaStreamSynchronize(stream) != cudaSuccess) return false;
                    if (launch_gemv_stream(normed.p, M, hidden, dw->p, n, nullptr, y.p, false, stream, variant) !=
                        cudaSuccess)
                        return false;
                    if (sync && cudaStreamSynchronize(stream) != cudaSuccess) return false;
                }
                return true;
            };
            if (graphed) {
                cudaGraph_t graph = nullptr;
                cudaGraphExec_t exec = nullptr;
                CUDA_OK(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal));
                const bool ok = chain(false);
                CUDA_OK(cudaStreamEndCapture(stream, &graph));
                ASSERT_TRUE(ok);
                CUDA_OK(cudaGraphInstantiate(&exec, graph, 0));
                CUDA_OK(cudaGraphLaunch(exec, stream));
                CUDA_OK(cudaStreamSynchronize(stream));
                cudaGraphExecDestroy(exec);
                cudaGraphDestroy(graph);
            } else {
                ASSERT_TRUE(chain(true));
            }
            outs[graphed] = from_bf16(y.p, y.n);
            cudaStreamDestroy(stream);
        }
        ASSERT_EQ(outs[0].size(), outs[1].size());
        EXPECT_EQ(std::memcmp(outs[0].data(), outs[1].data(), outs[0].size() * sizeof(float)), 0)
            << gemv_stream_variant_name(variant);
    }
}

TEST(GemvStream, TheTunerTakesItWhenAskedAndFallsBackWhereItCannot) {
    REQUIRE_SM90();
    ASSERT_EQ(setenv("SLIPWAY_GEMV_STREAM", "1", 1), 0);
    Gemm gemm;
    const Status init = gemm.init();
    ASSERT_EQ(unsetenv("SLIPWAY_GEMV_STREAM"), 0);
    ASSERT_TRUE(init.ok()) << init.message();
    gemm.set_gemv_max_rows(8);
    const int n = 2304, k = 3584;
    const auto w = random_normal_bf16_values(static_cast<size_t>(n) * k, rng(), 0.05f);
    auto dw = to_bf16(w);
    for (int M : {1, 8}) {
        const auto x = random_normal_bf16_values(static_cast<size_t>(M) * k, rng());
        auto dx = to_bf16(x);
        Dev<bf16> y(static_cast<size_t>(M) * n);
        const Status s = gemm.run(dx->p, M, k, dw->p, n, nullptr, y.p, false, nullptr);
        ASSERT_TRUE(s.ok()) << s.message();
        ASSERT_EQ(cudaDeviceSynchronize(), cudaSuccess);
        ASSERT_FALSE(gemm.tuning_log().empty());
        const std::string &line = gemm.tuning_log().back();
        // 1 row: a streamed shape; 8 rows (more than it takes): a register GEMV shape.
        EXPECT_EQ(line.find("streamed") != std::string::npos, M == 1) << line;
        EXPECT_LE(rel_norm_error(from_bf16(y.p, y.n), host_gemv(x, M, w, n, k, nullptr)), 4e-3) << line;
    }
}

TEST(GemvStream, RefusesWhatItDoesNotTake) {
    REQUIRE_SM90();
    Dev<bf16> x(64), w(64 * 64), y(64);
    EXPECT_EQ(launch_gemv_stream(x.p, 5, 64, w.p, 64, nullptr, y.p, false, nullptr, 0), cudaErrorNotSupported);
    EXPECT_EQ(launch_gemv_stream(x.p, 1, 12, w.p, 4, nullptr, y.p, false, nullptr, 0), cudaErrorNotSupported);
    EXPECT_EQ(launch_gemv_stream(x.p + 1, 1, 64, w.p, 64, nullptr, y.p, false, nullptr, 0), cudaErrorNotSupported);
    EXPECT_EQ(launch_gemv_stream(x.p, 1, 64, w.p, 64, nullptr, y.p, false, nullptr, kGemvStreamVariants),
              cudaErrorNotSupported);
    EXPECT_EQ(launch_gated_gemv_stream(x.p, 5, 64, w.p, 32, nullptr, y.p, nullptr, 0), cudaErrorNotSupported);
    EXPECT_EQ(cudaGetLastError(), cudaSuccess);
}

} // namespace
