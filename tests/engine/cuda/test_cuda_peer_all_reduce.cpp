// The peer-memory all-reduce of one node's TP ranks (engine/cuda/peer_group.h,
// peer_all_reduce.cuh) on two GPUs, in push mode (inboxes), pull mode (barrier + reads) and the
// two interleaved (the engine mixes pushes with the head's barrier): the fused sum + residual add
// + RMSNorm against a host reference for each mode and for 1 to 300 rows, push and pull bit for
// bit the same, hundreds of back-to-back calls of varying rows (epochs, inbox slots), a NaN
// partial that looks like an empty inbox element, and a kernel whose peer never arrives: abort()
// and the timeout both end its wait and the group says why. Skips below two GPUs.
#include <cuda_bf16.h>
#include <cuda_runtime.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

#include "cuda/peer_all_reduce.cuh"
#include "cuda/peer_group.h"
#include "cuda_test_support.h"

using namespace slipway::engine;
using namespace slipway::engine::cuda;
using namespace slipway::engine::cuda::test;

namespace {

#define REQUIRE_TWO_GPUS()                                                                        \
    do {                                                                                          \
        if (gpu_count() < 2) GTEST_SKIP() << "the peer all-reduce needs 2 GPUs; " << gpu_count() \
                                          << " visible";                                          \
    } while (0)

// One rank's device state for a test: x (fp32 residual), w, out, a stream.
struct Rank {
    int device = 0;
    cudaStream_t stream = nullptr;
    float *x = nullptr;
    __nv_bfloat16 *w = nullptr, *out = nullptr;
    int32_t *src = nullptr;
    ~Rank() {
        cudaSetDevice(device);
        if (stream) cudaStreamDestroy(stream);
        cudaFree(x);
        cudaFree(w);
        cudaFree(out);
        cudaFree(src);
    }
};

void reference(PeerNorm mode, const std::vector<std::vector<float>> &parts, std::vector<float> &x,
               const std::vector<float> &w, const std::vector<int32_t> &src, int rows, int hidden, float eps,
               std::vector<float> &out) {
    out.assign(static_cast<size_t>(rows) * hidden, 0.0f);
    for (int r = 0; r < rows; ++r) {
        const size_t s = static_cast<size_t>(mode == PeerNorm::Gather ? src[static_cast<size_t>(r)] : r);
        std::vector<float> v(static_cast<size_t>(hidden));
        double ss = 0;
        for (int i = 0; i < hidden; ++i) {
            float sum = 0.0f;
            for (const auto &p : parts) sum += p[s * hidden + i];  // rank order, as the kernel
            sum = round_bf16(sum);                                   // as NCCL's bf16 result
            if (mode != PeerNorm::Init) sum += x[s * hidden + i];
            v[static_cast<size_t>(i)] = sum;
            ss += static_cast<double>(sum) * sum;
        }
        if (mode != PeerNorm::Gather)
            for (int i = 0; i < hidden; ++i) x[s * hidden + i] = v[static_cast<size_t>(i)];
        const double inv = 1.0 / std::sqrt(ss / hidden + eps);
        for (int i = 0; i < hidden; ++i)
            out[static_cast<size_t>(r) * hidden + i] = static_cast<float>(w[static_cast<size_t>(i)] * (v[static_cast<size_t>(i)] * inv));
    }
}

enum class Exchange { Push, Pull, Mixed };  // Mixed: push on even calls, pull on odd ones

struct CaseResult {
    std::vector<float> x;            // rank 0's residual after the last call
    std::vector<__nv_bfloat16> out;  // rank 0's output of the last call
};

// Runs `calls` fused all-reduces of `mode` on both ranks (buffer `which` alternating when
// `alternate`; every third call on a third of the rows when `vary_rows`), with fresh partials
// before each, and checks x and out against the reference.
void run_case(PeerNorm mode, int rows, int hidden, int calls, bool alternate, Exchange exchange,
              bool vary_rows = false, CaseResult *result = nullptr, int world = 2) {
    static const char *names[] = {"push", "pull", "mixed"};
    SCOPED_TRACE(std::string(names[static_cast<int>(exchange)]) + " mode " + std::to_string(static_cast<int>(mode)) +
                 " rows " + std::to_string(rows) + " hidden " + std::to_string(hidden) + " ranks " +
                 std::to_string(world));
    auto group = PeerGroup::create(world, 0, 512, hidden, 20000);
    ASSERT_TRUE(group.ok()) << group.message();
    std::mt19937 rng(static_cast<unsigned>(rows * 131 + hidden));
    const int table_rows = mode == PeerNorm::Gather ? rows + 3 : rows;
    const size_t n = static_cast<size_t>(table_rows) * hidden;
    std::vector<float> x = random_uniform_bf16_values(n, rng, -4.0f, 4.0f),
                       w = random_uniform_bf16_values(static_cast<size_t>(hidden), rng, -1.5f, 1.5f);
    std::vector<int32_t> src(static_cast<size_t>(rows));
    for (int r = 0; r < rows; ++r) src[static_cast<size_t>(r)] = (r * 7 + 2) % table_rows;
    std::vector<Rank> ranks(static_cast<size_t>(world));
    for (int k = 0; k < world; ++k) {
        Rank &rk = ranks[static_cast<size_t>(k)];
        rk.device = k;
        CUDA_OK_RC(cudaSetDevice(k));
        CUDA_OK_RC(cudaStreamCreateWithFlags(&rk.stream, cudaStreamNonBlocking));
        CUDA_OK_RC(cudaMalloc(&rk.x, n * 4));
        CUDA_OK_RC(cudaMalloc(&rk.w, static_cast<size_t>(hidden) * 2));
        CUDA_OK_RC(cudaMalloc(&rk.out, static_cast<size_t>(rows) * hidden * 2));
        CUDA_OK_RC(cudaMalloc(&rk.src, static_cast<size_t>(rows) * 4));
        CUDA_OK_RC(cudaMemcpy(rk.x, x.data(), n * 4, cudaMemcpyHostToDevice));
        const auto wb = to_bf16_host(w);
        CUDA_OK_RC(cudaMemcpy(rk.w, wb.data(), wb.size() * 2, cudaMemcpyHostToDevice));
        CUDA_OK_RC(cudaMemcpy(rk.src, src.data(), src.size() * 4, cudaMemcpyHostToDevice));
    }
    std::vector<float> ref_out;
    const float eps = 1e-6f;
    for (int call = 0; call < calls; ++call) {
        const int which = alternate ? call % 2 : 0;
        const int call_rows = vary_rows && call % 3 == 1 && call + 1 < calls ? std::max(1, rows / 3) : rows;
        const bool push = exchange == Exchange::Push || (exchange == Exchange::Mixed && call % 2 == 0);
        std::vector<std::vector<float>> parts(static_cast<size_t>(world));
        for (int k = 0; k < world; ++k) {
            parts[static_cast<size_t>(k)] = random_uniform_bf16_values(n, rng, -2.0f, 2.0f);
            const auto pb = to_bf16_host(parts[static_cast<size_t>(k)]);
            CUDA_OK_RC(cudaSetDevice(k));
            // The previous call's kernels must be done before the host rewrites a buffer
            // (in the engine the stream order and the barrier guarantee it).
            CUDA_OK_RC(cudaStreamSynchronize(ranks[static_cast<size_t>(k)].stream));
            CUDA_OK_RC(cudaMemcpy(group.value()->view(k).buf[which][k], pb.data(), n * 2, cudaMemcpyHostToDevice));
        }
        for (int k = 0; k < world; ++k) {  // all launched before any is waited on
            Rank &rk = ranks[static_cast<size_t>(k)];
            CUDA_OK_RC(cudaSetDevice(k));
            PeerView view = group.value()->view(k);
            view.push = push;
            CUDA_OK_RC(launch_peer_all_reduce_rmsnorm(mode, view, which, rk.src, rk.x, rk.w, call_rows, hidden, eps,
                                                      rk.out, rk.stream));
        }
        reference(mode, parts, x, w, src, call_rows, hidden, eps, ref_out);
    }
    for (int k = 0; k < world; ++k) {
        CUDA_OK_RC(cudaSetDevice(k));
        CUDA_OK_RC(cudaStreamSynchronize(ranks[static_cast<size_t>(k)].stream));
    }
    ASSERT_TRUE(group.value()->health().ok()) << group.value()->health().message();
    std::vector<std::vector<float>> gx(static_cast<size_t>(world));
    std::vector<std::vector<__nv_bfloat16>> gout(static_cast<size_t>(world));
    for (int k = 0; k < world; ++k) {
        const size_t u = static_cast<size_t>(k);
        gx[u].resize(n);
        gout[u].resize(static_cast<size_t>(rows) * hidden);
        CUDA_OK_RC(cudaSetDevice(k));
        CUDA_OK_RC(cudaMemcpy(gx[u].data(), ranks[u].x, n * 4, cudaMemcpyDeviceToHost));
        CUDA_OK_RC(cudaMemcpy(gout[u].data(), ranks[u].out, gout[u].size() * 2, cudaMemcpyDeviceToHost));
    }
    // Every rank holds the bit-identical residual and output; the residual equals the host's
    // fp32 sums exactly (same order, no fused multiply-add in a sum).
    for (size_t k = 1; k < gx.size(); ++k) {
        EXPECT_EQ(std::memcmp(gx[0].data(), gx[k].data(), n * 4), 0) << "rank " << k;
        EXPECT_EQ(std::memcmp(gout[0].data(), gout[k].data(), gout[0].size() * 2), 0) << "rank " << k;
    }
    size_t bad_x = 0, bad_out = 0;
    for (size_t i = 0; i < n; ++i) bad_x += gx[0][i] == x[i] ? 0 : 1;
    for (size_t i = 0; i < gout[0].size(); ++i) {
        const float got = __bfloat162float(gout[0][i]), want = ref_out[i];
        bad_out += std::abs(got - want) <= 1e-2f * std::abs(want) + 1e-3f ? 0 : 1;
    }
    EXPECT_EQ(bad_x, 0u) << "of " << n << " residual values";
    EXPECT_EQ(bad_out, 0u) << "of " << gout[0].size() << " outputs";
    if (result != nullptr) {
        result->x = gx[0];
        result->out = gout[0];
    }
}

TEST(PeerAllReduce, FusedSumAddNormMatchesTheHostForEveryMode) {
    REQUIRE_TWO_GPUS();
    for (Exchange ex : {Exchange::Push, Exchange::Pull}) {
        for (int rows : {1, 7, 64, 300}) {
            run_case(PeerNorm::Add, rows, 3584, 3, true, ex);
            run_case(PeerNorm::Init, rows, 3584, 2, true, ex);
            run_case(PeerNorm::Gather, rows, 3584, 2, false, ex);
        }
        run_case(PeerNorm::Add, 5, 5120, 3, true, ex);  // two groups of 4 per thread
        run_case(PeerNorm::Add, 3, 8192, 2, true, ex);  // four
        run_case(PeerNorm::Add, 2, 96, 2, true, ex);    // fewer threads than a warp... rounded up to one
    }
}

TEST(PeerAllReduce, PushAndPullAreBitForBitTheSame) {
    REQUIRE_TWO_GPUS();
    for (PeerNorm mode : {PeerNorm::Add, PeerNorm::Gather}) {
        CaseResult push, pull;
        run_case(mode, 37, 3584, 3, mode == PeerNorm::Add, Exchange::Push, false, &push);
        run_case(mode, 37, 3584, 3, mode == PeerNorm::Add, Exchange::Pull, false, &pull);
        ASSERT_EQ(push.x.size(), pull.x.size());
        ASSERT_EQ(push.out.size(), pull.out.size());
        ASSERT_FALSE(push.out.empty());
        EXPECT_EQ(std::memcmp(push.x.data(), pull.x.data(), push.x.size() * 4), 0);
        EXPECT_EQ(std::memcmp(push.out.data(), pull.out.data(), push.out.size() * 2), 0);
    }
}

// Four ranks (runs where four GPUs are visible): the sum of four partials in rank order, the
// push form's inbox slots of three peers, and back-to-back calls.
TEST(PeerAllReduce, FourRanksWhereFourGpusAreVisible) {
    if (gpu_count() < 4) GTEST_SKIP() << "needs 4 GPUs; " << gpu_count() << " visible";
    for (Exchange ex : {Exchange::Push, Exchange::Pull}) {
        for (int rows : {1, 64, 300}) run_case(PeerNorm::Add, rows, 3584, 3, true, ex, false, nullptr, 4);
        run_case(PeerNorm::Gather, 7, 3584, 2, false, ex, false, nullptr, 4);
    }
    run_case(PeerNorm::Add, 16, 1024, 200, true, Exchange::Mixed, true, nullptr, 4);
}

TEST(PeerAllReduce, HundredsOfBackToBackCallsKeepTheBarriersInStep) {
    REQUIRE_TWO_GPUS();
    run_case(PeerNorm::Add, 16, 1024, 400, true, Exchange::Pull);
    run_case(PeerNorm::Add, 16, 1024, 400, true, Exchange::Push, true);
    run_case(PeerNorm::Add, 16, 1024, 400, true, Exchange::Mixed, true);
}

// A partial element whose bits are 0xFFFF (a NaN) is what an empty inbox element looks like: it
// must still arrive (as a NaN) instead of leaving the peer waiting, and the next call must work.
TEST(PeerAllReduce, ANanPartialThatLooksEmptyStillArrives) {
    REQUIRE_TWO_GPUS();
    const int hidden = 64;
    auto group = PeerGroup::create(2, 0, 8, hidden, 5000);
    ASSERT_TRUE(group.ok()) << group.message();
    Rank ranks[2];
    const std::vector<float> ones(hidden, 1.0f);
    const auto wb = to_bf16_host(ones);
    for (int k = 0; k < 2; ++k) {
        Rank &rk = ranks[k];
        rk.device = k;
        CUDA_OK_RC(cudaSetDevice(k));
        CUDA_OK_RC(cudaStreamCreateWithFlags(&rk.stream, cudaStreamNonBlocking));
        CUDA_OK_RC(cudaMalloc(&rk.x, hidden * 4));
        CUDA_OK_RC(cudaMalloc(&rk.w, hidden * 2));
        CUDA_OK_RC(cudaMalloc(&rk.out, hidden * 2));
        CUDA_OK_RC(cudaMemset(rk.x, 0, hidden * 4));
        CUDA_OK_RC(cudaMemcpy(rk.w, wb.data(), hidden * 2, cudaMemcpyHostToDevice));
    }
    for (int call = 0; call < 2; ++call) {
        for (int k = 0; k < 2; ++k) {
            std::vector<uint16_t> part(hidden, 0x3f80);  // 1.0
            if (call == 0 && k == 1) part[5] = 0xFFFF;
            CUDA_OK_RC(cudaSetDevice(k));
            CUDA_OK_RC(cudaStreamSynchronize(ranks[k].stream));
            CUDA_OK_RC(cudaMemcpy(group.value()->view(k).buf[0][k], part.data(), hidden * 2, cudaMemcpyHostToDevice));
            CUDA_OK_RC(cudaMemset(ranks[k].x, 0, hidden * 4));
        }
        const auto t0 = std::chrono::steady_clock::now();
        for (int k = 0; k < 2; ++k) {
            CUDA_OK_RC(cudaSetDevice(k));
            PeerView view = group.value()->view(k);
            view.push = true;
            CUDA_OK_RC(launch_peer_all_reduce_rmsnorm(PeerNorm::Add, view, 0, nullptr, ranks[k].x, ranks[k].w, 1,
                                                      hidden, 1e-6f, ranks[k].out, ranks[k].stream));
        }
        for (int k = 0; k < 2; ++k) {
            CUDA_OK_RC(cudaSetDevice(k));
            CUDA_OK_RC(cudaStreamSynchronize(ranks[k].stream));
        }
        EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 2.0);
        ASSERT_TRUE(group.value()->health().ok()) << group.value()->health().message();
        for (int k = 0; k < 2; ++k) {
            std::vector<float> x(hidden);
            CUDA_OK_RC(cudaSetDevice(k));
            CUDA_OK_RC(cudaMemcpy(x.data(), ranks[k].x, hidden * 4, cudaMemcpyDeviceToHost));
            for (int i = 0; i < hidden; ++i) {
                if (call == 0 && i == 5) EXPECT_TRUE(std::isnan(x[static_cast<size_t>(i)])) << "rank " << k;
                else EXPECT_EQ(x[static_cast<size_t>(i)], 2.0f) << "rank " << k << " call " << call << " element " << i;
            }
        }
    }
}

// Rank 0 launches, rank 1 never does: the kernel waits until the group is aborted or times out.
void lone_rank(PeerGroup &group, bool abort_it, bool push) {
    PeerView view = group.view(0);
    view.push = push;
    CUDA_OK_RC(cudaSetDevice(0));
    cudaStream_t stream = nullptr;
    CUDA_OK_RC(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
    float *x = nullptr;
    __nv_bfloat16 *w = nullptr, *out = nullptr;
    CUDA_OK_RC(cudaMalloc(&x, 64 * 4));
    CUDA_OK_RC(cudaMalloc(&w, 64 * 2));
    CUDA_OK_RC(cudaMalloc(&out, 64 * 2));
    CUDA_OK_RC(cudaMemset(x, 0, 64 * 4));
    CUDA_OK_RC(cudaMemset(w, 0, 64 * 2));
    const auto t0 = std::chrono::steady_clock::now();
    CUDA_OK_RC(
        launch_peer_all_reduce_rmsnorm(PeerNorm::Add, view, 0, nullptr, x, w, 1, 64, 1e-6f, out, stream));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(cudaStreamQuery(stream), cudaErrorNotReady) << "the kernel should still be waiting for rank 1";
    EXPECT_TRUE(group.health().ok());
    if (abort_it) group.abort("rank 1 failed (test)");
    CUDA_OK_RC(cudaStreamSynchronize(stream));
    const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_LT(waited, 5.0);
    // A second call does not wait again.
    CUDA_OK_RC(
        launch_peer_all_reduce_rmsnorm(PeerNorm::Add, view, 1, nullptr, x, w, 1, 64, 1e-6f, out, stream));
    const auto t1 = std::chrono::steady_clock::now();
    CUDA_OK_RC(cudaStreamSynchronize(stream));
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count(), 0.2);
    cudaFree(x);
    cudaFree(w);
    cudaFree(out);
    cudaStreamDestroy(stream);
}

TEST(PeerAllReduce, AbortEndsTheWaitOfAKernelWhosePeerNeverCame) {
    REQUIRE_TWO_GPUS();
    for (bool push : {true, false}) {
        SCOPED_TRACE(push ? "push" : "pull");
        auto group = PeerGroup::create(2, 0, 8, 64, 60000);
        ASSERT_TRUE(group.ok()) << group.message();
        lone_rank(*group.value(), true, push);
        const Status h = group.value()->health();
        ASSERT_FALSE(h.ok());
        EXPECT_NE(h.message().find("rank 1 failed (test)"), std::string::npos) << h.message();
    }
}

TEST(PeerAllReduce, TimeoutEndsTheWaitAndSaysSo) {
    REQUIRE_TWO_GPUS();
    for (bool push : {true, false}) {
        SCOPED_TRACE(push ? "push" : "pull");
        auto group = PeerGroup::create(2, 0, 8, 64, 400);
        ASSERT_TRUE(group.ok()) << group.message();
        lone_rank(*group.value(), false, push);
        const Status h = group.value()->health();
        ASSERT_FALSE(h.ok());
        EXPECT_NE(h.message().find("did not arrive within 400 ms"), std::string::npos) << h.message();
    }
}

TEST(PeerAllReduce, RefusesWhatItCannotDo) {
    REQUIRE_TWO_GPUS();
    auto one = PeerGroup::create(1, 0, 8, 64, 1000);
    ASSERT_FALSE(one.ok());
    EXPECT_NE(one.message().find("2 to 8"), std::string::npos) << one.message();
    auto rows = PeerGroup::create(2, 0, kPeerMaxBlocks + 1, 64, 1000);
    ASSERT_FALSE(rows.ok());
    EXPECT_NE(rows.message().find("rows per call"), std::string::npos) << rows.message();
    auto group = PeerGroup::create(2, 0, 8, 64, 1000);
    ASSERT_TRUE(group.ok()) << group.message();
    // More rows than the buffers hold, or a hidden size the kernel cannot vectorize: refused at launch.
    EXPECT_EQ(launch_peer_all_reduce_rmsnorm(PeerNorm::Add, group.value()->view(0), 0, nullptr, nullptr, nullptr, 9, 64,
                                             1e-6f, nullptr, nullptr),
              cudaErrorInvalidValue);
    EXPECT_EQ(launch_peer_all_reduce_rmsnorm(PeerNorm::Add, group.value()->view(0), 0, nullptr, nullptr, nullptr, 1, 66,
                                             1e-6f, nullptr, nullptr),
              cudaErrorInvalidValue);
    EXPECT_TRUE(group.value()->health().ok());
}

} // namespace
