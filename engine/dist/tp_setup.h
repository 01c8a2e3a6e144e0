#pragma once
// What the leader node hands the serving engine when --tp > 1: the layout, the NCCL unique id
// every rank initialises its communicator with, and the sink that carries each step plan to the
// other nodes (LeaderChannel::broadcast; empty on one node, where every rank is local).
#include <functional>
#include <string>

#include "dist/parallel_layout.h"
#include "dist/step_plan.h"
#include "slipway/engine/status.h"

namespace slipway::engine::dist {

struct TensorParallelSetup {
    ParallelLayout layout;
    std::string nccl_id;  // 128 opaque bytes from cuda_nccl_unique_id()
    std::function<Status(const StepPlan &)> remote_sink;
};

} // namespace slipway::engine::dist
