// time_peer_all_reduce (peer_timing.h).
#include "cuda/peer_timing.h"

#include <algorithm>

#include "cuda/cuda_check.h"
#include "cuda/peer_all_reduce.cuh"
#include "cuda/rank_timing.h"
#include "cuda/rmsnorm.cuh"

namespace slipway::engine::cuda {

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
    const size_t H = static_cast<size_t>(hidden), R = static_cast<size_t>(max_rows);
    auto body = [&](int k) -> StatusOr<std::vector<PeerAllReduceTiming>> {
        SLIPWAY_CUDA_TRY(cudaSetDevice(k));
        cudaStream_t stream = nullptr;
        float *x = nullptr;
        bf16 *w = nullptr, *out = nullptr, *delta = nullptr;
        std::vector<PeerAllReduceTiming> timings;
        Status st = [&]() -> Status {
            SLIPWAY_CUDA_TRY(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
            SLIPWAY_CUDA_TRY(cudaMalloc(&x, R * H * 4));
            SLIPWAY_CUDA_TRY(cudaMalloc(&w, H * 2));
            SLIPWAY_CUDA_TRY(cudaMalloc(&out, R * H * 2));
            SLIPWAY_CUDA_TRY(cudaMalloc(&delta, R * H * 2));
            SLIPWAY_CUDA_TRY(cudaMemset(x, 0, R * H * 4));
            SLIPWAY_CUDA_TRY(cudaMemset(w, 0, H * 2));
            SLIPWAY_CUDA_TRY(cudaMemset(delta, 0, R * H * 2));
            PeerView push = group.view(k), pull = group.view(k);
            push.push = true;
            pull.push = false;
            auto fused = [&](const PeerView &view, int n) {
                return graph_us_per_call(stream, iterations, [&](int i) -> Status {
                    SLIPWAY_CUDA_TRY(launch_peer_all_reduce_rmsnorm(PeerNorm::Add, view, i % 2, nullptr, x, w, n,
                                                                    hidden, 1e-6f, out, stream));
                    return {};
                });
            };
            for (int n : rows) {
                PeerAllReduceTiming t;
                t.rows = n;
                auto pushed = fused(push, n);
                if (!pushed.ok()) return pushed.status();
                t.fused_us = pushed.value();
                auto pulled = fused(pull, n);
                if (!pulled.ok()) return pulled.status();
                t.pull_us = pulled.value();
                auto plain = graph_us_per_call(stream, iterations, [&](int) -> Status {
                    SLIPWAY_CUDA_TRY(launch_add_rmsnorm(x, delta, w, n, hidden, 1e-6f, out, stream));
                    return {};
                });
                if (!plain.ok()) return plain.status();
                t.norm_only_us = plain.value();
                timings.push_back(t);
            }
            return group.health();
        }();
        if (stream) cudaStreamDestroy(stream);
        cudaFree(x);
        cudaFree(w);
        cudaFree(out);
        cudaFree(delta);
        if (!st.ok()) {
            group.abort("rank " + std::to_string(k) + ": " + st.message());
            return st;
        }
        return timings;
    };
    return slowest_rank<PeerAllReduceTiming>(
        world, body,
        {&PeerAllReduceTiming::fused_us, &PeerAllReduceTiming::pull_us, &PeerAllReduceTiming::norm_only_us});
}

} // namespace slipway::engine::cuda
