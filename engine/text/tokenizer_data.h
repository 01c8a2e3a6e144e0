#pragma once
// What a loaded Tokenizer holds (internal to tokenizer*.cpp).
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "text/bpe_model.h"
#include "text/tokenizer.h"
#include "text/tokenizer_added_tokens.h"
#include "text/tokenizer_pipeline.h"

namespace slipway::engine {

struct Tokenizer::Data {
    BpeModel model;
    Normalizer normalizer;
    PreTokenizer pre_tokenizer;
    std::vector<AddedToken> added;           // as listed in tokenizer.json
    AddedTokenMatcher raw_matcher;           // added tokens with normalized = false
    AddedTokenMatcher normalized_matcher;    // added tokens with normalized = true
    std::unordered_map<std::string, std::int32_t> added_ids;
    std::vector<std::string> tokens;         // by id, vocabulary and added tokens
    std::vector<std::string> token_bytes;    // by id, what the decoder makes of each token
    std::vector<bool> special;               // by id
    std::vector<std::int32_t> prefix_ids;    // added in front with add_special_tokens
    std::vector<std::int32_t> suffix_ids;    // added at the end with add_special_tokens
    SpecialTokens special_tokens;
    std::optional<std::int32_t> bos_id;
    std::vector<std::int32_t> eos_ids;
    bool add_bos = false;
    std::string chat_template;
};

} // namespace slipway::engine
