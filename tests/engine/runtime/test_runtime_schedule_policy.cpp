// The step policy through FakeRunner's record of every step: the prefill token budget
// (--chunked-prefill-size, --max-prefill-tokens), long prompts chunked across steps, and
// decodes never starved by a long prompt: alternating prefill / decode steps by default (with
// --num-continuous-decode-steps), or every step mixed (--enable-mixed-chunk). Each case runs with
// overlap scheduling on and off.
#include <gtest/gtest.h>

#include "fake_runner.h"
#include "scheduler_test_client.h"

namespace slipway::engine {
namespace {

using testing::FakeRunner;
using testing::greedy_params;
using testing::greedy_reference;
using testing::RecordedSlice;
using testing::RecordingClient;
using testing::test_prompt;

constexpr int64_t kVocab = 64;

std::vector<int32_t> prompt_of(int32_t seed, int32_t len) {
    return test_prompt(seed, len, kVocab);
}

int32_t prefill_tokens(const std::vector<RecordedSlice> &step) {
    int32_t n = 0;
    for (const auto &s : step) n += s.query_len > 1 ? s.query_len : 0;
    return n;
}

int32_t decode_slices(const std::vector<RecordedSlice> &step) {
    int32_t n = 0;
    for (const auto &s : step) n += s.query_len == 1 ? 1 : 0;
    return n;
}

struct LongPromptRun {
    std::vector<std::vector<RecordedSlice>> window;  // steps from the long prompt's first chunk to its last
    bool outputs_exact = true;
};

// Four requests decode; then a 160-token prompt arrives. Returns the steps that computed it.
LongPromptRun run_long_prompt_among_decodes(SchedulerConfig cfg) {
    FakeRunner runner(kVocab, 1, 4096, 4096, std::chrono::microseconds(200));
    cfg.chunked_prefill_size = 16;
    cfg.max_prefill_tokens = 1000;
    auto s = testing::make_scheduler(runner, cfg);
    RecordingClient c(*s);
    std::vector<RequestId> decoders;
    for (int i = 0; i < 4; ++i) decoders.push_back(c.submit(prompt_of(i, 5), greedy_params(2000)));
    std::vector<testing::Received> started;
    for (RequestId id : decoders) started.push_back(c.take(id, 3));  // all four decode now
    const auto long_prompt = prompt_of(50, 160);
    const RequestId late = c.submit(long_prompt, greedy_params(4));
    LongPromptRun out;
    const testing::Received r = c.wait(late);
    out.outputs_exact = r.tokens == greedy_reference(long_prompt, 4, kVocab);
    EXPECT_TRUE(out.outputs_exact);
    for (RequestId id : decoders) s->cancel(id);
    for (size_t i = 0; i < decoders.size(); ++i) {
        const testing::Received d = c.wait(decoders[i], started[i]);
        const auto ref = greedy_reference(prompt_of(static_cast<int32_t>(i), 5), static_cast<int>(d.tokens.size()), kVocab);
        EXPECT_EQ(d.tokens, ref) << "decoder " << i;
    }
    const auto steps = runner.steps();
    size_t first = steps.size(), last = steps.size();
    for (size_t k = 0; k < steps.size(); ++k) {
        for (const auto &slice : steps[k]) {
            if (slice.query_len > 1 && slice.context_len == 0 && slice.first_token == long_prompt[0] && first == steps.size())
                first = k;
            if (slice.query_len > 1 && slice.context_len + slice.query_len == 160) last = k;
        }
    }
    EXPECT_LT(first, steps.size());
    EXPECT_LT(last, steps.size());
    if (first < steps.size() && last < steps.size())
        out.window.assign(steps.begin() + static_cast<std::ptrdiff_t>(first), steps.begin() + static_cast<std::ptrdiff_t>(last) + 1);
    return out;
}

class SchedulePolicy : public ::testing::TestWithParam<bool> {
protected:
    SchedulerConfig config() const {
        SchedulerConfig cfg;
        cfg.overlap_schedule = GetParam();
        return cfg;
    }
};

TEST_P(SchedulePolicy, AlternatingStepsGiveDecodesATokenEveryOtherStepWhileALongPromptIsChunked) {
    const LongPromptRun run = run_long_prompt_among_decodes(config());
    ASSERT_FALSE(run.window.empty());
    // 160 tokens in chunks of 16: ten prefill steps, each followed by one decode step of all four.
    int prefill_steps = 0;
    for (size_t k = 0; k < run.window.size(); ++k) {
        const auto &step = run.window[k];
        const bool prefill = k % 2 == 0;
        if (prefill) {
            ++prefill_steps;
            EXPECT_EQ(decode_slices(step), 0) << "step " << k << ": decodes mixed into a prefill step";
            EXPECT_EQ(prefill_tokens(step), 16) << "step " << k;
        } else {
            EXPECT_EQ(prefill_tokens(step), 0) << "step " << k << ": two prefill steps in a row";
            EXPECT_EQ(decode_slices(step), 4) << "step " << k << ": a decoding request was left out";
        }
    }
    EXPECT_EQ(prefill_steps, 10);
    EXPECT_EQ(run.window.size(), 19u);
}

TEST_P(SchedulePolicy, ContinuousDecodeStepsRunThatManyDecodeStepsBetweenPrefillSteps) {
    SchedulerConfig cfg = config();
    cfg.num_continuous_decode_steps = 2;
    const LongPromptRun run = run_long_prompt_among_decodes(cfg);
    ASSERT_EQ(run.window.size(), 28u);  // P D D P D D ... P
    for (size_t k = 0; k < run.window.size(); ++k) {
        const auto &step = run.window[k];
        if (k % 3 == 0) {
            EXPECT_EQ(prefill_tokens(step), 16) << "step " << k;
            EXPECT_EQ(decode_slices(step), 0) << "step " << k;
        } else {
            EXPECT_EQ(prefill_tokens(step), 0) << "step " << k;
            EXPECT_EQ(decode_slices(step), 4) << "step " << k;
        }
    }
}

TEST_P(SchedulePolicy, MixedStepsGiveDecodesATokenEveryStepWithinTheSameBudget) {
    SchedulerConfig cfg = config();
    cfg.enable_mixed_chunk = true;
    const LongPromptRun run = run_long_prompt_among_decodes(cfg);
    ASSERT_FALSE(run.window.empty());
    // The four decode tokens come out of the 16-token budget: chunks of 12.
    int32_t computed = 0;
    for (size_t k = 0; k < run.window.size(); ++k) {
        const auto &step = run.window[k];
        EXPECT_EQ(decode_slices(step), 4) << "step " << k << ": a decoding request was left out";
        EXPECT_LE(prefill_tokens(step) + decode_slices(step), 16) << "step " << k;
        EXPECT_GE(prefill_tokens(step), 4) << "step " << k;
        computed += prefill_tokens(step);
    }
    EXPECT_EQ(computed, 160);
    EXPECT_EQ(run.window.size(), 14u);  // 13 x 12 + 4
}

TEST_P(SchedulePolicy, PrefillBudgetSpansRequestsAndRespectsMaxPrefillTokens) {
    for (bool mixed : {false, true}) {
        FakeRunner runner(kVocab, 1, 4096, 4096, std::chrono::microseconds(2000));
        SchedulerConfig cfg = config();
        cfg.enable_mixed_chunk = mixed;
        cfg.chunked_prefill_size = 32;
        cfg.max_prefill_tokens = 20;  // the smaller of the two is the budget
        auto s = testing::make_scheduler(runner, cfg);
        RecordingClient c(*s);
        std::vector<RequestId> ids;
        for (int i = 0; i < 8; ++i) ids.push_back(c.submit(prompt_of(i, 9), greedy_params(3)));
        for (size_t i = 0; i < ids.size(); ++i) {
            EXPECT_EQ(c.wait(ids[i]).tokens, greedy_reference(prompt_of(static_cast<int32_t>(i), 9), 3, kVocab))
                << "request " << i << (mixed ? " (mixed)" : "");
        }
        bool several_in_one_step = false;
        for (const auto &step : runner.steps()) {
            EXPECT_LE(prefill_tokens(step) + (mixed ? decode_slices(step) : 0), 20);
            int32_t prompts = 0, partial = 0;
            for (const auto &slice : step) {
                if (slice.query_len <= 1 && slice.context_len > 0) continue;  // a decode token
                ++prompts;
                if (slice.context_len + slice.query_len < 9) ++partial;
            }
            EXPECT_LE(partial, 1) << "more than one prompt left half-computed by a step";
            several_in_one_step |= prompts >= 2;
        }
        EXPECT_TRUE(several_in_one_step) << "the budget should admit two 9-token prompts together";
    }
}

TEST_P(SchedulePolicy, WithoutChunkingAPromptOverTheBudgetStillRunsAlone) {
    FakeRunner runner(kVocab, 1, 4096, 4096);
    SchedulerConfig cfg = config();
    cfg.chunked_prefill_size = -1;
    cfg.max_prefill_tokens = 10;
    auto s = testing::make_scheduler(runner, cfg);
    RecordingClient c(*s);
    const auto prompt = prompt_of(3, 40);
    EXPECT_EQ(c.wait(c.submit(prompt, greedy_params(3))).tokens, greedy_reference(prompt, 3, kVocab));
    EXPECT_EQ(runner.steps().front().front().query_len, 40);
}

INSTANTIATE_TEST_SUITE_P(Overlap, SchedulePolicy, ::testing::Values(false, true),
                         [](const auto &info) { return info.param ? "overlap" : "sync"; });

} // namespace
} // namespace slipway::engine
