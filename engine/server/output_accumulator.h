#pragma once
// Sums a request's StepOutputs into the whole answer (text, ids, logprobs, usage, how it ended).
//
// Thread-safety: none; one per request.
#include <string>
#include <vector>

#include "runtime/request.h"

namespace slipway::engine {

struct OutputAccumulator {
    std::string text;
    std::vector<int32_t> ids;
    std::vector<TokenLogprob> logprobs;
    Usage usage;
    bool finished = false;
    FinishReason finish_reason = FinishReason::none;
    int32_t matched_stop_token = -1;
    std::string matched_stop_string;
    std::string message;

    void add(const StepOutput &out) {
        text += out.text;
        ids.insert(ids.end(), out.token_ids.begin(), out.token_ids.end());
        logprobs.insert(logprobs.end(), out.logprobs.begin(), out.logprobs.end());
        usage = out.usage;
        if (out.finished) {
            finished = true;
            finish_reason = out.finish_reason;
            matched_stop_token = out.matched_stop_token;
            matched_stop_string = out.matched_stop_string;
            message = out.message;
        }
    }
};

} // namespace slipway::engine
