// Paged decode attention (engine/cuda/attention_decode*.cu) against an fp64 CPU reference on
// awkward shapes: batch 1/19/111, context lengths 1, 7, 63, 64, 65, 1000, 4097, page sizes 1, 7
// and 16, GQA groups 1, 4, 7, 8 and 20 (two 16-head chunks), head_dim 64 and 128 (tensor-core
// kernel) and 96 (CUDA-core fallback), one split and several, more splits than tiles.
//
// Inputs are bf16 values. Every cache slot no sequence owns (the tail of each last page, spare
// pages) holds NaN, as do the output and partial buffers before the call: a kernel that reads past
// a sequence or leaves an output unwritten fails. Tolerance per output element, from the two bf16
// roundings the kernel makes (unit roundoff u = 2^-8): the probabilities p before P.V (error at most
// u * sum_i p_i |v_i|) and the output (u * |o|); the bound is twice their sum plus 1e-3 for the fp32
// arithmetic:  |gpu - ref| <= 2^-7 * (|ref| + sum_i p_i |v_i|) + 1e-3   (about 1e-2 to 4e-2 here).
#include <gtest/gtest.h>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "cuda/attention.cuh"
#include "cuda/attention_decode_kernels.cuh"
#include "cuda/attention_decode_plan.h"
#include "cuda_test_support.h"

using namespace slipway::engine::cuda;
using namespace slipway::engine::cuda::test;

namespace {

std::mt19937 &rng() {
    static std::mt19937 g(20251129);
    return g;
}

struct Shape {
    int nh, nkv, hd;
};

// A paged KV cache holding `lens` positions per sequence on shuffled pages (plus spare pages),
// NaN in every slot no position owns, and a fused qkv buffer of one query row per sequence.
struct DecodeFixture {
    Shape sh;
    int page_size;
    std::vector<int> lens;
    std::vector<int32_t> indptr{0}, indices;
    std::vector<float> k, v, q;  // k, v: [slots][nkv * hd]; q: [batch][stride]
    int64_t stride = 0;

    DecodeFixture(Shape s, int page, std::vector<int> lengths, float q_scale = 1.0f)
        : sh(s), page_size(page), lens(std::move(lengths)) {
        int total_pages = 0;
        for (int l : lens) total_pages += (l + page_size - 1) / page_size;
        std::vector<int32_t> perm(static_cast<size_t>(total_pages) + 3);
        std::iota(perm.begin(), perm.end(), 0);
        std::shuffle(perm.begin(), perm.end(), rng());
        const size_t kv_dim = static_cast<size_t>(sh.nkv) * sh.hd;
        k.assign(perm.size() * page_size * kv_dim, NAN);
        v.assign(k.size(), NAN);
        std::normal_distribution<float> d(0.0f, 1.0f);
        int at = 0;
        for (int l : lens) {
            for (int p = 0; p < (l + page_size - 1) / page_size; ++p) indices.push_back(perm[static_cast<size_t>(at++)]);
            indptr.push_back(static_cast<int32_t>(indices.size()));
            for (int pos = 0; pos < l; ++pos) {
                const size_t row = static_cast<size_t>(slot(static_cast<int>(indptr.size()) - 2, pos)) * kv_dim;
                for (size_t i = 0; i < kv_dim; ++i) {
                    k[row + i] = round_bf16(d(rng()));
                    v[row + i] = round_bf16(d(rng()));
                }
            }
        }
        // A row stride wider than the q, k and v columns, as a caller's padded buffer may be.
        stride = static_cast<int64_t>(sh.nh + 2 * sh.nkv) * sh.hd + 8;
        q.resize(lens.size() * static_cast<size_t>(stride));
        for (float &x : q) x = round_bf16(q_scale * d(rng()));
    }

    int64_t slot(int b, int pos) const {
        return static_cast<int64_t>(indices[static_cast<size_t>(indptr[static_cast<size_t>(b)] + pos / page_size)]) *
                   page_size + pos % page_size;
    }

    // fp64 attention of query head h of sequence b over positions [0, n): out[hd] and, per dim,
    // sum_i p_i |v_i| (the scale of the kernel's rounding error).
    void reference(int b, int h, int n, double *out, double *pv_abs) const {
        const int kvh = h / (sh.nh / sh.nkv);
        const size_t kv_dim = static_cast<size_t>(sh.nkv) * sh.hd;
        const float *qr = &q[static_cast<size_t>(b) * stride + static_cast<size_t>(h) * sh.hd];
        std::vector<double> s(static_cast<size_t>(n));
        double mx = -INFINITY;
        for (int p = 0; p < n; ++p) {
            const float *kr = &k[static_cast<size_t>(slot(b, p)) * kv_dim + static_cast<size_t>(kvh) * sh.hd];
            double dot = 0;
            for (int i = 0; i < sh.hd; ++i) dot += static_cast<double>(qr[i]) * kr[i];
            s[static_cast<size_t>(p)] = dot / std::sqrt(static_cast<double>(sh.hd));
            mx = std::max(mx, s[static_cast<size_t>(p)]);
        }
        double sum = 0;
        for (double &x : s) {
            x = std::exp(x - mx);
            sum += x;
        }
        std::fill(out, out + sh.hd, 0.0);
        std::fill(pv_abs, pv_abs + sh.hd, 0.0);
        for (int p = 0; p < n; ++p) {
            const float *vr = &v[static_cast<size_t>(slot(b, p)) * kv_dim + static_cast<size_t>(kvh) * sh.hd];
            const double w = s[static_cast<size_t>(p)] / sum;
            for (int i = 0; i < sh.hd; ++i) {
                out[i] += w * vr[i];
                pv_abs[i] += w * std::fabs(vr[i]);
            }
        }
    }

    // Expected outputs [batch][nh][hd] and their error scales for lengths `use` (each <= lens).
    void expected(const std::vector<int> &use, std::vector<double> &ref, std::vector<double> &scale) const {
        const size_t per = static_cast<size_t>(sh.nh) * sh.hd;
        ref.assign(use.size() * per, 0.0);
        scale.assign(ref.size(), 0.0);
        for (size_t b = 0; b < use.size(); ++b)
            for (int h = 0; h < sh.nh; ++h)
                reference(static_cast<int>(b), h, use[b], &ref[b * per + static_cast<size_t>(h) * sh.hd],
                          &scale[b * per + static_cast<size_t>(h) * sh.hd]);
    }
};

// Largest violation of the stated tolerance (> 0 fails; NaN counts as a violation) and where.
struct Check {
    double worst_excess = -INFINITY, max_abs = 0;
    size_t at = 0;
    bool ok() const { return worst_excess <= 0.0; }
};
Check compare(const std::vector<float> &got, const std::vector<double> &ref, const std::vector<double> &pv_abs) {
    Check c;
    for (size_t i = 0; i < got.size(); ++i) {
        const double err = std::fabs(static_cast<double>(got[i]) - ref[i]);
        const double tol = std::ldexp(std::fabs(ref[i]) + pv_abs[i], -7) + 1e-3;
        const double excess = std::isnan(err) ? INFINITY : err - tol;
        if (excess > c.worst_excess) {
            c.worst_excess = excess;
            c.at = i;
        }
        if (!std::isnan(err)) c.max_abs = std::max(c.max_abs, err);
    }
    return c;
}

struct DeviceCache {
    std::unique_ptr<Dev<bf16>> k, v, q;
    std::unique_ptr<Dev<int32_t>> indptr, indices, lens;
    PagedKv kv;
    explicit DeviceCache(const DecodeFixture &f) {
        k = to_bf16(f.k);
        v = to_bf16(f.v);
        q = to_bf16(f.q);
        indptr = to_dev(f.indptr);
        indices = to_dev(f.indices);
        lens = to_dev(std::vector<int32_t>(f.lens.begin(), f.lens.end()));
        kv = PagedKv{k->p,    v->p,     indptr->p, indices->p, f.page_size,
                     f.sh.nh, f.sh.nkv, f.sh.hd,   1.0f / std::sqrt(static_cast<float>(f.sh.hd))};
    }
};

struct Case {
    const char *name;
    Shape shape;
    int page_size;
    std::vector<int> lens;
    std::vector<int> splits;
    float q_scale = 1.0f;
};

// The edge lengths first, then random ones in [1, max_random] up to `batch` sequences.
std::vector<int> lengths(int batch, std::vector<int> edges, int max_random) {
    std::vector<int> l = std::move(edges);
    l.resize(std::min<size_t>(l.size(), static_cast<size_t>(batch)));
    while (static_cast<int>(l.size()) < batch) l.push_back(std::uniform_int_distribution<int>(1, max_random)(rng()));
    return l;
}

const std::vector<int> kEdges = {1, 7, 63, 64, 65, 1000, 4097, 128, 129, 2};

} // namespace

TEST(CudaAttentionDecode, MatchesReferenceOnAwkwardShapes) {
    int device = 0, major = 0;
    CUDA_OK(cudaGetDevice(&device));
    CUDA_OK(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device));
    const std::vector<Case> cases = {
        {"g7 hd128 page16 batch1 ctx1", {28, 4, 128}, 16, {1}, {1, 4, 32}},
        {"g7 hd128 page16 batch1 ctx4097", {28, 4, 128}, 16, {4097}, {1, 7, 32}},
        {"g7 hd128 page16 batch19 edge lengths", {28, 4, 128}, 16, lengths(19, kEdges, 1100), {1, 3, 8}},
        {"g7 hd128 page1 batch19 edge lengths", {28, 4, 128}, 1, lengths(19, kEdges, 1100), {1, 5}},
        {"g7 hd128 page7 batch19", {28, 4, 128}, 7, lengths(19, {65, 1, 64}, 700), {1, 3}},
        {"g7 hd128 page16 batch111", {28, 4, 128}, 16, lengths(111, {1, 7, 63, 64, 65, 1000}, 600), {1, 2}},
        {"g7 hd128 page16 batch19 peaky softmax (q x4)", {28, 4, 128}, 16, lengths(19, kEdges, 900), {1, 4}, 4.0f},
        {"g1 hd128 page16 batch19", {8, 8, 128}, 16, lengths(19, kEdges, 900), {1, 6}},
        {"g8 hd128 page1 batch19", {8, 1, 128}, 1, lengths(19, kEdges, 900), {1, 3}},
        {"g20 hd128 page16 batch19 (two head chunks)", {40, 2, 128}, 16, lengths(19, kEdges, 900), {1, 3}},
        {"g4 hd64 page1 batch19", {16, 4, 64}, 1, lengths(19, kEdges, 900), {1, 3}},
        {"g8 hd64 page16 batch19", {16, 2, 64}, 16, lengths(19, kEdges, 900), {1, 4}},
        {"g7 hd64 page16 batch111", {28, 4, 64}, 16, lengths(111, {1, 7, 63, 64, 65, 1000}, 600), {1, 2}},
        {"g7 hd96 page16 batch19 (CUDA-core fallback)", {28, 4, 96}, 16, lengths(19, kEdges, 900), {1, 3}},
    };
    for (const Case &c : cases) {
        SCOPED_TRACE(c.name);
        DecodeFixture f(c.shape, c.page_size, c.lens, c.q_scale);
        DeviceCache d(f);
        // head_dim 64/128 must take the tensor-core kernel on sm_80+, or this test checks the fallback twice.
        EXPECT_EQ(decode_mma_supported(d.kv), major >= 8 && (c.shape.hd == 64 || c.shape.hd == 128));
        std::vector<double> ref, pv_abs;
        f.expected(f.lens, ref, pv_abs);
        const int batch = static_cast<int>(f.lens.size());
        for (int splits : c.splits) {
            Dev<float> partial(decode_partial_floats(batch, c.shape.nh, c.shape.hd, splits));
            Dev<bf16> out(ref.size());
            CUDA_OK(launch_decode_attention(d.kv, d.q->p, f.stride, d.lens->p, batch, splits, partial.p, out.p, nullptr));
            CUDA_OK(cudaDeviceSynchronize());
            const Check chk = compare(from_bf16(out.p, out.n), ref, pv_abs);
            const size_t per = static_cast<size_t>(c.shape.nh) * c.shape.hd;
            EXPECT_TRUE(chk.ok()) << "splits " << splits << ": worst element b=" << chk.at / per
                                  << " h=" << chk.at % per / c.shape.hd << " d=" << chk.at % c.shape.hd
                                  << " (len " << f.lens[chk.at / per] << ") exceeds its tolerance by "
                                  << chk.worst_excess << "; max |err| " << chk.max_abs;
        }
    }
}

// A captured graph keeps its split count and reads the lengths from the device at replay, so one
// graph serves growing sequences (the runner's decode graphs).
TEST(CudaAttentionDecode, CapturedGraphFollowsDeviceLengths) {
    const Shape sh{28, 4, 128};
    const std::vector<int> grown = lengths(19, kEdges, 1100);
    std::vector<int> first(grown.size());
    for (size_t i = 0; i < grown.size(); ++i) first[i] = std::max(1, grown[i] / 3);
    DecodeFixture f(sh, 16, grown);
    DeviceCache d(f);
    const int batch = static_cast<int>(grown.size());
    const int splits = decode_attention_splits(batch, sh.nh, sh.nkv, sh.hd, 132, 0);
    ASSERT_GT(splits, 1) << "the graph should exercise the split merge";
    Dev<float> partial(decode_partial_floats(batch, sh.nh, sh.hd, splits));
    Dev<bf16> out(static_cast<size_t>(batch) * sh.nh * sh.hd);
    const std::vector<int32_t> first32(first.begin(), first.end());
    CUDA_OK(cudaMemcpy(d.lens->p, first32.data(), first32.size() * 4, cudaMemcpyHostToDevice));

    cudaStream_t stream = nullptr;
    CUDA_OK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
    cudaGraph_t graph = nullptr;
    cudaGraphExec_t exec = nullptr;
    CUDA_OK(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal));
    const cudaError_t launched =
        launch_decode_attention(d.kv, d.q->p, f.stride, d.lens->p, batch, splits, partial.p, out.p, stream);
    CUDA_OK(cudaStreamEndCapture(stream, &graph));
    CUDA_OK(launched);
    CUDA_OK(cudaGraphInstantiate(&exec, graph, 0));

    std::vector<double> ref, pv_abs;
    for (const std::vector<int> *use : {&std::as_const(first), &grown}) {
        const std::vector<int32_t> l32(use->begin(), use->end());
        CUDA_OK(cudaMemcpyAsync(d.lens->p, l32.data(), l32.size() * 4, cudaMemcpyHostToDevice, stream));
        CUDA_OK(cudaMemsetAsync(out.p, 0xff, out.n * sizeof(bf16), stream));
        CUDA_OK(cudaGraphLaunch(exec, stream));
        CUDA_OK(cudaStreamSynchronize(stream));
        f.expected(*use, ref, pv_abs);
        const Check chk = compare(from_bf16(out.p, out.n), ref, pv_abs);
        EXPECT_TRUE(chk.ok()) << (use == &first ? "first" : "grown") << " lengths: worst excess " << chk.worst_excess
                              << " at " << chk.at;
    }
    cudaGraphExecDestroy(exec);
    cudaGraphDestroy(graph);
    cudaStreamDestroy(stream);
}

// The split policy fills the GPU, stays within kMaxDecodeSplits and a known length's tile count,
// and the runner's partial buffer (sized by decode_partial_floats) is enough for what it picks.
TEST(CudaAttentionDecode, SplitPolicyFillsTheGpu) {
    const int sms = 132;
    for (int batch : {1, 8, 19, 64, 111, 128, 256}) {
        SCOPED_TRACE("batch " + std::to_string(batch));
        const int s = decode_attention_splits(batch, 28, 4, 128, sms, 0);
        EXPECT_GE(s, 1);
        EXPECT_LE(s, kMaxDecodeSplits);
        // 3 resident 128-thread blocks per SM at head_dim 128: at least half a full set unless
        // the cap binds.
        EXPECT_TRUE(2 * static_cast<int64_t>(batch) * 4 * s >= 3 * sms || s == kMaxDecodeSplits);
        // No more splits than needed: one fewer would not reach half a set, or fill all of it.
        if (s > 1) {
            EXPECT_LT(2 * static_cast<int64_t>(batch) * 4, 3 * sms);
            EXPECT_LT(static_cast<int64_t>(batch) * 4 * (s - 1), 3 * sms);
        }
        EXPECT_EQ(decode_attention_splits(batch, 28, 4, 128, sms, 1), 1);
        EXPECT_LE(decode_attention_splits(batch, 28, 4, 128, sms, 200), 4);  // 200 keys = 4 tiles
    }
    EXPECT_EQ(decode_attention_splits(256, 28, 4, 128, sms, 1024), 1);
    EXPECT_EQ(decode_attention_splits(64, 28, 4, 128, sms, 1024), 1);
    EXPECT_EQ(decode_attention_splits(32, 28, 4, 128, sms, 1024), 4);
    EXPECT_EQ(decode_partial_floats(64, 28, 128, 1), 0u);
    EXPECT_EQ(decode_partial_floats(64, 28, 128, 2), size_t{64} * 28 * 2 * 130);
}

TEST(CudaAttentionDecode, RejectsBadShapes) {
    PagedKv kv;
    kv.num_heads = 28;
    kv.num_kv_heads = 4;
    kv.head_dim = 100;  // not a multiple of 8
    kv.page_size = 16;
    Dev<bf16> out(28 * 128);
    EXPECT_EQ(launch_decode_attention(kv, nullptr, 0, nullptr, 1, 1, nullptr, out.p, nullptr), cudaErrorInvalidValue);
    kv.head_dim = 128;
    kv.num_heads = 30;  // not a multiple of the KV heads
    EXPECT_EQ(launch_decode_attention(kv, nullptr, 0, nullptr, 1, 1, nullptr, out.p, nullptr), cudaErrorInvalidValue);
    kv.num_heads = 28;
    EXPECT_EQ(launch_decode_attention(kv, nullptr, 0, nullptr, 1, 2, nullptr, out.p, nullptr), cudaErrorInvalidValue)
        << "splits > 1 need a partial buffer";
    (void)cudaGetLastError();
}
