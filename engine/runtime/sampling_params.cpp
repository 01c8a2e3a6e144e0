#include "runtime/sampling_params.h"

#include <cmath>
#include <string>

namespace slipway::engine {
namespace {

std::string fmt(double v) {
    std::string s = std::to_string(v);
    while (s.size() > 1 && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

} // namespace

Status SamplingParams::validate(int64_t vocab_size) const {
    if (!std::isfinite(temperature) || temperature < 0.0f) {
        return Status::error("temperature must be a number >= 0 (0 = greedy), got " + fmt(temperature));
    }
    if (!std::isfinite(top_p) || top_p <= 0.0f || top_p > 1.0f) {
        return Status::error("top_p must be in (0, 1], got " + fmt(top_p));
    }
    if (top_k < -1) {
        return Status::error("top_k must be -1 (off) or >= 1, got " + std::to_string(top_k));
    }
    if (!std::isfinite(min_p) || min_p < 0.0f || min_p > 1.0f) {
        return Status::error("min_p must be in [0, 1], got " + fmt(min_p));
    }
    if (!std::isfinite(repetition_penalty) || repetition_penalty <= 0.0f || repetition_penalty > 2.0f) {
        return Status::error("repetition_penalty must be in (0, 2], got " + fmt(repetition_penalty));
    }
    if (!std::isfinite(frequency_penalty) || frequency_penalty < -2.0f || frequency_penalty > 2.0f) {
        return Status::error("frequency_penalty must be in [-2, 2], got " + fmt(frequency_penalty));
    }
    if (!std::isfinite(presence_penalty) || presence_penalty < -2.0f || presence_penalty > 2.0f) {
        return Status::error("presence_penalty must be in [-2, 2], got " + fmt(presence_penalty));
    }
    if (max_new_tokens < 0) {
        return Status::error("max_new_tokens (max_tokens) must be >= 0, got " + std::to_string(max_new_tokens));
    }
    if (min_new_tokens < 0 || min_new_tokens > max_new_tokens) {
        return Status::error("min_new_tokens must be in [0, max_new_tokens=" + std::to_string(max_new_tokens) +
                             "], got " + std::to_string(min_new_tokens));
    }
    for (int32_t id : stop_token_ids) {
        if (id < 0 || id >= vocab_size) {
            return Status::error("stop_token_ids: " + std::to_string(id) + " is not a token id (vocabulary size " +
                                 std::to_string(vocab_size) + ")");
        }
    }
    for (const std::string &s : stop) {
        if (s.empty()) {
            return Status::error("stop: an empty stop string would end every request at once; remove it");
        }
    }
    if (top_logprobs_num < 0 || top_logprobs_num > 20) {
        return Status::error("top_logprobs must be in [0, 20], got " + std::to_string(top_logprobs_num));
    }
    return {};
}

} // namespace slipway::engine
