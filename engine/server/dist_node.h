#pragma once
// slipway-engine as one node of a tensor-parallel group (--tp > 1, and --nnodes / --node-rank /
// --dist-init-addr across machines, the way LeaderWorkerSet starts every pod with the same
// command).
//
// Node 0 (the leader) serves the API and runs the scheduler: TensorParallelLeader makes the NCCL
// id, and with several nodes holds the rendezvous and then the control channel whose broadcast
// is the TP runner's plan sink. Every other node runs run_worker_node(): /health on
// --host/--port, the rendezvous, its ranks' executor (the CUDA TP worker), and plans until the
// leader's Shutdown. Failures on any node end every node non-zero within the bounds of
// dist/control_channel.h, so LeaderWorkerSet's RecreateGroupOnPodRestart restarts the group.
//
// Worker /health: 200 while the node is in the group (leader connected: loading or serving),
// 503 before the rendezvous, after a failure or after Shutdown; /health_generate: 200 only while
// serving steps. Both answer JSON {status, node_rank, ranks, leader, leader_connected, serving,
// last_step, seconds_since_last_step, executing_step}. Other paths: 404 naming the leader.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "dist/control_channel.h"
#include "dist/handshake.h"
#include "dist/tp_setup.h"
#include "server/serve_options.h"

namespace slipway::engine {

// The flags every node must share, checked at rendezvous ("--page-size" -> "1", ...).
dist::FlagSet dist_flag_set(const ServeOptions &options);

// The channel bounds from the flags (--dist-heartbeat-timeout, --dist-step-timeout, --dist-timeout).
dist::ChannelOptions dist_channel_options(const ServeOptions &options);

// Errors unless this build and --device can run tensor parallelism: "tensor parallelism needs
// the CUDA backend (--device cuda)".
Status check_tensor_parallel_support(const ServeOptions &options);

class TensorParallelLeader final {
public:
    // Makes the NCCL id (tests pass their own source). Default: cuda_nccl_unique_id().
    using IdSource = std::function<StatusOr<std::string>()>;

    // One node: the layout and the id. Several: also listens at --dist-init-addr's port, waits for
    // every worker node (up to --dist-timeout) and starts the control channel. Logs the layout
    // and the outcome.
    static StatusOr<std::unique_ptr<TensorParallelLeader>> start(const ServeOptions &options,
                                                                 const std::function<void(const std::string &)> &log,
                                                                 IdSource make_id = {});
    ~TensorParallelLeader();

    // For ServingEngine::create; remote_sink is LeaderChannel::broadcast with several nodes.
    const dist::TensorParallelSetup &setup() const { return setup_; }
    // nullptr on one node.
    dist::LeaderChannel *channel() { return channel_.get(); }
    // The engine is up: the workers' wait for this node ends (--dist-timeout bound).
    void mark_ready();
    // The serving engine failed after the group formed: every node stops, saying why.
    void fail(const std::string &message);
    // Shutdown plan to the workers (unless the runner sent it), waits `grace` for their acks.
    void shutdown(std::chrono::milliseconds grace);

private:
    TensorParallelLeader() = default;
    dist::TensorParallelSetup setup_;
    std::unique_ptr<dist::LeaderChannel> channel_;
};

// Runs each plan on this node's ranks; made once the group formed (model loaded, NCCL joined).
using WorkerExecutor = std::function<Status(const dist::StepPlan &)>;
using WorkerExecutorFactory = std::function<StatusOr<WorkerExecutor>(
    const ServeOptions &options, const dist::ParallelLayout &layout, const std::string &nccl_id)>;

// The whole life of a worker node (node rank >= 1); returns the process exit code (0 after the
// leader's Shutdown). A failure after the rendezvous exits the process from the channel's
// watchdog (dist/control_channel.h) unless `channel_options.on_failure` says otherwise.
int run_worker_node(const ServeOptions &options, const WorkerExecutorFactory &make_executor);
// With the CUDA TP worker (create_cuda_tp_worker), or an error in builds without CUDA.
int run_worker_node(const ServeOptions &options);

} // namespace slipway::engine
