// The scheduler loop driven through FakeRunner: continuous batching, FIFO admission, chunked
// prefill, prefix sharing, cancellation, running out of KV pages, stop handling, shutdown, metrics.
#include <gtest/gtest.h>

#include "fake_runner.h"
#include "scheduler_test_client.h"
#include "runtime/output_channel.h"
#include "runtime/sampler.h"
#include "runtime/scheduler.h"

namespace slipway::engine {
namespace {

using testing::FakeRunner;
using testing::greedy_reference;
using namespace std::chrono_literals;

constexpr int64_t kVocab = 64;

using Client = testing::RecordingClient;
using Result = testing::Received;

std::vector<int32_t> prompt_of(int32_t seed, int32_t len) { return testing::test_prompt(seed, len, kVocab); }

SamplingParams greedy(int32_t max_new) { return testing::greedy_params(max_new); }

std::unique_ptr<Scheduler> make(ModelRunner &runner, SchedulerConfig cfg = {}) {
    return testing::make_scheduler(runner, std::move(cfg));
}

TEST(Scheduler, GreedyOutputMatchesTheModel) {
    FakeRunner runner(kVocab, 1, 256, 512);
    auto s = make(runner);
    Client c(*s);
    const auto prompt = prompt_of(1, 9);
    const RequestId id = c.submit(prompt, greedy(12));
    const Result r = c.wait(id);
    EXPECT_EQ(r.tokens, greedy_reference(prompt, 12, kVocab));
    EXPECT_EQ(r.last.finish_reason, FinishReason::length);
    EXPECT_EQ(r.last.usage.prompt_tokens, 9);
    EXPECT_EQ(r.last.usage.completion_tokens, 12);
}

TEST(Scheduler, ManyRequestsAboveMaxRunningCompleteInAdmissionOrder) {
    FakeRunner runner(kVocab, 1, 1024, 512);
    SchedulerConfig cfg;
    cfg.max_running_requests = 3;
    auto s = make(runner, cfg);
    Client c(*s);
    std::vector<RequestId> ids;
    std::vector<std::vector<int32_t>> prompts;
    for (int i = 0; i < 12; ++i) {
        prompts.push_back(prompt_of(i, 5 + i % 4));
        ids.push_back(c.submit(prompts.back(), greedy(6)));
    }
    for (size_t i = 0; i < ids.size(); ++i) {
        const Result r = c.wait(ids[i]);
        EXPECT_EQ(r.tokens, greedy_reference(prompts[i], 6, kVocab)) << "request " << i;
    }
    EXPECT_EQ(c.first_token_order(), ids);
    for (const auto &step : runner.steps()) EXPECT_LE(step.size(), 3u);
}

TEST(Scheduler, RequestsJoinAndLeaveBetweenStepsWithMixedPrefillAndDecode) {
    FakeRunner runner(kVocab, 1, 1024, 512, 1ms);
    SchedulerConfig cfg;
    cfg.enable_mixed_chunk = true;  // the default alternates prefill and decode steps
    auto s = make(runner, cfg);
    Client c(*s);
    const RequestId a = c.submit(prompt_of(1, 6), greedy(200));
    const RequestId b = c.submit(prompt_of(2, 6), greedy(3));
    c.wait(b);  // b leaves while a keeps decoding
    const auto late_prompt = prompt_of(3, 8);
    const RequestId late = c.submit(late_prompt, greedy(4));  // joins mid-flight
    EXPECT_EQ(c.wait(late).tokens, greedy_reference(late_prompt, 4, kVocab));
    EXPECT_EQ(c.wait(a).tokens, greedy_reference(prompt_of(1, 6), 200, kVocab));
    bool mixed = false;
    size_t max_batch = 0;
    for (const auto &step : runner.steps()) {
        bool has_prefill = false, has_decode = false;
        for (const auto &slice : step) (slice.query_len > 1 ? has_prefill : has_decode) = true;
        mixed |= has_prefill && has_decode;
        max_batch = std::max(max_batch, step.size());
    }
    EXPECT_TRUE(mixed) << "the late request's prefill should share a step with a's decode";
    EXPECT_GE(max_batch, 2u);
}

TEST(Scheduler, ChunkedPrefillGivesTheSameOutputsAsUnchunked) {
    std::vector<std::vector<int32_t>> prompts{prompt_of(1, 50), prompt_of(2, 23), prompt_of(3, 7)};
    auto run = [&](int32_t chunk, FakeRunner &runner) {
        SchedulerConfig cfg;
        cfg.chunked_prefill_size = chunk;
        cfg.disable_radix_cache = true;
        auto s = make(runner, cfg);
        Client c(*s);
        std::vector<RequestId> ids;
        for (const auto &p : prompts) ids.push_back(c.submit(p, greedy(8)));
        std::vector<std::vector<int32_t>> outs;
        for (RequestId id : ids) outs.push_back(c.wait(id).tokens);
        return outs;
    };
    FakeRunner chunked_runner(kVocab, 4, 256, 512), whole_runner(kVocab, 4, 256, 512);
    const auto chunked = run(8, chunked_runner);
    const auto whole = run(0, whole_runner);
    EXPECT_EQ(chunked, whole);
    for (size_t i = 0; i < prompts.size(); ++i) EXPECT_EQ(chunked[i], greedy_reference(prompts[i], 8, kVocab));
    int32_t longest_query = 0;
    for (const auto &step : chunked_runner.steps()) {
        int32_t prefill = 0;
        for (const auto &slice : step) {
            longest_query = std::max(longest_query, slice.query_len);
            if (slice.query_len > 1) prefill += slice.query_len;
        }
        EXPECT_LE(prefill, 8);
    }
    EXPECT_EQ(longest_query, 8);
    EXPECT_GT(chunked_runner.steps().size(), whole_runner.steps().size());
}

TEST(Scheduler, SharedPrefixIsComputedOnceAndReportedAsCached) {
    for (int32_t page_size : {1, 4}) {
        FakeRunner runner(kVocab, page_size, 256, 512);
        auto s = make(runner);
        Client c(*s);
        const auto shared = prompt_of(5, 20);
        auto first = shared;
        first.push_back(3);
        const Result r1 = c.wait(c.submit(first, greedy(4)));
        EXPECT_EQ(r1.last.usage.cached_tokens, 0);
        const size_t steps_before = runner.steps().size();
        auto second = shared;
        second.push_back(4);
        second.push_back(5);
        const Result r2 = c.wait(c.submit(second, greedy(4)));
        EXPECT_EQ(r2.tokens, greedy_reference(second, 4, kVocab)) << "page size " << page_size;
        EXPECT_EQ(r2.last.usage.cached_tokens, 20) << "page size " << page_size;
        // The second request's first step computes only what was not cached, on the first
        // request's pages.
        const auto steps = runner.steps();
        const auto &slice = steps[steps_before][0];
        EXPECT_EQ(slice.context_len, 20);
        EXPECT_EQ(slice.query_len, 2);
        const auto &first_slice = steps[0][0];
        for (int32_t p = 0; p < 20 / page_size; ++p)
            EXPECT_EQ(slice.page_table[static_cast<size_t>(p)], first_slice.page_table[static_cast<size_t>(p)]);
        const MetricsSnapshot m = s->metrics();
        EXPECT_EQ(m.cached_tokens_total, 20u);
        EXPECT_NEAR(m.cache_hit_rate, 20.0 / (21 + 22), 1e-9);
    }
}

TEST(Scheduler, FullyCachedPromptStillComputesOneToken) {
    FakeRunner runner(kVocab, 1, 256, 512);
    auto s = make(runner);
    Client c(*s);
    const auto prompt = prompt_of(6, 10);
    c.wait(c.submit(prompt, greedy(2)));
    const Result r = c.wait(c.submit(prompt, greedy(2)));
    EXPECT_EQ(r.last.usage.cached_tokens, 9);
    EXPECT_EQ(r.tokens, greedy_reference(prompt, 2, kVocab));
}

TEST(Scheduler, DisabledRadixCacheSharesNothingAndFreesEverything) {
    FakeRunner runner(kVocab, 1, 128, 512);
    SchedulerConfig cfg;
    cfg.disable_radix_cache = true;
    auto s = make(runner, cfg);
    Client c(*s);
    const auto prompt = prompt_of(6, 10);
    c.wait(c.submit(prompt, greedy(2)));
    const Result r = c.wait(c.submit(prompt, greedy(2)));
    EXPECT_EQ(r.last.usage.cached_tokens, 0);
    EXPECT_EQ(s->metrics().num_free_pages, 128);
}

TEST(Scheduler, CancelFreesPagesAtOnce) {
    for (bool radix : {false, true}) {
        FakeRunner runner(kVocab, 1, 4096, 4096, 2ms);
        SchedulerConfig cfg;
        cfg.disable_radix_cache = !radix;
        auto s = make(runner, cfg);
        Client c(*s);
        const RequestId id = c.submit(prompt_of(1, 30), greedy(3000));
        for (int i = 0; i < 3; ++i) ASSERT_TRUE(c.channel(id)->pop_for(5s).has_value());
        EXPECT_GT(s->metrics().num_used_tokens, 30);
        s->cancel(id);
        const Result r = c.wait(id);
        EXPECT_EQ(r.last.finish_reason, FinishReason::abort);
        EXPECT_NE(r.last.message.find("cancelled"), std::string::npos);
        // The loop releases the pages before it sends the final output.
        const MetricsSnapshot m = s->metrics();
        EXPECT_EQ(m.num_used_tokens, 0) << "radix " << radix;
        EXPECT_EQ(m.num_running_reqs, 0);
        if (!radix) {
            EXPECT_EQ(m.num_free_pages, 4096);
        }
        EXPECT_EQ(m.num_aborted_requests_total, 1u);
    }
}

TEST(Scheduler, CancelOfAWaitingRequestAbortsItWithoutRunning) {
    FakeRunner runner(kVocab, 1, 256, 512, 2ms);
    SchedulerConfig cfg;
    cfg.max_running_requests = 1;
    auto s = make(runner, cfg);
    Client c(*s);
    const RequestId a = c.submit(prompt_of(1, 5), greedy(50));
    const RequestId b = c.submit(prompt_of(2, 5), greedy(50));
    s->cancel(b);
    const Result rb = c.wait(b);
    EXPECT_EQ(rb.last.finish_reason, FinishReason::abort);
    EXPECT_TRUE(rb.tokens.empty());
    EXPECT_EQ(c.wait(a).last.finish_reason, FinishReason::length);
}

TEST(Scheduler, OutOfKvRetractsAndStillProducesExactOutputs) {
    // 48 token slots; four requests need 4 x (8 + 24) = 128 over their lives.
    FakeRunner runner(kVocab, 1, 48, 512);
    SchedulerConfig cfg;
    cfg.max_running_requests = 4;
    auto s = make(runner, cfg);
    Client c(*s);
    std::vector<RequestId> ids;
    for (int i = 0; i < 4; ++i) ids.push_back(c.submit(prompt_of(10 + i, 8), greedy(24)));
    for (int i = 0; i < 4; ++i) {
        const Result r = c.wait(ids[static_cast<size_t>(i)]);
        EXPECT_EQ(r.last.finish_reason, FinishReason::length) << r.last.message;
        EXPECT_EQ(r.tokens, greedy_reference(prompt_of(10 + i, 8), 24, kVocab)) << "request " << i;
    }
    // Some step recomputed a retracted request: a prefill whose context starts past its prompt.
    bool recomputed = false;
    for (const auto &step : runner.steps())
        for (const auto &slice : step) recomputed |= slice.query_len > 1 && slice.context_len + slice.query_len > 8;
    EXPECT_TRUE(recomputed);
}

TEST(Scheduler, SeededSamplingIsIndependentOfBatchAndRetraction) {
    SamplingParams p;
    p.temperature = 0.9f;
    p.top_p = 0.95f;
    p.seed = 1234;
    p.max_new_tokens = 20;
    const auto prompt = prompt_of(4, 6);
    std::vector<int32_t> alone;
    {
        FakeRunner runner(kVocab, 1, 512, 512);
        auto s = make(runner);
        Client c(*s);
        alone = c.wait(c.submit(prompt, p)).tokens;
    }
    FakeRunner runner(kVocab, 1, 40, 512);  // tight: forces retraction
    SchedulerConfig cfg;
    cfg.disable_radix_cache = true;
    auto s = make(runner, cfg);
    Client c(*s);
    std::vector<RequestId> others;
    for (int i = 0; i < 2; ++i) {
        SamplingParams q = p;
        q.seed = 99 + i;
        others.push_back(c.submit(prompt_of(20 + i, 6), q));
    }
    const RequestId mine = c.submit(prompt, p);
    EXPECT_EQ(c.wait(mine).tokens, alone);
    for (RequestId id : others) c.wait(id);
    // Another seed gives another output.
    SamplingParams q = p;
    q.seed = 4321;
    EXPECT_NE(c.wait(c.submit(prompt, q)).tokens, alone);
}

TEST(Scheduler, RequestLargerThanThePoolIsAbortedWithAReason) {
    FakeRunner runner(kVocab, 1, 16, 512);
    auto s = make(runner);
    Client c(*s);
    const Result r = c.wait(c.submit(prompt_of(1, 10), greedy(30)));
    EXPECT_EQ(r.last.finish_reason, FinishReason::abort);
    EXPECT_NE(r.last.message.find("KV cache is full"), std::string::npos) << r.last.message;
    EXPECT_EQ(s->metrics().num_used_tokens, 0);
}

TEST(Scheduler, SubmitRejectsBadRequestsWithReasons) {
    FakeRunner runner(kVocab, 1, 64, 100);
    auto s = make(runner);
    GenerateRequest req;
    req.on_output = [](StepOutput) {};
    EXPECT_EQ(s->submit(req).reject, RejectReason::invalid_request);  // empty prompt
    req.prompt_ids = {1, 2, kVocab};
    EXPECT_EQ(s->submit(req).reject, RejectReason::invalid_request);
    req.prompt_ids = prompt_of(1, 100);
    EXPECT_EQ(s->submit(req).reject, RejectReason::context_too_long);
    req.prompt_ids = prompt_of(1, 50);
    req.sampling.max_new_tokens = 60;
    const SubmitResult r = s->submit(req);
    EXPECT_EQ(r.reject, RejectReason::context_too_long);
    EXPECT_NE(r.message.find("maximum context length is 100"), std::string::npos) << r.message;
    req.prompt_ids = prompt_of(1, 70);  // within context, larger than the 64-token pool
    req.sampling.max_new_tokens = 1;
    EXPECT_NE(s->submit(req).message.find("KV cache holds only 64"), std::string::npos);
    req.prompt_ids = {2, 3};
    req.sampling.stop = {"x"};  // no tokenizer configured
    EXPECT_EQ(s->submit(req).reject, RejectReason::invalid_request);
}

TEST(Scheduler, StopTokensEosIgnoreEosAndMinTokens) {
    FakeRunner runner(kVocab, 1, 256, 512);
    const auto prompt = prompt_of(7, 5);
    const auto ref = greedy_reference(prompt, 10, kVocab);
    SchedulerConfig cfg;
    cfg.eos_token_ids = {ref[3]};
    auto s = make(runner, cfg);
    Client c(*s);
    Result r = c.wait(c.submit(prompt, greedy(10)));
    EXPECT_EQ(r.tokens, std::vector<int32_t>(ref.begin(), ref.begin() + 4));  // the EOS is in output_ids
    EXPECT_EQ(r.last.finish_reason, FinishReason::stop);
    EXPECT_EQ(r.last.matched_stop_token, ref[3]);

    SamplingParams p = greedy(10);
    p.ignore_eos = true;
    r = c.wait(c.submit(prompt, p));
    EXPECT_EQ(r.tokens, ref);
    EXPECT_EQ(r.last.finish_reason, FinishReason::length);

    p.stop_token_ids = {ref[1]};
    r = c.wait(c.submit(prompt, p));
    EXPECT_EQ(r.tokens.size(), 2u);
    EXPECT_EQ(r.last.matched_stop_token, ref[1]);

    p = greedy(10);
    p.min_new_tokens = 5;  // EOS is masked at step 4: another token comes instead
    r = c.wait(c.submit(prompt, p));
    EXPECT_GE(r.tokens.size(), 5u);
    EXPECT_NE(r.tokens[3], ref[3]);
}

TEST(Scheduler, StopStringEndsTheRequestAndIsTrimmedFromText) {
    FakeRunner runner(kVocab, 1, 256, 512);
    // Each token decodes to two letters, so stop strings can straddle tokens.
    SchedulerConfig cfg;
    cfg.decode = [](const std::vector<int32_t> &ids) {
        std::string s;
        for (int32_t id : ids) {
            s += static_cast<char>('a' + id % 26);
            s += static_cast<char>('A' + id / 26);
        }
        return s;
    };
    auto s = make(runner, cfg);
    Client c(*s);
    const auto prompt = prompt_of(8, 4);
    const auto ref = greedy_reference(prompt, 8, kVocab);
    const std::string full = cfg.decode(ref);
    EXPECT_EQ(c.wait(c.submit(prompt, greedy(8))).text, full);
    // A stop string from the middle of token 3 to the middle of token 4.
    const std::string stop = full.substr(5, 2);
    SamplingParams p = greedy(8);
    p.stop = {stop};
    const Result r = c.wait(c.submit(prompt, p));
    const size_t at = full.find(stop);
    EXPECT_EQ(r.text, full.substr(0, at));
    EXPECT_EQ(r.last.finish_reason, FinishReason::stop);
    EXPECT_EQ(r.last.matched_stop_string, stop);
    EXPECT_EQ(r.tokens.size(), (at + stop.size() + 1) / 2);
}

TEST(Scheduler, LogprobsStreamWithEachToken) {
    FakeRunner runner(kVocab, 1, 256, 512);
    auto s = make(runner);
    Client c(*s);
    SamplingParams p = greedy(3);
    p.logprobs = true;
    p.top_logprobs_num = 3;
    const auto prompt = prompt_of(9, 4);
    const Result r = c.wait(c.submit(prompt, p));
    ASSERT_EQ(r.logprobs.size(), 3u);
    std::vector<int32_t> seq = prompt;
    for (size_t i = 0; i < 3; ++i) {
        std::vector<float> logits(kVocab);
        testing::fake_logits(seq, kVocab, logits.data());
        const auto lp = log_softmax(logits);
        EXPECT_EQ(r.logprobs[i].token_id, r.tokens[i]);
        EXPECT_NEAR(r.logprobs[i].logprob, lp[static_cast<size_t>(r.tokens[i])], 1e-5);
        ASSERT_EQ(r.logprobs[i].top.size(), 3u);
        EXPECT_EQ(r.logprobs[i].top[0].token_id, r.tokens[i]);
        EXPECT_GE(r.logprobs[i].top[1].logprob, r.logprobs[i].top[2].logprob);
        seq.push_back(r.tokens[i]);
    }
}

TEST(Scheduler, ShutdownFinishesWithinGraceThenAbortsAndRefusesNewWork) {
    FakeRunner runner(kVocab, 1, 512, 4096, 2ms);
    auto s = make(runner);
    Client c(*s);
    const RequestId quick = c.submit(prompt_of(1, 4), greedy(2));
    const RequestId slow = c.submit(prompt_of(2, 4), greedy(3000));
    c.wait(quick);
    const auto t0 = std::chrono::steady_clock::now();
    s->shutdown(100ms);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
    const Result r = c.wait(slow);
    EXPECT_EQ(r.last.finish_reason, FinishReason::abort);
    EXPECT_NE(r.last.message.find("shutting down"), std::string::npos);
    GenerateRequest req;
    req.prompt_ids = {2};
    req.on_output = [](StepOutput) {};
    EXPECT_EQ(s->submit(req).reject, RejectReason::not_accepting);
}

TEST(Scheduler, ShutdownLetsShortRequestsFinish) {
    FakeRunner runner(kVocab, 1, 512, 4096);
    auto s = make(runner);
    Client c(*s);
    const RequestId id = c.submit(prompt_of(1, 4), greedy(20));
    s->shutdown(5s);
    EXPECT_EQ(c.wait(id).last.finish_reason, FinishReason::length);
}

TEST(Scheduler, MetricsCountFinishedRequestsAndLatencies) {
    FakeRunner runner(kVocab, 1, 256, 512);
    auto s = make(runner);
    Client c(*s);
    c.wait(c.submit(prompt_of(1, 5), greedy(4)));
    c.wait(c.submit(prompt_of(2, 7), greedy(3)));
    const MetricsSnapshot m = s->metrics();
    EXPECT_EQ(m.num_requests_total, 2u);
    EXPECT_EQ(m.prompt_tokens_total, 12u);
    EXPECT_EQ(m.generation_tokens_total, 7u);
    EXPECT_EQ(m.time_to_first_token_seconds.count, 2u);
    EXPECT_EQ(m.inter_token_latency_seconds.count, 5u);
    EXPECT_EQ(m.e2e_request_latency_seconds.count, 2u);
    EXPECT_EQ(m.max_total_num_tokens, 256);
    EXPECT_GT(m.gen_throughput, 0.0);
    const std::string text = render_prometheus(m, "tiny \"q\"");
    EXPECT_NE(text.find("sglang:num_requests_total{model_name=\"tiny \\\"q\\\"\"} 2\n"), std::string::npos) << text;
    EXPECT_NE(text.find("# TYPE sglang:time_to_first_token_seconds histogram"), std::string::npos);
    EXPECT_NE(text.find("sglang:e2e_request_latency_seconds_bucket{model_name=\"tiny \\\"q\\\"\",le=\"+Inf\"} 2\n"),
              std::string::npos);
}

TEST(Metrics, HistogramBucketsAreCumulativeWhenRendered) {
    Histogram h({0.1, 1.0});
    h.observe(0.05);
    h.observe(0.1);  // le is inclusive
    h.observe(0.5);
    h.observe(7.0);
    EXPECT_EQ(h.cumulative(0), 2u);
    EXPECT_EQ(h.cumulative(1), 3u);
    EXPECT_EQ(h.cumulative(2), 4u);
    EXPECT_DOUBLE_EQ(h.sum, 7.65);
}

} // namespace
} // namespace slipway::engine
