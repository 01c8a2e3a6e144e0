#pragma once
// Times the peer-memory all-reduce fused with the residual add + RMSNorm (peer_all_reduce.cuh)
// over `world` local GPUs, as decode runs it: `iterations` back-to-back calls captured in one CUDA
// graph per rank (alternating buffers), microseconds per call, the slowest rank's; in push mode
// (the default) and in pull mode, and beside them the same graph of plain add + RMSNorm on one
// GPU (what the fused kernel replaces besides NCCL).
#include <vector>

#include "slipway/engine/status.h"

namespace slipway::engine::cuda {

struct PeerAllReduceTiming {
    int rows = 0;
    double fused_us = 0;      // all-reduce + add + RMSNorm, one kernel, push mode
    double pull_us = 0;       // the same in pull mode (barrier, then reads over NVLink)
    double norm_only_us = 0;  // add + RMSNorm alone (no all-reduce)
};

StatusOr<std::vector<PeerAllReduceTiming>> time_peer_all_reduce(int world, int hidden, const std::vector<int> &rows,
                                                                int iterations);

} // namespace slipway::engine::cuda
