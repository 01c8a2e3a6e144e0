#pragma once
// The BPE model of tokenizer.json: a vocabulary and ranked merges. Words arrive already split
// by the pre-tokenizer (and, for byte-level BPE, already mapped to the byte alphabet).
// Immutable after construction; encode_word is thread-safe.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "slipway/engine/status.h"

namespace slipway::engine {

class BpeModel {
public:
    // `model` is tokenizer.json's "model" object; errors name the field at fault.
    static StatusOr<BpeModel> from_json(const nlohmann::json &model);

    // Appends the ids of one pre-tokenized word (UTF-8).
    void encode_word(std::string_view word, std::vector<std::int32_t> &out) const;

    std::optional<std::int32_t> token_to_id(std::string_view token) const;
    // Tokens by id; an empty string marks an id the vocabulary does not use.
    const std::vector<std::string> &tokens() const { return tokens_; }
    std::size_t merge_count() const { return merges_.size(); }

private:
    struct Merge {
        std::uint32_t rank;
        std::int32_t merged;
    };
    static std::uint64_t pair_key(std::int32_t a, std::int32_t b)
    {
        return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32) | static_cast<std::uint32_t>(b);
    }
    const Merge *find_merge(std::int32_t a, std::int32_t b) const
    {
        auto it = merges_.find(pair_key(a, b));
        return it == merges_.end() ? nullptr : &it->second;
    }

    struct StringHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, std::int32_t, StringHash, std::equal_to<>> vocab_;
    std::vector<std::string> tokens_;
    std::unordered_map<std::uint64_t, Merge> merges_;
    std::optional<std::int32_t> unk_id_;
    bool ignore_merges_ = false;
};

} // namespace slipway::engine
