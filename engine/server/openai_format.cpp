#include "server/openai_format.h"

#include "text/tokenizer.h"

namespace slipway::engine {

using nlohmann::json;

std::string dump_json(const json &j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

json usage_json(int32_t prompt_tokens, int32_t completion_tokens, int32_t cached_tokens) {
    return {{"prompt_tokens", prompt_tokens},
            {"completion_tokens", completion_tokens},
            {"total_tokens", prompt_tokens + completion_tokens},
            {"prompt_tokens_details", {{"cached_tokens", cached_tokens}}}};
}

const char *openai_finish_reason(FinishReason reason) {
    return reason == FinishReason::length ? "length" : "stop";
}

namespace {

json token_bytes_json(const std::string &bytes) {
    json out = json::array();
    for (unsigned char c : bytes) out.push_back(static_cast<int>(c));
    return out;
}

} // namespace

json chat_logprobs_json(const std::vector<TokenLogprob> &logprobs, const Tokenizer &tokenizer) {
    json content = json::array();
    for (const TokenLogprob &lp : logprobs) {
        const std::string bytes(tokenizer.token_bytes(lp.token_id));
        json top = json::array();
        for (const TopLogprob &t : lp.top) {
            const std::string tb(tokenizer.token_bytes(t.token_id));
            top.push_back({{"token", tb}, {"logprob", t.logprob}, {"bytes", token_bytes_json(tb)}});
        }
        content.push_back({{"token", bytes}, {"logprob", lp.logprob}, {"bytes", token_bytes_json(bytes)},
                           {"top_logprobs", std::move(top)}});
    }
    return {{"content", std::move(content)}};
}

json completion_logprobs_json(const std::vector<TokenLogprob> &logprobs, const Tokenizer &tokenizer, bool with_top,
                              size_t offset_base) {
    json tokens = json::array(), token_logprobs = json::array(), tops = json::array(), offsets = json::array();
    size_t offset = offset_base;
    for (const TokenLogprob &lp : logprobs) {
        const std::string bytes(tokenizer.token_bytes(lp.token_id));
        tokens.push_back(bytes);
        token_logprobs.push_back(lp.logprob);
        offsets.push_back(offset);
        offset += bytes.size();
        json top = json::object();
        for (const TopLogprob &t : lp.top) top[std::string(tokenizer.token_bytes(t.token_id))] = t.logprob;
        tops.push_back(std::move(top));
    }
    return {{"tokens", std::move(tokens)},
            {"token_logprobs", std::move(token_logprobs)},
            {"top_logprobs", with_top ? std::move(tops) : json(nullptr)},
            {"text_offset", std::move(offsets)}};
}

} // namespace slipway::engine
