#pragma once
// The tokenizer of a Hugging Face model folder: tokenizer.json (byte-level BPE with its
// normalizer, pre-tokenizer, added tokens, post-processor and decoder) plus
// tokenizer_config.json (special token strings, add_bos_token, chat template). Produces the
// same ids as Hugging Face `tokenizers`.
//
// A Tokenizer is immutable after load(); copies share the loaded tables, and every const
// member function is safe to call from any number of threads at once.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "slipway/engine/status.h"
#include "text/tokenizer_added_tokens.h"

namespace slipway::engine {

// Special token strings from tokenizer_config.json (empty when the file does not set them).
struct SpecialTokens {
    std::string bos;
    std::string eos;
    std::string pad;
    std::string unk;
};

class Tokenizer {
public:
    // Reads DIR/tokenizer.json, DIR/tokenizer_config.json (optional, but it carries the special
    // tokens and the chat template), DIR/chat_template.jinja (preferred over the config's
    // template, as transformers does) and DIR/generation_config.json (optional: more end-of-sequence ids). Errors name
    // the file and the field at fault.
    static StatusOr<Tokenizer> load(const std::filesystem::path &dir);
    // The same from file contents; `source` names them in error messages.
    static StatusOr<Tokenizer> from_json(std::string_view tokenizer_json, std::string_view tokenizer_config_json,
                                         const std::string &source);

    // Text to ids. Invalid UTF-8 is first replaced by U+FFFD (as a caller of the Rust library
    // must do). add_special_tokens adds what the model expects around a sequence: the
    // post-processor template, or BOS/EOS when tokenizer_config.json sets add_bos_token /
    // add_eos_token (DeepSeek-V3 and the R1 distills: BOS). Chat-templated text already
    // carries them, so encode it with add_special_tokens = false.
    std::vector<std::int32_t> encode(std::string_view text, bool add_special_tokens) const;
    // Ids to text; ids outside the vocabulary are skipped. Invalid UTF-8 produced by a cut in
    // the middle of a character becomes U+FFFD.
    std::string decode(std::span<const std::int32_t> ids, bool skip_special_tokens) const;

    std::optional<std::int32_t> token_to_id(std::string_view token) const;
    std::optional<std::string> id_to_token(std::int32_t id) const;
    // One past the largest id of the vocabulary and the added tokens.
    std::int32_t vocab_size() const;
    // The bytes id decodes to (possibly part of a UTF-8 character); empty for unknown ids.
    std::string_view token_bytes(std::int32_t id) const;
    // Added tokens marked "special" (skipped by decode with skip_special_tokens).
    bool is_special(std::int32_t id) const;
    const std::vector<AddedToken> &added_tokens() const;

    const SpecialTokens &special_tokens() const;
    std::optional<std::int32_t> bos_token_id() const;
    // The config's eos token, then any generation_config.json eos_token_id not already listed.
    const std::vector<std::int32_t> &eos_token_ids() const;
    bool add_bos_token() const;
    // The chat template text: chat_template.jinja when the folder has one, else
    // tokenizer_config.json "chat_template" (the one named "default" when it is a list); empty
    // when the model has none.
    const std::string &chat_template() const;

    struct Data;

private:
    std::shared_ptr<const Data> data_;
};

} // namespace slipway::engine
