// Loading tokenizer.json: a small hand-made byte-level tokenizer for the features the real
// files do not exercise (string merges, lstrip/rstrip, single_word, TemplateProcessing), and the
// errors bad files must produce.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.h"
#include "text/tokenizer.h"
#include "text/tokenizer_byte_level.h"
#include "text/unicode_utf8.h"

namespace slipway::engine {
namespace {

using nlohmann::json;

std::string stand_in(unsigned char byte)
{
    std::string s;
    append_utf8(s, byte_level_alphabet()[byte]);
    return s;
}

// Vocabulary: the 256 byte stand-ins with id = byte, then "he" 256, "ll" 257, "hell" 258.
json small_tokenizer()
{
    json vocab = json::object();
    for (int b = 0; b < 256; ++b)
        vocab[stand_in(static_cast<unsigned char>(b))] = b;
    vocab["he"] = 256;
    vocab["ll"] = 257;
    vocab["hell"] = 258;
    return json{
        {"version", "1.0"},
        {"added_tokens", json::array({
                             {{"id", 300}, {"content", "<sep>"}, {"special", true}, {"lstrip", true}, {"rstrip", true}},
                             {{"id", 301}, {"content", "cat"}, {"special", false}, {"single_word", true}, {"normalized", false}},
                             {{"id", 302}, {"content", "<s>"}, {"special", true}},
                             {{"id", 303}, {"content", "</s>"}, {"special", true}},
                         })},
        {"normalizer", nullptr},
        {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", true}}},
        {"post_processor",
         {{"type", "TemplateProcessing"},
          {"single", json::array({{{"SpecialToken", {{"id", "<s>"}, {"type_id", 0}}}},
                                  {{"Sequence", {{"id", "A"}, {"type_id", 0}}}},
                                  {{"SpecialToken", {{"id", "</s>"}, {"type_id", 0}}}}})},
          {"special_tokens", {{"<s>", {{"id", "<s>"}, {"ids", {302}}, {"tokens", {"<s>"}}}},
                              {"</s>", {{"id", "</s>"}, {"ids", {303}}, {"tokens", {"</s>"}}}}}}}},
        {"decoder", {{"type", "ByteLevel"}}},
        {"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", json::array({"h e", "l l", "he ll"})}}},
    };
}

StatusOr<Tokenizer> from(const json &tokenizer, const json &config = json::object())
{
    return Tokenizer::from_json(tokenizer.dump(), config.dump(), "test");
}

TEST(TokenizerLoad, StringMergesApplyInRankOrder)
{
    auto t = from(small_tokenizer());
    ASSERT_TRUE(t.ok()) << t.message();
    EXPECT_EQ(t->encode("hello", false), (std::vector<std::int32_t>{258, 'o'}));
    EXPECT_EQ(t->decode(t->encode("hello", false), false), "hello");
}

TEST(TokenizerLoad, ArrayMergesAreEquivalent)
{
    json j = small_tokenizer();
    j["model"]["merges"] = json::array({json::array({"h", "e"}), json::array({"l", "l"}), json::array({"he", "ll"})});
    auto t = from(j);
    ASSERT_TRUE(t.ok()) << t.message();
    EXPECT_EQ(t->encode("hello", false), (std::vector<std::int32_t>{258, 'o'}));
}

TEST(TokenizerLoad, IgnoreMergesTakesWholeWordsFromTheVocabulary)
{
    json j = small_tokenizer();
    j["model"]["vocab"]["hel"] = 259; // reachable only as a whole word: no merge builds it
    auto t = from(j);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t->encode("hel", false), (std::vector<std::int32_t>{256, 'l'}));
    j["model"]["ignore_merges"] = true;
    t = from(j);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t->encode("hel", false), (std::vector<std::int32_t>{259}));
}

TEST(TokenizerLoad, AddedTokenStripAndSingleWordFlags)
{
    auto t = from(small_tokenizer());
    ASSERT_TRUE(t.ok());
    // lstrip/rstrip: the spaces around <sep> belong to it.
    EXPECT_EQ(t->encode("a  <sep>  b", false), (std::vector<std::int32_t>{'a', 300, 'b'}));
    // single_word: "cat" inside "concat" stays text.
    const auto ids = t->encode("cat concat cat.", false);
    EXPECT_EQ(std::count(ids.begin(), ids.end(), 301), 2);
    EXPECT_EQ(t->decode(ids, false), "cat concat cat.");
}

TEST(TokenizerLoad, TemplateProcessingAddsItsSpecialTokens)
{
    auto t = from(small_tokenizer());
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t->encode("hi", true), (std::vector<std::int32_t>{302, 'h', 'i', 303}));
    EXPECT_EQ(t->encode("hi", false), (std::vector<std::int32_t>{'h', 'i'}));
    // tokenizer_config's add_bos_token / add_eos_token override it, as transformers does.
    t = from(small_tokenizer(), json{{"bos_token", "<s>"}, {"eos_token", "</s>"}, {"add_bos_token", true}, {"add_eos_token", false}});
    ASSERT_TRUE(t.ok()) << t.message();
    EXPECT_EQ(t->encode("hi", true), (std::vector<std::int32_t>{302, 'h', 'i'}));
}

TEST(TokenizerLoad, ChatTemplateListPicksDefault)
{
    auto t = from(small_tokenizer(), json{{"chat_template", json::array({{{"name", "tool_use"}, {"template", "T"}},
                                                                         {{"name", "default"}, {"template", "D"}}})}});
    ASSERT_TRUE(t.ok()) << t.message();
    EXPECT_EQ(t->chat_template(), "D");
}

TEST(TokenizerLoad, ReadsGenerationConfigAndChatTemplateFile)
{
    const auto dir = std::filesystem::temp_directory_path() / ("slipway-tok-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "tokenizer.json") << small_tokenizer().dump();
    std::ofstream(dir / "tokenizer_config.json") << json{{"eos_token", "</s>"}}.dump();
    std::ofstream(dir / "generation_config.json") << R"({"eos_token_id": [303, 300]})";
    std::ofstream(dir / "chat_template.jinja") << "{{ messages }}";
    auto t = Tokenizer::load(dir);
    std::filesystem::remove_all(dir);
    ASSERT_TRUE(t.ok()) << t.message();
    EXPECT_EQ(t->eos_token_ids(), (std::vector<std::int32_t>{303, 300}));
    EXPECT_EQ(t->chat_template(), "{{ messages }}");
}

struct BadCase {
    const char *name;
    std::function<void(json &tokenizer, json &config)> spoil;
    const char *expected;
};

TEST(TokenizerLoad, BadFilesGiveErrorsNamingFileAndField)
{
    const BadCase cases[] = {
        {"merge outside the vocabulary", [](json &t, json &) { t["model"]["merges"].push_back("x yz"); }, "\"model.merges\"[3]"},
        {"malformed merge", [](json &t, json &) { t["model"]["merges"].push_back("abc"); }, "not two tokens"},
        {"model type", [](json &t, json &) { t["model"]["type"] = "WordPiece"; }, "model type \"WordPiece\""},
        {"no vocab", [](json &t, json &) { t["model"].erase("vocab"); }, "\"model.vocab\""},
        {"normalizer", [](json &t, json &) { t["normalizer"] = {{"type", "Lowercase"}}; }, "normalizer type \"Lowercase\""},
        {"pre-tokenizer", [](json &t, json &) { t["pre_tokenizer"] = {{"type", "Metaspace"}}; }, "pre_tokenizer type \"Metaspace\""},
        {"bad regex", [](json &t, json &) { t["pre_tokenizer"] = {{"type", "Split"}, {"pattern", {{"Regex", "(?<=x)"}}}, {"behavior", "Isolated"}}; }, "lookbehind"},
        {"behavior", [](json &t, json &) { t["pre_tokenizer"] = {{"type", "Split"}, {"pattern", {{"String", " "}}}, {"behavior", "Sideways"}}; }, "\"Sideways\""},
        {"decoder", [](json &t, json &) { t["decoder"] = {{"type", "Metaspace"}}; }, "decoder type \"Metaspace\""},
        {"added token", [](json &t, json &) { t["added_tokens"].push_back({{"content", "x"}}); }, "\"added_tokens\"[4]"},
        {"eos not in vocabulary", [](json &, json &c) { c["eos_token"] = "<nope>"; }, "tokenizer_config.json: eos_token \"<nope>\""},
        {"bos missing", [](json &, json &c) { c["add_bos_token"] = true; }, "add_bos_token is true but there is no bos_token"},
    };
    for (const BadCase &c : cases) {
        json t = small_tokenizer();
        json config = json::object();
        c.spoil(t, config);
        auto result = from(t, config);
        ASSERT_FALSE(result.ok()) << c.name;
        EXPECT_NE(result.message().find(c.expected), std::string::npos) << c.name << ": " << result.message();
        EXPECT_NE(result.message().find("test/tokenizer"), std::string::npos) << c.name << ": " << result.message();
    }
}

TEST(TokenizerLoad, MissingFolderAndInvalidJson)
{
    auto missing = Tokenizer::load("/nonexistent/slipway/model");
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.message().find("/nonexistent/slipway/model/tokenizer.json"), std::string::npos) << missing.message();
    EXPECT_NE(missing.message().find("cannot open"), std::string::npos) << missing.message();

    auto broken = Tokenizer::from_json(R"({"model": {"type": "BPE", "vocab": {)", "{}", "dir");
    ASSERT_FALSE(broken.ok());
    EXPECT_NE(broken.message().find("dir/tokenizer.json: not valid JSON"), std::string::npos) << broken.message();

    auto bad_config = Tokenizer::from_json(small_tokenizer().dump(), "{bad", "dir");
    ASSERT_FALSE(bad_config.ok());
    EXPECT_NE(bad_config.message().find("dir/tokenizer_config.json: not valid JSON"), std::string::npos) << bad_config.message();
}

} // namespace
} // namespace slipway::engine
