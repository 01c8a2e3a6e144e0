#pragma once
// The group's control channel, over the rendezvous connections (one TCP connection between the
// leader and each worker node).
//
//   leader -> workers: every StepPlan, in order (step_plan_codec.h), then a Shutdown plan when
//                      the leader stops;
//   workers -> leader: an Ack per plan (step number and the executor's status);
//   both ways:         a Heartbeat every heartbeat_interval (1 s), from its own thread, so a
//                      node busy in a long step still shows it is alive.
//
// Failure bounds (a watchdog thread on every node checks them every 250 ms at most):
//   - a peer's connection closes, or nothing arrives from it for heartbeat_timeout
//     (--dist-heartbeat-timeout, default 5 s): the peer died, hung hard or the network split;
//   - a step is in flight longer than step_timeout (--dist-step-timeout, default 60 s): on the
//     leader, a worker has not acked a step that long after it was broadcast; on a worker, its
//     executor has been running one step that long. NCCL collectives can wait forever for a
//     rank that is gone, so this is the only way out of a hung collective;
//   - a node is ready (model loaded, communicator up) and another is still not ready
//     ready_timeout later (--dist-timeout, default 600 s): that node is stuck loading;
//   - a worker's executor returns an error, or a peer sends an Abort.
// A worker's step bound starts when both the step was sent and the worker was ready, so a
// worker still loading its shard when the leader's first step goes out is not "stalled".
// On any of them the node logs one line naming the node and ranks at fault ("node 1 (ranks 2-3)
// stopped answering: connection closed; exiting so LeaderWorkerSet restarts the group"), sends
// Abort with that line to its peers (best effort), closes its connections and calls on_failure,
// which by default flushes stdio and ends the process with std::_Exit(1): a thread stuck in NCCL
// cannot be joined, and LeaderWorkerSet's RecreateGroupOnPodRestart restarts the whole group.
//
// Thread-safety: broadcast/wait_acks/shutdown from one thread at a time (the scheduler loop, then
// the main thread at exit); peers()/health()/failure() from any thread.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "dist/parallel_layout.h"
#include "dist/rendezvous.h"
#include "dist/step_plan.h"
#include "slipway/engine/status.h"

namespace slipway::engine::dist {

inline constexpr std::chrono::milliseconds kDefaultHeartbeatTimeout{5000};
inline constexpr std::chrono::milliseconds kDefaultStepTimeout{60000};

struct ChannelOptions {
    std::chrono::milliseconds heartbeat_interval{1000};
    std::chrono::milliseconds heartbeat_timeout = kDefaultHeartbeatTimeout;  // --dist-heartbeat-timeout
    std::chrono::milliseconds step_timeout = kDefaultStepTimeout;            // --dist-step-timeout
    // Once this node is ready (model loaded, communicator up), every other node must be ready
    // within this (--dist-timeout, as SGLang bounds ranks waiting for each other at start-up).
    std::chrono::milliseconds ready_timeout = kDefaultDistTimeout;
    std::function<void(const std::string &)> log;  // progress and the failure line; may be empty
    // Called once, on a channel thread, after the failure line is logged and the peers are told.
    // Empty: flush stdio and std::_Exit(1). Tests pass a recorder.
    std::function<void(const std::string &)> on_failure;
};

// "node 1 (ranks 2-3)", "node 0 (rank 0, the leader)".
std::string node_label(const ParallelLayout &layout, int node);

class ChannelCore;

struct PeerHealth {
    int node_rank = 0;
    std::string address;
    bool connected = false;
    double seconds_since_heard = 0;
    uint64_t last_acked_step = 0;
};

class LeaderChannel final {
public:
    // Takes the worker links from RendezvousLeader::gather and starts the reader, heartbeat and
    // watchdog threads.
    static std::unique_ptr<LeaderChannel> start(const ParallelLayout &layout, std::vector<PeerLink> workers,
                                                ChannelOptions options);
    ~LeaderChannel();  // closes without a Shutdown plan (use shutdown() for a clean stop)
    LeaderChannel(const LeaderChannel &) = delete;
    LeaderChannel &operator=(const LeaderChannel &) = delete;

    // Sends `plan` to every worker node (the plan sink of the tensor-parallel runner). Steps must
    // increase. Returns at once, without waiting for the workers to run it; an error means the
    // group has failed (and the failure path has run).
    Status broadcast(const StepPlan &plan);
    // The leader's model is loaded and its runner is up (the first broadcast implies it).
    void mark_ready();
    // Waits until every worker acked `step` (or a later one), at most `timeout`.
    Status wait_acks(uint64_t step, std::chrono::milliseconds timeout);
    // Sends a Shutdown plan (unless one was broadcast already), waits up to `grace` for the
    // acks, then closes. Workers leave their loops and exit 0.
    Status shutdown(std::chrono::milliseconds grace);

    // Runs the failure path with `message` (which names this node and what went wrong), e.g.
    // when the model fails to load after the group formed, so the workers say why they stop.
    void fail(const std::string &message);

    std::vector<PeerHealth> peers() const;
    // The failure line, empty while the group is healthy.
    std::string failure() const;

private:
    LeaderChannel() = default;
    struct State;
    std::unique_ptr<State> state_;
    std::unique_ptr<ChannelCore> core_;
};

struct WorkerHealth {
    int node_rank = 0;
    std::string ranks;                 // "2-3"
    bool leader_connected = false;     // the channel is alive
    bool serving = false;              // the executor loop is running (model loaded, ready for steps)
    uint64_t last_step = 0;            // last step executed (0: none yet)
    double seconds_since_last_step = -1;  // -1: no step yet
    uint64_t executing_step = 0;       // step now in the executor (0: idle)
    std::string failure;               // the failure line once failed
};

class WorkerChannel final {
public:
    // Takes the connection from rendezvous_worker and starts the reader, heartbeat and watchdog
    // threads at once (the leader must see this node alive while it loads the model); plans that
    // arrive before run() wait in order.
    static std::unique_ptr<WorkerChannel> start(const ParallelLayout &layout, WorkerJoin join, ChannelOptions options);
    ~WorkerChannel();
    WorkerChannel(const WorkerChannel &) = delete;
    WorkerChannel &operator=(const WorkerChannel &) = delete;

    // Runs plans in order: executor(plan), then Ack. Returns OK after the Shutdown plan (which
    // the executor also sees, last); an error once the group failed or the executor failed.
    Status run(const std::function<Status(const StepPlan &)> &executor);

    // Runs the failure path with `message` (naming this node), e.g. when loading fails.
    void fail(const std::string &message);

    WorkerHealth health() const;

private:
    WorkerChannel() = default;
    struct State;
    std::unique_ptr<State> state_;
    std::unique_ptr<ChannelCore> core_;
};

} // namespace slipway::engine::dist
