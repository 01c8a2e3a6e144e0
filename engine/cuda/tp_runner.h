#pragma once
// Tensor parallelism on the CUDA backend, free of CUDA and NCCL headers (like cuda_runner.h).
//
// Process model: one process per node, one GPU per local rank (local rank k uses CUDA device
// options.runner.device + k), one thread per local rank beyond the first (local rank 0 runs on
// the caller's thread). Each rank owns a CudaModelRunner holding its shard of every weight
// (engine/cuda/tp_shard.h: column-parallel q/k/v and gate/up, row-parallel o/down followed by
// an NCCL all-reduce inside the decode CUDA graphs, vocabulary-parallel embedding and lm_head,
// KV heads divided and replicated when tp exceeds them) and its own KV pool, sized per GPU as
// SGLang does (fraction * total - used) and then the minimum over all ranks.
//
// A step: the leader node's runner checks the batch, builds a dist::StepPlan, hands it to
// remote_sink (which ships it to the other nodes; empty on one node), then runs it on its
// local ranks and returns global rank 0's result. Greedy decoding gathers one (logit, id) pair
// per row and rank; logits and sampling gather the full logits on every rank (rank 0's are
// returned). Worker nodes run each plan they receive on their local ranks.
//
// Failure: if a local rank fails, the node's NCCL communicators are aborted (so the other
// local ranks' collectives return) and the runner / worker fails every later call with the
// first error. A remote node that dies leaves collectives waiting: the caller's watchdog must
// bound that (engine/dist). With several GPUs, set NCCL_NVLS_ENABLE=0 in the environment.
//
// Built without NCCL, every function here returns an error saying so.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "cuda/cuda_runner.h"
#include "dist/parallel_layout.h"
#include "dist/step_plan.h"

namespace slipway::engine {

// ncclGetUniqueId: 128 opaque bytes, made once by the leader and passed to every node.
StatusOr<std::string> cuda_nccl_unique_id();

// The NCCL library's version ("2.28.9"), or "built without NCCL" (for the start-up log).
std::string cuda_nccl_version();

struct CudaTpOptions {
    dist::ParallelLayout layout;
    std::string nccl_id;        // cuda_nccl_unique_id() of the leader (unused when tp is 1)
    CudaRunnerOptions runner;   // per rank; runner.device is local rank 0's GPU
};

// The leader node (layout.node_rank 0): a CudaRunner over the whole group. Every call first
// sends its plan through remote_sink (when set), then runs the local ranks. The destructor
// sends a StepKind::Shutdown plan through remote_sink, so what it captures must outlive the
// runner.
StatusOr<std::unique_ptr<CudaRunner>> create_cuda_tp_runner(std::shared_ptr<const LoadedModel> model,
                                                            const CudaTpOptions &options,
                                                            std::function<Status(const dist::StepPlan &)> remote_sink);

// A non-leader node's ranks.
class CudaTpWorker {
public:
    virtual ~CudaTpWorker() = default;
    // Runs one plan on every local rank and waits for them (results stay on the GPUs). Plans
    // must arrive in the leader's order: step numbers 1, 2, 3, ... (a gap is an error).
    // StepKind::Shutdown runs nothing and returns OK: the caller leaves its loop.
    virtual Status execute(const dist::StepPlan &plan) = 0;
    // For a worker's /health, from any thread: OK while this node's NCCL communicators report no
    // asynchronous error and no step has failed; else what went wrong.
    virtual Status health() const { return {}; }
    // For the start-up log: this node's ranks and GPUs, NCCL's version and the transports it chose.
    virtual std::string summary() const { return {}; }
};

StatusOr<std::unique_ptr<CudaTpWorker>> create_cuda_tp_worker(std::shared_ptr<const LoadedModel> model,
                                                              const CudaTpOptions &options);

// Random weights (benchmarks): each rank draws its shard of the TP 1 random model of the same
// seed (create_cuda_runner_random), so TP and TP 1 compute the same function.
StatusOr<std::unique_ptr<CudaRunner>> create_cuda_tp_runner_random(
    const ModelConfig &config, const CudaTpOptions &options, uint64_t seed,
    std::function<Status(const dist::StepPlan &)> remote_sink);
StatusOr<std::unique_ptr<CudaTpWorker>> create_cuda_tp_worker_random(const ModelConfig &config,
                                                                     const CudaTpOptions &options, uint64_t seed);

} // namespace slipway::engine
