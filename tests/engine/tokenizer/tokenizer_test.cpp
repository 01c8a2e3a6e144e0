// Conformance of the tokenizer with Hugging Face's (through its JavaScript port) on the real
// Qwen3 and DeepSeek-V3 tokenizer files, over corpus.json.
#include <chrono>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.h"
#include "text/regex.h"
#include "text/tokenizer.h"
#include "text/unicode_normalization.h"
#include "text/unicode_utf8.h"

namespace slipway::engine {
namespace {

using nlohmann::json;

class TokenizerConformance : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        reference_ = new json(testing::run_reference());
        qwen_ = new Tokenizer(testing::load_or_die("qwen3"));
        deepseek_ = new Tokenizer(testing::load_or_die("deepseek_v3"));
        corpus_ = new json(testing::corpus());
    }
    static void TearDownTestSuite()
    {
        delete reference_;
        delete qwen_;
        delete deepseek_;
        delete corpus_;
    }

    // `nfc`: the tokenizer's normalizer is NFC, so decode(encode(s)) gives NFC(s) back.
    static void expect_same_ids(const std::string &name, const Tokenizer &tokenizer, bool nfc_normalizer)
    {
        ASSERT_TRUE(reference_->contains("tokenizers")) << "no reference";
        const json &expected = (*reference_)["tokenizers"][name]["cases"];
        int checked = 0;
        for (const json &c : (*corpus_)["cases"]) {
            const std::string case_name = c["name"].get<std::string>();
            const std::string text = testing::case_bytes(c);
            const auto ids = tokenizer.encode(text, false);
            const auto want = expected[case_name]["ids"].get<std::vector<std::int32_t>>();
            EXPECT_EQ(ids, want) << name << " \"" << case_name << "\"";
            // The decoder agrees with the reference's, and decode(encode(s)) == s (after the
            // U+FFFD replacement for the invalid-UTF-8 cases).
            EXPECT_EQ(tokenizer.decode(ids, false), expected[case_name]["decoded"].get<std::string>()) << case_name;
            const std::string valid = sanitize_utf8(text);
            EXPECT_EQ(tokenizer.decode(ids, false), nfc_normalizer ? code_points_to_utf8(nfc(utf8_to_code_points(valid))) : valid)
                << case_name;
            ++checked;
        }
        EXPECT_GE(checked, 40);
    }

    static json *reference_;
    static Tokenizer *qwen_;
    static Tokenizer *deepseek_;
    static json *corpus_;
};
json *TokenizerConformance::reference_ = nullptr;
Tokenizer *TokenizerConformance::qwen_ = nullptr;
Tokenizer *TokenizerConformance::deepseek_ = nullptr;
json *TokenizerConformance::corpus_ = nullptr;

TEST_F(TokenizerConformance, Qwen3IdsMatchTheReferenceOnTheCorpus) { expect_same_ids("qwen3", *qwen_, true); }

TEST_F(TokenizerConformance, DeepSeekV3IdsMatchTheReferenceOnTheCorpus) { expect_same_ids("deepseek_v3", *deepseek_, false); }

// The pre-tokenizer patterns of both files (and GPT-2's) find the same spans as JavaScript's
// RegExp on every corpus text.
TEST_F(TokenizerConformance, PreTokenizerPatternsMatchJavaScriptRegExp)
{
    ASSERT_TRUE(reference_->contains("regex"));
    ASSERT_GE((*reference_)["regex"].size(), 5u);
    for (const auto &[pattern, per_case] : (*reference_)["regex"].items()) {
        auto re = Regex::compile(pattern);
        ASSERT_TRUE(re.ok()) << re.message();
        for (const json &c : (*corpus_)["cases"]) {
            const std::string case_name = c["name"].get<std::string>();
            const std::u32string text = utf8_to_code_points(testing::case_bytes(c));
            std::vector<std::vector<std::size_t>> got;
            for (const RegexMatch &m : re.value().find_all(text))
                got.push_back({m.begin, m.end});
            EXPECT_EQ(got, per_case[case_name].get<std::vector<std::vector<std::size_t>>>()) << pattern << " on \"" << case_name << "\"";
        }
    }
}

TEST_F(TokenizerConformance, AddSpecialTokensFollowsTokenizerConfig)
{
    // DeepSeek-V3: add_bos_token is true, so transformers puts BOS in front.
    const auto plain = deepseek_->encode("Hello world", false);
    auto with_bos = plain;
    with_bos.insert(with_bos.begin(), 0);
    EXPECT_EQ(deepseek_->encode("Hello world", true), with_bos);
    EXPECT_EQ(deepseek_->bos_token_id(), std::optional<std::int32_t>(0));
    EXPECT_TRUE(deepseek_->add_bos_token());
    // Qwen3: no BOS at all.
    EXPECT_EQ(qwen_->encode("Hello world", true), qwen_->encode("Hello world", false));
    EXPECT_FALSE(qwen_->bos_token_id().has_value());
    EXPECT_FALSE(qwen_->add_bos_token());
}

TEST_F(TokenizerConformance, SpecialTokensAndVocabulary)
{
    EXPECT_EQ(qwen_->token_to_id("<|im_start|>"), std::optional<std::int32_t>(151644));
    EXPECT_EQ(qwen_->id_to_token(151645), std::optional<std::string>("<|im_end|>"));
    EXPECT_EQ(qwen_->eos_token_ids(), std::vector<std::int32_t>{151645});
    EXPECT_EQ(qwen_->special_tokens().eos, "<|im_end|>");
    EXPECT_EQ(qwen_->special_tokens().pad, "<|endoftext|>");
    EXPECT_EQ(qwen_->vocab_size(), 151669);
    EXPECT_TRUE(qwen_->is_special(151644));
    EXPECT_FALSE(qwen_->is_special(151667)); // <think> is added but not special
    EXPECT_NE(qwen_->chat_template().find("<|im_start|>"), std::string::npos);

    EXPECT_EQ(deepseek_->token_to_id("<｜end▁of▁sentence｜>"), std::optional<std::int32_t>(1));
    EXPECT_EQ(deepseek_->eos_token_ids(), std::vector<std::int32_t>{1});
    EXPECT_EQ(deepseek_->special_tokens().bos, "<｜begin▁of▁sentence｜>");
    EXPECT_EQ(deepseek_->vocab_size(), 128815);
    EXPECT_NE(deepseek_->chat_template().find("<｜Assistant｜>"), std::string::npos);

    EXPECT_FALSE(qwen_->id_to_token(-1).has_value());
    EXPECT_FALSE(qwen_->id_to_token(10'000'000).has_value());
    EXPECT_FALSE(qwen_->token_to_id("no such token").has_value());
    for (std::int32_t id : {0, 1000, 151642})
        EXPECT_EQ(qwen_->token_to_id(*qwen_->id_to_token(id)), std::optional<std::int32_t>(id));
}

TEST_F(TokenizerConformance, DecodeCanSkipSpecialTokens)
{
    const std::string text = "<|im_start|>user\nHi<|im_end|><think>x</think>";
    const auto ids = qwen_->encode(text, false);
    EXPECT_EQ(qwen_->decode(ids, false), text);
    EXPECT_EQ(qwen_->decode(ids, true), "user\nHi<think>x</think>");
    const std::vector<std::int32_t> with_unknown{9707, -5, 99'999'999, 11};
    EXPECT_EQ(qwen_->decode(with_unknown, false), "Hello,");
}

TEST_F(TokenizerConformance, EncodesAFewHundredKilobytesQuickly)
{
    std::string text;
    for (const json &c : (*corpus_)["cases"])
        text += testing::case_bytes(c) + "\n";
    while (text.size() < 300'000)
        text += text;
    const auto start = std::chrono::steady_clock::now();
    const auto ids = qwen_->encode(text, false);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_TRUE(qwen_->decode(ids, false) == code_points_to_utf8(nfc(utf8_to_code_points(sanitize_utf8(text)))));
    EXPECT_LT(seconds, 5.0) << "encoding " << text.size() << " bytes took " << seconds << " s";
    std::printf("qwen3 encode: %.2f MB/s\n", static_cast<double>(text.size()) / seconds / 1e6);
}

} // namespace
} // namespace slipway::engine

namespace slipway::engine {
namespace {

// Ids recorded from the Rust library itself (hf_rust_reference.json) for the inputs where the
// JavaScript port is known to differ from it: \s is White_Space (U+0085 yes, U+FEFF no) and
// (?i:'s) also matches "'ſ".
TEST_F(TokenizerConformance, MatchesHuggingFaceRustWhereTheJavaScriptPortDiffers)
{
    const auto fixture = nlohmann::json::parse(testing::read_text(testing::source_dir() / "hf_rust_reference.json"));
    for (const std::string name : {"qwen3", "deepseek_v3"}) {
        const Tokenizer &tokenizer = name == "qwen3" ? *qwen_ : *deepseek_;
        const auto &expected = fixture["ids"][name];
        ASSERT_EQ(expected.size(), fixture["cases"].size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            const std::string text = fixture["cases"][i].get<std::string>();
            EXPECT_EQ(tokenizer.encode(text, false), expected[i].get<std::vector<std::int32_t>>()) << name << " case " << i;
        }
    }
}

} // namespace
} // namespace slipway::engine
