// Every CUDA op against the CPU reference (engine/cpu, runtime/sampler) on awkward sizes.
// Inputs are drawn fresh, rounded to bf16 first so both sides see the same values; references
// are computed in fp32/fp64 on the host. Tolerances (stated per test) follow from bf16 outputs:
// one rounding is at most 2^-9 relative, so elementwise ops must agree within 1e-2 relative
// (+1e-3 absolute), reductions (GEMM, attention) within 1e-2 of the reference's norm.
#include <gtest/gtest.h>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "cpu/cpu_kernels.h"
#include "cuda/activation.cuh"
#include "cuda/attention.cuh"
#include "cuda/embedding.cuh"
#include "cuda/gemm.cuh"
#include "cuda/kv_cache.cuh"
#include "cuda/rmsnorm.cuh"
#include "cuda/rope.cuh"
#include "cuda/sampling.cuh"
#include "runtime/sampler.h"
#include "cuda_test_support.h"

using namespace slipway::engine;
using namespace slipway::engine::cuda;
using namespace slipway::engine::cuda::test;

namespace {

std::mt19937 &rng() {
    static std::mt19937 g(20240611);
    return g;
}

const int kRows[] = {1, 19, 111, 989};

} // namespace

TEST(CudaOps, EmbeddingGathersRows) {
    const int vocab = 333, hidden = 200;
    const auto table = random_normal_bf16_values(static_cast<size_t>(vocab) * hidden, rng());
    auto dt = to_bf16(table);
    for (int rows : kRows) {
        std::vector<int32_t> ids(static_cast<size_t>(rows));
        for (auto &i : ids) i = std::uniform_int_distribution<int32_t>(0, vocab - 1)(rng());
        auto di = to_dev(ids);
        Dev<float> out(static_cast<size_t>(rows) * hidden);
        CUDA_OK(launch_embedding(dt->p, di->p, rows, hidden, out.p, nullptr));
        const auto got = from_dev(out.p, out.n);
        std::vector<float> ref(out.n);
        for (int r = 0; r < rows; ++r)
            std::copy_n(&table[static_cast<size_t>(ids[r]) * hidden], hidden, &ref[static_cast<size_t>(r) * hidden]);
        EXPECT_EQ(got, ref) << rows << " rows";  // a copy: exact
    }
}

TEST(CudaOps, RmsNormAndFusedResidualMatchCpu) {
    for (int hidden : {64, 1000, 3584}) {
        for (int rows : kRows) {
            const auto x = random_normal_bf16_values(static_cast<size_t>(rows) * hidden, rng(), 2.0f);
            const auto delta = random_normal_bf16_values(x.size(), rng());
            const auto w = random_normal_bf16_values(static_cast<size_t>(hidden), rng());
            auto dx = to_dev(x);
            auto dd = to_bf16(delta);
            auto dw = to_bf16(w);
            Dev<bf16> out(x.size());
            // Plain.
            CUDA_OK(launch_rmsnorm(dx->p, nullptr, dw->p, rows, hidden, 1e-6f, out.p, nullptr));
            std::vector<float> ref(x.size());
            for (int r = 0; r < rows; ++r) rms_norm(&x[static_cast<size_t>(r) * hidden], w.data(), hidden, 1e-6f, &ref[static_cast<size_t>(r) * hidden]);
            expect_close(from_bf16(out.p, out.n), ref, 1e-2, 1e-3, "rmsnorm " + std::to_string(rows) + "x" + std::to_string(hidden));
            // Fused: x += delta, then norm; x is updated in place.
            CUDA_OK(launch_add_rmsnorm(dx->p, dd->p, dw->p, rows, hidden, 1e-6f, out.p, nullptr));
            std::vector<float> sum(x.size());
            for (size_t i = 0; i < x.size(); ++i) sum[i] = x[i] + delta[i];
            for (int r = 0; r < rows; ++r) rms_norm(&sum[static_cast<size_t>(r) * hidden], w.data(), hidden, 1e-6f, &ref[static_cast<size_t>(r) * hidden]);
            expect_close(from_bf16(out.p, out.n), ref, 1e-2, 1e-3, "add_rmsnorm " + std::to_string(rows));
            expect_close(from_dev(dx->p, dx->n), sum, 1e-6, 0, "residual " + std::to_string(rows));
        }
    }
}

TEST(CudaOps, RopeMatchesCpuDefaultAndLlama3) {
    RopeConfig llama3;
    llama3.type = RopeConfig::Type::Llama3;
    llama3.theta = 500000;
    llama3.factor = 8;
    llama3.original_max_position_embeddings = 8192;
    for (const RopeConfig &rope : {RopeConfig{}, llama3}) {
        for (int hd : {24, 128}) {
            for (int rows : {1, 19, 111}) {
                const int nh = 7, nkv = 3, stride = (nh + 2 * nkv) * hd;
                auto qkv = random_normal_bf16_values(static_cast<size_t>(rows) * stride, rng());
                std::vector<int32_t> pos(static_cast<size_t>(rows));
                for (auto &p : pos) p = std::uniform_int_distribution<int32_t>(0, 5000)(rng());
                const auto inv = rope_inv_freq(rope, hd);
                auto dq = to_bf16(qkv);
                auto dp = to_dev(pos);
                auto di = to_dev(inv);
                CUDA_OK(launch_rope(dq->p, stride, dp->p, di->p, rows, nh, nkv, hd, nullptr));
                std::vector<float> cs(static_cast<size_t>(hd / 2)), sn(cs.size());
                for (int r = 0; r < rows; ++r) {
                    rope_cos_sin(inv, pos[static_cast<size_t>(r)], cs.data(), sn.data());
                    for (int h = 0; h < nh + nkv; ++h) apply_rope(&qkv[static_cast<size_t>(r) * stride + h * hd], hd, cs.data(), sn.data());
                }
                expect_close(from_bf16(dq->p, dq->n), qkv, 1e-2, 2e-2, "rope hd " + std::to_string(hd));
            }
        }
    }
}

TEST(CudaOps, SiluAndMulMatchesCpu) {
    for (int inter : {96, 989, 18944}) {
        for (int rows : kRows) {
            const auto gu = random_normal_bf16_values(static_cast<size_t>(rows) * 2 * inter, rng(), 3.0f);
            auto d = to_bf16(gu);
            Dev<bf16> out(static_cast<size_t>(rows) * inter);
            CUDA_OK(launch_silu_and_mul(d->p, rows, inter, out.p, nullptr));
            std::vector<float> ref(out.n);
            for (int r = 0; r < rows; ++r)
                silu_mul(&gu[static_cast<size_t>(r) * 2 * inter], &gu[static_cast<size_t>(r) * 2 * inter + inter], inter, &ref[static_cast<size_t>(r) * inter]);
            expect_close(from_bf16(out.p, out.n), ref, 1e-2, 1e-3, "silu_and_mul " + std::to_string(rows));
        }
    }
}

TEST(CudaOps, KvWriteScattersToSlots) {
    const int kv_dim = 3 * 24, stride = 7 * 24 + 2 * kv_dim, slots = 4096;
    for (int rows : kRows) {
        const auto qkv = random_normal_bf16_values(static_cast<size_t>(rows) * stride, rng());
        std::vector<int64_t> slot(static_cast<size_t>(slots));
        std::iota(slot.begin(), slot.end(), 0);
        std::shuffle(slot.begin(), slot.end(), rng());
        slot.resize(static_cast<size_t>(rows));
        auto dq = to_bf16(qkv);
        auto ds = to_dev(slot);
        Dev<bf16> k(static_cast<size_t>(slots) * kv_dim), v(static_cast<size_t>(slots) * kv_dim);
        CUDA_OK(launch_kv_write(dq->p, stride, 7 * 24, 7 * 24 + kv_dim, ds->p, rows, kv_dim, k.p, v.p, nullptr));
        const auto hk = from_bf16(k.p, k.n), hv = from_bf16(v.p, v.n);
        for (int r = 0; r < rows; ++r)
            for (int i = 0; i < kv_dim; ++i) {
                ASSERT_EQ(hk[static_cast<size_t>(slot[r] * kv_dim + i)], qkv[static_cast<size_t>(r) * stride + 7 * 24 + i]);
                ASSERT_EQ(hv[static_cast<size_t>(slot[r] * kv_dim + i)], qkv[static_cast<size_t>(r) * stride + 7 * 24 + kv_dim + i]);
            }
    }
}

TEST(CudaOps, GemmAndGemvMatchFp64Reference) {
    Gemm gemm;
    ASSERT_TRUE(gemm.init().ok());
    const int K = 1000, N = 333;
    const auto w = random_normal_bf16_values(static_cast<size_t>(N) * K, rng(), 0.05f);
    const auto bias = random_normal_bf16_values(static_cast<size_t>(N), rng());
    auto dw = to_bf16(w);
    auto db = to_bf16(bias);
    for (int gemv_rows : {0, 8}) {
        gemm.set_gemv_max_rows(gemv_rows);
        for (int M : {1, 3, 8, 19, 111, 989}) {
            for (bool with_bias : {false, true}) {
                for (bool fp32 : {false, true}) {
                    const auto x = random_normal_bf16_values(static_cast<size_t>(M) * K, rng());
                    auto dx = to_bf16(x);
                    Dev<float> y32(static_cast<size_t>(M) * N);
                    Dev<bf16> y16(static_cast<size_t>(M) * N);
                    Status s = gemm.run(dx->p, M, K, dw->p, N, with_bias ? db->p : nullptr,
                                        fp32 ? static_cast<void *>(y32.p) : static_cast<void *>(y16.p), fp32, nullptr);
                    ASSERT_TRUE(s.ok()) << s.message();
                    ASSERT_EQ(cudaDeviceSynchronize(), cudaSuccess);
                    std::vector<double> ref(static_cast<size_t>(M) * N);
                    for (int m = 0; m < M; ++m)
                        for (int n = 0; n < N; ++n) {
                            double acc = with_bias ? bias[static_cast<size_t>(n)] : 0.0;
                            for (int k = 0; k < K; ++k) acc += static_cast<double>(x[static_cast<size_t>(m) * K + k]) * w[static_cast<size_t>(n) * K + k];
                            ref[static_cast<size_t>(m) * N + n] = acc;
                        }
                    const auto got = fp32 ? from_dev(y32.p, y32.n) : from_bf16(y16.p, y16.n);
                    const double err = rel_norm_error(got, ref);
                    // fp32 output: accumulation order only (1e-5); bf16 output: one rounding (< 4e-3).
                    EXPECT_LE(err, fp32 ? 1e-5 : 4e-3) << "M=" << M << " gemv<=" << gemv_rows << " bias=" << with_bias;
                }
            }
        }
    }
}

// Every GEMV block shape the autotuner may pick computes the same product (forced one at a
// time), on a wide-K shape where warps of one row split K between them.
TEST(CudaOps, EveryGemvVariantMatchesFp64Reference) {
    Gemm gemm;
    ASSERT_TRUE(gemm.init().ok());
    gemm.set_gemv_max_rows(8);
    const int K = 2056, N = 37;  // K: 257 16-byte vectors (a ragged last chunk for every split)
    const auto w = random_normal_bf16_values(static_cast<size_t>(N) * K, rng(), 0.05f);
    const auto bias = random_normal_bf16_values(static_cast<size_t>(N), rng());
    auto dw = to_bf16(w);
    auto db = to_bf16(bias);
    for (int variant = 0; variant < kGemvVariants; ++variant) {
        gemm.force_gemv_variant(variant);
        for (int M : {1, 2, 5, 8}) {
            const auto x = random_normal_bf16_values(static_cast<size_t>(M) * K, rng());
            auto dx = to_bf16(x);
            Dev<float> y(static_cast<size_t>(M) * N);
            ASSERT_EQ(cudaMemset(y.p, 0xff, y.n * 4), cudaSuccess);  // NaN poison: every element must be written
            Status s = gemm.run(dx->p, M, K, dw->p, N, db->p, y.p, true, nullptr);
            ASSERT_TRUE(s.ok()) << s.message();
            ASSERT_EQ(cudaDeviceSynchronize(), cudaSuccess);
            std::vector<double> ref(static_cast<size_t>(M) * N);
            for (int m = 0; m < M; ++m)
                for (int n = 0; n < N; ++n) {
                    double acc = bias[static_cast<size_t>(n)];
                    for (int k = 0; k < K; ++k) acc += static_cast<double>(x[static_cast<size_t>(m) * K + k]) * w[static_cast<size_t>(n) * K + k];
                    ref[static_cast<size_t>(m) * N + n] = acc;
                }
            EXPECT_LE(rel_norm_error(from_dev(y.p, y.n), ref), 1e-5) << "variant " << gemv_variant_name(variant) << " M=" << M;
        }
    }
    // The tuned choice (no variant forced) is one of them and logs what it picked.
    gemm.force_gemv_variant(-1);
    const auto x = random_normal_bf16_values(static_cast<size_t>(K), rng());
    auto dx = to_bf16(x);
    Dev<float> y(static_cast<size_t>(N));
    ASSERT_TRUE(gemm.run(dx->p, 1, K, dw->p, N, nullptr, y.p, true, nullptr).ok());
    ASSERT_EQ(cudaDeviceSynchronize(), cudaSuccess);
    ASSERT_EQ(gemm.tuning_log().size(), 1u);
    EXPECT_NE(gemm.tuning_log()[0].find("gemv M=1 N=37 K=2056"), std::string::npos) << gemm.tuning_log()[0];
}

namespace {

// Paged cache filled with random bf16 K/V for `lens` positions per sequence; pages shuffled.
struct PagedFixture {
    int page_size = 16, nh = 0, nkv = 0, hd = 0;
    std::vector<int32_t> indptr{0}, indices;
    std::vector<float> k, v;  // [slots][nkv * hd]
    int64_t slots = 0;

    PagedFixture(const std::vector<int> &lens, int nh_, int nkv_, int hd_) : nh(nh_), nkv(nkv_), hd(hd_) {
        int total_pages = 0;
        for (int l : lens) total_pages += (l + page_size - 1) / page_size;
        std::vector<int32_t> perm(static_cast<size_t>(total_pages) + 3);
        std::iota(perm.begin(), perm.end(), 0);
        std::shuffle(perm.begin(), perm.end(), rng());
        int at = 0;
        for (int l : lens) {
            for (int p = 0; p < (l + page_size - 1) / page_size; ++p) indices.push_back(perm[static_cast<size_t>(at++)]);
            indptr.push_back(static_cast<int32_t>(indices.size()));
        }
        slots = static_cast<int64_t>(perm.size()) * page_size;
        k = random_normal_bf16_values(static_cast<size_t>(slots) * nkv * hd, rng());
        v = random_normal_bf16_values(k.size(), rng());
    }
    // fp64 attention of one query row (already bf16) over positions [0, n) of sequence b.
    void reference(const float *q, int b, int h, int n, double *out) const {
        const int kvh = h / (nh / nkv), kv_dim = nkv * hd;
        std::vector<double> s(static_cast<size_t>(n));
        double mx = -INFINITY;
        for (int p = 0; p < n; ++p) {
            const int64_t slot = static_cast<int64_t>(indices[static_cast<size_t>(indptr[b] + p / page_size)]) * page_size + p % page_size;
            double d = 0;
            for (int i = 0; i < hd; ++i) d += static_cast<double>(q[i]) * k[static_cast<size_t>(slot * kv_dim + kvh * hd + i)];
            s[static_cast<size_t>(p)] = d / std::sqrt(static_cast<double>(hd));
            mx = std::max(mx, s[static_cast<size_t>(p)]);
        }
        double sum = 0;
        for (double &x : s) { x = std::exp(x - mx); sum += x; }
        for (int i = 0; i < hd; ++i) out[i] = 0;
        for (int p = 0; p < n; ++p) {
            const int64_t slot = static_cast<int64_t>(indices[static_cast<size_t>(indptr[b] + p / page_size)]) * page_size + p % page_size;
            for (int i = 0; i < hd; ++i) out[i] += s[static_cast<size_t>(p)] / sum * v[static_cast<size_t>(slot * kv_dim + kvh * hd + i)];
        }
    }
};

} // namespace

TEST(CudaOps, DecodeAttentionMatchesReference) {
    struct Shape { int nh, nkv, hd; };
    for (Shape sh : {Shape{28, 4, 128}, Shape{4, 1, 24}, Shape{12, 12, 64}, Shape{20, 2, 16}}) {
        for (int batch : {1, 19}) {
            std::vector<int> lens(static_cast<size_t>(batch));
            for (auto &l : lens) l = std::uniform_int_distribution<int>(1, 989)(rng());
            lens[0] = 1;
            PagedFixture f(lens, sh.nh, sh.nkv, sh.hd);
            const int stride = (sh.nh + 2 * sh.nkv) * sh.hd;
            const auto q = random_normal_bf16_values(static_cast<size_t>(batch) * stride, rng());
            auto dq = to_bf16(q);
            auto dk = to_bf16(f.k);
            auto dv = to_bf16(f.v);
            auto dptr = to_dev(f.indptr);
            auto dind = to_dev(f.indices);
            auto dlen = to_dev(lens);
            std::vector<double> ref(static_cast<size_t>(batch) * sh.nh * sh.hd);
            for (int b = 0; b < batch; ++b)
                for (int h = 0; h < sh.nh; ++h)
                    f.reference(&q[static_cast<size_t>(b) * stride + h * sh.hd], b, h, lens[static_cast<size_t>(b)],
                                &ref[(static_cast<size_t>(b) * sh.nh + h) * sh.hd]);
            for (int splits : {1, 5}) {
                PagedKv kv{dk->p, dv->p, dptr->p, dind->p, f.page_size, sh.nh, sh.nkv, sh.hd, 1.0f / std::sqrt(static_cast<float>(sh.hd))};
                Dev<float> partial(decode_partial_floats(batch, sh.nh, sh.hd, splits));
                Dev<bf16> out(ref.size());
                CUDA_OK(launch_decode_attention(kv, dq->p, stride, dlen->p, batch, splits, partial.p, out.p, nullptr));
                const double err = rel_norm_error(from_bf16(out.p, out.n), ref);
                EXPECT_LE(err, 1e-2) << "heads " << sh.nh << "/" << sh.nkv << " hd " << sh.hd << " batch " << batch
                                     << " splits " << splits;
            }
        }
    }
}

TEST(CudaOps, PrefillAttentionMatchesReferenceRaggedCausal) {
    struct Shape { int nh, nkv, hd; };
    for (Shape sh : {Shape{28, 4, 128}, Shape{4, 1, 24}, Shape{6, 2, 16}}) {
        // (context already cached, new query rows) per sequence.
        const std::vector<std::pair<int, int>> seqs{{0, 111}, {19, 1}, {37, 200}, {0, 1}, {5, 64}};
        std::vector<int> lens;
        for (auto [c, n] : seqs) lens.push_back(c + n);
        PagedFixture f(lens, sh.nh, sh.nkv, sh.hd);
        const int stride = (sh.nh + 2 * sh.nkv) * sh.hd;
        int T = 0;
        std::vector<int32_t> q_starts, q_lens, ctx_lens, tile_seq, tile_row;
        for (size_t i = 0; i < seqs.size(); ++i) {
            q_starts.push_back(T);
            q_lens.push_back(seqs[i].second);
            ctx_lens.push_back(seqs[i].first);
            for (int r = 0; r < seqs[i].second; r += kPrefillTileRows) {
                tile_seq.push_back(static_cast<int32_t>(i));
                tile_row.push_back(r);
            }
            T += seqs[i].second;
        }
        const auto q = random_normal_bf16_values(static_cast<size_t>(T) * stride, rng());
        auto dq = to_bf16(q);
        auto dk = to_bf16(f.k);
        auto dv = to_bf16(f.v);
        auto dptr = to_dev(f.indptr);
        auto dind = to_dev(f.indices);
        auto a = to_dev(q_starts), b = to_dev(q_lens), c = to_dev(ctx_lens), ts = to_dev(tile_seq), tr = to_dev(tile_row);
        PagedKv kv{dk->p, dv->p, dptr->p, dind->p, f.page_size, sh.nh, sh.nkv, sh.hd, 1.0f / std::sqrt(static_cast<float>(sh.hd))};
        Dev<bf16> out(static_cast<size_t>(T) * sh.nh * sh.hd);
        CUDA_OK(launch_prefill_attention(kv, dq->p, stride, a->p, b->p, c->p, ts->p, tr->p,
                                         static_cast<int>(tile_seq.size()), out.p, nullptr));
        std::vector<double> ref(out.n);
        for (size_t i = 0; i < seqs.size(); ++i)
            for (int r = 0; r < seqs[i].second; ++r)
                for (int h = 0; h < sh.nh; ++h) {
                    const size_t t = static_cast<size_t>(q_starts[i] + r);
                    f.reference(&q[t * stride + h * sh.hd], static_cast<int>(i), h, seqs[i].first + r + 1,
                                &ref[(t * sh.nh + h) * sh.hd]);
                }
        const double err = rel_norm_error(from_bf16(out.p, out.n), ref);
        EXPECT_LE(err, 1e-2) << "heads " << sh.nh << "/" << sh.nkv << " hd " << sh.hd;
    }
}

TEST(CudaOps, ArgmaxAndSamplingMatchCpuSampler) {
    for (int vocab : {19, 989, 152064}) {
        const int rows = 6;
        auto logits = random_normal_bf16_values(static_cast<size_t>(rows) * vocab, rng(), 3.0f);
        for (float &x : logits) x += std::uniform_real_distribution<float>(-1e-3f, 1e-3f)(rng());  // no exact ties
        std::vector<SampleRowParams> p(static_cast<size_t>(rows));
        p[0].temperature = 0.0f;                                   // greedy
        p[1].temperature = 0.7f;                                   // plain
        p[2].temperature = 1.0f; p[2].top_k = 5;                   // top-k
        p[3].temperature = 1.3f; p[3].top_p = 0.6f;                // top-p
        p[4].temperature = 0.9f; p[4].min_p = 0.2f; p[4].top_k = 40; p[4].top_p = 0.9f;  // all three
        p[5].temperature = 1.0f; p[5].repetition_penalty = 1.3f; p[5].frequency_penalty = 0.5f; p[5].presence_penalty = 0.4f;
        for (auto &r : p) r.uniform = std::uniform_real_distribution<float>(0.0f, 1.0f)(rng());
        // Penalties for row 5: ids 0..3 seen, with output counts 0, 1, 2, 3; id 4 masked.
        std::vector<int32_t> indptr{0, 0, 0, 0, 0, 0, std::min(vocab, 5)}, ids, counts, flags;
        for (int i = 0; i < std::min(vocab, 5); ++i) {
            ids.push_back(i);
            counts.push_back(i < 4 ? i : 0);
            flags.push_back(i < 4 ? kPenaltySeen : kPenaltyMasked);
        }
        auto dl = to_dev(logits);
        auto dp = to_dev(p);
        auto di = to_dev(indptr), dids = to_dev(ids), dc = to_dev(counts), df = to_dev(flags);
        Dev<int32_t> am(static_cast<size_t>(rows)), out(static_cast<size_t>(rows));
        CUDA_OK(launch_argmax(dl->p, rows, vocab, am.p, nullptr));
        CUDA_OK(launch_apply_penalties(dl->p, rows, vocab, dp->p, di->p, dids->p, dc->p, df->p, nullptr));
        CUDA_OK(launch_sample(dl->p, rows, vocab, dp->p, out.p, nullptr));
        const auto got_am = from_dev(am.p, am.n), got = from_dev(out.p, out.n);
        for (int r = 0; r < rows; ++r) {
            std::vector<float> row(logits.begin() + static_cast<ptrdiff_t>(r) * vocab, logits.begin() + static_cast<ptrdiff_t>(r + 1) * vocab);
            EXPECT_EQ(got_am[static_cast<size_t>(r)], std::max_element(row.begin(), row.end()) - row.begin());
            SamplingParams sp;
            sp.temperature = p[static_cast<size_t>(r)].temperature;
            sp.top_k = p[static_cast<size_t>(r)].top_k;
            sp.top_p = p[static_cast<size_t>(r)].top_p;
            sp.min_p = p[static_cast<size_t>(r)].min_p;
            sp.repetition_penalty = p[static_cast<size_t>(r)].repetition_penalty;
            sp.frequency_penalty = p[static_cast<size_t>(r)].frequency_penalty;
            sp.presence_penalty = p[static_cast<size_t>(r)].presence_penalty;
            if (r == 5) {
                const std::vector<int32_t> prompt{0};
                const std::vector<int32_t> output{1, 2, 2, 3, 3, 3};
                apply_penalties(row, sp, prompt, output);
                if (vocab > 4) row[4] = -INFINITY;
            }
            int32_t expected;
            if (sp.greedy()) {
                expected = static_cast<int32_t>(std::max_element(row.begin(), row.end()) - row.begin());
            } else {
                for (float &x : row) x /= sp.temperature;
                const auto probs = truncated_probs(row, sp);
                double total = 0, c = 0;
                for (float q : probs) total += q;
                const double target = p[static_cast<size_t>(r)].uniform * total;
                expected = -1;
                for (size_t i = 0; i < probs.size() && expected < 0; ++i) {
                    if (probs[i] <= 0) continue;
                    c += probs[i];
                    if (target < c) expected = static_cast<int32_t>(i);
                }
                // The GPU sums the CDF in parallel, in another order than the host: when the draw
                // falls within rounding of a bucket's edge, the neighbouring token is as right.
                const int32_t g = got[static_cast<size_t>(r)];
                if (g != expected && g >= 0 && static_cast<size_t>(g) < probs.size() && probs[static_cast<size_t>(g)] > 0) {
                    double before = 0;
                    for (int32_t i = 0; i < g; ++i) before += probs[static_cast<size_t>(i)];
                    const double slack = 3e-5 * total;  // float accumulation over 152k terms
                    EXPECT_TRUE(target >= before - slack && target < before + probs[static_cast<size_t>(g)] + slack)
                        << "vocab " << vocab << " row " << r << ": token " << g << " covers [" << before << ", "
                        << before + probs[static_cast<size_t>(g)] << "), the draw is " << target;
                    continue;
                }
            }
            EXPECT_EQ(got[static_cast<size_t>(r)], expected) << "vocab " << vocab << " row " << r;
        }
    }
}
