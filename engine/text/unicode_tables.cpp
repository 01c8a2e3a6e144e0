#include "text/unicode_tables.h"

#include <algorithm>
#include <string>

namespace slipway::engine {

using namespace unicode_data;

GeneralCategory general_category(char32_t cp)
{
    if (cp > 0x10FFFF)
        return GeneralCategory::Cn;
    const CategoryRun *end = kCategoryRuns + kCategoryRunCount;
    const CategoryRun *it = std::upper_bound(kCategoryRuns, end, cp,
                                             [](char32_t v, const CategoryRun &r) { return v < r.first; });
    return static_cast<GeneralCategory>((it - 1)->category);
}

bool is_white_space(char32_t cp)
{
    for (std::size_t i = 0; i < kWhiteSpaceRangeCount; ++i) {
        if (cp < kWhiteSpaceRanges[i].first)
            return false;
        if (cp <= kWhiteSpaceRanges[i].last)
            return true;
    }
    return false;
}

char32_t case_fold_class(char32_t cp)
{
    const CaseFold *end = kCaseFolds + kCaseFoldCount;
    const CaseFold *it = std::lower_bound(kCaseFolds, end, cp,
                                          [](const CaseFold &f, char32_t v) { return f.code_point < v; });
    return it != end && it->code_point == cp ? it->folded : cp;
}

std::vector<char32_t> case_variants(char32_t cp)
{
    const char32_t root = case_fold_class(cp);
    std::vector<char32_t> out{root};
    for (std::size_t i = 0; i < kCaseFoldCount; ++i) {
        if (kCaseFolds[i].folded == root)
            out.push_back(kCaseFolds[i].code_point);
    }
    return out;
}

std::uint32_t category_mask(std::string_view name)
{
    auto bit = [](GeneralCategory c) { return std::uint32_t{1} << static_cast<int>(c); };
    using G = GeneralCategory;
    struct Group {
        std::string_view short_name;
        std::string_view long_name;
        std::uint32_t mask;
    };
    const Group groups[] = {
        {"L", "Letter", bit(G::Lu) | bit(G::Ll) | bit(G::Lt) | bit(G::Lm) | bit(G::Lo)},
        {"LC", "Cased_Letter", bit(G::Lu) | bit(G::Ll) | bit(G::Lt)},
        {"M", "Mark", bit(G::Mn) | bit(G::Mc) | bit(G::Me)},
        {"N", "Number", bit(G::Nd) | bit(G::Nl) | bit(G::No)},
        {"P", "Punctuation", bit(G::Pc) | bit(G::Pd) | bit(G::Ps) | bit(G::Pe) | bit(G::Pi) | bit(G::Pf) | bit(G::Po)},
        {"S", "Symbol", bit(G::Sm) | bit(G::Sc) | bit(G::Sk) | bit(G::So)},
        {"Z", "Separator", bit(G::Zs) | bit(G::Zl) | bit(G::Zp)},
        {"C", "Other", bit(G::Cn) | bit(G::Cc) | bit(G::Cf) | bit(G::Cs) | bit(G::Co)},
    };
    for (const Group &g : groups) {
        if (name == g.short_name || name == g.long_name)
            return g.mask;
    }
    static const char *const names[kGeneralCategoryCount] = {
        "Cn", "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd", "Ps", "Pe",
        "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co",
    };
    for (int i = 0; i < kGeneralCategoryCount; ++i) {
        if (name == names[i])
            return std::uint32_t{1} << i;
    }
    return 0;
}

std::vector<CodePointRange> ranges_for_categories(std::uint32_t mask)
{
    std::vector<CodePointRange> out;
    for (std::size_t i = 0; i < kCategoryRunCount; ++i) {
        if (!(mask & (std::uint32_t{1} << kCategoryRuns[i].category)))
            continue;
        const char32_t first = kCategoryRuns[i].first;
        const char32_t last = i + 1 < kCategoryRunCount ? kCategoryRuns[i + 1].first - 1 : 0x10FFFF;
        if (!out.empty() && out.back().last + 1 == first)
            out.back().last = last;
        else
            out.push_back({first, last});
    }
    return out;
}

std::vector<CodePointRange> white_space_ranges()
{
    return {kWhiteSpaceRanges, kWhiteSpaceRanges + kWhiteSpaceRangeCount};
}

} // namespace slipway::engine
