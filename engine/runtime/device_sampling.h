#pragma once
// An optional capability of a ModelRunner: sampling on the device that ran the forward step, so
// only token ids cross back to the host (the CUDA backend). The scheduler uses it when the
// runner offers it and no sequence of the step asks for logprobs; the result is the same
// function of (logits, parameters, one uniform draw) as runtime/sampler.h's sample_token:
// penalties, masked ids to -inf, then greedy argmax or temperature / top-k / top-p / min-p and
// an inverse-CDF draw in token-id order.
#include <cstdint>
#include <vector>

#include "slipway/engine/model_runner.h"
#include "slipway/engine/status.h"

namespace slipway::engine {

// One sampled row: SamplingParams flattened, plus the request's uniform draw.
struct DeviceSampling {
    float temperature = 1.0f;  // < 1e-6: greedy
    int32_t top_k = -1;
    float top_p = 1.0f;
    float min_p = 0.0f;
    float repetition_penalty = 1.0f;
    float frequency_penalty = 0.0f;
    float presence_penalty = 0.0f;
    double uniform = 0.0;                   // one draw of the request's RequestRng
    std::vector<int32_t> penalty_ids;       // unique token ids seen in prompt or output
    std::vector<int32_t> penalty_counts;    // their occurrences in the output so far
    std::vector<int32_t> masked_ids;        // forced to -inf (EOS / stop below min_new_tokens)
};

class DeviceSampler {
public:
    virtual ~DeviceSampler() = default;
    // forward() plus sampling on the device: one token per sequence whose need_logits is set, in
    // order; `sampling` has one entry per such sequence.
    virtual Status forward_sample(const ForwardBatch &batch, const std::vector<DeviceSampling> &sampling,
                                  std::vector<int32_t> &tokens) = 0;
};

} // namespace slipway::engine
