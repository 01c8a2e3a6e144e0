// Overlap scheduling: the asynchronous runner contract (launch_sample / wait_sample with pending
// tokens, runtime/device_sampling.h), its synchronous default, the host-sampling worker runner,
// and the loop that plans step n+1 while step n runs: same outputs as the synchronous loop for
// greedy, seeded sampling, penalties, logprobs, stop tokens, retraction and both step policies.
#include <gtest/gtest.h>

#include <span>

#include "fake_runner.h"
#include "runtime/host_sampling_runner.h"
#include "runtime/sampler.h"
#include "scheduler_test_client.h"

namespace slipway::engine {
namespace {

using testing::FakeRunner;
using testing::greedy_params;
using testing::greedy_reference;
using testing::RecordingClient;

constexpr int64_t kVocab = 64;

std::vector<int32_t> prompt_of(int32_t seed, int32_t len) {
    return testing::test_prompt(seed, len, kVocab);
}

// Device sampling done on the host, without overriding the asynchronous split: the contract's
// synchronous default implementation.
class SyncSamplingRunner final : public ModelRunner, public DeviceSampler {
public:
    explicit SyncSamplingRunner(ModelRunner &inner) : inner_(inner) {}
    RunnerInfo info() const override { return inner_.info(); }
    Status forward(const ForwardBatch &batch, std::vector<float> &logits) override {
        return inner_.forward(batch, logits);
    }
    Status forward_sample(const ForwardBatch &batch, const std::vector<DeviceSampling> &sampling,
                          std::vector<int32_t> &tokens) override {
        for (int32_t id : batch.token_ids)
            if (is_pending_token(id)) return Status::error("a pending token reached forward_sample");
        std::vector<float> logits;
        if (Status st = inner_.forward(batch, logits); !st.ok()) return st;
        const auto vocab = static_cast<size_t>(inner_.info().vocab_size);
        tokens.clear();
        for (size_t r = 0; r < sampling.size(); ++r)
            tokens.push_back(sample_row(std::span<float>(logits.data() + r * vocab, vocab), sampling[r]));
        return {};
    }

private:
    ModelRunner &inner_;
};

// Records the order of launches and waits around a HostSamplingRunner.
class ProbeRunner final : public ModelRunner, public DeviceSampler, public AsyncSampler {
public:
    explicit ProbeRunner(ModelRunner &inner) : host_(inner) {}
    RunnerInfo info() const override { return host_.info(); }
    Status forward(const ForwardBatch &batch, std::vector<float> &logits) override {
        events.push_back({'f', 0});
        return host_.forward(batch, logits);
    }
    Status forward_sample(const ForwardBatch &batch, const std::vector<DeviceSampling> &sampling,
                          std::vector<int32_t> &tokens) override {
        events.push_back({'s', 0});
        return host_.forward_sample(batch, sampling, tokens);
    }
    StatusOr<StepTicket> launch_sample(const ForwardBatch &batch, const std::vector<DeviceSampling> &sampling) override {
        for (int32_t id : batch.token_ids) launched_pending += is_pending_token(id) ? 1 : 0;
        auto t = host_.launch_sample(batch, sampling);
        if (t.ok()) events.push_back({'l', t.value()});
        return t;
    }
    Status wait_sample(StepTicket ticket, std::vector<int32_t> &tokens) override {
        events.push_back({'w', ticket});
        return host_.wait_sample(ticket, tokens);
    }

    std::vector<std::pair<char, StepTicket>> events;  // used by the loop thread only, read after shutdown
    int launched_pending = 0;

private:
    HostSamplingRunner host_;
};

// One token for a prompt, then the next from a pending token, through launch / wait.
void check_pending_tokens_resolve(AsyncSampler &sampler, FakeRunner &fake) {
    const auto prompt = prompt_of(1, 6);
    const auto ref = greedy_reference(prompt, 2, kVocab);
    ForwardBatch first;
    first.token_ids = prompt;
    first.seqs.push_back({0, 6, 0, {0, 1, 2, 3, 4, 5, 6}, true});
    DeviceSampling greedy_row;
    greedy_row.temperature = 0.0f;
    ForwardBatch second;
    second.token_ids = {pending_token(0)};
    second.seqs.push_back({0, 1, 6, {0, 1, 2, 3, 4, 5, 6}, true});
    auto t1 = sampler.launch_sample(first, {greedy_row});
    auto t2 = sampler.launch_sample(second, {greedy_row});
    ASSERT_TRUE(t1.ok() && t2.ok());
    std::vector<int32_t> a, b;
    EXPECT_FALSE(sampler.wait_sample(t2.value(), b).ok()) << "waits must follow launch order";
    ASSERT_TRUE(sampler.wait_sample(t1.value(), a).ok());
    ASSERT_TRUE(sampler.wait_sample(t2.value(), b).ok());
    EXPECT_EQ(a, std::vector<int32_t>{ref[0]});
    EXPECT_EQ(b, std::vector<int32_t>{ref[1]});
    // The second step read the first step's token as its query.
    EXPECT_EQ(fake.steps().back().front().first_token, ref[0]);

    // A pending token naming a row the previous step did not sample fails that step.
    ForwardBatch bad = second;
    bad.token_ids = {pending_token(3)};
    auto t3 = sampler.launch_sample(bad, {greedy_row});
    ASSERT_TRUE(t3.ok());
    std::vector<int32_t> c;
    const Status st = sampler.wait_sample(t3.value(), c);
    EXPECT_FALSE(st.ok());
    EXPECT_NE(st.message().find("sampled row 3"), std::string::npos) << st.message();
}

// A runner with only a synchronous forward_sample (the CUDA backend's shape) launches through the
// worker, which resolves the pending tokens before they reach it.
TEST(AsyncRunner, HostSamplingRunnerDrivesASynchronousDeviceSampler) {
    FakeRunner fake(kVocab, 1, 64, 128);
    SyncSamplingRunner device(fake);
    EXPECT_EQ(dynamic_cast<AsyncSampler *>(static_cast<DeviceSampler *>(&device)), nullptr);
    HostSamplingRunner runner(device);
    check_pending_tokens_resolve(runner, fake);
}

TEST(AsyncRunner, HostSamplingRunnerRunsStepsOnItsWorkerInLaunchOrder) {
    FakeRunner fake(kVocab, 1, 64, 128, std::chrono::microseconds(3000));
    HostSamplingRunner runner(fake);
    EXPECT_NE(dynamic_cast<AsyncSampler *>(&runner), nullptr);
    check_pending_tokens_resolve(runner, fake);
}

TEST(AsyncRunner, LaunchReturnsBeforeTheStepRuns) {
    FakeRunner fake(kVocab, 1, 64, 128, std::chrono::microseconds(50000));
    HostSamplingRunner runner(fake);
    ForwardBatch batch;
    batch.token_ids = prompt_of(2, 4);
    batch.seqs.push_back({0, 4, 0, {0, 1, 2, 3}, true});
    DeviceSampling row;
    row.temperature = 0.0f;
    const auto start = std::chrono::steady_clock::now();
    auto t = runner.launch_sample(batch, {row});
    const auto launched = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(t.ok());
    std::vector<int32_t> tokens;
    ASSERT_TRUE(runner.wait_sample(t.value(), tokens).ok());
    const auto waited = std::chrono::steady_clock::now() - start;
    EXPECT_LT(launched, std::chrono::milliseconds(25));
    EXPECT_GE(waited, std::chrono::milliseconds(50));
    EXPECT_EQ(tokens, greedy_reference(prompt_of(2, 4), 1, kVocab));
}

struct Outcome {
    std::vector<int32_t> tokens;
    FinishReason reason;
    int32_t matched_stop_token;
    int32_t completion_tokens;
    std::vector<std::pair<int32_t, float>> logprobs;
    bool operator==(const Outcome &) const = default;
};

// Fifteen requests of six kinds in a KV pool far too small for all of them (retraction), with
// chunked prompts; the results must not depend on overlap or on the step policy.
std::vector<Outcome> run_workload(bool overlap, bool mixed, bool *overlapped = nullptr, bool *retracted = nullptr) {
    FakeRunner fake(kVocab, 4, 40, 512);
    SchedulerConfig cfg;
    cfg.overlap_schedule = overlap;
    cfg.enable_mixed_chunk = mixed;
    cfg.chunked_prefill_size = 8;
    cfg.eos_token_ids = {7, 11, 13};
    auto s = testing::make_scheduler(fake, cfg);
    if (overlapped != nullptr) *overlapped = s->overlap();
    RecordingClient c(*s);
    std::vector<RequestId> ids;
    for (int i = 0; i < 15; ++i) {
        SamplingParams p;
        p.max_new_tokens = 30;
        p.seed = 1000 + static_cast<uint64_t>(i);
        switch (i % 6) {
        case 0: p.temperature = 0.0f; break;
        case 1: p.temperature = 0.9f; p.top_p = 0.9f; break;
        case 2: p.temperature = 0.8f; p.repetition_penalty = 1.3f; p.frequency_penalty = 0.4f; p.presence_penalty = 0.2f; break;
        case 3: p.temperature = 1.0f; p.min_new_tokens = 4; p.stop_token_ids = {20, 21}; break;
        case 4: p.temperature = 0.7f; p.logprobs = true; p.top_logprobs_num = 2; break;
        case 5: p.temperature = 1.0f; p.top_k = 5; p.min_p = 0.05f; p.ignore_eos = true; break;
        }
        ids.push_back(c.submit(prompt_of(100 + i, 3 + (i * 5) % 17), p));
    }
    std::vector<Outcome> out;
    for (RequestId id : ids) {
        const testing::Received r = c.wait(id);
        Outcome o{r.tokens, r.last.finish_reason, r.last.matched_stop_token, r.last.usage.completion_tokens, {}};
        for (const TokenLogprob &lp : r.logprobs) o.logprobs.push_back({lp.token_id, lp.logprob});
        EXPECT_EQ(o.completion_tokens, static_cast<int32_t>(o.tokens.size()));
        out.push_back(std::move(o));
    }
    if (retracted != nullptr) {
        // Prompts are at most 19 tokens: a prefill chunk reaching past that recomputes a
        // retracted request's prompt and generated tokens.
        *retracted = false;
        for (const auto &step : fake.steps())
            for (const auto &slice : step) *retracted |= slice.query_len > 1 && slice.context_len + slice.query_len > 19;
    }
    return out;
}

TEST(OverlapLoop, OutputsAreIdenticalWithAndWithoutOverlapUnderEitherPolicy) {
    bool overlapped = false, sync_overlapped = true, retracted = false;
    const auto reference = run_workload(false, false, &sync_overlapped, &retracted);
    EXPECT_FALSE(sync_overlapped);
    EXPECT_TRUE(retracted) << "the KV pool should be too small for the workload";
    int stops = 0, lengths = 0;
    for (const Outcome &o : reference) (o.reason == FinishReason::stop ? stops : lengths) += 1;
    EXPECT_GT(stops, 0) << "the workload should end some requests on EOS / stop tokens";
    EXPECT_GT(lengths, 0);
    EXPECT_EQ(run_workload(true, false, &overlapped, &retracted), reference);
    EXPECT_TRUE(overlapped);
    EXPECT_TRUE(retracted);
    EXPECT_EQ(run_workload(false, true), reference);
    EXPECT_EQ(run_workload(true, true), reference);
}

TEST(OverlapLoop, NextStepIsLaunchedBeforeThePreviousIsWaitedFor) {
    FakeRunner fake(kVocab, 1, 1024, 512, std::chrono::microseconds(500));
    ProbeRunner probe(fake);
    SchedulerConfig cfg;
    auto s = testing::make_scheduler(probe, cfg);
    ASSERT_TRUE(s->overlap());
    RecordingClient c(*s);
    std::vector<RequestId> ids;
    for (int i = 0; i < 3; ++i) ids.push_back(c.submit(prompt_of(i, 5 + i), greedy_params(20)));
    SamplingParams lp = greedy_params(3);
    lp.logprobs = true;  // needs logits on the host: a synchronous step in between
    const RequestId with_logprobs = c.submit(prompt_of(9, 4), lp);
    for (size_t i = 0; i < ids.size(); ++i)
        EXPECT_EQ(c.wait(ids[i]).tokens, greedy_reference(prompt_of(static_cast<int32_t>(i), 5 + static_cast<int32_t>(i)), 20, kVocab));
    EXPECT_EQ(c.wait(with_logprobs).tokens, greedy_reference(prompt_of(9, 4), 3, kVocab));
    s->shutdown(std::chrono::milliseconds(0));

    int overlapped = 0;
    StepTicket expected_wait = 1, last_launch = 0;
    bool in_order = true;
    for (size_t k = 0; k < probe.events.size(); ++k) {
        const auto [kind, ticket] = probe.events[k];
        if (kind == 'l') {
            if (ticket > expected_wait) ++overlapped;  // launched while an earlier step was not waited for
            last_launch = ticket;
        } else if (kind == 'w') {
            in_order = in_order && ticket == expected_wait;
            ++expected_wait;
        } else if (kind == 'f') {
            in_order = in_order && expected_wait == last_launch + 1;  // nothing in flight
        }
    }
    EXPECT_TRUE(in_order) << "every launch is waited for once, in order, and none is in flight during forward()";
    EXPECT_EQ(expected_wait, last_launch + 1);
    EXPECT_GT(overlapped, 10);
    EXPECT_GT(probe.launched_pending, 10) << "decode steps should name the previous step's tokens";
}

// A device sampler that waits for its tokens (the CUDA backend) runs on the worker thread: the
// loop overlaps, pending tokens are resolved before they reach the runner, results are unchanged.
TEST(OverlapLoop, ASynchronousDeviceSamplerRunsOnTheWorker) {
    FakeRunner fake(kVocab, 1, 256, 512);
    SyncSamplingRunner runner(fake);
    auto s = testing::make_scheduler(runner, SchedulerConfig{});
    EXPECT_TRUE(s->overlap());
    RecordingClient c(*s);
    const auto prompt = prompt_of(4, 7);
    EXPECT_EQ(c.wait(c.submit(prompt, greedy_params(10))).tokens, greedy_reference(prompt, 10, kVocab));
}

TEST(OverlapLoop, EosEndsTheRequestAndItsDroppedStepFreesEverything) {
    FakeRunner fake(kVocab, 1, 128, 512, std::chrono::microseconds(300));
    const auto prompt = prompt_of(7, 5);
    const auto ref = greedy_reference(prompt, 10, kVocab);
    SchedulerConfig cfg;
    cfg.eos_token_ids = {ref[4]};
    cfg.disable_radix_cache = true;
    auto s = testing::make_scheduler(fake, cfg);
    ASSERT_TRUE(s->overlap());
    RecordingClient c(*s);
    const testing::Received r = c.wait(c.submit(prompt, greedy_params(10)));
    EXPECT_EQ(r.tokens, std::vector<int32_t>(ref.begin(), ref.begin() + 5));
    EXPECT_EQ(r.last.finish_reason, FinishReason::stop);
    s->shutdown(std::chrono::seconds(1));
    EXPECT_EQ(s->metrics().num_free_pages, 128);
    EXPECT_EQ(s->metrics().generation_tokens_total, 5u);
}

} // namespace
} // namespace slipway::engine
