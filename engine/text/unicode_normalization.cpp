#include "text/unicode_normalization.h"

#include <algorithm>
#include <optional>

namespace slipway::engine {

using namespace unicode_data;

namespace {

// Hangul syllables (Unicode 3.12): S = SBase + (L * VCount + V) * TCount + T.
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28;
constexpr char32_t kNCount = kVCount * kTCount, kSCount = kLCount * kNCount;

// Below U+0300 nothing decomposes, combines or composes with what precedes it.
constexpr char32_t kFirstInteresting = 0x300;

void decompose_into(char32_t cp, std::u32string &out)
{
    if (cp >= kSBase && cp < kSBase + kSCount) {
        const char32_t s = cp - kSBase;
        out.push_back(kLBase + s / kNCount);
        out.push_back(kVBase + (s % kNCount) / kTCount);
        if (s % kTCount != 0)
            out.push_back(kTBase + s % kTCount);
        return;
    }
    const Decomposition *end = kDecompositions + kDecompositionCount;
    const Decomposition *it = std::lower_bound(kDecompositions, end, cp,
                                               [](const Decomposition &d, char32_t v) { return d.code_point < v; });
    if (it != end && it->code_point == cp)
        out.append(kDecompositionParts + it->offset, it->length);
    else
        out.push_back(cp);
}

std::optional<char32_t> compose_pair(char32_t a, char32_t b)
{
    if (a >= kLBase && a < kLBase + kLCount && b >= kVBase && b < kVBase + kVCount)
        return kSBase + ((a - kLBase) * kVCount + (b - kVBase)) * kTCount;
    if (a >= kSBase && a < kSBase + kSCount && (a - kSBase) % kTCount == 0 && b > kTBase && b < kTBase + kTCount)
        return a + (b - kTBase);
    const Composition *end = kCompositions + kCompositionCount;
    const Composition *it = std::lower_bound(kCompositions, end, std::pair{a, b}, [](const Composition &c, std::pair<char32_t, char32_t> v) {
        return c.first < v.first || (c.first == v.first && c.second < v.second);
    });
    if (it != end && it->first == a && it->second == b)
        return it->composite;
    return std::nullopt;
}

// Canonical ordering: a stable sort of every run of non-starters by combining class.
void reorder(std::u32string &s)
{
    std::size_t i = 0;
    while (i < s.size()) {
        if (canonical_combining_class(s[i]) == 0) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < s.size() && canonical_combining_class(s[j]) != 0)
            ++j;
        std::stable_sort(s.begin() + static_cast<std::ptrdiff_t>(i), s.begin() + static_cast<std::ptrdiff_t>(j),
                         [](char32_t a, char32_t b) { return canonical_combining_class(a) < canonical_combining_class(b); });
        i = j;
    }
}

bool all_below_interesting(std::u32string_view text)
{
    return std::all_of(text.begin(), text.end(), [](char32_t c) { return c < kFirstInteresting; });
}

} // namespace

std::uint8_t canonical_combining_class(char32_t cp)
{
    if (cp < kFirstInteresting)
        return 0;
    const CombiningClassRun *end = kCombiningClassRuns + kCombiningClassRunCount;
    const CombiningClassRun *it = std::upper_bound(kCombiningClassRuns, end, cp,
                                                   [](char32_t v, const CombiningClassRun &r) { return v < r.first; });
    if (it == kCombiningClassRuns)
        return 0;
    --it;
    return cp <= it->last ? it->combining_class : 0;
}

std::u32string nfd(std::u32string_view text)
{
    if (all_below_interesting(text))
        return std::u32string(text);
    std::u32string out;
    out.reserve(text.size());
    for (char32_t cp : text)
        decompose_into(cp, out);
    reorder(out);
    return out;
}

std::u32string nfc(std::u32string_view text)
{
    if (all_below_interesting(text))
        return std::u32string(text);
    std::u32string s = nfd(text);
    if (s.empty())
        return s;
    // Canonical composition (UAX #15): a character joins the last starter unless something
    // between them is blocking (a class of its own at least as high, or a starter).
    bool have_starter = canonical_combining_class(s[0]) == 0;
    std::size_t starter = 0;
    int last_class = have_starter ? 0 : 256;
    std::size_t write = 1;
    for (std::size_t read = 1; read < s.size(); ++read) {
        const char32_t ch = s[read];
        const int ch_class = canonical_combining_class(ch);
        if (have_starter && (last_class < ch_class || last_class == 0)) {
            if (const auto composite = compose_pair(s[starter], ch)) {
                s[starter] = *composite;
                continue;
            }
        }
        if (ch_class == 0) {
            have_starter = true;
            starter = write;
            last_class = 0;
        } else {
            last_class = ch_class;
        }
        s[write++] = ch;
    }
    s.resize(write);
    return s;
}

} // namespace slipway::engine
