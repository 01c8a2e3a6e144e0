// slipway-engine's scheduling flags end to end on the tiny CPU model: the start-up log states
// the policy (--chunked-prefill-size derived for the CPU, --enable-mixed-chunk,
// --num-continuous-decode-steps, --disable-overlap-schedule), and the outputs of concurrent
// requests (greedy and seeded sampling) are the same with overlap scheduling and alternating
// steps as without overlap, with mixed steps and small prompt chunks.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "engine_process.h"

namespace slipway::test {
namespace {

using nlohmann::json;

std::vector<json> run_requests(int port) {
    std::vector<json> requests;
    for (int i = 0; i < 8; ++i) {
        json sp = {{"max_new_tokens", 10 + 3 * i}, {"ignore_eos", true}};
        if (i % 2 == 0) {
            sp["temperature"] = 0;
        } else {
            sp["temperature"] = 0.8;
            sp["sampling_seed"] = 100 + i;
        }
        std::string text = "Request number " + std::to_string(i) + ":";
        for (int k = 0; k < i * 7; ++k) text += " and more words";  // prompts of different lengths
        requests.push_back({{"text", text}, {"sampling_params", sp}});
    }
    std::vector<json> results(requests.size());
    std::vector<std::thread> threads;
    for (size_t i = 0; i < requests.size(); ++i) {
        threads.emplace_back([&, i] {
            const HttpResponse r = http_post(port, "/generate", requests[i].dump());
            results[i] = r.status == 200 ? r.json() : json{{"status", r.status}, {"body", r.body}};
        });
    }
    for (auto &t : threads) t.join();
    return results;
}

TEST(ServerSchedule, OverlapAndPolicyFlagsChangeTimingNotOutputs) {
    EngineProcess overlapped({"--max-total-tokens", "8192", "--context-length", "512"});
    ASSERT_TRUE(overlapped.wait_ready(std::chrono::seconds(30))) << overlapped.log();
    EXPECT_NE(overlapped.log().find("scheduling: chunked prefill 2048 tokens/step"), std::string::npos)
        << overlapped.log();
    EXPECT_NE(overlapped.log().find("prefill and decode steps alternate"), std::string::npos) << overlapped.log();
    EXPECT_NE(overlapped.log().find("overlap on"), std::string::npos) << overlapped.log();
    const std::vector<json> a = run_requests(overlapped.port());

    EngineProcess sync({"--max-total-tokens", "8192", "--context-length", "512", "--disable-overlap-schedule",
                        "--enable-mixed-chunk", "--chunked-prefill-size", "16"});
    ASSERT_TRUE(sync.wait_ready(std::chrono::seconds(30))) << sync.log();
    EXPECT_NE(sync.log().find("scheduling: chunked prefill 16 tokens/step"), std::string::npos) << sync.log();
    EXPECT_NE(sync.log().find("mixed prefill+decode steps"), std::string::npos) << sync.log();
    EXPECT_NE(sync.log().find("overlap off"), std::string::npos) << sync.log();
    const std::vector<json> b = run_requests(sync.port());

    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
        ASSERT_TRUE(a[i].contains("output_ids")) << a[i].dump();
        ASSERT_TRUE(b[i].contains("output_ids")) << b[i].dump();
        EXPECT_EQ(a[i]["output_ids"].size(), 10u + 3u * i);
        EXPECT_EQ(a[i]["output_ids"], b[i]["output_ids"]) << "request " << i;
        EXPECT_EQ(a[i]["text"], b[i]["text"]) << "request " << i;
        EXPECT_EQ(a[i]["meta_info"]["completion_tokens"], b[i]["meta_info"]["completion_tokens"]);
    }
}

TEST(ServerSchedule, BadSchedulingFlagsAreRefusedWithTheFlagNamed) {
    EngineProcess zero({"--chunked-prefill-size", "0"});
    EXPECT_EQ(zero.wait_exit(std::chrono::seconds(10)), 2);
    EXPECT_NE(zero.log().find("--chunked-prefill-size"), std::string::npos) << zero.log();
    EngineProcess steps({"--num-continuous-decode-steps", "0"});
    EXPECT_EQ(steps.wait_exit(std::chrono::seconds(10)), 2);
    EXPECT_NE(steps.log().find("--num-continuous-decode-steps"), std::string::npos) << steps.log();
}

} // namespace
} // namespace slipway::test
