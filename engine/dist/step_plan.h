#pragma once
// One step that the leader's scheduler asks every tensor-parallel rank to run, in lockstep.
// The leader builds it from a ModelRunner / CudaRunner call; local ranks (threads) and remote
// nodes (over the control channel, engine/dist/control_channel.h) run the same plan.
#include <cstdint>
#include <vector>

#include "runtime/device_sampling.h"
#include "slipway/engine/model_runner.h"

namespace slipway::engine::dist {

enum class StepKind : uint8_t {
    Forward = 1,        // ModelRunner::forward: logits back to the leader
    ForwardSample = 2,  // DeviceSampler::forward_sample
    ForwardGreedy = 3,  // CudaRunner::forward_greedy
    Shutdown = 4,       // the leader is stopping: ranks leave their loops and exit 0
};

struct StepPlan {
    uint64_t step = 0;  // 1, 2, 3, ... in the order the leader issued them
    StepKind kind = StepKind::Forward;
    ForwardBatch batch;
    std::vector<DeviceSampling> sampling;  // ForwardSample only
};

} // namespace slipway::engine::dist
