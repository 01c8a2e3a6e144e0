// The backtracking matcher behind Regex::find, and CodePointSet.
#include <algorithm>

#include "text/regex.h"
#include "text/regex_program.h"

namespace slipway::engine {

using namespace regex_detail;

namespace regex_detail {

void CodePointSet::add(char32_t first, char32_t last) { ranges_.push_back({first, last}); }

void CodePointSet::add(const CodePointSet &other)
{
    ranges_.insert(ranges_.end(), other.ranges_.begin(), other.ranges_.end());
}

void CodePointSet::add_ranges(const std::vector<CodePointRange> &ranges)
{
    ranges_.insert(ranges_.end(), ranges.begin(), ranges.end());
}

void CodePointSet::finish()
{
    std::sort(ranges_.begin(), ranges_.end(), [](const CodePointRange &a, const CodePointRange &b) { return a.first < b.first; });
    std::vector<CodePointRange> merged;
    for (const CodePointRange &r : ranges_) {
        if (!merged.empty() && r.first <= merged.back().last + 1)
            merged.back().last = std::max(merged.back().last, r.last);
        else
            merged.push_back(r);
    }
    ranges_ = std::move(merged);
    ascii_ = {};
    for (char32_t c = 0; c < 128; ++c) {
        if (contains_slow(c))
            ascii_[c >> 6] |= std::uint64_t{1} << (c & 63);
    }
}

CodePointSet CodePointSet::complement() const
{
    CodePointSet out;
    char32_t next = 0;
    for (const CodePointRange &r : ranges_) {
        if (r.first > next)
            out.add(next, r.first - 1);
        next = r.last + 1;
    }
    if (next <= 0x10FFFF)
        out.add(next, 0x10FFFF);
    out.finish();
    return out;
}

CodePointSet CodePointSet::case_closure() const
{
    CodePointSet out = *this;
    out.finish();
    CodePointSet extra;
    for (std::size_t i = 0; i < unicode_data::kCaseFoldCount; ++i) {
        const auto &f = unicode_data::kCaseFolds[i];
        // Each class is a root (its smallest member) plus the entries that fold to it.
        if (out.contains_slow(f.code_point) || out.contains_slow(f.folded)) {
            for (char32_t v : case_variants(f.folded))
                extra.add(v, v);
        }
    }
    out.add(extra);
    return out;
}

bool CodePointSet::contains_slow(char32_t cp) const
{
    auto it = std::upper_bound(ranges_.begin(), ranges_.end(), cp, [](char32_t v, const CodePointRange &r) { return v < r.first; });
    return it != ranges_.begin() && cp <= (it - 1)->last;
}

} // namespace regex_detail

namespace {

struct Frame {
    enum class Kind : std::uint8_t { Branch, Greedy, Lazy };
    Kind kind;
    std::uint32_t pc;
    std::size_t pos;
    std::uint32_t count; // for repeats: code points the repeat consumed on the last try
};

bool is_line_break(char32_t c) { return c == U'\n'; }

// Runs the program from `pc` at `pos`; on success stores the end position. Leftmost-first:
// alternatives are explored depth-first in pattern order, so the first success is the answer.
bool run(const Program &prog, std::u32string_view text, std::uint32_t pc, std::size_t pos, std::size_t &end,
         std::vector<Frame> &stack)
{
    const std::size_t base = stack.size();
    const std::size_t n = text.size();
    for (;;) {
        const Instruction &in = prog.code[pc];
        bool ok = true;
        switch (in.op) {
        case Op::Set:
            if (pos < n && prog.sets[in.arg].contains(text[pos])) {
                ++pos;
                ++pc;
            } else {
                ok = false;
            }
            break;
        case Op::Split:
            stack.push_back({Frame::Kind::Branch, in.y, pos, 0});
            pc = in.x;
            break;
        case Op::Jump:
            pc = in.x;
            break;
        case Op::SetRepeat: {
            const CodePointSet &set = prog.sets[in.arg];
            if (!in.lazy) {
                std::size_t k = 0;
                while (k < in.max && pos + k < n && set.contains(text[pos + k]))
                    ++k;
                if (k < in.min) {
                    ok = false;
                    break;
                }
                if (k > in.min)
                    stack.push_back({Frame::Kind::Greedy, pc, pos, static_cast<std::uint32_t>(k)});
                pos += k;
                ++pc;
            } else {
                std::size_t k = 0;
                while (k < in.min && pos + k < n && set.contains(text[pos + k]))
                    ++k;
                if (k < in.min) {
                    ok = false;
                    break;
                }
                if (in.min < in.max)
                    stack.push_back({Frame::Kind::Lazy, pc, pos, in.min});
                pos += k;
                ++pc;
            }
            break;
        }
        case Op::Look: {
            // The lookahead runs on top of this stack and leaves it as it found it.
            std::size_t ignored = 0;
            const bool matched = run(prog, text, in.x, pos, ignored, stack);
            if (matched != in.negative)
                pc = in.y;
            else
                ok = false;
            break;
        }
        case Op::LineStart:
            ok = pos == 0 || is_line_break(text[pos - 1]);
            ++pc;
            break;
        case Op::LineEnd:
            ok = pos == n || is_line_break(text[pos]);
            ++pc;
            break;
        case Op::TextStart:
            ok = pos == 0;
            ++pc;
            break;
        case Op::TextEnd:
            ok = pos == n;
            ++pc;
            break;
        case Op::TextEndNewline:
            ok = pos == n || (pos + 1 == n && is_line_break(text[pos]));
            ++pc;
            break;
        case Op::Match:
            end = pos;
            stack.resize(base);
            return true;
        }
        if (ok)
            continue;
        // Backtrack to the most recent choice point that still has an alternative.
        for (;;) {
            if (stack.size() == base)
                return false;
            Frame f = stack.back();
            stack.pop_back();
            if (f.kind == Frame::Kind::Branch) {
                pc = f.pc;
                pos = f.pos;
                break;
            }
            const Instruction &rep = prog.code[f.pc];
            if (f.kind == Frame::Kind::Greedy) {
                const std::uint32_t k = f.count - 1;
                if (k > rep.min)
                    stack.push_back({Frame::Kind::Greedy, f.pc, f.pos, k});
                pos = f.pos + k;
                pc = f.pc + 1;
                break;
            }
            const std::uint32_t k = f.count + 1;
            if (f.pos + k > n || !prog.sets[rep.arg].contains(text[f.pos + k - 1]))
                continue;
            if (k < rep.max)
                stack.push_back({Frame::Kind::Lazy, f.pc, f.pos, k});
            pos = f.pos + k;
            pc = f.pc + 1;
            break;
        }
    }
}

} // namespace

std::optional<RegexMatch> Regex::find(std::u32string_view text, std::size_t from) const
{
    if (!program_)
        return std::nullopt;
    std::vector<Frame> stack;
    stack.reserve(16);
    for (std::size_t start = from; start <= text.size(); ++start) {
        std::size_t end = 0;
        if (run(*program_, text, 0, start, end, stack))
            return RegexMatch{start, end};
    }
    return std::nullopt;
}

std::vector<RegexMatch> Regex::find_all(std::u32string_view text) const
{
    std::vector<RegexMatch> out;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const auto m = find(text, pos);
        if (!m)
            break;
        out.push_back(*m);
        pos = m->end > m->begin ? m->end : m->end + 1;
    }
    return out;
}

} // namespace slipway::engine
