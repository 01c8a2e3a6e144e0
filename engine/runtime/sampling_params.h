#pragma once
// Per-request sampling parameters, with SGLang's names and defaults (sampling_params in
// POST /generate; the OpenAI endpoints map onto them). Validated once at submit.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "slipway/engine/status.h"

namespace slipway::engine {

struct SamplingParams {
    // 0 means greedy (argmax). SGLang treats temperature < 1e-6 as greedy, so do we.
    float temperature = 1.0f;
    float top_p = 1.0f;          // nucleus: keep the smallest prefix of sorted probs reaching top_p
    int32_t top_k = -1;          // -1 (or 0): off
    float min_p = 0.0f;          // drop tokens whose prob < min_p * max prob
    // HF/SGLang: over prompt + output tokens, a positive logit is divided by it, a negative one
    // multiplied. 1 = off.
    float repetition_penalty = 1.0f;
    // OpenAI: logit -= frequency_penalty * count + presence_penalty * (count > 0), counts over the
    // tokens generated so far (not the prompt), as SGLang does. Range [-2, 2].
    float frequency_penalty = 0.0f;
    float presence_penalty = 0.0f;

    int32_t max_new_tokens = 128;  // OpenAI max_tokens / max_completion_tokens
    int32_t min_new_tokens = 0;    // EOS and stop tokens are masked until this many are generated
    bool ignore_eos = false;       // EOS does not stop (explicit stop_token_ids still do)
    std::vector<std::string> stop;         // stop strings: removed from the text, end with "stop"
    std::vector<int32_t> stop_token_ids;   // end with "stop"; the token stays in output_ids
    std::optional<uint64_t> seed;          // same seed + same prompt -> same output, whatever the batch

    bool logprobs = false;         // report the chosen token's logprob each step
    int32_t top_logprobs_num = 0;  // and the top-N alternatives (0..20)

    // Returns an error naming the field and its allowed range.
    Status validate(int64_t vocab_size) const;
    bool greedy() const { return temperature < 1e-6f; }
};

} // namespace slipway::engine
