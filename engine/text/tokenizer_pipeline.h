#pragma once
// The text-to-words stages of tokenizer.json: the normalizer and the pre-tokenizer. Both are
// built from their JSON objects and are immutable and thread-safe afterwards.
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "slipway/engine/status.h"
#include "text/regex.h"

namespace slipway::engine {

// "normalizer": null, NFC, NFD, or a Sequence of them.
class Normalizer {
public:
    static StatusOr<Normalizer> from_json(const nlohmann::json &config);
    std::u32string apply(std::u32string text) const;
    bool is_identity() const { return steps_.empty(); }

private:
    enum class Step { Nfc, Nfd };
    static Status add(const nlohmann::json &config, std::vector<Step> &steps);
    std::vector<Step> steps_;
};

// "pre_tokenizer": null, Split (Regex or String pattern; behaviors Isolated, Removed,
// MergedWithPrevious, MergedWithNext, Contiguous; invert), ByteLevel (add_prefix_space,
// use_regex), or a Sequence of them. Each stage splits every piece the previous one produced;
// ByteLevel also maps each piece's UTF-8 bytes to the byte-level alphabet.
class PreTokenizer {
public:
    static StatusOr<PreTokenizer> from_json(const nlohmann::json &config);
    // The words of `text`, each ready for the model (UTF-8).
    std::vector<std::string> split(std::u32string_view text) const;

private:
    enum class Behavior { Isolated, Removed, MergedWithPrevious, MergedWithNext, Contiguous };
    struct Stage {
        enum class Kind { SplitRegex, SplitString, ByteLevel } kind;
        Regex regex;           // SplitRegex; also ByteLevel with use_regex
        std::u32string literal; // SplitString
        Behavior behavior = Behavior::Isolated;
        bool invert = false;
        bool add_prefix_space = false;
        bool use_regex = false;
    };
    static Status add(const nlohmann::json &config, std::vector<Stage> &stages);
    static void split_piece(const Stage &stage, std::u32string_view piece, std::vector<std::u32string> &out);
    std::vector<Stage> stages_;
};

} // namespace slipway::engine
