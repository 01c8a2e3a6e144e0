#pragma once
// What the HTTP server hands the scheduler and what it gets back, step by step.
//
// Thread-safety: these are plain values. The OutputCallback of a request is invoked on the
// scheduler's output thread (runtime/detokenizer.h), one call at a time, in step order; it must
// return quickly (copy the output into a queue; see OutputChannel) and must not call back into
// the Scheduler except cancel().
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/sampling_params.h"

namespace slipway::engine {

using RequestId = uint64_t;

enum class FinishReason {
    none,    // still running
    stop,    // EOS, a stop token id or a stop string
    length,  // max_new_tokens reached, or the context length
    abort,   // cancelled, shut down, or the KV cache/backend could not serve it (see message)
};

// "stop", "length", "abort" (OpenAI's finish_reason / SGLang's meta_info.finish_reason.type).
const char *finish_reason_name(FinishReason reason);

struct Usage {
    int32_t prompt_tokens = 0;
    int32_t completion_tokens = 0;
    int32_t cached_tokens = 0;  // prompt tokens served from the prefix cache (not recomputed)
};

struct TopLogprob {
    int32_t token_id = 0;
    float logprob = 0.0f;
};

// Logprobs are SGLang's: log-softmax of the logits after penalties and temperature, before
// top-k/top-p/min-p truncation (greedy: temperature 1). See sampler.h.
struct TokenLogprob {
    int32_t token_id = 0;
    float logprob = 0.0f;
    std::vector<TopLogprob> top;  // SamplingParams::top_logprobs_num entries, best first
};

// One push per step that produced something for the request, and always a last one with
// finished = true. Every field is a delta except usage, which holds the running totals.
struct StepOutput {
    RequestId id = 0;
    std::vector<int32_t> token_ids;     // tokens generated this step (usually one)
    std::string text;                   // new text: whole UTF-8 characters only; stop strings and
                                        // whatever followed them removed; held back while it could
                                        // still be the start of a stop string
    std::vector<TokenLogprob> logprobs; // one per token_ids entry when SamplingParams::logprobs
    bool finished = false;
    FinishReason finish_reason = FinishReason::none;
    int32_t matched_stop_token = -1;    // the EOS/stop token id that ended it, else -1
    std::string matched_stop_string;    // the stop string that ended it, else empty
    std::string message;                // for abort: why, in words a user can act on
    Usage usage;
};

using OutputCallback = std::function<void(StepOutput)>;

struct GenerateRequest {
    std::vector<int32_t> prompt_ids;  // already tokenized (chat template applied); non-empty
    SamplingParams sampling;
    OutputCallback on_output;         // required
    std::string rid;                  // the caller's own id; carried, not interpreted
};

// Why submit() refused a request. The server maps: invalid_request -> 400,
// context_too_long -> 400 (OpenAI's context_length_exceeded), not_accepting -> 503.
enum class RejectReason { none, invalid_request, context_too_long, not_accepting };

struct SubmitResult {
    RequestId id = 0;
    RejectReason reject = RejectReason::none;
    std::string message;
    bool ok() const { return reject == RejectReason::none; }
};

} // namespace slipway::engine
