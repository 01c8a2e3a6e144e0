#pragma once
// The compiled form of a Regex (internal to regex_*.cpp): a code-point set table and an
// instruction list run by the backtracking matcher.
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "text/unicode_tables.h"

namespace slipway::engine::regex_detail {

// A set of code points: sorted, disjoint, non-adjacent inclusive ranges, plus a bitmap for ASCII.
class CodePointSet {
public:
    void add(char32_t first, char32_t last);
    void add(const CodePointSet &other);
    void add_ranges(const std::vector<CodePointRange> &ranges);
    // Normalizes the ranges and builds the ASCII bitmap; call once after the last add().
    void finish();
    CodePointSet complement() const;
    // Adds every case variant of every member (for case-insensitive matching).
    CodePointSet case_closure() const;
    bool contains(char32_t cp) const
    {
        if (cp < 128)
            return (ascii_[cp >> 6] >> (cp & 63)) & 1;
        return contains_slow(cp);
    }
    const std::vector<CodePointRange> &ranges() const { return ranges_; }

private:
    bool contains_slow(char32_t cp) const;
    std::vector<CodePointRange> ranges_;
    std::array<std::uint64_t, 2> ascii_{};
};

enum class Op : std::uint8_t {
    Set,        // consume one code point in sets[arg]
    Split,      // try x first, then y
    Jump,       // continue at x
    SetRepeat,  // consume min..max code points of sets[arg] (greedy, or lazy when `lazy`)
    Look,       // sub-program starting at x must match here (or must not, when `negative`)
    LineStart,  // ^
    LineEnd,    // $
    TextStart,  // \A
    TextEnd,    // \z
    TextEndNewline, // \Z: end, or before a final newline
    Match,
};

inline constexpr std::uint32_t kUnbounded = 0xFFFFFFFF;

struct Instruction {
    Op op = Op::Match;
    bool lazy = false;
    bool negative = false;
    std::uint32_t arg = 0; // set index
    std::uint32_t x = 0;
    std::uint32_t y = 0;
    std::uint32_t min = 0;
    std::uint32_t max = 0;
};

struct Program {
    std::vector<CodePointSet> sets;
    std::vector<Instruction> code; // the main program starts at 0
};

} // namespace slipway::engine::regex_detail
