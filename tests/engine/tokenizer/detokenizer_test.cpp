// The streaming detokenizer never emits part of a UTF-8 character and adds up to decode().
#include <gtest/gtest.h>

#include "test_support.h"
#include "text/detokenizer.h"
#include "text/tokenizer_byte_level.h"
#include "text/unicode_utf8.h"

namespace slipway::engine {
namespace {

class Detokenizer : public ::testing::Test {
protected:
    static void SetUpTestSuite() { qwen_ = new Tokenizer(testing::load_or_die("qwen3")); }
    static void TearDownTestSuite() { delete qwen_; }

    // The id of the single-byte token for `byte`.
    static std::int32_t byte_token(unsigned char byte)
    {
        std::string s;
        append_utf8(s, byte_level_alphabet()[byte]);
        return *qwen_->token_to_id(s);
    }
    static bool whole_utf8(const std::string &s) { return utf8_complete_prefix(s) == s.size() && sanitize_utf8(s) == s; }

    static Tokenizer *qwen_;
};
Tokenizer *Detokenizer::qwen_ = nullptr;

TEST_F(Detokenizer, AnEmojiSplitOverByteTokensComesOutWhole)
{
    const std::string smile = "\xF0\x9F\x98\x80"; // U+1F600
    StreamingDetokenizer d(*qwen_);
    EXPECT_EQ(d.push(*qwen_->token_to_id("Hi")), "Hi");
    EXPECT_EQ(d.push(byte_token(0xF0)), "");
    EXPECT_EQ(d.push(byte_token(0x9F)), "");
    EXPECT_EQ(d.push(byte_token(0x98)), "");
    EXPECT_EQ(d.pending_bytes(), 3u);
    EXPECT_EQ(d.push(byte_token(0x80)), smile);
    EXPECT_EQ(d.finish(), "");
}

TEST_F(Detokenizer, EveryPieceIsCompleteAndThePiecesAddUpToDecode)
{
    const std::string texts[] = {
        "Family: 👨‍👩‍👧‍👦 and 🏳️‍🌈 — 你好，世界！ Ünïcödé ½ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "<|im_start|>assistant\n<think>\n推理</think>\n\n答案：42 ✅<|im_end|>",
    };
    for (const std::string &text : texts) {
        const auto ids = qwen_->encode(text, false);
        StreamingDetokenizer d(*qwen_);
        std::string joined;
        for (std::int32_t id : ids) {
            const std::string piece = d.push(id);
            EXPECT_TRUE(whole_utf8(piece)) << "partial UTF-8 after id " << id;
            joined += piece;
        }
        joined += d.finish();
        EXPECT_EQ(joined, qwen_->decode(ids, false));
        EXPECT_EQ(joined, text);
    }
}

TEST_F(Detokenizer, SkipsSpecialTokensWhenAsked)
{
    const auto ids = qwen_->encode("<|im_start|>hi<|im_end|>", false);
    StreamingDetokenizer d(*qwen_, true);
    std::string out;
    for (std::int32_t id : ids)
        out += d.push(id);
    EXPECT_EQ(out + d.finish(), "hi");
}

TEST_F(Detokenizer, FinishTurnsAnUnfinishedCharacterIntoReplacement)
{
    StreamingDetokenizer d(*qwen_);
    EXPECT_EQ(d.push(byte_token(0xE4)), "");
    EXPECT_EQ(d.push(byte_token(0xBD)), "");
    EXPECT_EQ(d.finish(), "\xEF\xBF\xBD");
    // A broken sequence is final at once: U+FFFD, then the character that broke it.
    EXPECT_EQ(d.push(byte_token(0xE4)), "");
    EXPECT_EQ(d.push(*qwen_->token_to_id("a")), "\xEF\xBF\xBD" "a");
}

} // namespace
} // namespace slipway::engine
