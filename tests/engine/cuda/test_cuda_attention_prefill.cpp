// launch_prefill_attention() against an fp32 CPU reference on awkward ragged batches: query
// lengths 1, 19, 111, 989 (partial 64-row tiles, one row, 16 tiles), cached prefixes of 0, 5, 64
// and 130 tokens (chunked prefill: diagonals that do not line up with the 64-key tiles), page
// sizes 1 and 16 (and 7), GQA groups of 1, 7 and 8, head dims 64 and 128 (the mma.sync kernel)
// and 96 / 24 (the WMMA fallback).
//
// Poison: the output starts as NaN (every element must be written); cache slots no sequence
// owns, including the unused tail of each sequence's last page, and the K/V columns of the fused
// qkv rows hold NaN (none of them may be read into a result).
//
// Tolerance. Inputs are bf16 and the reference computes in fp32 from the same values. The kernel
// rounds P to bf16 (relative 2^-9 a weight) and the output once more to bf16 (2^-9), so each
// sequence's output must be within 5e-3 of the reference in relative L2 norm (~2e-3 in a host emulation of the kernel),
// and each element within 1e-2 + 1e-2 * |ref|. A wrong key tile, mask or fragment layout moves
// the norm error to 1e-1 and more.
//
// PrefillAttentionSpeed times the kernel on the R1-Distill-Qwen-7B shape against the WMMA kernel
// it replaced and prints both (TFLOP/s).
#include <gtest/gtest.h>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <numeric>
#include <ostream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "cpu/cpu_kernels.h"
#include "cuda/attention.cuh"
#include "cuda/attention_prefill_wmma.cuh"
#include "cuda_test_support.h"

using namespace slipway::engine;
using namespace slipway::engine::cuda;
using namespace slipway::engine::cuda::test;

namespace {

std::mt19937 &rng() {
    static std::mt19937 g(20261128);
    return g;
}

// Every device allocation and copy of this test is checked (an EXPECT failure names a failing call).
constexpr CudaErrors kChecked = CudaErrors::Expect;

struct Seq {
    int ctx;    // tokens already cached (chunked prefill)
    int q_len;  // new query rows
};

struct Case {
    const char *name;
    int nh, nkv, hd, page_size;
    float q_scale;  // larger: peakier softmax, more running-max rescales
    std::vector<Seq> seqs;
};

// The paged cache and queries of one case, the tile plan of CudaModelRunner::plan(), and the
// fp32 reference.
struct Problem {
    Case c;
    int T = 0, stride = 0, kv_dim = 0;
    std::vector<int32_t> indptr{0}, indices, q_starts, q_lens, ctx_lens, tile_seq, tile_row;
    std::vector<float> k, v, qkv;  // k, v: [slots][kv_dim]; qkv: [T][stride]
    int64_t slots = 0;

    explicit Problem(const Case &cs) : c(cs) {
        const int ps = c.page_size;
        kv_dim = c.nkv * c.hd;
        stride = (c.nh + 2 * c.nkv) * c.hd;
        int total_pages = 0;
        for (const Seq &s : c.seqs) total_pages += (s.ctx + s.q_len + ps - 1) / ps;
        std::vector<int32_t> perm(static_cast<size_t>(total_pages) + 5);  // 5 spare pages, never listed
        std::iota(perm.begin(), perm.end(), 0);
        std::shuffle(perm.begin(), perm.end(), rng());
        slots = static_cast<int64_t>(perm.size()) * ps;
        k.assign(static_cast<size_t>(slots) * kv_dim, NAN);
        v.assign(k.size(), NAN);
        std::normal_distribution<float> nd(0.0f, 1.0f);
        size_t at = 0;
        for (size_t b = 0; b < c.seqs.size(); ++b) {
            const Seq &s = c.seqs[b];
            const int len = s.ctx + s.q_len;
            for (int p = 0; p < (len + ps - 1) / ps; ++p) indices.push_back(perm[at++]);
            indptr.push_back(static_cast<int32_t>(indices.size()));
            for (int pos = 0; pos < len; ++pos) {
                const size_t base = static_cast<size_t>(slot(static_cast<int>(b), pos)) * kv_dim;
                for (int i = 0; i < kv_dim; ++i) {
                    k[base + i] = round_bf16(nd(rng()));
                    v[base + i] = round_bf16(nd(rng()));
                }
            }
            q_starts.push_back(T);
            q_lens.push_back(s.q_len);
            ctx_lens.push_back(s.ctx);
            for (int r = 0; r < s.q_len; r += kPrefillTileRows) {
                tile_seq.push_back(static_cast<int32_t>(b));
                tile_row.push_back(r);
            }
            T += s.q_len;
        }
        qkv.assign(static_cast<size_t>(T) * stride, NAN);  // K/V columns stay NaN
        for (int t = 0; t < T; ++t)
            for (int i = 0; i < c.nh * c.hd; ++i) qkv[static_cast<size_t>(t) * stride + i] = round_bf16(c.q_scale * nd(rng()));
    }

    int64_t slot(int b, int pos) const {
        const int ps = c.page_size;
        return static_cast<int64_t>(indices[static_cast<size_t>(indptr[static_cast<size_t>(b)] + pos / ps)]) * ps + pos % ps;
    }

    // fp32 reference, [T][nh * hd]: query row r of sequence b attends positions [0, ctx + r].
    std::vector<float> reference() const {
        std::vector<float> out(static_cast<size_t>(T) * c.nh * c.hd);
        const float scale = 1.0f / std::sqrt(static_cast<float>(c.hd));
        const int group = c.nh / c.nkv;
        for (size_t b = 0; b < c.seqs.size(); ++b) {
            const Seq &s = c.seqs[b];
            const int len = s.ctx + s.q_len;
            for (int kvh = 0; kvh < c.nkv; ++kvh) {
                // This KV head's keys and values of the sequence, in position order.
                std::vector<float> kk(static_cast<size_t>(len) * c.hd), vv(kk.size());
                for (int pos = 0; pos < len; ++pos) {
                    const size_t src = static_cast<size_t>(slot(static_cast<int>(b), pos)) * kv_dim + static_cast<size_t>(kvh) * c.hd;
                    std::copy_n(&k[src], c.hd, &kk[static_cast<size_t>(pos) * c.hd]);
                    std::copy_n(&v[src], c.hd, &vv[static_cast<size_t>(pos) * c.hd]);
                }
                std::vector<float> p(static_cast<size_t>(len));
                for (int r = 0; r < s.q_len; ++r) {
                    const int n = s.ctx + r + 1;
                    const size_t t = static_cast<size_t>(q_starts[b] + r);
                    for (int h = kvh * group; h < (kvh + 1) * group; ++h) {
                        const float *qrow = &qkv[t * stride + static_cast<size_t>(h) * c.hd];
                        float mx = -INFINITY;
                        for (int j = 0; j < n; ++j) {
                            p[static_cast<size_t>(j)] = dot(qrow, &kk[static_cast<size_t>(j) * c.hd], c.hd) * scale;
                            mx = std::max(mx, p[static_cast<size_t>(j)]);
                        }
                        float sum = 0.0f;
                        for (int j = 0; j < n; ++j) sum += p[static_cast<size_t>(j)] = std::exp(p[static_cast<size_t>(j)] - mx);
                        float *o = &out[(t * c.nh + static_cast<size_t>(h)) * c.hd];
                        for (int j = 0; j < n; ++j) {
                            const float w = p[static_cast<size_t>(j)] / sum;
                            const float *vr = &vv[static_cast<size_t>(j) * c.hd];
                            for (int i = 0; i < c.hd; ++i) o[i] += w * vr[i];
                        }
                    }
                }
            }
        }
        return out;
    }
};

std::string seqs_text(const std::vector<Seq> &seqs) {
    std::string s;
    for (const Seq &q : seqs) s += (s.empty() ? "" : ", ") + std::to_string(q.ctx) + "+" + std::to_string(q.q_len);
    return "{" + s + "}";
}

// gtest prints a failing parameter with this (instead of its bytes).
void PrintTo(const Case &c, std::ostream *os) {
    *os << c.name << ": " << c.nh << " q heads, " << c.nkv << " KV heads, head_dim " << c.hd << ", page size "
        << c.page_size << ", (ctx+q_len) " << seqs_text(c.seqs);
}

class PrefillAttention : public ::testing::TestWithParam<Case> {};

} // namespace

TEST_P(PrefillAttention, MatchesFp32Reference) {
    const Case &c = GetParam();
    const Problem pr(c);
    auto dq = to_bf16(pr.qkv, kChecked);
    auto dk = to_bf16(pr.k, kChecked);
    auto dv = to_bf16(pr.v, kChecked);
    auto dptr = to_dev(pr.indptr, kChecked), dind = to_dev(pr.indices, kChecked);
    auto dqs = to_dev(pr.q_starts, kChecked), dql = to_dev(pr.q_lens, kChecked), dctx = to_dev(pr.ctx_lens, kChecked);
    auto dts = to_dev(pr.tile_seq, kChecked), dtr = to_dev(pr.tile_row, kChecked);
    Dev<bf16> out(static_cast<size_t>(pr.T) * c.nh * c.hd, kChecked);  // NaN-poisoned
    PagedKv kv{dk->p, dv->p, dptr->p, dind->p, c.page_size, c.nh, c.nkv, c.hd, 1.0f / std::sqrt(static_cast<float>(c.hd))};
    ASSERT_EQ(launch_prefill_attention(kv, dq->p, pr.stride, dqs->p, dql->p, dctx->p, dts->p, dtr->p,
                                       static_cast<int>(pr.tile_seq.size()), out.p, nullptr),
              cudaSuccess);
    ASSERT_EQ(cudaDeviceSynchronize(), cudaSuccess) << cudaGetErrorString(cudaGetLastError());
    const std::vector<float> got = from_bf16(out.p, out.n, kChecked);
    const std::vector<float> ref = pr.reference();

    const size_t row_elems = static_cast<size_t>(c.nh) * c.hd;
    for (size_t b = 0; b < c.seqs.size(); ++b) {
        const size_t begin = static_cast<size_t>(pr.q_starts[b]) * row_elems;
        const size_t end = begin + static_cast<size_t>(c.seqs[b].q_len) * row_elems;
        double num = 0, den = 0;
        size_t bad = 0;
        for (size_t i = begin; i < end; ++i) {
            const double d = static_cast<double>(got[i]) - ref[i];
            if (!(std::abs(d) <= 1e-2 + 1e-2 * std::abs(ref[i]))) {  // NaN fails too
                if (bad++ < 5) {
                    const size_t row = i / row_elems, h = i % row_elems / static_cast<size_t>(c.hd);
                    ADD_FAILURE() << "sequence " << b << " (ctx " << c.seqs[b].ctx << ", q_len " << c.seqs[b].q_len
                                  << ") query row " << row - static_cast<size_t>(pr.q_starts[b]) << " head " << h
                                  << " dim " << i % static_cast<size_t>(c.hd) << ": " << got[i] << ", expected " << ref[i];
                }
                continue;
            }
            num += d * d;
            den += static_cast<double>(ref[i]) * ref[i];
        }
        EXPECT_EQ(bad, 0u) << "sequence " << b << " of " << seqs_text(c.seqs);
        EXPECT_LE(std::sqrt(num / std::max(den, 1e-30)), 5e-3)
            << "relative L2 error, sequence " << b << " (ctx " << c.seqs[b].ctx << ", q_len " << c.seqs[b].q_len << ")";
    }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, PrefillAttention,
    ::testing::Values(
        // The R1-Distill-Qwen-7B head layout (28 q heads, 4 KV heads, 128) in a ragged batch.
        Case{"hd128_group7_ps16_ragged", 28, 4, 128, 16, 1.0f,
             {{0, 1}, {5, 19}, {64, 111}, {130, 19}, {0, 111}, {130, 1}, {64, 64}, {5, 128}}},
        Case{"hd128_group7_ps16_989_after_130", 7, 1, 128, 16, 1.0f, {{130, 989}}},
        Case{"hd128_group8_ps1_ragged", 16, 2, 128, 1, 1.0f, {{130, 111}, {0, 19}, {64, 1}, {5, 65}}},
        Case{"hd128_group1_ps16_989", 4, 4, 128, 16, 1.0f, {{0, 989}, {5, 1}}},
        Case{"hd128_group7_ps1_peaked", 7, 1, 128, 1, 4.0f, {{130, 111}, {5, 1}, {0, 19}}},
        Case{"hd64_group1_ps1_989_after_5", 4, 4, 64, 1, 1.0f, {{5, 989}, {130, 19}}},
        Case{"hd64_group7_ps16_ragged", 14, 2, 64, 16, 1.0f,
             {{0, 1}, {5, 19}, {64, 111}, {130, 19}, {0, 111}, {130, 1}}},
        Case{"hd64_group8_ps16_peaked", 8, 1, 64, 16, 4.0f, {{64, 989}, {0, 19}}},
        Case{"hd64_group8_ps7", 8, 1, 64, 7, 1.0f, {{130, 111}, {5, 19}, {0, 1}}},
        // Other head dims take the WMMA fallback.
        Case{"hd96_fallback_group7_ps16", 7, 1, 96, 16, 1.0f, {{5, 111}, {0, 19}, {130, 1}}},
        Case{"hd24_fallback_group2_ps1", 4, 2, 24, 1, 1.0f, {{64, 19}, {0, 70}}}),
    [](const ::testing::TestParamInfo<Case> &info) { return std::string(info.param.name); });

TEST(PrefillAttentionLaunch, RejectsUnsupportedShapesAndSkipsEmptyBatches) {
    Dev<bf16> buf(64, kChecked);
    Dev<int32_t> meta(8, kChecked);
    PagedKv kv{buf.p, buf.p, meta.p, meta.p, 16, 28, 4, 128, 0.088f};
    auto launch = [&](const PagedKv &k, int64_t stride, int tiles) {
        return launch_prefill_attention(k, buf.p, stride, meta.p, meta.p, meta.p, meta.p, meta.p, tiles, buf.p, nullptr);
    };
    EXPECT_EQ(launch(kv, 36 * 128, 0), cudaSuccess);  // nothing to do: no launch, no read
    PagedKv bad = kv;
    bad.head_dim = 136;  // over 128
    EXPECT_EQ(launch(bad, 36 * 136, 1), cudaErrorInvalidValue);
    bad = kv;
    bad.head_dim = 60;  // not a multiple of 8
    EXPECT_EQ(launch(bad, 36 * 60, 1), cudaErrorInvalidValue);
    bad = kv;
    bad.num_kv_heads = 3;  // 28 query heads do not split into 3 groups
    EXPECT_EQ(launch(bad, 34 * 128, 1), cudaErrorInvalidValue);
    EXPECT_EQ(launch(kv, 36 * 128 + 4, 1), cudaErrorInvalidValue);  // rows not 16-byte aligned
    bad = kv;
    bad.page_size = 0;
    EXPECT_EQ(launch(bad, 36 * 128, 1), cudaErrorInvalidValue);
    EXPECT_EQ(cudaDeviceSynchronize(), cudaSuccess);
}

// The R1-Distill-Qwen-7B attention shape (28 q heads, 4 KV heads, head_dim 128, page size 16) on
// one 1k and one 4k prompt: the mma.sync kernel against the WMMA kernel it replaced. Prints the
// time and TFLOP/s of each (causal FLOPs: 4 * head_dim per visible (row, key) pair and head),
// requires the two outputs to agree (relative L2 1e-2: both round P to bf16, in different
// places) and the new kernel to be at least 3x faster.
TEST(PrefillAttentionSpeed, MmaKernelBeatsWmmaOnR1DistillShape) {
    const int nh = 28, nkv = 4, hd = 128, ps = 16, stride = (nh + 2 * nkv) * hd;
    for (int P : {1024, 4096}) {
        const int pages = (P + ps - 1) / ps;
        std::vector<int32_t> indptr{0, pages}, indices(static_cast<size_t>(pages));
        std::iota(indices.begin(), indices.end(), 0);
        std::shuffle(indices.begin(), indices.end(), rng());
        std::vector<int32_t> q_starts{0}, q_lens{P}, ctx_lens{0}, tile_seq, tile_row;
        for (int r = 0; r < P; r += kPrefillTileRows) {
            tile_seq.push_back(0);
            tile_row.push_back(r);
        }
        std::uniform_real_distribution<float> u(-2.0f, 2.0f);
        std::vector<float> qkv(static_cast<size_t>(P) * stride), kc(static_cast<size_t>(pages) * ps * nkv * hd), vc(kc.size());
        for (float &x : qkv) x = u(rng());
        for (float &x : kc) x = u(rng());
        for (float &x : vc) x = u(rng());
        auto dq = to_bf16(qkv, kChecked);
        auto dk = to_bf16(kc, kChecked);
        auto dv = to_bf16(vc, kChecked);
        auto dptr = to_dev(indptr, kChecked), dind = to_dev(indices, kChecked);
        auto dqs = to_dev(q_starts, kChecked), dql = to_dev(q_lens, kChecked), dctx = to_dev(ctx_lens, kChecked);
        auto dts = to_dev(tile_seq, kChecked), dtr = to_dev(tile_row, kChecked);
        const int tiles = static_cast<int>(tile_seq.size());
        PagedKv kv{dk->p, dv->p, dptr->p, dind->p, ps, nh, nkv, hd, 1.0f / std::sqrt(static_cast<float>(hd))};
        Dev<bf16> out_mma(static_cast<size_t>(P) * nh * hd, kChecked), out_wmma(out_mma.n, kChecked);
        cudaEvent_t t0, t1;
        ASSERT_EQ(cudaEventCreate(&t0), cudaSuccess);
        ASSERT_EQ(cudaEventCreate(&t1), cudaSuccess);
        auto time_us = [&](auto &&launch) {
            for (int i = 0; i < 2; ++i) EXPECT_EQ(launch(), cudaSuccess);  // warm-up
            const int reps = 10;
            EXPECT_EQ(cudaEventRecord(t0), cudaSuccess);
            for (int i = 0; i < reps; ++i) EXPECT_EQ(launch(), cudaSuccess);
            EXPECT_EQ(cudaEventRecord(t1), cudaSuccess);
            EXPECT_EQ(cudaEventSynchronize(t1), cudaSuccess);
            float ms = 0;
            EXPECT_EQ(cudaEventElapsedTime(&ms, t0, t1), cudaSuccess);
            return 1e3 * ms / reps;
        };
        const double mma_us = time_us([&] {
            return launch_prefill_attention(kv, dq->p, stride, dqs->p, dql->p, dctx->p, dts->p, dtr->p, tiles, out_mma.p,
                                            nullptr);
        });
        const double wmma_us = time_us([&] {
            return launch_prefill_attention_wmma(kv, dq->p, stride, dqs->p, dql->p, dctx->p, dts->p, dtr->p, tiles,
                                                 out_wmma.p, nullptr);
        });
        cudaEventDestroy(t0);
        cudaEventDestroy(t1);
        ASSERT_EQ(cudaDeviceSynchronize(), cudaSuccess);
        const double flops = 4.0 * hd * nh * (static_cast<double>(P) * (P + 1) / 2);
        std::printf("prefill attention, %d-token prompt, 28/4 heads x 128: mma.sync %.1f us (%.1f TFLOP/s), "
                    "WMMA %.1f us (%.1f TFLOP/s), %.2fx\n",
                    P, mma_us, flops / mma_us * 1e-6, wmma_us, flops / wmma_us * 1e-6, wmma_us / mma_us);
        const auto a = from_bf16(out_mma.p, out_mma.n, kChecked), b = from_bf16(out_wmma.p, out_wmma.n, kChecked);
        double num = 0, den = 0;
        for (size_t i = 0; i < a.size(); ++i) {
            num += (static_cast<double>(a[i]) - b[i]) * (static_cast<double>(a[i]) - b[i]);
            den += static_cast<double>(b[i]) * b[i];
        }
        EXPECT_LE(std::sqrt(num / std::max(den, 1e-30)), 1e-2) << P << " tokens";  // NaN fails too
        EXPECT_GE(wmma_us / mma_us, 3.0) << P << " tokens";
    }
}
