// The output thread (runtime/detokenizer.h): detokenization and delivery off the scheduler loop.
// Streamed text deltas must be exactly what the loop used to produce (TextStream per token, flush
// at the end), stop strings must still end requests at the same token, and every request must
// get all its outputs, in order, with the finished one last.
#include <gtest/gtest.h>

#include <set>

#include "fake_runner.h"
#include "runtime/detokenizer.h"
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

// Ids as bytes: id % 8 == 0 is a UTF-8 lead byte (0xC3), id % 8 == 1 a continuation byte
// (0xA9), the rest letters. Incomplete or invalid sequences decode to U+FFFD, as a byte-level
// tokenizer's decode does, so text is held back while a character is incomplete.
std::string byte_decode(const std::vector<int32_t> &ids) {
    std::string bytes;
    for (int32_t id : ids) bytes += id % 8 == 0 ? '\xC3' : id % 8 == 1 ? '\xA9' : static_cast<char>('a' + id % 26);
    std::string out;
    for (size_t i = 0; i < bytes.size();) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c < 0x80) {
            out += bytes[i++];
        } else if (c == 0xC3 && i + 1 < bytes.size() && static_cast<unsigned char>(bytes[i + 1]) == 0xA9) {
            out += "\xC3\xA9";
            i += 2;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
    return out;
}

const DecodeFn kDecode = byte_decode;

// What the scheduler loop streamed before the output thread existed: one TextStream push per
// token (none for a stop token) and a flush with the finished output.
std::vector<std::string> reference_deltas(const std::vector<int32_t> &tokens, const std::vector<std::string> &stop,
                                          const std::vector<int32_t> &eos) {
    TextStream ts(&kDecode, stop);
    std::vector<std::string> out;
    for (int32_t t : tokens) {
        const bool stop_token = std::find(eos.begin(), eos.end(), t) != eos.end();
        out.push_back(stop_token ? std::string() : ts.push(t));
    }
    if (!out.empty()) out.back() += ts.flush();
    return out;
}

TEST(OutputThread, DeliversEachStreamInOrderOffThePushingThread) {
    Detokenizer detok;
    struct Sink {
        std::vector<StepOutput> got;
        std::set<std::thread::id> threads;
    };
    std::vector<Sink> sinks(3);
    std::vector<std::shared_ptr<OutputStream>> streams;
    for (size_t i = 0; i < sinks.size(); ++i) {
        Sink *sink = &sinks[i];
        streams.push_back(std::make_shared<OutputStream>(
            [sink](StepOutput out) {
                sink->threads.insert(std::this_thread::get_id());
                sink->got.push_back(std::move(out));
            },
            &kDecode, std::vector<std::string>{}));
    }
    std::vector<std::vector<int32_t>> tokens(3);
    for (int step = 0; step < 12; ++step) {
        std::vector<OutputItem> batch;
        for (size_t i = 0; i < streams.size(); ++i) {
            const int32_t id = static_cast<int32_t>((step * 5 + i * 3) % kVocab);
            tokens[i].push_back(id);
            StepOutput out;
            out.id = i;
            out.token_ids = {id};
            out.finished = step == 11;
            batch.push_back({streams[i], std::move(out), true});
        }
        detok.push(std::move(batch));
    }
    detok.close();
    for (size_t i = 0; i < sinks.size(); ++i) {
        ASSERT_EQ(sinks[i].got.size(), 12u) << "stream " << i;
        const auto want = reference_deltas(tokens[i], {}, {});
        std::string all;
        for (size_t k = 0; k < 12; ++k) {
            EXPECT_EQ(sinks[i].got[k].token_ids, std::vector<int32_t>{tokens[i][k]});
            EXPECT_EQ(sinks[i].got[k].text, want[k]) << "stream " << i << " output " << k;
            EXPECT_EQ(sinks[i].got[k].finished, k == 11);
            all += sinks[i].got[k].text;
        }
        EXPECT_EQ(all, byte_decode(tokens[i]));
        EXPECT_EQ(sinks[i].threads.size(), 1u);
        EXPECT_EQ(sinks[i].threads.count(std::this_thread::get_id()), 0u) << "callbacks ran on the pushing thread";
    }
}

TEST(OutputThread, TextOnTheLoopIsPassedThroughUntouched) {
    Detokenizer detok;
    std::vector<StepOutput> got;
    auto stream = std::make_shared<OutputStream>([&got](StepOutput out) { got.push_back(std::move(out)); }, &kDecode,
                                                 std::vector<std::string>{"x"});
    stream->text_on_loop = true;
    StepOutput a;
    a.token_ids = {3};
    a.text = "already decoded";
    StepOutput b;
    b.token_ids = {4};
    b.finished = true;
    detok.push({{stream, a, true}});
    detok.push({{stream, b, true}});
    detok.close();
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].text, "already decoded");
    EXPECT_EQ(got[1].text, "");
}

class OutputDeltas : public ::testing::TestWithParam<bool> {};

TEST_P(OutputDeltas, StreamedTextIsWhatTheLoopUsedToStreamWithAndWithoutStopStrings) {
    FakeRunner runner(kVocab, 1, 1024, 512);
    SchedulerConfig cfg;
    cfg.overlap_schedule = GetParam();
    cfg.decode = kDecode;
    const auto probe_prompt = prompt_of(3, 6);
    const auto probe_ref = greedy_reference(probe_prompt, 40, kVocab);
    cfg.eos_token_ids = {probe_ref[30]};  // one request ends on EOS
    auto s = testing::make_scheduler(runner, cfg);
    RecordingClient c(*s);
    for (int i = 0; i < 8; ++i) {
        const auto prompt = prompt_of(i, 4 + i);
        const auto ref = greedy_reference(prompt, 40, kVocab);
        SamplingParams p = greedy_params(40);
        std::vector<std::string> stop;
        if (i % 2 == 1) {
            // A stop string taken from the middle of this request's own text.
            const std::string text = byte_decode(ref);
            stop = {text.substr(text.size() / 2, 3)};
            p.stop = stop;
        }
        const testing::Received r = c.wait(c.submit(prompt, p));
        // The tokens the request should have produced: up to EOS, or up to the token that
        // completes the stop string.
        std::vector<int32_t> want;
        TextStream ts(&kDecode, stop);
        bool stopped_by_string = false;
        for (int32_t t : ref) {
            want.push_back(t);
            if (t == cfg.eos_token_ids[0]) break;
            ts.push(t);
            if ((stopped_by_string = ts.stopped())) break;
        }
        EXPECT_EQ(r.tokens, want) << "request " << i;
        const auto deltas = reference_deltas(want, stop, cfg.eos_token_ids);
        ASSERT_EQ(r.outputs.size(), deltas.size()) << "request " << i;
        for (size_t k = 0; k < deltas.size(); ++k) {
            EXPECT_EQ(r.outputs[k].text, deltas[k]) << "request " << i << " output " << k;
            EXPECT_EQ(r.outputs[k].usage.completion_tokens, static_cast<int32_t>(k + 1));
        }
        if (stopped_by_string) {
            EXPECT_EQ(r.last.matched_stop_string, stop[0]) << "request " << i;
            EXPECT_EQ(r.last.finish_reason, FinishReason::stop);
        }
    }
}

TEST_P(OutputDeltas, ManyConcurrentRequestsGetEveryOutputOnceInOrder) {
    FakeRunner runner(kVocab, 2, 512, 512);
    SchedulerConfig cfg;
    cfg.overlap_schedule = GetParam();
    cfg.decode = kDecode;
    cfg.max_running_requests = 6;
    cfg.chunked_prefill_size = 16;
    auto s = testing::make_scheduler(runner, cfg);
    RecordingClient c(*s);
    std::vector<RequestId> ids;
    for (int i = 0; i < 40; ++i) ids.push_back(c.submit(prompt_of(i, 3 + i % 20), greedy_params(5 + i % 13)));
    for (size_t i = 0; i < ids.size(); ++i) {
        const auto prompt = prompt_of(static_cast<int32_t>(i), 3 + static_cast<int32_t>(i) % 20);
        const auto ref = greedy_reference(prompt, 5 + static_cast<int>(i) % 13, kVocab);
        const testing::Received r = c.wait(ids[i]);
        EXPECT_EQ(r.tokens, ref) << "request " << i;
        EXPECT_EQ(r.text, byte_decode(ref)) << "request " << i;
        ASSERT_EQ(r.outputs.size(), ref.size());
        for (size_t k = 0; k < r.outputs.size(); ++k) {
            EXPECT_EQ(r.outputs[k].token_ids.size(), 1u);
            EXPECT_EQ(r.outputs[k].finished, k + 1 == r.outputs.size());
        }
        EXPECT_EQ(r.last.finish_reason, FinishReason::length);
    }
    const auto threads = c.callback_threads();
    const std::set<std::thread::id> distinct(threads.begin(), threads.end());
    EXPECT_EQ(distinct.size(), 1u) << "one output thread calls every request back";
    EXPECT_EQ(distinct.count(std::this_thread::get_id()), 0u);
}

INSTANTIATE_TEST_SUITE_P(Overlap, OutputDeltas, ::testing::Values(false, true),
                         [](const auto &info) { return info.param ? "overlap" : "sync"; });

} // namespace
} // namespace slipway::engine
