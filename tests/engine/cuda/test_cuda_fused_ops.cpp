// The fused and vectorized decode kernels (issue #4) against the CPU reference on awkward sizes:
// rope + KV-cache write in one kernel, the vectorized (add+)RMSNorm and SiLU-and-multiply, every
// GEMV variant on the 7B decode shapes, and a chain of PDL-launched kernels captured in a CUDA
// graph against the same chain run eagerly. Outputs are NaN-poisoned first (0xff bytes), so an
// element a kernel forgets to write fails. Tolerances: bf16 outputs of elementwise ops within
// 1e-2 relative (+1e-3 absolute; rope 2e-2 absolute, as in test_cuda_ops), GEMV products within
// 1e-5 (fp32 out) / 4e-3 (bf16 out) of the fp64 reference's norm.
#include <gtest/gtest.h>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "cpu/cpu_kernels.h"
#include "cuda/activation.cuh"
#include "cuda/gemm.cuh"
#include "cuda/rmsnorm.cuh"
#include "cuda/rope.cuh"
#include "cuda_test_support.h"

using namespace slipway::engine;
using namespace slipway::engine::cuda;
using namespace slipway::engine::cuda::test;

namespace {

std::mt19937 &rng() {
    static std::mt19937 g(20250704);
    return g;
}

const int kRows[] = {1, 19, 111, 989};

} // namespace

// Rotated q and k in the qkv rows, rotated k and untouched v in each token's cache slot, every
// other slot left as it was (NaN). Pages shuffled; page sizes 1 and 16; positions up to 128k
// (past 105615 sincosf takes its slow argument reduction).
TEST(CudaFusedOps, RopeKvWriteMatchesCpuAndFillsOnlyItsSlots) {
    struct Shape {
        int nh, nkv, hd;
    };
    // 28/4/128: the 7B shape (16-byte v copies); 7/3/18: kv_dim 54, scalar v copies; 5/1/40:
    // one kv head, 5 q heads (a partial group of 4 heads); 6/2/24.
    for (Shape sh : {Shape{28, 4, 128}, Shape{7, 3, 18}, Shape{5, 1, 40}, Shape{6, 2, 24}}) {
        const RopeConfig rope{};
        const auto inv = rope_inv_freq(rope, sh.hd);
        auto di = to_dev(inv);
        for (int page_size : {1, 16}) {
            for (int rows : kRows) {
                const int stride = (sh.nh + 2 * sh.nkv) * sh.hd, kv_dim = sh.nkv * sh.hd;
                const int pages = (rows + page_size - 1) / page_size + 5;
                const int64_t slots = static_cast<int64_t>(pages) * page_size;
                std::vector<int32_t> page_table(static_cast<size_t>(pages));
                std::iota(page_table.begin(), page_table.end(), 0);
                std::shuffle(page_table.begin(), page_table.end(), rng());
                std::vector<int32_t> pos(static_cast<size_t>(rows));
                std::vector<int64_t> slot(static_cast<size_t>(rows));
                for (int r = 0; r < rows; ++r) {
                    // Token r sits at logical position r of a sequence in the shuffled pages; its
                    // rope position is drawn independently, up to 128k.
                    slot[static_cast<size_t>(r)] =
                        static_cast<int64_t>(page_table[static_cast<size_t>(r / page_size)]) * page_size + r % page_size;
                    pos[static_cast<size_t>(r)] = r % 7 == 3 ? 131071 - r
                                                             : std::uniform_int_distribution<int32_t>(0, 100000)(rng());
                }
                pos[0] = 0;
                const auto qkv = random_normal_bf16_values(static_cast<size_t>(rows) * stride, rng());
                auto dq = to_bf16(qkv);
                auto dp = to_dev(pos);
                auto ds = to_dev(slot);
                Dev<bf16> k(static_cast<size_t>(slots) * kv_dim), v(static_cast<size_t>(slots) * kv_dim);
                CUDA_OK(launch_rope_kv_write(dq->p, stride, dp->p, di->p, ds->p, rows, sh.nh, sh.nkv, sh.hd, k.p, v.p,
                                             nullptr));
                CUDA_OK(cudaDeviceSynchronize());
                std::vector<float> ref = qkv;
                std::vector<float> cs(static_cast<size_t>(sh.hd / 2)), sn(cs.size());
                for (int r = 0; r < rows; ++r) {
                    rope_cos_sin(inv, pos[static_cast<size_t>(r)], cs.data(), sn.data());
                    for (int h = 0; h < sh.nh + sh.nkv; ++h)
                        apply_rope(&ref[static_cast<size_t>(r) * stride + static_cast<size_t>(h) * sh.hd], sh.hd,
                                   cs.data(), sn.data());
                }
                const std::string what = std::to_string(sh.nh) + "/" + std::to_string(sh.nkv) + "/" +
                                         std::to_string(sh.hd) + " page " + std::to_string(page_size) + " rows " +
                                         std::to_string(rows);
                const auto got = from_bf16(dq->p, dq->n);
                expect_close(got, ref, 1e-2, 2e-2, "rope+kv q/k/v rows " + what);
                // v columns of the rows are untouched (exact).
                for (int r = 0; r < rows; ++r)
                    for (int i = 0; i < kv_dim; ++i) {
                        const size_t at = static_cast<size_t>(r) * stride + static_cast<size_t>(sh.nh + sh.nkv) * sh.hd +
                                          static_cast<size_t>(i);
                        ASSERT_EQ(got[at], qkv[at]) << "v column changed " << what;
                    }
                // The cache holds exactly the bf16 values left in the rows: k rotated, v copied.
                const auto hk = from_bf16(k.p, k.n), hv = from_bf16(v.p, v.n);
                std::vector<char> written(static_cast<size_t>(slots), 0);
                for (int r = 0; r < rows; ++r) {
                    const int64_t s = slot[static_cast<size_t>(r)];
                    written[static_cast<size_t>(s)] = 1;
                    for (int i = 0; i < kv_dim; ++i) {
                        const size_t row_k = static_cast<size_t>(r) * stride + static_cast<size_t>(sh.nh) * sh.hd +
                                             static_cast<size_t>(i);
                        ASSERT_EQ(hk[static_cast<size_t>(s * kv_dim + i)], got[row_k]) << "k slot " << s << " " << what;
                        ASSERT_EQ(hv[static_cast<size_t>(s * kv_dim + i)], got[row_k + static_cast<size_t>(kv_dim)])
                            << "v slot " << s << " " << what;
                    }
                }
                for (int64_t s = 0; s < slots; ++s) {
                    if (written[static_cast<size_t>(s)]) continue;
                    for (int i = 0; i < kv_dim; ++i) {
                        ASSERT_TRUE(std::isnan(hk[static_cast<size_t>(s * kv_dim + i)])) << "stray k write " << what;
                        ASSERT_TRUE(std::isnan(hv[static_cast<size_t>(s * kv_dim + i)])) << "stray v write " << what;
                    }
                }
            }
        }
    }
}

TEST(CudaFusedOps, RopeKvWriteRejectsBadShapes) {
    Dev<bf16> qkv(64), k(64), v(64);
    Dev<int32_t> pos(1);
    Dev<int64_t> slot(1);
    Dev<float> inv(8);
    // Odd head_dim, no kv heads, a row stride shorter than q | k | v.
    EXPECT_EQ(launch_rope_kv_write(qkv.p, 48, pos.p, inv.p, slot.p, 1, 1, 1, 15, k.p, v.p, nullptr),
              cudaErrorInvalidValue);
    EXPECT_EQ(launch_rope_kv_write(qkv.p, 48, pos.p, inv.p, slot.p, 1, 2, 0, 16, k.p, v.p, nullptr),
              cudaErrorInvalidValue);
    EXPECT_EQ(launch_rope_kv_write(qkv.p, 40, pos.p, inv.p, slot.p, 1, 1, 1, 16, k.p, v.p, nullptr),
              cudaErrorInvalidValue);
    EXPECT_EQ(launch_rope_kv_write(qkv.p, 48, pos.p, inv.p, slot.p, 0, 1, 1, 16, k.p, v.p, nullptr), cudaSuccess);
}

// Hidden sizes for every path: 4 (one 4-group), 1000 (250 groups), 3584 (the 7B, 896 threads),
// 4100 (1025 groups: 2 per thread), 12288 (4 per thread), 998 (not a multiple of 4: the scalar
// kernel). Plain norm through a src_rows gather, fused add (residual updated in place) and the
// gathered add that leaves x alone.
TEST(CudaFusedOps, VectorizedRmsNormVariantsMatchCpu) {
    for (int hidden : {4, 998, 1000, 3584, 4100, 12288}) {
        for (int rows : kRows) {
            if (hidden > 4100 && rows > 111) continue;  // keeps the host reference quick
            const float eps = 1e-6f;
            const auto x = random_normal_bf16_values(static_cast<size_t>(rows) * hidden, rng(), 2.0f);
            const auto delta = random_normal_bf16_values(x.size(), rng());
            const auto w = random_normal_bf16_values(static_cast<size_t>(hidden), rng());
            std::vector<int32_t> src(static_cast<size_t>(rows));
            std::iota(src.begin(), src.end(), 0);
            std::shuffle(src.begin(), src.end(), rng());
            auto dx = to_dev(x);
            auto dd = to_bf16(delta);
            auto dw = to_bf16(w);
            auto dsrc = to_dev(src);
            const std::string what = std::to_string(rows) + "x" + std::to_string(hidden);
            std::vector<float> ref(x.size()), sum(x.size());
            for (size_t i = 0; i < x.size(); ++i) sum[i] = x[i] + delta[i];
            const size_t H = static_cast<size_t>(hidden);
            {
                Dev<bf16> out(x.size());
                CUDA_OK(launch_rmsnorm(dx->p, dsrc->p, dw->p, rows, hidden, eps, out.p, nullptr));
                for (int r = 0; r < rows; ++r)
                    rms_norm(&x[static_cast<size_t>(src[static_cast<size_t>(r)]) * H], w.data(), hidden, eps,
                             &ref[static_cast<size_t>(r) * H]);
                expect_close(from_bf16(out.p, out.n), ref, 1e-2, 1e-3, "rmsnorm gather " + what);
            }
            {
                Dev<bf16> out(x.size());
                CUDA_OK(launch_gather_add_rmsnorm(dx->p, dd->p, dsrc->p, dw->p, rows, hidden, eps, out.p, nullptr));
                for (int r = 0; r < rows; ++r)
                    rms_norm(&sum[static_cast<size_t>(src[static_cast<size_t>(r)]) * H], w.data(), hidden, eps,
                             &ref[static_cast<size_t>(r) * H]);
                expect_close(from_bf16(out.p, out.n), ref, 1e-2, 1e-3, "gather_add_rmsnorm " + what);
                expect_close(from_dev(dx->p, dx->n), x, 0, 0, "gather_add_rmsnorm leaves x " + what);
            }
            {
                Dev<bf16> out(x.size());
                CUDA_OK(launch_add_rmsnorm(dx->p, dd->p, dw->p, rows, hidden, eps, out.p, nullptr));
                for (int r = 0; r < rows; ++r)
                    rms_norm(&sum[static_cast<size_t>(r) * H], w.data(), hidden, eps, &ref[static_cast<size_t>(r) * H]);
                expect_close(from_bf16(out.p, out.n), ref, 1e-2, 1e-3, "add_rmsnorm " + what);
                expect_close(from_dev(dx->p, dx->n), sum, 1e-6, 0, "add_rmsnorm residual " + what);
            }
        }
    }
    // Wider than either kernel takes: a clear error, not a silent partial norm.
    Dev<float> x(20000);
    Dev<bf16> w(20000), out(20000);
    EXPECT_EQ(launch_rmsnorm(x.p, nullptr, w.p, 1, 20000, 1e-6f, out.p, nullptr), cudaErrorInvalidValue);
}

// inter % 8 == 0 takes the 16-byte kernel (8, 1000, 18944); 989 the scalar one.
TEST(CudaFusedOps, VectorizedSiluAndMulMatchesCpu) {
    for (int inter : {8, 989, 1000, 18944}) {
        for (int rows : kRows) {
            if (inter > 1000 && rows > 111) continue;
            const auto gu = random_normal_bf16_values(static_cast<size_t>(rows) * 2 * inter, rng(), 3.0f);
            auto d = to_bf16(gu);
            Dev<bf16> out(static_cast<size_t>(rows) * inter);
            CUDA_OK(launch_silu_and_mul(d->p, rows, inter, out.p, nullptr));
            std::vector<float> ref(out.n);
            for (int r = 0; r < rows; ++r)
                silu_mul(&gu[static_cast<size_t>(r) * 2 * inter], &gu[static_cast<size_t>(r) * 2 * inter + inter],
                         inter, &ref[static_cast<size_t>(r) * inter]);
            expect_close(from_bf16(out.p, out.n), ref, 1e-2, 1e-3,
                         "silu_and_mul " + std::to_string(rows) + "x" + std::to_string(inter));
        }
    }
}

// Every GEMV variant (forced one at a time) on the 7B decode shapes (qkv with bias, o_proj,
// down's long K) and on ragged ones: N odd (a half-used row pair), N = 1, K = 8 (one vector).
TEST(CudaFusedOps, EveryGemvVariantOnDecodeShapes) {
    struct Shape {
        int n, k;
        bool bias;
    };
    Gemm gemm;
    ASSERT_TRUE(gemm.init().ok());
    gemm.set_gemv_max_rows(8);
    for (Shape sh : {Shape{4608, 3584, true}, Shape{3584, 3584, false}, Shape{3584, 18944, false}, Shape{37, 2056, true},
                     Shape{1, 8, true}, Shape{19, 8, false}}) {
        const auto w = random_normal_bf16_values(static_cast<size_t>(sh.n) * sh.k, rng(), 0.05f);
        const auto bias = random_normal_bf16_values(static_cast<size_t>(sh.n), rng());
        auto dw = to_bf16(w);
        auto db = to_bf16(bias);
        const bool big = sh.n * static_cast<int64_t>(sh.k) > 1000000;
        for (int M : big ? std::vector<int>{1, 3} : std::vector<int>{1, 2, 5, 8}) {
            const auto x = random_normal_bf16_values(static_cast<size_t>(M) * sh.k, rng());
            auto dx = to_bf16(x);
            std::vector<double> ref(static_cast<size_t>(M) * sh.n);
            for (int m = 0; m < M; ++m)
                for (int n = 0; n < sh.n; ++n) {
                    double acc = sh.bias ? bias[static_cast<size_t>(n)] : 0.0;
                    const float *xr = &x[static_cast<size_t>(m) * sh.k];
                    const float *wr = &w[static_cast<size_t>(n) * sh.k];
                    for (int k = 0; k < sh.k; ++k) acc += static_cast<double>(xr[k]) * wr[k];
                    ref[static_cast<size_t>(m) * sh.n + n] = acc;
                }
            for (int variant = 0; variant < kGemvVariants; ++variant) {
                gemm.force_gemv_variant(variant);
                for (bool fp32 : {true, false}) {
                    Dev<float> y32(ref.size());
                    Dev<bf16> y16(ref.size());
                    Status s = gemm.run(dx->p, M, sh.k, dw->p, sh.n, sh.bias ? db->p : nullptr,
                                        fp32 ? static_cast<void *>(y32.p) : static_cast<void *>(y16.p), fp32, nullptr);
                    ASSERT_TRUE(s.ok()) << s.message();
                    ASSERT_EQ(cudaDeviceSynchronize(), cudaSuccess);
                    const auto got = fp32 ? from_dev(y32.p, y32.n) : from_bf16(y16.p, y16.n);
                    EXPECT_LE(rel_norm_error(got, ref), fp32 ? 1e-5 : 4e-3)
                        << gemv_variant_name(variant) << " M=" << M << " N=" << sh.n << " K=" << sh.k
                        << (fp32 ? " fp32" : " bf16");
                }
            }
        }
        if (sh.k != 18944) continue;
        // The tuner times every variant on down's shape and keeps one of them.
        gemm.force_gemv_variant(-1);
        const auto x = random_normal_bf16_values(static_cast<size_t>(sh.k), rng());
        auto dx = to_bf16(x);
        Dev<bf16> y(static_cast<size_t>(sh.n));
        ASSERT_TRUE(gemm.run(dx->p, 1, sh.k, dw->p, sh.n, nullptr, y.p, false, nullptr).ok());
        ASSERT_EQ(cudaDeviceSynchronize(), cudaSuccess);
        ASSERT_FALSE(gemm.tuning_log().empty());
        EXPECT_NE(gemm.tuning_log().back().find("gemv M=1 N=3584 K=18944"), std::string::npos)
            << gemm.tuning_log().back();
        for (float f : from_bf16(y.p, y.n)) ASSERT_TRUE(std::isfinite(f));
    }
}

// The gated GEMV (gate|up projection with SiLU-and-multiply in its epilogue) against the GEMV
// followed by launch_silu_and_mul: bit for bit, since a row's sum depends only on the warps per
// row (each gated variant is compared with a plain variant of the same warps per row), on the
// 7B MLP shape at tp 2 (9472 pairs, K 3584), a ragged one with bias and the smallest.
TEST(CudaFusedOps, GatedGemvEqualsGemvThenSiluBitForBit) {
    struct Shape {
        int pairs, k;
        bool bias;
    };
    // warps per row of the gated variants: 1, 1, 2, 2, 4, 1, 8, 4
    const int kPlainOfSameWarps[kGatedGemvVariants] = {0, 0, 2, 2, 3, 0, 7, 3};
    Gemm gemm;
    ASSERT_TRUE(gemm.init().ok());
    for (Shape sh : {Shape{9472, 3584, false}, Shape{37, 2056, true}, Shape{1, 8, true}}) {
        const auto w = random_normal_bf16_values(static_cast<size_t>(2 * sh.pairs) * sh.k, rng(), 0.05f);
        const auto bias = random_normal_bf16_values(static_cast<size_t>(2 * sh.pairs), rng());
        auto dw = to_bf16(w);
        auto db = to_bf16(bias);
        const bf16 *b = sh.bias ? db->p : nullptr;
        for (int M : {1, 2, 4}) {
            const auto x = random_normal_bf16_values(static_cast<size_t>(M) * sh.k, rng());
            auto dx = to_bf16(x);
            ASSERT_TRUE(gemm.gated_applies(M, sh.k));
            for (int variant = 0; variant < kGatedGemvVariants; ++variant) {
                const std::string what = std::string(gated_gemv_variant_name(variant)) + " M=" + std::to_string(M) +
                                         " pairs=" + std::to_string(sh.pairs) + " K=" + std::to_string(sh.k);
                Dev<bf16> fused(static_cast<size_t>(M) * sh.pairs), gu(static_cast<size_t>(M) * 2 * sh.pairs),
                    act(static_cast<size_t>(M) * sh.pairs);
                CUDA_OK(launch_gated_gemv(dx->p, M, sh.k, dw->p, sh.pairs, b, fused.p, nullptr, variant));
                gemm.force_gemv_variant(kPlainOfSameWarps[variant]);
                ASSERT_TRUE(gemm.run(dx->p, M, sh.k, dw->p, 2 * sh.pairs, b, gu.p, false, nullptr).ok());
                CUDA_OK(launch_silu_and_mul(gu.p, M, sh.pairs, act.p, nullptr));
                ASSERT_EQ(cudaDeviceSynchronize(), cudaSuccess) << what;
                const auto got = from_dev(fused.p, fused.n), want = from_dev(act.p, act.n);
                size_t differ = 0;
                for (size_t i = 0; i < got.size(); ++i)
                    differ += std::memcmp(&got[i], &want[i], sizeof(bf16)) == 0 ? 0 : 1;
                EXPECT_EQ(differ, 0u) << what << ": of " << got.size() << " outputs";
            }
        }
    }
    gemm.force_gemv_variant(-1);
    // The tuner picks a variant on first use; more rows than the gated form takes are refused.
    const auto x = random_normal_bf16_values(3584, rng());
    auto dx = to_bf16(x);
    const auto w = random_normal_bf16_values(static_cast<size_t>(2 * 64) * 3584, rng(), 0.05f);
    auto dw = to_bf16(w);
    Dev<bf16> out(64);
    ASSERT_TRUE(gemm.run_gated(dx->p, 1, 3584, dw->p, 64, nullptr, out.p, nullptr).ok());
    ASSERT_EQ(cudaDeviceSynchronize(), cudaSuccess);
    EXPECT_NE(gemm.tuning_log().back().find("gated gemv M=1 N=2x64 K=3584"), std::string::npos)
        << gemm.tuning_log().back();
    EXPECT_FALSE(gemm.gated_applies(5, 3584));
    const Status refused = gemm.run_gated(dx->p, 5, 3584, dw->p, 64, nullptr, out.p, nullptr);
    EXPECT_FALSE(refused.ok());
    EXPECT_NE(refused.message().find("1..4 rows"), std::string::npos) << refused.message();
}

// The decode MLP block as the runner chains it: add+rmsnorm -> gate_up GEMV -> silu_mul -> down
// GEMV -> add+rmsnorm, each kernel launched with PDL and reading what the previous one wrote.
// Captured in a CUDA graph (programmatic edges) and replayed, it must give the same bits as the
// chain run eagerly with a device sync after every kernel: a kernel that read its input before
// its PDL wait would show here.
TEST(CudaFusedOps, PdlChainInGraphMatchesSerializedRun) {
    const int H = 1000, I = 2056, rows = 3;
    Gemm gemm;
    ASSERT_TRUE(gemm.init().ok());
    gemm.set_autotune(false);  // variant 0, no timing inside or outside the capture
    const auto x0 = random_normal_bf16_values(static_cast<size_t>(rows) * H, rng(), 2.0f);
    const auto d0 = random_normal_bf16_values(x0.size(), rng());
    auto norm_w = to_bf16(random_normal_bf16_values(static_cast<size_t>(H), rng()));
    auto gu_w = to_bf16(random_normal_bf16_values(static_cast<size_t>(2 * I) * H, rng(), 0.05f));
    auto down_w = to_bf16(random_normal_bf16_values(static_cast<size_t>(H) * I, rng(), 0.05f));
    Dev<float> x(x0.size());
    Dev<bf16> delta(d0.size()), hn(x0.size()), gu(static_cast<size_t>(rows) * 2 * I), act(static_cast<size_t>(rows) * I),
        proj(x0.size()), out(x0.size());
    auto d0_dev = to_bf16(d0);
    cudaStream_t stream = nullptr;
    ASSERT_EQ(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), cudaSuccess);
    auto reset = [&] {
        cudaMemcpy(x.p, x0.data(), x0.size() * 4, cudaMemcpyHostToDevice);
        cudaMemcpy(delta.p, d0_dev->p, d0.size() * 2, cudaMemcpyDeviceToDevice);
        cudaMemset(hn.p, 0xff, hn.n * 2);
        cudaMemset(gu.p, 0xff, gu.n * 2);
        cudaMemset(act.p, 0xff, act.n * 2);
        cudaMemset(proj.p, 0xff, proj.n * 2);
        cudaMemset(out.p, 0xff, out.n * 2);
        cudaDeviceSynchronize();
    };
    auto chain = [&](bool sync_each) -> bool {
        auto step = [&](bool ok) { return ok && (!sync_each || cudaStreamSynchronize(stream) == cudaSuccess); };
        bool ok = step(launch_add_rmsnorm(x.p, delta.p, norm_w->p, rows, H, 1e-6f, hn.p, stream) == cudaSuccess);
        ok = step(ok && gemm.run(hn.p, rows, H, gu_w->p, 2 * I, nullptr, gu.p, false, stream).ok());
        ok = step(ok && launch_silu_and_mul(gu.p, rows, I, act.p, stream) == cudaSuccess);
        ok = step(ok && gemm.run(act.p, rows, I, down_w->p, H, nullptr, proj.p, false, stream).ok());
        ok = step(ok && launch_add_rmsnorm(x.p, proj.p, norm_w->p, rows, H, 1e-6f, out.p, stream) == cudaSuccess);
        return ok;
    };
    reset();
    ASSERT_TRUE(chain(true));
    const auto want_out = from_bf16(out.p, out.n);
    const auto want_x = from_dev(x.p, x.n);
    for (float f : want_out) ASSERT_TRUE(std::isfinite(f));

    cudaGraph_t graph = nullptr;
    ASSERT_EQ(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal), cudaSuccess);
    const bool captured = chain(false);
    ASSERT_EQ(cudaStreamEndCapture(stream, &graph), cudaSuccess);
    ASSERT_TRUE(captured);
    cudaGraphExec_t exec = nullptr;
    ASSERT_EQ(cudaGraphInstantiate(&exec, graph, 0), cudaSuccess);
    for (int rep = 0; rep < 20; ++rep) {
        reset();
        ASSERT_EQ(cudaGraphLaunch(exec, stream), cudaSuccess);
        ASSERT_EQ(cudaStreamSynchronize(stream), cudaSuccess);
        ASSERT_EQ(from_bf16(out.p, out.n), want_out) << "graph replay " << rep;
        ASSERT_EQ(from_dev(x.p, x.n), want_x) << "graph replay " << rep;
    }
    // Eager, back to back (PDL overlap between kernels, no sync in between).
    reset();
    ASSERT_TRUE(chain(false));
    ASSERT_EQ(cudaStreamSynchronize(stream), cudaSuccess);
    EXPECT_EQ(from_bf16(out.p, out.n), want_out);
    cudaGraphExecDestroy(exec);
    cudaGraphDestroy(graph);
    cudaStreamDestroy(stream);
}
