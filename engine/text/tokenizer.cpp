#include "text/tokenizer.h"

#include "text/tokenizer_data.h"
#include "text/unicode_utf8.h"

namespace slipway::engine {

namespace {

void encode_plain(const Tokenizer::Data &d, std::u32string_view text, std::vector<std::int32_t> &ids)
{
    if (text.empty())
        return;
    for (const std::string &word : d.pre_tokenizer.split(text))
        d.model.encode_word(word, ids);
}

} // namespace

std::vector<std::int32_t> Tokenizer::encode(std::string_view text, bool add_special_tokens) const
{
    const Data &d = *data_;
    const std::string clean = sanitize_utf8(text);
    std::vector<std::int32_t> ids;
    ids.reserve(clean.size() / 3 + 4);
    if (add_special_tokens)
        ids = d.prefix_ids;
    // Added tokens are cut out first: the raw ones from the text as given, the normalized ones
    // from each stretch of text after normalization (Hugging Face's AddedVocabulary order).
    for (const auto &segment : d.raw_matcher.split(clean)) {
        if (segment.token) {
            ids.push_back(segment.token->id);
            continue;
        }
        const std::u32string normalized =
            d.normalizer.apply(utf8_to_code_points(std::string_view(clean).substr(segment.begin, segment.end - segment.begin)));
        if (d.normalized_matcher.empty()) {
            encode_plain(d, normalized, ids);
            continue;
        }
        const std::string utf8 = code_points_to_utf8(normalized);
        for (const auto &part : d.normalized_matcher.split(utf8)) {
            if (part.token)
                ids.push_back(part.token->id);
            else
                encode_plain(d, utf8_to_code_points(std::string_view(utf8).substr(part.begin, part.end - part.begin)), ids);
        }
    }
    if (add_special_tokens)
        ids.insert(ids.end(), d.suffix_ids.begin(), d.suffix_ids.end());
    return ids;
}

std::string Tokenizer::decode(std::span<const std::int32_t> ids, bool skip_special_tokens) const
{
    const Data &d = *data_;
    std::string bytes;
    for (std::int32_t id : ids) {
        if (id < 0 || static_cast<std::size_t>(id) >= d.tokens.size())
            continue;
        if (skip_special_tokens && d.special[static_cast<std::size_t>(id)])
            continue;
        bytes += d.token_bytes[static_cast<std::size_t>(id)];
    }
    return sanitize_utf8(bytes);
}

std::optional<std::int32_t> Tokenizer::token_to_id(std::string_view token) const
{
    const Data &d = *data_;
    if (auto it = d.added_ids.find(std::string(token)); it != d.added_ids.end())
        return it->second;
    return d.model.token_to_id(token);
}

std::optional<std::string> Tokenizer::id_to_token(std::int32_t id) const
{
    const Data &d = *data_;
    if (id < 0 || static_cast<std::size_t>(id) >= d.tokens.size() || d.tokens[static_cast<std::size_t>(id)].empty())
        return std::nullopt;
    return d.tokens[static_cast<std::size_t>(id)];
}

std::int32_t Tokenizer::vocab_size() const { return static_cast<std::int32_t>(data_->tokens.size()); }

std::string_view Tokenizer::token_bytes(std::int32_t id) const
{
    const Data &d = *data_;
    if (id < 0 || static_cast<std::size_t>(id) >= d.token_bytes.size())
        return {};
    return d.token_bytes[static_cast<std::size_t>(id)];
}

bool Tokenizer::is_special(std::int32_t id) const
{
    const Data &d = *data_;
    return id >= 0 && static_cast<std::size_t>(id) < d.special.size() && d.special[static_cast<std::size_t>(id)];
}

const std::vector<AddedToken> &Tokenizer::added_tokens() const { return data_->added; }
const SpecialTokens &Tokenizer::special_tokens() const { return data_->special_tokens; }
std::optional<std::int32_t> Tokenizer::bos_token_id() const { return data_->bos_id; }
const std::vector<std::int32_t> &Tokenizer::eos_token_ids() const { return data_->eos_ids; }
bool Tokenizer::add_bos_token() const { return data_->add_bos; }
const std::string &Tokenizer::chat_template() const { return data_->chat_template; }

} // namespace slipway::engine
