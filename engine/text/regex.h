#pragma once
// A small backtracking regular-expression engine over code points, for the pre-tokenizer
// patterns of tokenizer.json. Semantics follow Oniguruma (what Hugging Face tokenizers use):
// leftmost-first alternation, greedy or lazy quantifiers, Unicode properties.
//
// Supported: alternation, groups `( )` `(?: )`, inline case-insensitivity `(?i: )` and `(?i)`,
// lookahead `(?= )` `(?! )`, classes `[...]` / `[^...]` with ranges, escapes and properties,
// `.`, `\p{..}` `\P{..}` (general categories, L N P S M Z C and two-letter names), `\s \S \d \D
// \w \W`, `\r \n \t \f \v \e \xHH \x{H..} \uHHHH`, `^ $` (line anchors), `\A \z \Z`, quantifiers
// `? * + {m} {m,} {m,n}` (lazy with a trailing `?`). Anything else is a compile error that says
// what is unsupported. Compile once; a compiled Regex is immutable and thread-safe.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "slipway/engine/status.h"

namespace slipway::engine {

namespace regex_detail {
struct Program;
}

struct RegexMatch {
    std::size_t begin = 0; // code-point offsets into the searched text, [begin, end)
    std::size_t end = 0;
};

class Regex {
public:
    // `pattern` is UTF-8. The error message names the offset and the construct at fault.
    static StatusOr<Regex> compile(std::string_view pattern);

    // The leftmost match that starts at or after `from`; at that start, the first alternative
    // in pattern order wins (not the longest).
    std::optional<RegexMatch> find(std::u32string_view text, std::size_t from = 0) const;
    // Every non-overlapping match, left to right. After an empty match the search moves on by
    // one code point.
    std::vector<RegexMatch> find_all(std::u32string_view text) const;

    const std::string &pattern() const { return pattern_; }

private:
    std::string pattern_;
    std::shared_ptr<const regex_detail::Program> program_;
};

} // namespace slipway::engine
