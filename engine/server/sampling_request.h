#pragma once
// Request JSON to SamplingParams: OpenAI's fields (with SGLang's extra ones: top_k, min_p,
// repetition_penalty, ignore_eos, min_tokens, stop_token_ids) and SGLang's `sampling_params`.
// Fields the request leaves unset take the model's generation_config.json defaults, then
// SGLang's. Wrong types, out-of-range values and unsupported features throw ApiFailure (400).
//
// Thread-safety: pure functions (ServingEngine::next_default_seed is atomic).
#include <cstdint>
#include <nlohmann/json.hpp>

#include "runtime/sampling_params.h"

namespace slipway::engine {

class ServingEngine;

enum class OpenAiEndpoint { completions, chat };

// `prompt_tokens` sizes the default max_tokens of chat requests (the rest of the context).
SamplingParams openai_sampling(const nlohmann::json &body, OpenAiEndpoint endpoint, ServingEngine &engine,
                               int64_t prompt_tokens);

// POST /generate's "sampling_params" object (may be null/absent).
SamplingParams sglang_sampling(const nlohmann::json *sampling_params, ServingEngine &engine);

} // namespace slipway::engine
