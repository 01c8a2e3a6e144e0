#pragma once
// What the bench's collective timings share (nccl_group.cpp's NCCL all-reduce, peer_timing.cpp's
// peer-memory one): one thread per rank's GPU, as the runners use them, each timing `iterations`
// calls captured in one CUDA graph; the figure reported is the slowest rank's.
#include <cuda_runtime.h>

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <string>
#include <thread>
#include <vector>

#include "cuda/cuda_check.h"
#include "slipway/engine/status.h"

namespace slipway::engine::cuda {

// Microseconds per call of `iterations` calls of enqueue(i) (returning Status) captured in one
// graph on `stream`, after two uncaptured warm-up calls and one warm-up launch of the graph.
template <typename Enqueue>
StatusOr<double> graph_us_per_call(cudaStream_t stream, int iterations, Enqueue &&enqueue) {
    SLIPWAY_STATUS_TRY(enqueue(0));
    SLIPWAY_STATUS_TRY(enqueue(1));
    SLIPWAY_CUDA_TRY(cudaStreamSynchronize(stream));
    cudaGraph_t graph = nullptr;
    SLIPWAY_CUDA_TRY(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal));
    Status body;
    for (int i = 0; i < iterations && body.ok(); ++i) body = enqueue(i);
    const cudaError_t end = cudaStreamEndCapture(stream, &graph);
    SLIPWAY_STATUS_TRY(body);
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

// Runs body(k) for ranks 0..world-1, one thread each, and returns rank 0's rows with each of
// `fields` raised to the slowest rank's value; the first failing rank's status otherwise.
template <typename Row>
StatusOr<std::vector<Row>> slowest_rank(int world, const std::function<StatusOr<std::vector<Row>>(int)> &body,
                                        std::initializer_list<double Row::*> fields) {
    std::vector<StatusOr<std::vector<Row>>> per_rank(static_cast<size_t>(world), Status::error("not run"));
    std::vector<std::thread> threads;
    for (int k = 0; k < world; ++k) threads.emplace_back([&, k] { per_rank[static_cast<size_t>(k)] = body(k); });
    for (std::thread &t : threads) t.join();
    for (const auto &r : per_rank)
        if (!r.ok()) return r.status();
    std::vector<Row> out = per_rank[0].value();
    for (size_t i = 0; i < out.size(); ++i)
        for (int k = 1; k < world; ++k)
            for (double Row::*f : fields) out[i].*f = std::max(out[i].*f, per_rank[static_cast<size_t>(k)].value()[i].*f);
    return out;
}

} // namespace slipway::engine::cuda
