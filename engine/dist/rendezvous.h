#pragma once
// Forming a tensor-parallel group at --dist-init-addr HOST:PORT (SGLang's flag; LeaderWorkerSet
// passes $(LWS_LEADER_ADDRESS):20000).
//
// Node 0 listens on PORT on every interface and waits until all --nnodes - 1 workers have said
// Hello, at most --dist-timeout. Each Hello is checked against the leader's own: protocol and
// slipway version, the flags that must match (handshake.h), the model fingerprint, and the node
// rank (in 1..nnodes-1, not taken by a live connection). The first mismatch is refused to that
// node and to every node already waiting, and the leader fails with the same message, so every
// rank stops saying what differs. When the group is complete every worker gets Welcome with the
// opaque blob (the NCCL unique id); the connections then carry the control channel.
//
// A worker resolves HOST and connects, retrying on DNS failure, refusal or a leader that
// restarted, until --dist-timeout, logging where it stands every few seconds (the leader's
// Service name may not resolve yet when a worker pod starts).
//
// Thread-safety: each function runs on its caller's thread; the log callback is called there.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "dist/handshake.h"
#include "dist/parallel_layout.h"
#include "dist/socket_io.h"
#include "slipway/engine/status.h"

namespace slipway::engine::dist {

// Used when --dist-timeout is not given: torch's default timeout for NCCL process groups, which
// is what SGLang's rendezvous gets without the flag.
inline constexpr std::chrono::seconds kDefaultDistTimeout{600};

struct RendezvousOptions {
    std::string host;                               // --dist-init-addr HOST (workers connect there)
    uint16_t port = 0;                              // --dist-init-addr PORT (0 for the leader: any, tests)
    std::chrono::milliseconds timeout = kDefaultDistTimeout;  // --dist-timeout
    std::chrono::milliseconds log_interval{5000};   // "still waiting" lines
    std::chrono::milliseconds retry_interval{500};  // worker: pause between connection attempts
    std::chrono::milliseconds hello_timeout{30000}; // leader: a connection must say Hello within this
    std::function<void(const std::string &)> log;   // progress lines; may be empty
};

// One worker node's connection, held by the leader.
struct PeerLink {
    int node_rank = 0;
    std::string address;  // "10.0.0.5:43210"
    Socket socket;
};

class RendezvousLeader final {
public:
    // Binds PORT on every interface now, so workers that start early are queued by the kernel.
    static StatusOr<std::unique_ptr<RendezvousLeader>> listen(RendezvousOptions options);
    uint16_t port() const;

    // Waits for every worker node of `layout` (run on node 0) and answers them; returns their
    // links ordered by node rank 1..nnodes-1. `own` is the leader's Hello (node rank 0).
    StatusOr<std::vector<PeerLink>> gather(const Hello &own, const ParallelLayout &layout, const std::string &blob);

private:
    RendezvousLeader() = default;
    RendezvousOptions options_;
    Socket listener_;
};

struct WorkerJoin {
    Socket socket;               // to the leader; carries the control channel next
    std::string blob;            // the leader's opaque blob (NCCL unique id)
    std::string leader_address;  // "host:port" as configured
};

// Joins the group as `own.node_rank` (>= 1).
StatusOr<WorkerJoin> rendezvous_worker(const RendezvousOptions &options, const Hello &own);

// "600 s", "2.5 s": durations in messages.
std::string seconds_text(std::chrono::milliseconds d);

} // namespace slipway::engine::dist
