#pragma once
// An optional capability of a ModelRunner: sampling on the device that ran the forward step, so
// only token ids cross back to the host (the CUDA backend). The scheduler uses it when the
// runner offers it and no sequence of the step asks for logprobs; the result is the same
// function of (logits, parameters, one uniform draw) as runtime/sampler.h's sample_token:
// penalties, masked ids to -inf, then greedy argmax or temperature / top-k / top-p / min-p and
// an inverse-CDF draw in token-id order (runtime/sampler.h's sample_row is that function on the
// host).
//
// Asynchronous steps (overlap scheduling, SGLang's default; the AsyncSampler interface below):
// launch_sample() enqueues a step and returns at once; wait_sample() blocks until its tokens are on the host. Between the two the
// scheduler processes the previous step's tokens and plans the next step, so host work hides
// behind device work. A step may be launched before the tokens of the step launched just before
// it are known: such a query token is written as pending_token(k), "the k-th token sampled by
// the previous launch" (k counts the previous batch's sequences with need_logits, in order), and
// the runner resolves it on the device, after that step's sampling, in stream order.
//
// Ordering the scheduler relies on: steps execute in launch order (one stream, one worker), so a
// KV page released or re-used by the host after launching step n is written by step n before
// any later step touches it. At most two steps are outstanding (n in flight while n + 1 is
// launched); every launch is waited for exactly once, in launch order.
//
// A runner that only offers the synchronous forward_sample() (the CUDA backend today) gets the
// asynchronous contract from runtime/host_sampling_runner.h, which runs its steps on a worker
// thread; the scheduler wraps such a runner itself.
#include <cstdint>
#include <string>
#include <utility>
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

// A query token that is the k-th token sampled by the previously launched step (k >= 0).
constexpr int32_t pending_token(int32_t k) { return -1 - k; }
constexpr bool is_pending_token(int32_t id) { return id < 0; }
constexpr int32_t pending_token_index(int32_t id) { return -1 - id; }

// Replaces every pending_token(k) of batch.token_ids by previous[k]; an index outside
// `previous` is an error (the batch does not belong after that step).
Status resolve_pending_tokens(ForwardBatch &batch, const std::vector<int32_t> &previous);

// Identifies a launched step; tickets increase by one per launch.
using StepTicket = uint64_t;

class DeviceSampler {
public:
    virtual ~DeviceSampler() = default;
    // forward() plus sampling on the device: one token per sequence whose need_logits is set, in
    // order; `sampling` has one entry per such sequence. Pending tokens are not allowed here.
    virtual Status forward_sample(const ForwardBatch &batch, const std::vector<DeviceSampling> &sampling,
                                  std::vector<int32_t> &tokens) = 0;
};

// Steps that run while the caller plans the next one (see the top of this file).
class AsyncSampler {
public:
    virtual ~AsyncSampler() = default;
    // Enqueues forward_sample(batch, sampling); `batch` and `sampling` are read only during the
    // call (the runner copies what it needs). Its token_ids may hold pending_token(k) of the
    // step launched just before. An error means nothing was enqueued.
    virtual StatusOr<StepTicket> launch_sample(const ForwardBatch &batch,
                                               const std::vector<DeviceSampling> &sampling) = 0;
    // Blocks until the step `ticket` has run; its tokens as forward_sample returns them. Tickets
    // are waited for in launch order, each once.
    virtual Status wait_sample(StepTicket ticket, std::vector<int32_t> &tokens) = 0;
};

// Defined here (not in a .cpp) so that backends need no link dependency on the runtime library.
inline Status resolve_pending_tokens(ForwardBatch &batch, const std::vector<int32_t> &previous) {
    for (int32_t &id : batch.token_ids) {
        if (!is_pending_token(id)) continue;
        const int32_t k = pending_token_index(id);
        if (k >= static_cast<int32_t>(previous.size())) {
            return Status::error("a query token names sampled row " + std::to_string(k) +
                                 " of the previous step, which sampled only " + std::to_string(previous.size()));
        }
        id = previous[static_cast<size_t>(k)];
    }
    return {};
}

} // namespace slipway::engine
