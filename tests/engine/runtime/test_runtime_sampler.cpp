// The CPU sampler against hand-computed distributions, and TextStream (incremental text, UTF-8
// completeness, stop strings across token boundaries).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>

#include "runtime/sampler.h"
#include "runtime/text_stream.h"

namespace slipway::engine {
namespace {

std::vector<float> logs(std::vector<double> probs) {
    std::vector<float> out;
    for (double p : probs) out.push_back(static_cast<float>(std::log(p)));
    return out;
}

void expect_probs(const std::vector<float> &got, const std::vector<double> &want) {
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-6) << "token " << i;
}

TEST(Sampler, PenaltiesFollowHfAndOpenAiArithmetic) {
    std::vector<float> logits{2.0f, -2.0f, 1.0f, 0.5f, 3.0f};
    SamplingParams p;
    p.repetition_penalty = 2.0f;
    p.frequency_penalty = 0.5f;
    p.presence_penalty = 0.25f;
    const std::vector<int32_t> prompt{0};
    const std::vector<int32_t> output{1, 1, 2};
    apply_penalties(logits, p, prompt, output);
    EXPECT_FLOAT_EQ(logits[0], 1.0f);                 // prompt token, positive: 2 / 2
    EXPECT_FLOAT_EQ(logits[1], -4.0f - 1.0f - 0.25f); // negative: -2 * 2; twice in output
    EXPECT_FLOAT_EQ(logits[2], 0.5f - 0.5f - 0.25f);  // 1 / 2; once in output
    EXPECT_FLOAT_EQ(logits[3], 0.5f);                 // unseen
    EXPECT_FLOAT_EQ(logits[4], 3.0f);
}

TEST(Sampler, FrequencyAndPresenceIgnoreThePrompt) {
    std::vector<float> logits{1.0f, 1.0f};
    SamplingParams p;
    p.frequency_penalty = 1.0f;
    p.presence_penalty = 1.0f;
    const std::vector<int32_t> prompt{0, 0, 0};
    apply_penalties(logits, p, prompt, {});
    EXPECT_FLOAT_EQ(logits[0], 1.0f);
}

TEST(Sampler, TopKKeepsTheKMostProbable) {
    SamplingParams p;
    p.top_k = 2;
    expect_probs(truncated_probs(logs({0.25, 0.5, 0.15, 0.1}), p), {1.0 / 3, 2.0 / 3, 0, 0});
}

TEST(Sampler, TopPKeepsTokensWhoseExclusiveMassIsWithinP) {
    SamplingParams p;
    p.top_p = 0.6f;  // exclusive sums 0, 0.5, 0.75, 0.9: keeps the first two
    expect_probs(truncated_probs(logs({0.5, 0.25, 0.15, 0.1}), p), {2.0 / 3, 1.0 / 3, 0, 0});
    p.top_p = 0.8f;  // 0.75 <= 0.8: keeps three
    expect_probs(truncated_probs(logs({0.5, 0.25, 0.15, 0.1}), p), {0.5 / 0.9, 0.25 / 0.9, 0.15 / 0.9, 0});
}

TEST(Sampler, MinPDropsTokensBelowFractionOfMax) {
    SamplingParams p;
    p.min_p = 0.4f;  // threshold 0.2
    expect_probs(truncated_probs(logs({0.1, 0.5, 0.25, 0.15}), p), {0, 2.0 / 3, 1.0 / 3, 0});
}

TEST(Sampler, TopKTopPMinPCombineOnTheSameSortedProbs) {
    SamplingParams p;
    p.top_k = 3;
    p.top_p = 0.9f;
    p.min_p = 0.5f;  // threshold 0.2: drops 0.15 and 0.1
    expect_probs(truncated_probs(logs({0.4, 0.3, 0.15, 0.1, 0.05}), p), {4.0 / 7, 3.0 / 7, 0, 0, 0});
}

TEST(Sampler, GreedyIsArgmaxAfterPenalties) {
    std::vector<float> logits{1.0f, 3.0f, 2.5f};
    SamplingParams p;
    p.temperature = 0.0f;
    p.repetition_penalty = 1.5f;  // 3 / 1.5 = 2 < 2.5
    RequestRng rng(1);
    const std::vector<int32_t> prompt{1};
    EXPECT_EQ(sample_token(logits, p, prompt, {}, {}, rng).token_id, 2);
}

TEST(Sampler, TemperatureShapesTheDistribution) {
    // logits {0, ln 2}: T = 1 -> {1/3, 2/3}; T = 2 -> {1, sqrt 2} / (1 + sqrt 2)
    for (float t : {1.0f, 2.0f}) {
        SamplingParams p;
        p.temperature = t;
        RequestRng rng(42);
        int ones = 0;
        const int n = 20000;
        for (int i = 0; i < n; ++i) {
            std::vector<float> logits{0.0f, static_cast<float>(std::log(2.0))};
            ones += sample_token(logits, p, {}, {}, {}, rng).token_id == 1;
        }
        const double want = t == 1.0f ? 2.0 / 3 : std::sqrt(2.0) / (1 + std::sqrt(2.0));
        EXPECT_NEAR(static_cast<double>(ones) / n, want, 0.015) << "temperature " << t;
    }
}

TEST(Sampler, SameSeedSameDrawsDifferentSeedDifferent) {
    auto run = [](uint64_t seed) {
        SamplingParams p;
        p.temperature = 1.0f;
        RequestRng rng(seed);
        std::vector<int32_t> tokens;
        for (int i = 0; i < 64; ++i) {
            std::vector<float> logits(16, 0.0f);
            tokens.push_back(sample_token(logits, p, {}, {}, {}, rng).token_id);
        }
        return tokens;
    };
    EXPECT_EQ(run(7), run(7));
    EXPECT_NE(run(7), run(8));
}

TEST(Sampler, MaskedTokensAreNeverDrawn) {
    SamplingParams p;
    RequestRng rng(3);
    const std::vector<int32_t> masked{0};
    for (int i = 0; i < 200; ++i) {
        std::vector<float> logits{10.0f, 0.0f, 0.0f};
        EXPECT_NE(sample_token(logits, p, {}, {}, masked, rng).token_id, 0);
    }
}

TEST(Sampler, LogprobsAreLogSoftmaxAfterTemperatureBeforeTruncation) {
    std::vector<float> logits{1.0f, 2.0f, 3.0f};
    SamplingParams p;
    p.temperature = 2.0f;
    p.top_k = 1;  // truncation does not change the reported logprobs
    p.logprobs = true;
    p.top_logprobs_num = 2;
    RequestRng rng(5);
    const SampleResult r = sample_token(logits, p, {}, {}, {}, rng);
    EXPECT_EQ(r.token_id, 2);
    const double z = std::log(std::exp(0.5) + std::exp(1.0) + std::exp(1.5));
    EXPECT_NEAR(r.logprob.logprob, 1.5 - z, 1e-6);
    ASSERT_EQ(r.logprob.top.size(), 2u);
    EXPECT_EQ(r.logprob.top[0].token_id, 2);
    EXPECT_EQ(r.logprob.top[1].token_id, 1);
    EXPECT_NEAR(r.logprob.top[1].logprob, 1.0 - z, 1e-6);
}

TEST(Sampler, ValidateNamesTheField) {
    SamplingParams p;
    p.top_p = 0.0f;
    EXPECT_NE(p.validate(10).message().find("top_p"), std::string::npos);
    p = {};
    p.stop_token_ids = {12};
    EXPECT_NE(p.validate(10).message().find("stop_token_ids"), std::string::npos);
    p = {};
    p.min_new_tokens = 5;
    p.max_new_tokens = 3;
    EXPECT_FALSE(p.validate(10).ok());
    EXPECT_TRUE(SamplingParams{}.validate(10).ok());
}

// sample_row (a DeviceSampling row: what device samplers and the host-sampling worker runner get)
// picks exactly what sample_token picks from the same logits, parameters and uniform draw.
TEST(Sampler, SampleRowMatchesSampleTokenForEveryParameterMix) {
    std::mt19937 gen(5);
    std::uniform_real_distribution<float> logit(-4.0f, 4.0f);
    const int vocab = 50;
    int differing_from_greedy = 0;
    for (int trial = 0; trial < 400; ++trial) {
        SamplingParams sp;
        sp.temperature = trial % 5 == 0 ? 0.0f : 0.3f + 0.2f * static_cast<float>(trial % 7);
        sp.top_k = trial % 3 == 0 ? 5 : -1;
        sp.top_p = trial % 4 == 0 ? 0.8f : 1.0f;
        sp.min_p = trial % 6 == 0 ? 0.1f : 0.0f;
        sp.repetition_penalty = trial % 2 == 0 ? 1.3f : 1.0f;
        sp.frequency_penalty = trial % 8 < 3 ? 0.5f : 0.0f;
        sp.presence_penalty = trial % 9 < 4 ? -0.4f : 0.0f;
        std::vector<float> logits(vocab);
        for (float &v : logits) v = logit(gen);
        const std::vector<int32_t> prompt{1, 2, 3, 2};
        const std::vector<int32_t> output{4, 4, 9, 1};
        const std::vector<int32_t> masked = trial % 10 == 0 ? std::vector<int32_t>{0, 7} : std::vector<int32_t>{};
        const uint64_t seed = 77 + static_cast<uint64_t>(trial);

        std::vector<float> a = logits;
        RequestRng rng(seed);
        const int32_t expected = sample_token(a, sp, prompt, output, masked, rng).token_id;

        DeviceSampling row;
        row.temperature = sp.greedy() ? 0.0f : sp.temperature;
        row.top_k = sp.top_k;
        row.top_p = sp.top_p;
        row.min_p = sp.min_p;
        row.repetition_penalty = sp.repetition_penalty;
        row.frequency_penalty = sp.frequency_penalty;
        row.presence_penalty = sp.presence_penalty;
        RequestRng same(seed);
        row.uniform = sp.greedy() ? 0.0 : same.uniform();
        row.penalty_ids = {1, 2, 3, 4, 9};            // unique ids of prompt and output
        row.penalty_counts = {1, 0, 0, 2, 1};         // occurrences in the output
        row.masked_ids = masked;
        std::vector<float> b = logits;
        EXPECT_EQ(sample_row(b, row), expected) << "trial " << trial;
        std::vector<float> c = logits;
        RequestRng greedy_rng(seed);
        SamplingParams g = sp;
        g.temperature = 0.0f;
        differing_from_greedy += sample_token(c, g, prompt, output, masked, greedy_rng).token_id != expected;
    }
    EXPECT_GT(differing_from_greedy, 50) << "the trials should exercise real sampling, not only argmax";
}

// Byte-level decode as a tokenizer does it: token id = one byte; invalid or incomplete UTF-8
// becomes U+FFFD.
std::string byte_decode(const std::vector<int32_t> &ids) {
    std::string bytes;
    for (int32_t id : ids) bytes += static_cast<char>(id);
    std::string out;
    for (size_t i = 0; i < bytes.size();) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        const size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        bool ok = len > 0 && i + len <= bytes.size();
        for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(bytes[i + k]) >> 6) == 2;
        if (ok) {
            out.append(bytes, i, len);
            i += len;
        } else {
            out += "\xEF\xBF\xBD";
            i += 1;
        }
    }
    return out;
}

std::vector<int32_t> ids_of(const std::string &s) {
    std::vector<int32_t> ids;
    for (unsigned char c : s) ids.push_back(c);
    return ids;
}

TEST(TextStream, NeverEmitsHalfACharacter) {
    const DecodeFn decode = byte_decode;
    TextStream ts(&decode, {});
    const std::string text = "a\xC3\xA9\xE4\xB8\xAD!";  // a é 中 !
    std::vector<std::string> pieces;
    for (int32_t id : ids_of(text)) pieces.push_back(ts.push(id));
    EXPECT_EQ(pieces, (std::vector<std::string>{"a", "", "\xC3\xA9", "", "", "\xE4\xB8\xAD", "!"}));
    EXPECT_EQ(ts.flush(), "");
}

TEST(TextStream, StopStringAcrossTokensIsRemovedWithWhatFollows) {
    const DecodeFn decode = byte_decode;
    TextStream ts(&decode, {"END"});
    std::string out;
    for (int32_t id : ids_of("abEN")) out += ts.push(id);
    EXPECT_EQ(out, "ab");  // "EN" held: it may start "END"
    out += ts.push('D');
    EXPECT_TRUE(ts.stopped());
    EXPECT_EQ(ts.matched_stop(), "END");
    EXPECT_EQ(out + ts.flush(), "ab");
    EXPECT_EQ(ts.push('x'), "");
}

TEST(TextStream, HeldTextIsReleasedWhenTheStopStringDoesNotComplete) {
    const DecodeFn decode = byte_decode;
    TextStream ts(&decode, {"END", "xyz"});
    std::string out;
    for (int32_t id : ids_of("aEN")) out += ts.push(id);
    EXPECT_EQ(out, "a");
    out += ts.push('!');
    EXPECT_EQ(out, "aEN!");
    out += ts.push('x');
    EXPECT_EQ(out, "aEN!");
    EXPECT_EQ(out + ts.flush(), "aEN!x");  // at the end everything held is emitted
    EXPECT_FALSE(ts.stopped());
}

TEST(TextStream, MultiTokenPiecesAndEarliestStop) {
    // Tokens that decode to several characters: the stop string sits inside one token.
    const DecodeFn decode = [](const std::vector<int32_t> &ids) {
        static const std::map<int32_t, std::string> vocab{{1, "Hello"}, {2, " wor"}, {3, "ld. Bye"}, {4, "!"}};
        std::string s;
        for (int32_t id : ids) s += vocab.at(id);
        return s;
    };
    TextStream ts(&decode, {"world", ". B"});
    std::string out;
    for (int32_t id : {1, 2}) out += ts.push(id);
    EXPECT_EQ(out, "Hello ");  // "wor" held: could begin "world"
    out += ts.push(3);
    EXPECT_EQ(ts.matched_stop(), "world");
    EXPECT_EQ(out + ts.flush(), "Hello ");
}

} // namespace
} // namespace slipway::engine
