#pragma once
// Test support for the scheduler, scheduling-policy, overlap and output-thread tests: submits
// requests and keeps every StepOutput each one received, in arrival order, with the thread it
// arrived on and the order in which requests produced their first token.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "runtime/output_channel.h"
#include "runtime/scheduler.h"

namespace slipway::engine::testing {

using namespace std::chrono_literals;

struct Received {
    std::vector<StepOutput> outputs;  // every push, in order
    std::vector<int32_t> tokens;      // all token ids
    std::string text;                 // all text
    std::vector<TokenLogprob> logprobs;
    StepOutput last;                  // the finished one
};

class RecordingClient {
public:
    explicit RecordingClient(Scheduler &s) : s_(s) {}

    RequestId submit(std::vector<int32_t> prompt, SamplingParams params) {
        auto channel = OutputChannel::create();
        GenerateRequest req;
        req.prompt_ids = std::move(prompt);
        req.sampling = std::move(params);
        req.on_output = [this, channel](StepOutput out) {
            {
                std::lock_guard lock(mutex_);
                callback_threads_.push_back(std::this_thread::get_id());
                if (!out.token_ids.empty() && seen_first_.insert(out.id).second) first_token_order_.push_back(out.id);
            }
            channel->push(std::move(out));
        };
        SubmitResult r = s_.submit(std::move(req));
        EXPECT_TRUE(r.ok()) << r.message;
        channels_[r.id] = channel;
        return r.id;
    }

    // Pops up to `n` outputs (the first tokens) without waiting for the end.
    Received take(RequestId id, int n) {
        Received res;
        for (int i = 0; i < n; ++i) {
            auto out = channels_.at(id)->pop_for(10s);
            if (!out) {
                ADD_FAILURE() << "request " << id << " produced nothing for 10 s";
                break;
            }
            add(res, std::move(*out));
            if (res.last.finished) break;
        }
        return res;
    }

    Received wait(RequestId id, Received res = {}) {
        while (!res.last.finished) {
            auto out = channels_.at(id)->pop_for(10s);
            if (!out) {
                ADD_FAILURE() << "request " << id << " produced nothing for 10 s";
                break;
            }
            add(res, std::move(*out));
        }
        return res;
    }

    std::vector<std::thread::id> callback_threads() {
        std::lock_guard lock(mutex_);
        return callback_threads_;
    }

    // The requests in the order their first token arrived.
    std::vector<RequestId> first_token_order() {
        std::lock_guard lock(mutex_);
        return first_token_order_;
    }

    // The request's channel, for a test that pops outputs itself.
    std::shared_ptr<OutputChannel> channel(RequestId id) { return channels_.at(id); }

private:
    static void add(Received &res, StepOutput out) {
        EXPECT_FALSE(res.last.finished) << "an output after the finished one";
        res.tokens.insert(res.tokens.end(), out.token_ids.begin(), out.token_ids.end());
        res.text += out.text;
        res.logprobs.insert(res.logprobs.end(), out.logprobs.begin(), out.logprobs.end());
        if (out.finished) res.last = out;
        res.outputs.push_back(std::move(out));
    }

    Scheduler &s_;
    std::map<RequestId, std::shared_ptr<OutputChannel>> channels_;
    std::mutex mutex_;
    std::vector<std::thread::id> callback_threads_;
    std::set<RequestId> seen_first_;
    std::vector<RequestId> first_token_order_;
};

inline std::unique_ptr<Scheduler> make_scheduler(ModelRunner &runner, SchedulerConfig cfg) {
    auto s = Scheduler::create(runner, std::move(cfg));
    EXPECT_TRUE(s.ok()) << s.message();
    return std::move(s).value();
}

inline std::vector<int32_t> test_prompt(int32_t seed, int32_t len, int64_t vocab) {
    std::vector<int32_t> p;
    for (int32_t i = 0; i < len; ++i) p.push_back(2 + (seed * 7 + i * 13) % static_cast<int32_t>(vocab - 2));
    return p;
}

inline SamplingParams greedy_params(int32_t max_new) {
    SamplingParams p;
    p.temperature = 0.0f;
    p.max_new_tokens = max_new;
    return p;
}

} // namespace slipway::engine::testing
