#pragma once
// Pieces of OpenAI response bodies shared by /v1/completions and /v1/chat/completions.
//
// Thread-safety: pure functions (the Tokenizer is immutable).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "runtime/request.h"

namespace slipway::engine {

class Tokenizer;

// {"prompt_tokens", "completion_tokens", "total_tokens", "prompt_tokens_details": {"cached_tokens"}}
nlohmann::json usage_json(int32_t prompt_tokens, int32_t completion_tokens, int32_t cached_tokens);

// "stop" or "length"; abort never reaches a choice (it becomes an error).
const char *openai_finish_reason(FinishReason reason);

// Chat's {"content": [{"token", "logprob", "bytes", "top_logprobs": [...]}]}.
nlohmann::json chat_logprobs_json(const std::vector<TokenLogprob> &logprobs, const Tokenizer &tokenizer);
// Completions' {"tokens", "token_logprobs", "top_logprobs", "text_offset"}; `text_offset` counts
// from `offset_base` (the length of text already sent).
nlohmann::json completion_logprobs_json(const std::vector<TokenLogprob> &logprobs, const Tokenizer &tokenizer,
                                        bool with_top, size_t offset_base);

// Dumps with invalid UTF-8 (a token that is part of a character) replaced by U+FFFD.
std::string dump_json(const nlohmann::json &j);

} // namespace slipway::engine
