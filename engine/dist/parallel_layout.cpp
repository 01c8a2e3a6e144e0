#include "dist/parallel_layout.h"

namespace slipway::engine::dist {
namespace {

std::string rank_range(int first, int count) {
    if (count == 1) return "rank " + std::to_string(first);
    return "ranks " + std::to_string(first) + "-" + std::to_string(first + count - 1);
}

} // namespace

std::string ParallelLayout::describe() const {
    const std::string gpus = std::to_string(gpus_per_node) + (gpus_per_node == 1 ? " GPU" : " GPUs");
    if (nnodes == 1) {
        if (world_size == 1) return "tp 1 (one GPU, no tensor parallelism)";
        return "tp " + std::to_string(world_size) + " on one node (" + gpus + ": " + rank_range(0, world_size) + ")";
    }
    return "tp " + std::to_string(world_size) + " over " + std::to_string(nnodes) + " nodes (" + gpus +
           " each), this is node " + std::to_string(node_rank) + (is_leader() ? " (the leader)" : "") + ": " +
           rank_range(first_rank(), gpus_per_node);
}

StatusOr<ParallelLayout> ParallelLayout::from_flags(int tp, int nnodes, int node_rank) {
    if (tp < 1) {
        return Status::error("--tp " + std::to_string(tp) + " must be at least 1 (the number of GPUs the model is split over)");
    }
    if (nnodes < 1) {
        return Status::error("--nnodes " + std::to_string(nnodes) + " must be at least 1 (the number of nodes in the group)");
    }
    if (tp % nnodes != 0) {
        return Status::error("--tp " + std::to_string(tp) + " is not divisible by --nnodes " + std::to_string(nnodes) +
                             ": every node runs --tp / --nnodes ranks, one per GPU; choose --tp as a multiple of --nnodes");
    }
    if (node_rank < 0 || node_rank >= nnodes) {
        return Status::error("--node-rank " + std::to_string(node_rank) + " is out of range: with --nnodes " +
                             std::to_string(nnodes) + " it must be 0.." + std::to_string(nnodes - 1) +
                             " (0 is the leader; LeaderWorkerSet passes $(LWS_WORKER_INDEX))");
    }
    ParallelLayout layout;
    layout.world_size = tp;
    layout.nnodes = nnodes;
    layout.node_rank = node_rank;
    layout.gpus_per_node = tp / nnodes;
    return layout;
}

} // namespace slipway::engine::dist
