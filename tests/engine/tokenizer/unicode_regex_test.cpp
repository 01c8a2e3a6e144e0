// The Unicode layer (UTF-8 with replacement, properties, NFC) and the regex engine.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.h"
#include "text/regex.h"
#include "text/unicode_normalization.h"
#include "text/unicode_tables.h"
#include "text/unicode_utf8.h"

namespace slipway::engine {
namespace {

std::string bytes(std::initializer_list<int> values)
{
    std::string s;
    for (int v : values)
        s.push_back(static_cast<char>(v));
    return s;
}

std::vector<std::pair<std::size_t, std::size_t>> matches(std::string_view pattern, std::u32string_view text)
{
    auto re = Regex::compile(pattern);
    EXPECT_TRUE(re.ok()) << re.message();
    std::vector<std::pair<std::size_t, std::size_t>> out;
    if (re.ok())
        for (const RegexMatch &m : re.value().find_all(text))
            out.emplace_back(m.begin, m.end);
    return out;
}

using Spans = std::vector<std::pair<std::size_t, std::size_t>>;

TEST(Utf8, ReplacesEachMaximalIllFormedSubpartWithOneReplacementCharacter)
{
    const std::string r = "\xEF\xBF\xBD";
    EXPECT_EQ(sanitize_utf8("abc"), "abc");
    EXPECT_EQ(sanitize_utf8(bytes({'a', 0x80, 'b'})), "a" + r + "b");
    EXPECT_EQ(sanitize_utf8(bytes({'c', 0xC3})), "c" + r);                      // truncated at the end
    EXPECT_EQ(sanitize_utf8(bytes({0xC0, 0xAF})), r + r);                        // overlong lead: each byte
    EXPECT_EQ(sanitize_utf8(bytes({0xE0, 0x80, 0x80})), r + r + r);
    EXPECT_EQ(sanitize_utf8(bytes({0xED, 0xA0, 0x80})), r + r + r);              // surrogate
    EXPECT_EQ(sanitize_utf8(bytes({0xF0, 0x9F, 0x98, 'x'})), r + "x");           // one subpart
    EXPECT_EQ(sanitize_utf8(bytes({0xF4, 0x90, 0x80, 0x80})), r + r + r + r);    // above U+10FFFF
    EXPECT_EQ(utf8_to_code_points("a\xF0\x9F\x98\x80"), std::u32string(U"a\U0001F600"));
}

TEST(Utf8, CompletePrefixHoldsBackOnlyAnUnfinishedCharacter)
{
    const std::string smile = "\xF0\x9F\x98\x80";
    EXPECT_EQ(utf8_complete_prefix("ab" + smile.substr(0, 1)), 2u);
    EXPECT_EQ(utf8_complete_prefix("ab" + smile.substr(0, 3)), 2u);
    EXPECT_EQ(utf8_complete_prefix("ab" + smile), 6u);
    EXPECT_EQ(utf8_complete_prefix(bytes({'a', 0xFF})), 2u);          // invalid: final, not pending
    EXPECT_EQ(utf8_complete_prefix(bytes({0xF0, 0x9F, 'x'})), 3u);    // broken sequence is final
}

TEST(UnicodeTables, CategoriesAndWhiteSpace)
{
    EXPECT_EQ(general_category(U'a'), GeneralCategory::Ll);
    EXPECT_EQ(general_category(U'中'), GeneralCategory::Lo);
    EXPECT_EQ(general_category(U'٣'), GeneralCategory::Nd);
    EXPECT_EQ(general_category(0x301), GeneralCategory::Mn);
    EXPECT_EQ(general_category(U'€'), GeneralCategory::Sc);
    EXPECT_EQ(general_category(0x10FFFF), GeneralCategory::Cn);
    EXPECT_TRUE(is_white_space(0x85));
    EXPECT_TRUE(is_white_space(0x3000));
    EXPECT_FALSE(is_white_space(0xFEFF));
    EXPECT_FALSE(is_white_space(0x200B));
    EXPECT_EQ(case_fold_class(U'ſ'), case_fold_class(U's'));
    EXPECT_EQ(case_fold_class(0x212A), case_fold_class(U'k')); // Kelvin sign
}

TEST(Nfc, ComposesReordersAndHandlesHangul)
{
    EXPECT_EQ(nfc(U"e\u0301"), U"\u00e9");
    EXPECT_EQ(nfc(U"\u212b"), U"\u00c5");                       // singleton
    EXPECT_EQ(nfc(U"\u1100\u1161\u11a8"), U"\uac01");           // Hangul L V T
    EXPECT_EQ(nfc(U"o\u0302\u0323"), U"\u1ed9");                // reordered, then composed
    EXPECT_EQ(nfc(U"a\u0304\u0301"), U"\u0101\u0301");          // no composite for the second mark
    EXPECT_EQ(nfc(U"\u0301e"), U"\u0301e");                     // a leading mark has no starter
    EXPECT_EQ(nfd(U"\u1e69"), U"s\u0323\u0307");
}

// Every code point with a decomposition, alone and followed by a blocking mark, against Node.
TEST(Nfc, AgreesWithNodeOnEveryDecomposableCodePoint)
{
    const auto out = std::filesystem::temp_directory_path() / ("slipway-nfc-" + std::to_string(::getpid()) + ".json");
    const std::string script =
        "const r=[];for(let c=0;c<0x110000;c++){if(c>=0xd800&&c<=0xdfff)continue;const s=String.fromCodePoint(c);"
        "if(s.normalize('NFD')===s)continue;for(const t of [s,s.normalize('NFD')+'\\u0323',s+'\\u0316\\u0301'])"
        "r.push([t,t.normalize('NFC')]);}require('fs').writeFileSync(process.argv[1],JSON.stringify(r));";
    const std::string command = "node -e \"" + script + "\" \"" + out.string() + "\"";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    const auto cases = nlohmann::json::parse(testing::read_text(out));
    std::filesystem::remove(out);
    ASSERT_GT(cases.size(), 10000u);
    int failures = 0;
    for (const auto &c : cases) {
        const std::u32string in = utf8_to_code_points(c[0].get<std::string>());
        const std::string got = code_points_to_utf8(nfc(in));
        if (got != c[1].get<std::string>() && ++failures <= 10)
            ADD_FAILURE() << "NFC of U+" << std::hex << static_cast<std::uint32_t>(in[0]) << " differs from Node";
    }
    EXPECT_EQ(failures, 0);
}

TEST(Regex, AlternationIsLeftmostFirstNotLongest)
{
    EXPECT_EQ(matches("a|ab", U"ab"), (Spans{{0, 1}}));
    EXPECT_EQ(matches("ab|a", U"ab"), (Spans{{0, 2}}));
    EXPECT_EQ(matches("b", U"aab"), (Spans{{2, 3}}));
}

TEST(Regex, QuantifiersGreedyLazyAndCounted)
{
    EXPECT_EQ(matches("a+", U"aaa b aa"), (Spans{{0, 3}, {6, 8}}));
    EXPECT_EQ(matches("a+?", U"aaa"), (Spans{{0, 1}, {1, 2}, {2, 3}}));
    EXPECT_EQ(matches(R"(\p{N}{1,3})", U"1234567"), (Spans{{0, 3}, {3, 6}, {6, 7}}));
    EXPECT_EQ(matches("(?:ab){2}", U"abababab"), (Spans{{0, 4}, {4, 8}}));
    EXPECT_EQ(matches("x(?:ab)*?y", U"xababy"), (Spans{{0, 6}}));
    EXPECT_EQ(matches("a{2,}", U"a aa aaaa"), (Spans{{2, 4}, {5, 9}}));
    EXPECT_EQ(matches("ba?", U"bab"), (Spans{{0, 2}, {2, 3}}));
}

TEST(Regex, BacktracksIntoGreedyRepeats)
{
    EXPECT_EQ(matches(R"(\s*[\r\n]+)", U"  \n\n x"), (Spans{{0, 4}}));
    EXPECT_EQ(matches(R"(a*ab)", U"aaab"), (Spans{{0, 4}}));
}

TEST(Regex, NegativeAndPositiveLookahead)
{
    // \s+(?!\S) leaves the last space for the following word.
    EXPECT_EQ(matches(R"(\s+(?!\S)|\s+)", U"a   b"), (Spans{{1, 3}, {3, 4}}));
    EXPECT_EQ(matches(R"(\s+(?!\S))", U"a   "), (Spans{{1, 4}}));
    EXPECT_EQ(matches(R"(a(?=b))", U"ab ac"), (Spans{{0, 1}}));
}

TEST(Regex, CaseInsensitiveGroupFollowsUnicodeCaseFolding)
{
    EXPECT_EQ(matches("(?i:'s|'ll)x", U"'sx 'Sx 'LLx 'lLx"), (Spans{{0, 3}, {4, 7}, {8, 12}, {13, 17}}));
    EXPECT_EQ(matches("(?i:'s)", U"'\u017f"), (Spans{{0, 2}})); // long s folds to s, as in Oniguruma
    EXPECT_EQ(matches("(?i:k)", U"\u212a"), (Spans{{0, 1}}));
    EXPECT_EQ(matches("(?i:a)b", U"Ab AB"), (Spans{{0, 2}}));  // the flag ends with the group
    EXPECT_EQ(matches("(?i)[^a]", U"aAb"), (Spans{{2, 3}}));
}

TEST(Regex, ClassesPropertiesAndEscapes)
{
    EXPECT_EQ(matches(R"([^\r\n\p{L}\p{N}]?\p{L}+)", U" hello,world"), (Spans{{0, 6}, {6, 12}}));
    EXPECT_EQ(matches(R"([一-龥぀-ゟ゠-ヿ]+)", U"ab漢字かなカナcd"), (Spans{{2, 8}}));
    EXPECT_EQ(matches(R"([\-\]\\]+)", U"a-]\\b"), (Spans{{1, 4}}));
    EXPECT_EQ(matches(R"(\P{L}+)", U"ab12!c"), (Spans{{2, 5}}));
    EXPECT_EQ(matches(R"(\x41\u0042\x{1F600})", U"AB\U0001F600"), (Spans{{0, 3}}));
    EXPECT_EQ(matches(R"(\d+)", U"a١٢3"), (Spans{{1, 4}}));
    EXPECT_EQ(matches(R"(.+)", U"ab\ncd"), (Spans{{0, 2}, {3, 5}}));
    EXPECT_EQ(matches(R"(^a|b$)", U"ab\nab"), (Spans{{0, 1}, {1, 2}, {3, 4}, {4, 5}}));
    EXPECT_EQ(matches(R"(\s+)", U"a\u0085\u3000b\ufeff"), (Spans{{1, 3}})); // White_Space, as Oniguruma
}

TEST(Regex, EmptyMatchesAdvanceByOneCodePoint)
{
    EXPECT_EQ(matches("x*", U"ab"), (Spans{{0, 0}, {1, 1}, {2, 2}}));
}

TEST(Regex, LongInputsRunInLinearishTime)
{
    std::u32string text;
    for (int i = 0; i < 200000; ++i)
        text += (i % 7 == 0) ? U' ' : U'a';
    text += std::u32string(100000, U' ');
    auto re = Regex::compile(R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)");
    ASSERT_TRUE(re.ok());
    const auto all = re.value().find_all(text);
    ASSERT_FALSE(all.empty());
    EXPECT_EQ(all.back().end, text.size());
}

TEST(Regex, CompileErrorsSayWhatIsWrong)
{
    const std::pair<const char *, const char *> cases[] = {
        {"(?<=a)b", "lookbehind"},
        {"(ab", "missing ')'"},
        {"ab)", "unmatched ')'"},
        {"[ab", "missing ']'"},
        {R"(\p{Nope})", "unknown Unicode property 'Nope'"},
        {"*a", "nothing to repeat"},
        {"a{3,1}", "n < m"},
        {"(?:a*)*", "empty string"},
        {R"(\k)", "unsupported escape"},
        {"a++", "possessive"},
    };
    for (const auto &[pattern, expected] : cases) {
        auto re = Regex::compile(pattern);
        ASSERT_FALSE(re.ok()) << pattern;
        EXPECT_NE(re.message().find(expected), std::string::npos) << pattern << ": " << re.message();
        EXPECT_NE(re.message().find(pattern), std::string::npos) << re.message();
    }
}

} // namespace
} // namespace slipway::engine
