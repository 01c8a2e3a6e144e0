// The skinny decode GEMM (engine/cuda/gemm_skinny.cuh, issue #4) against an fp64 host reference
// of the same bf16 inputs: every block configuration and several split-K factors run explicitly
// on awkward shapes (M from 5 to 128 incl. 19/33/111, N down to 8 and not a multiple of any tile,
// K = 8 and K with a partial 64-wide chunk, the 7B's 3584/4608/18944/37888), fp32 and bf16
// outputs, bias on and off. Outputs are NaN-poisoned (0xff bytes) with a poisoned guard after
// them, so an unwritten element or a write past the end fails. Tolerances, per element, with
// S = sum_k |x_k w_k| + |bias| (the scale fp32 accumulation error grows with):
//   fp32 out: |y - ref| <= 1e-5 * S;   bf16 out: |y - ref| <= 8e-3 * |ref| + 1e-5 * S.
// Large shapes check a strided sample of columns (odd stride, plus the first and last 16) against
// the reference and every element for finiteness; weights of large N repeat a 509-row random
// pattern (row r = pattern row r % 509) to keep the host side quick.
// The Gemm autotuner then runs each real 7B decode shape at M = 64, eagerly and in a CUDA graph.
#include <gtest/gtest.h>

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "cuda/gemm.cuh"
#include "cuda/gemm_skinny.cuh"
#include "cuda_test_support.h"

using namespace slipway::engine::cuda;
using namespace slipway::engine::cuda::test;

namespace {

constexpr int kPatternRows = 509;
constexpr size_t kGuard = 256;  // poisoned elements after every output

std::mt19937 &rng() {
    static std::mt19937 g(4242);
    return g;
}

// Device memory freed at scope end; `poison` fills it with 0xff bytes (NaN in bf16 and fp32).
struct DevMem {
    void *p = nullptr;
    size_t bytes = 0;
    explicit DevMem(size_t b, bool poison = true) : bytes(std::max<size_t>(b, 16)) {
        if (cudaMalloc(&p, bytes) != cudaSuccess) p = nullptr;
        else if (poison) cudaMemset(p, 0xff, bytes);
    }
    ~DevMem() { cudaFree(p); }
    DevMem(const DevMem &) = delete;
    DevMem &operator=(const DevMem &) = delete;
    template <typename T> T *as() const { return static_cast<T *>(p); }
};

// One GEMM problem: x [M][K], W [N][K] repeating a pattern of min(N, 509) random rows, bias.
struct Problem {
    int m = 0, n = 0, k = 0;
    bool has_bias = false;
    std::vector<bf16> x, pattern, bias;
    std::vector<int> cols;                  // checked against the reference
    std::vector<double> ref, scale;         // [m][cols.size()]
    DevMem *dx = nullptr, *dw = nullptr, *db = nullptr;

    const bf16 *w_row(int r) const { return &pattern[static_cast<size_t>(r % kPatternRows) * k]; }
};

std::string shape_name(const Problem &p) {
    return "M=" + std::to_string(p.m) + " N=" + std::to_string(p.n) + " K=" + std::to_string(p.k) +
           (p.has_bias ? " +bias" : "");
}

// Fills the host side and the reference; uploads x, W and bias into the given buffers.
void make_problem(Problem &p, DevMem &dx, DevMem &dw, DevMem &db) {
    const size_t K = static_cast<size_t>(p.k);
    const int prows = std::min(p.n, kPatternRows);
    p.x = to_bf16_host(random_uniform_bf16_values(static_cast<size_t>(p.m) * K, rng(), -1.0f, 1.0f));
    p.pattern = to_bf16_host(random_uniform_bf16_values(static_cast<size_t>(prows) * K, rng(), -1.0f, 1.0f));
    p.bias = p.has_bias ? to_bf16_host(random_uniform_bf16_values(static_cast<size_t>(p.n), rng(), -2.0f, 2.0f))
                        : std::vector<bf16>{};
    // W on the device: the pattern, then doubling copies of what is there until N rows.
    cudaMemcpy(dw.p, p.pattern.data(), p.pattern.size() * sizeof(bf16), cudaMemcpyHostToDevice);
    for (int64_t have = prows; have < p.n;) {
        const int64_t copy = std::min<int64_t>(have - have % kPatternRows, p.n - have);
        cudaMemcpy(dw.as<bf16>() + have * p.k, dw.as<bf16>(), static_cast<size_t>(copy) * K * sizeof(bf16),
                   cudaMemcpyDeviceToDevice);
        have += copy;
    }
    cudaMemcpy(dx.p, p.x.data(), p.x.size() * sizeof(bf16), cudaMemcpyHostToDevice);
    if (p.has_bias) cudaMemcpy(db.p, p.bias.data(), p.bias.size() * sizeof(bf16), cudaMemcpyHostToDevice);
    p.dx = &dx;
    p.dw = &dw;
    p.db = p.has_bias ? &db : nullptr;

    p.cols.clear();
    const int stride = std::max(1, p.n / 256) | 1;
    for (int c = 0; c < p.n; c += stride) p.cols.push_back(c);
    for (int c = 0; c < std::min(p.n, 16); ++c) p.cols.push_back(c);
    for (int c = std::max(0, p.n - 16); c < p.n; ++c) p.cols.push_back(c);
    std::sort(p.cols.begin(), p.cols.end());
    p.cols.erase(std::unique(p.cols.begin(), p.cols.end()), p.cols.end());

    std::vector<double> xd(p.x.size());
    for (size_t i = 0; i < xd.size(); ++i) xd[i] = __bfloat162float(p.x[i]);
    std::vector<double> wd(K);
    p.ref.assign(static_cast<size_t>(p.m) * p.cols.size(), 0.0);
    p.scale.assign(p.ref.size(), 0.0);
    for (size_t ci = 0; ci < p.cols.size(); ++ci) {
        const int c = p.cols[ci];
        const bf16 *wr = p.w_row(c);
        for (size_t i = 0; i < K; ++i) wd[i] = __bfloat162float(wr[i]);
        const double b = p.has_bias ? __bfloat162float(p.bias[static_cast<size_t>(c)]) : 0.0;
        for (int r = 0; r < p.m; ++r) {
            const double *xr = &xd[static_cast<size_t>(r) * K];
            double s = 0.0, a = 0.0;
            for (size_t i = 0; i < K; ++i) {
                s += xr[i] * wd[i];
                a += std::abs(xr[i] * wd[i]);
            }
            p.ref[static_cast<size_t>(r) * p.cols.size() + ci] = s + b;
            p.scale[static_cast<size_t>(r) * p.cols.size() + ci] = a + std::abs(b);
        }
    }
}

// Output of M x N (+ guard), read back as float; guard elements must still be poison.
std::vector<float> read_output(const DevMem &y, const Problem &p, bool fp32, std::string *guard_error) {
    const size_t count = static_cast<size_t>(p.m) * p.n;
    std::vector<float> out(count);
    if (fp32) {
        std::vector<float> h(count + kGuard);
        cudaMemcpy(h.data(), y.p, h.size() * sizeof(float), cudaMemcpyDeviceToHost);
        std::copy(h.begin(), h.begin() + static_cast<std::ptrdiff_t>(count), out.begin());
        for (size_t i = count; i < h.size(); ++i) {
            uint32_t bits;
            std::memcpy(&bits, &h[i], 4);
            if (bits != 0xffffffffu) *guard_error = "write past the end at element " + std::to_string(i);
        }
    } else {
        std::vector<uint16_t> h(count + kGuard);
        cudaMemcpy(h.data(), y.p, h.size() * sizeof(uint16_t), cudaMemcpyDeviceToHost);
        for (size_t i = 0; i < count; ++i) {
            const uint32_t bits = static_cast<uint32_t>(h[i]) << 16;
            std::memcpy(&out[i], &bits, 4);
        }
        for (size_t i = count; i < h.size(); ++i)
            if (h[i] != 0xffffu) *guard_error = "write past the end at element " + std::to_string(i);
    }
    return out;
}

// Counts (and reports the first few) elements outside the tolerance or not finite.
size_t check_output(const std::vector<float> &y, const Problem &p, bool fp32, const std::string &what) {
    size_t bad = 0;
    for (size_t i = 0; i < y.size(); ++i)
        if (!std::isfinite(y[i]) && bad++ < 4)
            ADD_FAILURE() << what << ": element " << i << " (row " << i / p.n << ", col " << i % p.n
                          << ") not written or not finite: " << y[i];
    for (int r = 0; r < p.m; ++r)
        for (size_t ci = 0; ci < p.cols.size(); ++ci) {
            const size_t ri = static_cast<size_t>(r) * p.cols.size() + ci;
            const double ref = p.ref[ri], scale = p.scale[ri];
            const double got = y[static_cast<size_t>(r) * p.n + static_cast<size_t>(p.cols[ci])];
            const double tol = fp32 ? 1e-5 * scale : 8e-3 * std::abs(ref) + 1e-5 * scale;
            if (!(std::abs(got - ref) <= tol) && bad++ < 4)
                ADD_FAILURE() << what << ": row " << r << " col " << p.cols[ci] << " is " << got << ", expected "
                              << ref << " (tolerance " << tol << ")";
        }
    return bad;
}

struct Scratch {
    DevMem partials, counters;
    SkinnyScratch view;
    Scratch(size_t partial_bytes, int counter_count)
        : partials(partial_bytes, false), counters(static_cast<size_t>(counter_count) * sizeof(unsigned), false) {
        cudaMemset(counters.p, 0, counters.bytes);
        view = SkinnyScratch{partials.as<float>(), partials.bytes, counters.as<unsigned>(), counter_count};
    }
    bool counters_zero() const {
        std::vector<unsigned> h(static_cast<size_t>(view.counter_count));
        cudaMemcpy(h.data(), counters.p, h.size() * sizeof(unsigned), cudaMemcpyDeviceToHost);
        return std::all_of(h.begin(), h.end(), [](unsigned c) { return c == 0; });
    }
};

struct ShapeCase {
    int m, n, k;
    bool bias;
};

} // namespace

// Every configuration x split factor x output type on each shape.
TEST(CudaGemmSkinny, EveryConfigMatchesFp64Reference) {
    const ShapeCase cases[] = {
        {5, 8, 8, false},          // one 8-row tile, one feature group, one partial K chunk
        {8, 3584, 3584, false},    // o_proj at M = 8
        {19, 4608, 3584, true},    // qkv (bias), M not a multiple of 8
        {33, 1000, 200, true},     // N not a multiple of any tile; K = 3 chunks + 8
        {64, 37888, 3584, false},  // gate_up at M = 64
        {111, 3584, 18944, false}, // down at M = 111
        {128, 4608, 18944, true},  // the widest M, long K, bias
        {64, 3584, 8, false},      // K = 8: splits beyond one chunk are empty
        {128, 8, 3584, true},      // N = 8: a single, mostly empty tile
        {5, 37888, 18944, false},  // 1.4 GB of weights: 64-bit offsets
    };
    const int splits_list[] = {1, 2, 3, 7};
    Scratch scratch(static_cast<size_t>(7) * 64 * 37888 * sizeof(float), 4096);
    ASSERT_NE(scratch.partials.p, nullptr);
    for (const ShapeCase &sc : cases) {
        Problem p;
        p.m = sc.m;
        p.n = sc.n;
        p.k = sc.k;
        p.has_bias = sc.bias;
        DevMem dx(static_cast<size_t>(p.m) * p.k * sizeof(bf16)), dw(static_cast<size_t>(p.n) * p.k * sizeof(bf16)),
            db(static_cast<size_t>(p.n) * sizeof(bf16));
        ASSERT_NE(dw.p, nullptr) << "out of GPU memory for " << shape_name(p);
        make_problem(p, dx, dw, db);
        for (int config = 0; config < kSkinnyConfigs; ++config)
            for (int splits : splits_list) {
                if (skinny_workspace_bytes(p.m, p.n, splits) > scratch.view.partial_bytes) continue;
                for (bool fp32 : {true, false}) {
                    const std::string what = shape_name(p) + " config " + std::to_string(config) + " (" +
                                             skinny_config_name(config) + ") split " + std::to_string(splits) +
                                             (fp32 ? " fp32" : " bf16");
                    DevMem y((static_cast<size_t>(p.m) * p.n + kGuard) * (fp32 ? 4 : 2));
                    CUDA_OK(launch_gemm_skinny(dx.as<bf16>(), p.k, p.m, p.k, dw.as<bf16>(), p.n,
                                               p.has_bias ? db.as<bf16>() : nullptr, y.p, fp32, config, splits,
                                               scratch.view, nullptr));
                    CUDA_OK(cudaDeviceSynchronize());
                    std::string guard;
                    const auto out = read_output(y, p, fp32, &guard);
                    EXPECT_TRUE(guard.empty()) << what << ": " << guard;
                    EXPECT_EQ(check_output(out, p, fp32, what), 0u) << what;
                }
            }
        EXPECT_TRUE(scratch.counters_zero()) << shape_name(p) << ": split-K counters not reset";
    }
}

// A row stride larger than K (x rows inside a wider buffer) reads only each row's first K.
TEST(CudaGemmSkinny, RowStrideLargerThanK) {
    Problem p;
    p.m = 19;
    p.n = 264;
    p.k = 136;
    const int ldx = 200;
    DevMem dx(static_cast<size_t>(p.m) * p.k * sizeof(bf16)), dw(static_cast<size_t>(p.n) * p.k * sizeof(bf16)),
        db(16);
    make_problem(p, dx, dw, db);
    // Re-lay x with stride ldx; the gap holds NaN, which must never be read.
    DevMem wide(static_cast<size_t>(p.m) * ldx * sizeof(bf16));
    CUDA_OK(cudaMemcpy2D(wide.p, ldx * sizeof(bf16), dx.p, p.k * sizeof(bf16), p.k * sizeof(bf16), p.m,
                         cudaMemcpyDeviceToDevice));
    Scratch scratch(static_cast<size_t>(4) * p.m * p.n * sizeof(float), 64);
    for (int config = 0; config < kSkinnyConfigs; ++config)
        for (int splits : {1, 2}) {
            DevMem y((static_cast<size_t>(p.m) * p.n + kGuard) * 4);
            CUDA_OK(launch_gemm_skinny(wide.as<bf16>(), ldx, p.m, p.k, dw.as<bf16>(), p.n, nullptr, y.p, true, config,
                                       splits, scratch.view, nullptr));
            CUDA_OK(cudaDeviceSynchronize());
            std::string guard;
            const auto out = read_output(y, p, true, &guard);
            EXPECT_TRUE(guard.empty()) << guard;
            EXPECT_EQ(check_output(out, p, true, "ldx 200 config " + std::to_string(config)), 0u);
        }
}

// Split-K launches captured in a CUDA graph (PDL edges), replayed twice: bit-identical to the
// eager result (the split sum order is fixed), counters back at zero.
TEST(CudaGemmSkinny, SplitKInCudaGraphIsDeterministic) {
    Problem p;
    p.m = 64;
    p.n = 3584;
    p.k = 3584;
    p.has_bias = true;
    DevMem dx(static_cast<size_t>(p.m) * p.k * sizeof(bf16)), dw(static_cast<size_t>(p.n) * p.k * sizeof(bf16)),
        db(static_cast<size_t>(p.n) * sizeof(bf16));
    make_problem(p, dx, dw, db);
    Scratch scratch(static_cast<size_t>(8) * p.m * p.n * sizeof(float), 256);
    cudaStream_t stream;
    CUDA_OK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
    const size_t bytes = (static_cast<size_t>(p.m) * p.n + kGuard) * 2;
    for (int config = 0; config < kSkinnyConfigs; ++config) {
        DevMem eager(bytes), graphed(bytes);
        CUDA_OK(launch_gemm_skinny(dx.as<bf16>(), p.k, p.m, p.k, dw.as<bf16>(), p.n, db.as<bf16>(), eager.p, false,
                                   config, 4, scratch.view, stream));
        CUDA_OK(cudaStreamSynchronize(stream));
        cudaGraph_t graph;
        CUDA_OK(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal));
        for (int rep = 0; rep < 3; ++rep)
            ASSERT_EQ(launch_gemm_skinny(dx.as<bf16>(), p.k, p.m, p.k, dw.as<bf16>(), p.n, db.as<bf16>(), graphed.p,
                                         false, config, 3 + rep, scratch.view, stream),
                      cudaSuccess);
        CUDA_OK(cudaStreamEndCapture(stream, &graph));
        cudaGraphExec_t exec;
        CUDA_OK(cudaGraphInstantiate(&exec, graph, 0));
        for (int launch = 0; launch < 2; ++launch) CUDA_OK(cudaGraphLaunch(exec, stream));
        CUDA_OK(cudaStreamSynchronize(stream));
        CUDA_OK(cudaGraphExecDestroy(exec));
        CUDA_OK(cudaGraphDestroy(graph));
        std::string guard;
        const auto a = read_output(eager, p, false, &guard);
        const auto b = read_output(graphed, p, false, &guard);
        EXPECT_TRUE(guard.empty()) << guard;
        EXPECT_EQ(check_output(a, p, false, "eager config " + std::to_string(config)), 0u);
        EXPECT_EQ(check_output(b, p, false, "graph config " + std::to_string(config)), 0u);
        EXPECT_TRUE(scratch.counters_zero()) << "config " << config;
        // The graph's last launch used split 5 and the eager one split 4: equal within rounding;
        // a replay of the same split must match bit for bit.
        DevMem again(bytes);
        CUDA_OK(launch_gemm_skinny(dx.as<bf16>(), p.k, p.m, p.k, dw.as<bf16>(), p.n, db.as<bf16>(), again.p, false,
                                   config, 5, scratch.view, stream));
        CUDA_OK(cudaStreamSynchronize(stream));
        const auto c = read_output(again, p, false, &guard);
        EXPECT_EQ(std::memcmp(b.data(), c.data(), b.size() * sizeof(float)), 0) << "config " << config;
    }
    CUDA_OK(cudaStreamDestroy(stream));
}

// Shapes and scratch the kernel cannot take are refused with cudaErrorInvalidValue.
TEST(CudaGemmSkinny, RejectsUnsupportedInput) {
    DevMem x(128 * 64 * 2), w(64 * 64 * 2), y(128 * 64 * 4);
    const SkinnyScratch none{};
    auto launch = [&](int m, int k, int n, int ldx, int splits, const SkinnyScratch &s) {
        return launch_gemm_skinny(x.as<bf16>(), ldx, m, k, w.as<bf16>(), n, nullptr, y.p, true, 0, splits, s, nullptr);
    };
    EXPECT_EQ(launch(4, 64, 64, 64, 1, none), cudaErrorInvalidValue);    // M below 5
    EXPECT_EQ(launch(129, 64, 64, 64, 1, none), cudaErrorInvalidValue);  // M above 128
    EXPECT_EQ(launch(16, 64, 60, 64, 1, none), cudaErrorInvalidValue);   // N not a multiple of 8
    EXPECT_EQ(launch(16, 60, 64, 64, 1, none), cudaErrorInvalidValue);   // K not a multiple of 8
    EXPECT_EQ(launch(16, 64, 64, 60, 1, none), cudaErrorInvalidValue);   // ldx < K
    EXPECT_EQ(launch(16, 64, 64, 64, 2, none), cudaErrorInvalidValue);   // split-K without scratch
    EXPECT_EQ(launch(16, 64, 64, 64, 17, none), cudaErrorInvalidValue);  // too many splits
    EXPECT_EQ(launch_gemm_skinny(x.as<bf16>(), 64, 16, 64, w.as<bf16>(), 64, nullptr, y.p, true, kSkinnyConfigs, 1,
                                 none, nullptr),
              cudaErrorInvalidValue);  // unknown config
    EXPECT_EQ(launch(16, 64, 64, 64, 1, none), cudaSuccess);
    EXPECT_EQ(cudaDeviceSynchronize(), cudaSuccess);
}

// The Gemm autotuner on each real DeepSeek-R1-Distill-Qwen-7B decode shape at M = 64: it times
// the skinny candidates against cuBLASLt, logs the outcome, and whatever it keeps is correct,
// eagerly and replayed from a CUDA graph.
TEST(CudaGemmSkinny, TunerPicksAWorkingKernelFor7BShapes) {
    struct Real {
        const char *name;
        int n, k;
        bool bias, fp32;
    };
    const Real shapes[] = {{"qkv", 4608, 3584, true, false},
                           {"o_proj", 3584, 3584, false, false},
                           {"gate_up", 37888, 3584, false, false},
                           {"down", 3584, 18944, false, false},
                           {"lm_head", 152064, 3584, false, true}};
    Gemm gemm;
    ASSERT_TRUE(gemm.init().ok());
    gemm.set_skinny(true);  // opt-in (off by default): this test times it against cuBLASLt
    cudaStream_t stream;
    CUDA_OK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
    for (const Real &s : shapes) {
        Problem p;
        p.m = 64;
        p.n = s.n;
        p.k = s.k;
        p.has_bias = s.bias;
        DevMem dx(static_cast<size_t>(p.m) * p.k * sizeof(bf16)), dw(static_cast<size_t>(p.n) * p.k * sizeof(bf16)),
            db(static_cast<size_t>(p.n) * sizeof(bf16));
        ASSERT_NE(dw.p, nullptr);
        make_problem(p, dx, dw, db);
        const size_t bytes = (static_cast<size_t>(p.m) * p.n + kGuard) * (s.fp32 ? 4 : 2);
        const bf16 *bias = p.has_bias ? db.as<bf16>() : nullptr;
        {
            DevMem tune(bytes);  // the first run tunes
            ASSERT_TRUE(gemm.run(dx.as<bf16>(), p.m, p.k, dw.as<bf16>(), p.n, bias, tune.p, s.fp32, stream).ok());
        }
        DevMem eager(bytes), graphed(bytes);
        ASSERT_TRUE(gemm.run(dx.as<bf16>(), p.m, p.k, dw.as<bf16>(), p.n, bias, eager.p, s.fp32, stream).ok());
        cudaGraph_t graph;
        CUDA_OK(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal));
        const bool captured_ok =
            gemm.run(dx.as<bf16>(), p.m, p.k, dw.as<bf16>(), p.n, bias, graphed.p, s.fp32, stream).ok();
        CUDA_OK(cudaStreamEndCapture(stream, &graph));
        ASSERT_TRUE(captured_ok) << s.name;
        cudaGraphExec_t exec;
        CUDA_OK(cudaGraphInstantiate(&exec, graph, 0));
        CUDA_OK(cudaGraphLaunch(exec, stream));
        CUDA_OK(cudaStreamSynchronize(stream));
        CUDA_OK(cudaGraphExecDestroy(exec));
        CUDA_OK(cudaGraphDestroy(graph));
        std::string guard;
        const auto a = read_output(eager, p, s.fp32, &guard);
        const auto b = read_output(graphed, p, s.fp32, &guard);
        EXPECT_TRUE(guard.empty()) << s.name << ": " << guard;
        EXPECT_EQ(check_output(a, p, s.fp32, std::string(s.name) + " eager"), 0u);
        EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)), 0) << s.name << ": graph != eager";
        const std::string want = "skinny M=64 N=" + std::to_string(p.n) + " K=" + std::to_string(p.k) + " (";
        const auto &log = gemm.tuning_log();
        const auto it = std::find_if(log.begin(), log.end(),
                                     [&](const std::string &l) { return l.rfind(want, 0) == 0; });
        ASSERT_NE(it, log.end()) << s.name << ": no skinny tuning line";
        EXPECT_EQ(it->find("no candidate ran"), std::string::npos) << *it;
        std::cout << "  " << s.name << ": " << *it << "\n";
    }
    CUDA_OK(cudaStreamDestroy(stream));
}
