// time_peer_all_reduce (peer_timing.h).
#include "cuda/peer_timing.h"

#include <algorithm>
#include <thread>

#include "cuda/cuda_check.h"
#include "cuda/peer_all_reduce.cuh"
#include "cuda/rmsnorm.cuh"

namespace slipway::engine::cuda {

namespace {

// Microseconds per call of `iterations` calls of `enqueue(i)` captured in one graph (after one
// uncaptured warm-up call and one warm-up launch of the graph).
template <typename Enqueue>
StatusOr<double> graph_us(cudaStream_t stream, int iterations, Enqueue &&enqueue) {
    SLIPWAY_CUDA_TRY(enqueue(0));
    SLIPWAY_CUDA_TRY(enqueue(1));
    SLIPWAY_CUDA_TRY(cudaStreamSynchronize(stream));
    cudaGraph_t graph = nullptr;
    SLIPWAY_CUDA_TRY(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal));
    cudaError_t body = cudaSuccess;
    for (int i = 0; i < iterations && body == cudaSuccess; ++i) body = enqueue(i);
    const cudaError_t end = cudaStreamEndCapture(stream, &graph);
    SLIPWAY_CUDA_TRY(body);
    SLIPWAY_CUDA_TRY(end);
    cudaGraphExec_t exec = nullptr;
    const cudaError_t inst = cudaGraphInstantiate(&exec, graph, 0);
    cudaGraphDestroy(graph);
    SLIPWAY_CUDA_TRY(inst);
    cudaEvent_t e0 = nullptr, e1 = nullptr;
    float ms = 0;
    const cudaError_t run = [&] {
        cudaError_t e = cudaEventCreate(&e0);
        if (e == cudaSuccess) e = cudaEventCreate(&e1);
        if (e == cudaSuccess) e = cudaGraphLaunch(exec, stream);
        if (e == cudaSuccess) e = cudaStreamSynchronize(stream);
        if (e == cudaSuccess) e = cudaEventRecord(e0, stream);
        if (e == cudaSuccess) e = cudaGraphLaunch(exec, stream);
        if (e == cudaSuccess) e = cudaEventRecord(e1, stream);
        if (e == cudaSuccess) e = cudaEventSynchronize(e1);
        if (e == cudaSuccess) e = cudaEventElapsedTime(&ms, e0, e1);
        return e;
    }();
    if (e0) cudaEventDestroy(e0);
    if (e1) cudaEventDestroy(e1);
    cudaGraphExecDestroy(exec);
    SLIPWAY_CUDA_TRY(run);
    return 1e3 * ms / iterations;
}

} // namespace

StatusOr<std::vector<PeerAllReduceTiming>> time_peer_all_reduce(int world, int hidden, const std::vector<int> &rows,
                                                                int iterations) {
    int count = 0;
    SLIPWAY_CUDA_TRY(cudaGetDeviceCount(&count));
    if (world < 2 || count < world)
        return Status::error("timing the peer all-reduce over " + std::to_string(world) + " GPUs, but " +
                             std::to_string(count) + " are visible");
    const int max_rows = rows.empty() ? 1 : *std::max_element(rows.begin(), rows.end());
    auto group_or = PeerGroup::create(world, 0, max_rows, hidden, 30000);
    if (!group_or.ok()) return group_or.status();
    PeerGroup &group = *group_or.value();
    std::vector<std::vector<PeerAllReduceTiming>> per_rank(static_cast<size_t>(world));
    std::vector<Status> status(static_cast<size_t>(world));
    const size_t H = static_cast<size_t>(hidden), R = static_cast<size_t>(max_rows);
    auto body = [&](int k) -> Status {
        SLIPWAY_CUDA_TRY(cudaSetDevice(k));
        cudaStream_t stream = nullptr;
        float *x = nullptr;
        bf16 *w = nullptr, *out = nullptr, *delta = nullptr;
        Status st = [&]() -> Status {
            SLIPWAY_CUDA_TRY(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
            SLIPWAY_CUDA_TRY(cudaMalloc(&x, R * H * 4));
            SLIPWAY_CUDA_TRY(cudaMalloc(&w, H * 2));
            SLIPWAY_CUDA_TRY(cudaMalloc(&out, R * H * 2));
            SLIPWAY_CUDA_TRY(cudaMalloc(&delta, R * H * 2));
            SLIPWAY_CUDA_TRY(cudaMemset(x, 0, R * H * 4));
            SLIPWAY_CUDA_TRY(cudaMemset(w, 0, H * 2));
            SLIPWAY_CUDA_TRY(cudaMemset(delta, 0, R * H * 2));
            const PeerView view = group.view(k);
            for (int n : rows) {
                PeerAllReduceTiming t;
                t.rows = n;
                auto fused = graph_us(stream, iterations, [&](int i) {
                    return launch_peer_all_reduce_rmsnorm(PeerNorm::Add, view, i % 2, nullptr, x, w, n, hidden, 1e-6f,
                                                          out, stream);
                });
                if (!fused.ok()) return fused.status();
                t.fused_us = fused.value();
                auto plain = graph_us(stream, iterations, [&](int) {
                    return launch_add_rmsnorm(x, delta, w, n, hidden, 1e-6f, out, stream);
                });
                if (!plain.ok()) return plain.status();
                t.norm_only_us = plain.value();
                per_rank[static_cast<size_t>(k)].push_back(t);
            }
            return group.health();
        }();
        if (stream) cudaStreamDestroy(stream);
        cudaFree(x);
        cudaFree(w);
        cudaFree(out);
        cudaFree(delta);
        if (!st.ok()) group.abort("rank " + std::to_string(k) + ": " + st.message());
        return st;
    };
    std::vector<std::thread> threads;
    for (int k = 0; k < world; ++k) threads.emplace_back([&, k] { status[static_cast<size_t>(k)] = body(k); });
    for (std::thread &t : threads) t.join();
    for (const Status &s : status)
        if (!s.ok()) return s;
    std::vector<PeerAllReduceTiming> out = per_rank[0];
    for (size_t i = 0; i < out.size(); ++i)
        for (int k = 1; k < world; ++k) {
            out[i].fused_us = std::max(out[i].fused_us, per_rank[static_cast<size_t>(k)][i].fused_us);
            out[i].norm_only_us = std::max(out[i].norm_only_us, per_rank[static_cast<size_t>(k)][i].norm_only_us);
        }
    return out;
}

} // namespace slipway::engine::cuda
