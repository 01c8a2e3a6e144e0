// slipway-engine under load: more requests than --max-running-requests (all complete, admitted in
// arrival order), a client that disconnects mid-stream (its KV pages are freed at once, seen in
// /metrics), and SIGTERM during load (exit 0 within the bound; every stream ends cleanly).
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "engine_process.h"

namespace slipway::test {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

json stream_request(int max_new_tokens, const std::string &text = "Tell me a story") {
    return {{"text", text},
            {"stream", true},
            {"sampling_params", {{"max_new_tokens", max_new_tokens}, {"temperature", 0}, {"ignore_eos", true}}}};
}

struct StreamResult {
    Clock::time_point first_event{};
    Clock::time_point end{};
    int tokens = 0;
    std::string finish_type;
    bool done = false;
    bool clean = false;
};

StreamResult run_stream(int port, const json &req) {
    StreamResult r;
    SseStream s(port, "/generate", req.dump());
    if (s.status() != 200) return r;
    while (auto e = s.next()) {
        if (*e == "[DONE]") {
            r.done = true;
            continue;
        }
        const json j = json::parse(*e);
        if (j.contains("error")) {
            r.finish_type = "error";
            continue;
        }
        if (r.first_event == Clock::time_point{}) r.first_event = Clock::now();
        r.tokens = static_cast<int>(j["output_ids"].size());
        if (!j["meta_info"]["finish_reason"].is_null()) r.finish_type = j["meta_info"]["finish_reason"]["type"];
    }
    r.end = Clock::now();
    r.clean = s.ended_cleanly();
    return r;
}

TEST(ServerLifecycle, RequestsAboveMaxRunningAllCompleteInAdmissionOrder) {
    EngineProcess engine({"--max-running-requests", "2", "--max-total-tokens", "8192", "--enable-metrics"});
    ASSERT_TRUE(engine.wait_ready(std::chrono::seconds(30))) << engine.log();
    constexpr int kRequests = 6;
    constexpr int kTokens = 24;
    std::vector<StreamResult> results(kRequests);
    std::vector<std::thread> threads;
    for (int i = 0; i < kRequests; ++i) {
        threads.emplace_back([&, i] { results[i] = run_stream(engine.port(), stream_request(kTokens, "story " + std::to_string(i))); });
        std::this_thread::sleep_for(std::chrono::milliseconds(40));  // fixes the arrival order
    }
    // While they run, the queue holds what does not fit.
    const HttpResponse m = http_get(engine.port(), "/metrics");
    EXPECT_LE(*metric_value(m.body, "num_running_reqs"), 2.0);
    for (auto &t : threads) t.join();
    for (int i = 0; i < kRequests; ++i) {
        EXPECT_EQ(results[i].tokens, kTokens) << "request " << i;
        EXPECT_EQ(results[i].finish_type, "length") << "request " << i;
        EXPECT_TRUE(results[i].done && results[i].clean) << "request " << i;
    }
    // FIFO admission: first tokens come in arrival order, and request k (k >= 2) starts only
    // after an earlier one finished (at most two run at once).
    for (int i = 1; i < kRequests; ++i) {
        EXPECT_LE(results[i - 1].first_event, results[i].first_event) << "request " << i << " overtook " << i - 1;
    }
    for (int i = 2; i < kRequests; ++i) {
        Clock::time_point earliest_end = Clock::time_point::max();
        for (int k = 0; k < i; ++k) earliest_end = std::min(earliest_end, results[k].end);
        EXPECT_GE(results[i].first_event + std::chrono::milliseconds(20), earliest_end) << "request " << i;
    }
}

TEST(ServerLifecycle, ClientDisconnectFreesItsPages) {
    EngineProcess engine({"--max-total-tokens", "8192", "--enable-metrics"});
    ASSERT_TRUE(engine.wait_ready(std::chrono::seconds(30))) << engine.log();
    const auto metrics = [&] { return http_get(engine.port(), "/metrics").body; };
    {
        SseStream s(engine.port(), "/generate", stream_request(900).dump());
        ASSERT_EQ(s.status(), 200);
        for (int i = 0; i < 3; ++i) ASSERT_TRUE(s.next().has_value());
        const std::string during = metrics();
        EXPECT_GT(*metric_value(during, "num_used_tokens"), 0.0);
        EXPECT_EQ(*metric_value(during, "num_running_reqs"), 1.0);
        s.abandon();
    }
    const auto gone = Clock::now();
    // 900 tokens would take seconds; the pages must come back well before that.
    bool freed = false;
    while (Clock::now() - gone < std::chrono::seconds(3)) {
        const std::string after = metrics();
        if (*metric_value(after, "num_used_tokens") == 0.0 && *metric_value(after, "num_running_reqs") == 0.0) {
            freed = true;
            EXPECT_EQ(*metric_value(after, "token_usage"), 0.0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_TRUE(freed) << metrics();
    const std::string after = metrics();
    EXPECT_LT(*metric_value(after, "generation_tokens_total"), 850.0) << "the request ran to its end";
    // And the server goes on serving.
    EXPECT_EQ(http_post(engine.port(), "/generate", json{{"text", "hi"}, {"sampling_params", {{"max_new_tokens", 2}}}}.dump())
                  .status,
              200);
}

TEST(ServerLifecycle, SigtermDuringLoadExitsZeroWithinTheBound) {
    // A short grace keeps the long request (~2 ms a token on a fast CPU) certain to outlast it.
    EngineProcess engine({"--max-total-tokens", "8192", "--graceful-shutdown-timeout", "0.5"});
    ASSERT_TRUE(engine.wait_ready(std::chrono::seconds(30))) << engine.log();
    StreamResult short_one, long_one;
    std::thread t1([&] { short_one = run_stream(engine.port(), stream_request(30, "short")); });
    std::thread t2([&] { long_one = run_stream(engine.port(), stream_request(900, "long")); });
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    const auto sent = Clock::now();
    engine.signal(SIGTERM);
    const int code = engine.wait_exit(std::chrono::seconds(8));
    const double took = std::chrono::duration<double>(Clock::now() - sent).count();
    t1.join();
    t2.join();
    EXPECT_EQ(code, 0) << engine.log();
    EXPECT_LT(took, 0.5 + 2.5) << "bound: --graceful-shutdown-timeout + 2 s to close connections";
    // The short request finished within the grace period; the long one was aborted. Both streams
    // ended with [DONE] and a proper end of the chunked response.
    EXPECT_EQ(short_one.finish_type, "length");
    EXPECT_EQ(short_one.tokens, 30);
    EXPECT_TRUE(short_one.done && short_one.clean);
    EXPECT_EQ(long_one.finish_type, "abort");
    EXPECT_LT(long_one.tokens, 900);
    EXPECT_TRUE(long_one.done && long_one.clean);
    // Nothing listens any more.
    EXPECT_THROW(http_get(engine.port(), "/health"), std::exception);
}

} // namespace
} // namespace slipway::test
