#pragma once
// How one tensor-parallel group is laid out over nodes and GPUs, derived once from
// --tp, --nnodes and --node-rank and passed down as a value.
//
// Rank r lives on node r / gpus_per_node and uses that node's GPU r % gpus_per_node.
// Node rank 0 (the leader) serves HTTP and runs the scheduler; every rank runs each step.
#include <string>

#include "slipway/engine/status.h"

namespace slipway::engine::dist {

struct ParallelLayout {
    int world_size = 1;     // --tp
    int nnodes = 1;         // --nnodes
    int node_rank = 0;      // --node-rank
    int gpus_per_node = 1;  // world_size / nnodes: ranks (and GPUs) on each node

    bool is_leader() const { return node_rank == 0; }
    bool multi_node() const { return nnodes > 1; }
    int first_rank() const { return node_rank * gpus_per_node; }       // global rank of local rank 0
    int global_rank(int local_rank) const { return first_rank() + local_rank; }
    int node_of(int rank) const { return rank / gpus_per_node; }
    std::string describe() const;  // "tp 4 over 2 nodes (2 GPUs each), this is node 1: ranks 2-3"

    // Checks the flags: tp >= 1, nnodes >= 1, tp divisible by nnodes, 0 <= node_rank < nnodes;
    // each failure names the flag to change.
    static StatusOr<ParallelLayout> from_flags(int tp, int nnodes, int node_rank);
};

} // namespace slipway::engine::dist
