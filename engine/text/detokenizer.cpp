#include "text/detokenizer.h"

#include "text/unicode_utf8.h"

namespace slipway::engine {

StreamingDetokenizer::StreamingDetokenizer(Tokenizer tokenizer, bool skip_special_tokens)
    : tokenizer_(std::move(tokenizer)), skip_special_tokens_(skip_special_tokens)
{
}

std::string StreamingDetokenizer::push(std::int32_t id)
{
    if (skip_special_tokens_ && tokenizer_.is_special(id))
        return {};
    pending_ += tokenizer_.token_bytes(id);
    const std::size_t ready = utf8_complete_prefix(pending_);
    if (ready == 0)
        return {};
    // Invalid bytes before the held-back tail are final: they become U+FFFD now, as decode()
    // would turn them.
    std::string out = sanitize_utf8(std::string_view(pending_).substr(0, ready));
    pending_.erase(0, ready);
    return out;
}

std::string StreamingDetokenizer::finish()
{
    std::string out = sanitize_utf8(pending_);
    pending_.clear();
    return out;
}

} // namespace slipway::engine
