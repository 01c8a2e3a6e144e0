#pragma once
// One-shot all-reduce through peer memory for the tensor-parallel ranks of one node (one process,
// one GPU per rank, NVLink or PCIe peer access between every pair). NCCL's all-reduce costs
// 7-10 us for a decode step's few KiB; here each rank's kernel reads every rank's partial rows
// straight from the peers' memory, sums them and carries on with the residual add and RMSNorm
// in the same kernel (engine/cuda/peer_all_reduce.cuh).
//
// What a PeerGroup holds, per rank (allocated on that rank's GPU, never moved afterwards, so CUDA
// graphs may capture the pointers):
//   buf[0], buf[1]  `max_rows` rows of `hidden` bf16 each: the partial rows a rank's
//                   row-parallel GEMM writes and the peers read. A step alternates them: the
//                   embedding and every down_proj write buf[0], every o_proj and the head's
//                   argmax pairs buf[1].
//   flags           [kPeerMaxBlocks][kPeerMaxRanks] u32: peer p's block b stores its epoch in
//                   flags[b][p] of every other rank when it has arrived.
//   epochs          [kPeerMaxBlocks] u32: how many calls block b of this rank has completed.
//   inbox[2]        [world][max_rows][hidden] bf16 each, every bit set (0xFFFF: "empty") between
//                   uses: the push mode's mailboxes (the default). Block r of rank q reads its
//                   own partial row, stores it into inbox[s][q][r] of every peer (s = the block's
//                   epoch & 1), then waits until its own inbox[s][p][r] holds no empty element
//                   for every peer p, takes the row and empties it again. No flags, no barrier,
//                   no read across NVLink: one store in flight each way. A partial element that is
//                   itself 0xFFFF (a NaN) is sent as 0x7FFF (still a NaN).
// plus one host-mapped state word shared by every rank: 0 while healthy, set by abort() or by a
// kernel whose peers did not arrive within the timeout; every waiting kernel then stops waiting.
//
// Why no barrier at the end of a call: a rank writes a buffer again only two calls after the
// one that read it, and it can start call j only once every peer has arrived at call j - 1,
// i.e. finished call j - 2 (each kernel waits for its predecessor, pdl.cuh). Any NCCL
// collective in between is a full barrier as well. The same holds for the inboxes: block r of
// a peer stores into my slot s again two of its calls later, which needs my row of the call in
// between, which I send only after the call that emptied slot s has completed.
//
// SLIPWAY_PEER_ALL_REDUCE=pull keeps the barrier-and-read form (flags, then each block reads the
// peers' buf rows over NVLink): the A/B reference for the push mode.
#include <cuda_runtime.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "slipway/engine/status.h"

namespace slipway::engine::cuda {

constexpr int kPeerMaxRanks = 8;
constexpr int kPeerMaxBlocks = 1024;  // blocks of one peer kernel (rows per call, at most)

// State word values.
constexpr int kPeerHealthy = 0;
constexpr int kPeerAborted = 1;
constexpr int kPeerTimedOut = 2;

// One rank's view of the group, passed by value to the kernels. world == 0: no peer group.
struct PeerView {
    int rank = 0;
    int world = 0;
    int64_t max_rows = 0;  // rows of `hidden` bf16 each buffer holds
    int64_t timeout_ns = 0;
    void *buf[2][kPeerMaxRanks] = {};
    uint32_t *flags[kPeerMaxRanks] = {};
    uint32_t *epochs = nullptr;  // this rank's
    void *inbox[kPeerMaxRanks] = {};  // rank p's inboxes, on p's GPU
    volatile int *state = nullptr;  // host-mapped, shared by the group
    bool push = true;  // push into the peers' inboxes (else: barrier, then read the peers' buf)
};

class PeerGroup final {
public:
    // Ranks 0..world-1 on CUDA devices device_base + k. Fails (and the caller keeps NCCL) when a
    // pair of GPUs lacks peer access. timeout_ms bounds how long a kernel waits for its peers.
    static StatusOr<std::unique_ptr<PeerGroup>> create(int world, int device_base, int64_t max_rows, int hidden,
                                                       int64_t timeout_ms);
    ~PeerGroup();
    PeerGroup(const PeerGroup &) = delete;
    PeerGroup &operator=(const PeerGroup &) = delete;

    const PeerView &view(int rank) const { return views_[static_cast<size_t>(rank)]; }
    // Every kernel waiting on a peer stops waiting; later calls do not wait either. Any thread.
    void abort(const std::string &reason);
    // OK, or why the group stopped (the abort reason, or the timeout).
    Status health() const;

    // Whether the environment allows the peer path (SLIPWAY_PEER_ALL_REDUCE=0 turns it off, for
    // A/B measurements and as a way out), and whether it pushes (=pull: the barrier form).
    static bool enabled_by_environment();
    static bool push_by_environment();

private:
    PeerGroup() = default;
    int device_base_ = 0;
    int64_t timeout_ms_ = 0;
    std::vector<PeerView> views_;
    std::vector<void *> allocations_;  // [rank]: one device allocation holding everything
    int *state_host_ = nullptr;
    mutable std::mutex mu_;
    std::string abort_reason_;  // the first abort's
};

} // namespace slipway::engine::cuda
