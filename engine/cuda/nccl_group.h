#pragma once
// The NCCL communicators of one node's tensor-parallel ranks (one process, one GPU per local
// rank), and the TpCollectives each rank's runner calls. The only file that includes nccl.h is
// nccl_group.cpp; built without NCCL (SLIPWAY_HAS_NCCL unset) every entry point here returns
// an error saying so.
#include <memory>
#include <string>
#include <vector>

#include "cuda/tp_shard.h"
#include "slipway/engine/status.h"

namespace slipway::engine::cuda {

// ncclGetUniqueId: the 128 opaque bytes every rank of a group passes to create().
StatusOr<std::string> nccl_unique_id_bytes();
// The NCCL library's version ("2.28.9"), or why there is none.
std::string nccl_version_string();

class NcclGroup final {
public:
    // Joins local ranks 0..local_ranks-1 (global ranks first_rank + k, CUDA device
    // device_base + k) to the group of `world` ranks named by `unique_id`. Blocks until every
    // rank of the group, on every node, has joined; then runs one small all-reduce and
    // all-gather so NCCL's connections exist before any rank's work can fail.
    static StatusOr<std::unique_ptr<NcclGroup>> create(const std::string &unique_id, int world, int first_rank,
                                                       int local_ranks, int device_base);
    ~NcclGroup();  // aborts the communicators (local, never waits on a peer that may be gone)
    NcclGroup(const NcclGroup &) = delete;
    NcclGroup &operator=(const NcclGroup &) = delete;

    TpCollectives *collectives(int local_rank) const;
    // Aborts every local communicator: collectives in flight on this node end, and every later
    // call fails with `reason`. Any thread, any time; only the first reason is kept.
    void abort(const std::string &reason);
    bool aborted() const;
    // OK, or the abort reason / the first communicator's asynchronous NCCL error (a peer gone,
    // a network failure). Any thread.
    Status health() const;
    // The transports NCCL chose, from its INFO log (dist/nccl_log.h): "P2P/direct pointer",
    // "NET/IB/0(GDRDMA) (NET/IB using ...)", ...; empty when the operator set NCCL_DEBUG or
    // NCCL_DEBUG_FILE (NCCL then logs where they asked) or the log could not be read.
    const std::string &transports() const;

private:
    struct Impl;
    explicit NcclGroup(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// Times an in-place bf16 sum all-reduce over `world` local GPUs (devices 0..world-1) for each
// message size in elements: `iterations` back-to-back all-reduces captured in one CUDA graph
// (as decode runs them) and the same issued eagerly; microseconds per all-reduce, the slowest
// rank's.
struct AllReduceTiming {
    size_t elements = 0;
    double graph_us = 0;
    double eager_us = 0;
};
StatusOr<std::vector<AllReduceTiming>> time_nccl_all_reduce(int world, const std::vector<size_t> &elements,
                                                            int iterations);

} // namespace slipway::engine::cuda
