// slipway-engine over raw HTTP: SGLang's /generate (plain and streamed), /health_generate,
// /metrics, /get_model_info, the prefix cache seen through cached_tokens, and every error case
// answered with the OpenAI error object while the server keeps serving.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "engine_process.h"

namespace slipway::test {
namespace {

using nlohmann::json;

class ServerHttp : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        engine_ = new EngineProcess({"--enable-metrics", "--max-total-tokens", "8192", "--context-length", "512",
                                     "--api-key", "sk-test", "--served-model-name", "tiny-qwen2", "--log-requests"});
        ASSERT_TRUE(engine_->wait_ready(std::chrono::seconds(30))) << engine_->log();
    }
    static void TearDownTestSuite() {
        delete engine_;
        engine_ = nullptr;
    }
    static int port() { return engine_->port(); }
    static std::map<std::string, std::string> auth() { return {{"Authorization", "Bearer sk-test"}}; }

    // Checks the OpenAI error shape and returns the error object.
    static json expect_error(const HttpResponse &r, int status) {
        EXPECT_EQ(r.status, status) << r.body;
        json j = json::parse(r.body, nullptr, false);
        EXPECT_TRUE(j.is_object() && j.contains("error")) << r.body;
        if (!j.is_object() || !j.contains("error")) return json::object();
        const json &e = j["error"];
        EXPECT_TRUE(e["message"].is_string() && !e["message"].get<std::string>().empty()) << r.body;
        EXPECT_TRUE(e["type"].is_string()) << r.body;
        EXPECT_TRUE(e.contains("param")) << r.body;
        EXPECT_TRUE(e.contains("code")) << r.body;
        return e;
    }

    static EngineProcess *engine_;
};

EngineProcess *ServerHttp::engine_ = nullptr;

TEST_F(ServerHttp, GenerateReturnsTextIdsAndMetaInfo) {
    const json req = {{"text", "The capital of France is"},
                      {"sampling_params", {{"max_new_tokens", 6}, {"temperature", 0}, {"ignore_eos", true}}}};
    const HttpResponse r = http_post(port(), "/generate", req.dump(), auth());
    ASSERT_EQ(r.status, 200) << r.body;
    const json j = r.json();
    EXPECT_EQ(j["output_ids"].size(), 6u);
    EXPECT_TRUE(j["text"].is_string());
    const json &meta = j["meta_info"];
    EXPECT_GT(meta["prompt_tokens"].get<int>(), 0);
    EXPECT_EQ(meta["completion_tokens"], 6);
    EXPECT_EQ(meta["finish_reason"]["type"], "length");
    EXPECT_TRUE(meta["cached_tokens"].is_number_integer());
    EXPECT_GT(meta["e2e_latency"].get<double>(), 0.0);

    // Greedy decoding is deterministic: the same request gives the same ids.
    const HttpResponse again = http_post(port(), "/generate", req.dump(), auth());
    EXPECT_EQ(again.json()["output_ids"], j["output_ids"]);
}

TEST_F(ServerHttp, GenerateStreamsCumulativeTextAndEndsWithDone) {
    const json req = {{"input_ids", {9707, 11, 1879}},
                      {"stream", true},
                      {"sampling_params", {{"max_new_tokens", 5}, {"temperature", 0}, {"ignore_eos", true}}}};
    SseStream s(port(), "/generate", req.dump(), auth());
    ASSERT_EQ(s.status(), 200);
    std::vector<json> events;
    bool done = false;
    while (auto e = s.next()) {
        if (*e == "[DONE]") {
            done = true;
            continue;
        }
        events.push_back(json::parse(*e));
    }
    EXPECT_TRUE(done);
    EXPECT_TRUE(s.ended_cleanly());
    ASSERT_GE(events.size(), 5u);
    EXPECT_EQ(events.back()["output_ids"].size(), 5u);
    EXPECT_EQ(events.back()["meta_info"]["finish_reason"]["type"], "length");
    EXPECT_TRUE(events.front()["meta_info"]["finish_reason"].is_null());
    // Non-incremental (SGLang's default): each event holds the output so far.
    for (size_t i = 1; i < events.size(); ++i) {
        EXPECT_GE(events[i]["output_ids"].size(), events[i - 1]["output_ids"].size());
    }
    // The same request without streaming produces the same tokens.
    json plain = req;
    plain["stream"] = false;
    EXPECT_EQ(http_post(port(), "/generate", plain.dump(), auth()).json()["output_ids"], events.back()["output_ids"]);
}

TEST_F(ServerHttp, SharedPrefixIsServedFromTheCache) {
    std::vector<int> prefix;
    for (int i = 0; i < 120; ++i) prefix.push_back(1000 + i * 7);
    json first = {{"input_ids", prefix}, {"sampling_params", {{"max_new_tokens", 2}, {"temperature", 0}}}};
    const HttpResponse r1 = http_post(port(), "/generate", first.dump(), auth());
    ASSERT_EQ(r1.status, 200) << r1.body;
    std::vector<int> longer = prefix;
    for (int i = 0; i < 10; ++i) longer.push_back(5000 + i);
    json second = {{"input_ids", longer}, {"sampling_params", {{"max_new_tokens", 2}, {"temperature", 0}}}};
    const HttpResponse r2 = http_post(port(), "/generate", second.dump(), auth());
    ASSERT_EQ(r2.status, 200) << r2.body;
    EXPECT_GE(r2.json()["meta_info"]["cached_tokens"].get<int>(), 120) << r2.body;
    EXPECT_EQ(r2.json()["meta_info"]["prompt_tokens"], 130);
}

TEST_F(ServerHttp, HealthEndpointsAndModelInfo) {
    EXPECT_EQ(http_get(port(), "/health").status, 200);
    EXPECT_EQ(http_get(port(), "/health_generate").status, 200);
    const HttpResponse info = http_request(port(), "GET", "/get_model_info", {}, auth());
    ASSERT_EQ(info.status, 200) << info.body;
    const json j = info.json();
    EXPECT_EQ(j["model_path"], tiny_model_dir());
    EXPECT_EQ(j["served_model_name"], "tiny-qwen2");
    EXPECT_EQ(j["max_context_length"], 512);
    EXPECT_EQ(j["max_total_num_tokens"], 8192);
    EXPECT_EQ(j["device"], "cpu");
    EXPECT_TRUE(j["version"].is_string());
}

TEST_F(ServerHttp, MetricsUseSglangNamesAndHistograms) {
    const json req = {{"text", "metrics"}, {"sampling_params", {{"max_new_tokens", 3}, {"temperature", 0}}}};
    ASSERT_EQ(http_post(port(), "/generate", req.dump(), auth()).status, 200);
    const HttpResponse m = http_get(port(), "/metrics");  // open without the key, like SGLang
    ASSERT_EQ(m.status, 200);
    EXPECT_NE(m.headers.at("content-type").find("text/plain"), std::string::npos);
    for (const char *name : {"num_running_reqs", "num_queue_reqs", "num_used_tokens", "token_usage", "gen_throughput",
                             "cache_hit_rate", "max_total_num_tokens", "prompt_tokens_total", "generation_tokens_total",
                             "num_requests_total"}) {
        EXPECT_TRUE(metric_value(m.body, name).has_value()) << name;
    }
    EXPECT_EQ(metric_value(m.body, "max_total_num_tokens"), 8192.0);
    EXPECT_GE(*metric_value(m.body, "num_requests_total"), 1.0);
    EXPECT_GE(*metric_value(m.body, "generation_tokens_total"), 3.0);
    for (const char *h : {"time_to_first_token_seconds", "inter_token_latency_seconds", "e2e_request_latency_seconds"}) {
        const std::string base = std::string("sglang:") + h;
        EXPECT_NE(m.body.find("# TYPE " + base + " histogram"), std::string::npos) << h;
        EXPECT_NE(m.body.find(base + "_bucket{model_name=\"tiny-qwen2\",le=\"+Inf\"}"), std::string::npos) << h;
        EXPECT_TRUE(metric_value(m.body, std::string(h) + "_sum").has_value()) << h;
        EXPECT_GE(*metric_value(m.body, std::string(h) + "_count"), 1.0) << h;
    }
}

TEST_F(ServerHttp, BadKeyIs401AndHealthStaysOpen) {
    const json req = {{"text", "x"}, {"sampling_params", {{"max_new_tokens", 1}}}};
    const json e = expect_error(http_post(port(), "/generate", req.dump()), 401);
    EXPECT_EQ(e["code"], "invalid_api_key");
    expect_error(http_post(port(), "/generate", req.dump(), {{"Authorization", "Bearer wrong"}}), 401);
    expect_error(http_request(port(), "GET", "/v1/models", {}, {{"Authorization", "Bearer sk-tes"}}), 401);
    EXPECT_EQ(http_get(port(), "/health").status, 200);
    EXPECT_EQ(http_request(port(), "GET", "/v1/models", {}, auth()).status, 200);
}

TEST_F(ServerHttp, MalformedAndMistypedRequestsAre400) {
    expect_error(http_post(port(), "/v1/completions", "{\"prompt\": \"x\",", auth()), 400);
    expect_error(http_post(port(), "/v1/completions", "[1, 2]", auth()), 400);
    json e = expect_error(http_post(port(), "/v1/completions",
                                    json{{"prompt", "x"}, {"max_tokens", "ten"}}.dump(), auth()), 400);
    EXPECT_EQ(e["param"], "max_tokens");
    e = expect_error(http_post(port(), "/v1/completions", json{{"prompt", "x"}, {"temperature", -1}}.dump(), auth()), 400);
    EXPECT_NE(e["message"].get<std::string>().find("temperature"), std::string::npos);
    e = expect_error(http_post(port(), "/generate",
                               json{{"text", "x"}, {"sampling_params", {{"max_new_tokenz", 3}}}}.dump(), auth()), 400);
    EXPECT_NE(e["message"].get<std::string>().find("max_new_tokenz"), std::string::npos);
    expect_error(http_post(port(), "/generate", json{{"sampling_params", {{"max_new_tokens", 3}}}}.dump(), auth()), 400);
    e = expect_error(http_post(port(), "/v1/chat/completions", json{{"messages", json::array()}}.dump(), auth()), 400);
    EXPECT_EQ(e["param"], "messages");
    expect_error(http_post(port(), "/v1/chat/completions", json{{"messages", "hi"}}.dump(), auth()), 400);
    expect_error(http_post(port(), "/v1/chat/completions",
                           json{{"messages", {{{"role", "wizard"}, {"content", "hi"}}}}}.dump(), auth()), 400);
    // Still serving.
    EXPECT_EQ(http_post(port(), "/v1/completions", json{{"prompt", "ok"}, {"max_tokens", 2}}.dump(), auth()).status, 200);
}

TEST_F(ServerHttp, UnknownModelIs404) {
    const json e = expect_error(
        http_post(port(), "/v1/completions", json{{"model", "gpt-9"}, {"prompt", "x"}}.dump(), auth()), 404);
    EXPECT_EQ(e["code"], "model_not_found");
    EXPECT_EQ(http_post(port(), "/v1/completions",
                        json{{"model", "tiny-qwen2"}, {"prompt", "x"}, {"max_tokens", 1}}.dump(), auth()).status,
              200);
    expect_error(http_request(port(), "GET", "/v2/nothing", {}, auth()), 404);
    expect_error(http_request(port(), "GET", "/generate", {}, auth()), 405);
}

TEST_F(ServerHttp, ContextLimitsAre400ContextLengthExceeded) {
    // max_tokens beyond the context (512).
    json e = expect_error(
        http_post(port(), "/v1/completions", json{{"prompt", "hello"}, {"max_tokens", 5000}}.dump(), auth()), 400);
    EXPECT_EQ(e["code"], "context_length_exceeded");
    // A prompt longer than --context-length.
    std::vector<int> ids(600, 1234);
    e = expect_error(http_post(port(), "/v1/completions", json{{"prompt", ids}, {"max_tokens", 1}}.dump(), auth()), 400);
    EXPECT_EQ(e["code"], "context_length_exceeded");
    e = expect_error(http_post(port(), "/generate", json{{"input_ids", ids}}.dump(), auth()), 400);
    EXPECT_EQ(e["code"], "context_length_exceeded");
    // Token ids outside the vocabulary.
    expect_error(http_post(port(), "/generate", json{{"input_ids", {1, 999999}}}.dump(), auth()), 400);
}

TEST_F(ServerHttp, ChatTemplateErrorIs400) {
    // The Qwen3 template loops over tool_calls; a number there is an evaluation error (as in
    // @huggingface/jinja: "Expected iterable ... in for loop").
    const json messages = {{{"role", "user"}, {"content", "hi"}},
                           {{"role", "assistant"}, {"content", "x"}, {"tool_calls", 5}}};
    const json e = expect_error(
        http_post(port(), "/v1/chat/completions", json{{"messages", messages}, {"max_tokens", 2}}.dump(), auth()), 400);
    EXPECT_NE(e["message"].get<std::string>().find("chat template"), std::string::npos) << e.dump();
    // A valid conversation right after works.
    EXPECT_EQ(http_post(port(), "/v1/chat/completions",
                        json{{"messages", {{{"role", "user"}, {"content", "hi"}}}}, {"max_tokens", 2}}.dump(), auth())
                  .status,
              200);
}

TEST_F(ServerHttp, OversizedBodyIs413) {
    std::string huge = "{\"prompt\": \"" + std::string(33u << 20, 'a') + "\"}";
    HttpResponse r;
    try {
        r = http_post(port(), "/v1/completions", huge, auth());
    } catch (const std::exception &) {
        GTEST_SKIP() << "the server closed the connection before the client finished sending";
    }
    expect_error(r, 413);
}

TEST_F(ServerHttp, CompletionsWithTokenPromptLogprobsAndStop) {
    const json req = {{"prompt", {9707, 11, 1879}}, {"max_tokens", 4}, {"temperature", 0},
                      {"logprobs", 2},             {"ignore_eos", true}};
    const HttpResponse r = http_post(port(), "/v1/completions", req.dump(), auth());
    ASSERT_EQ(r.status, 200) << r.body;
    const json j = r.json();
    EXPECT_EQ(j["object"], "text_completion");
    EXPECT_EQ(j["usage"]["completion_tokens"], 4);
    EXPECT_EQ(j["usage"]["prompt_tokens"], 3);
    const json &lp = j["choices"][0]["logprobs"];
    ASSERT_EQ(lp["token_logprobs"].size(), 4u);
    ASSERT_EQ(lp["top_logprobs"].size(), 4u);
    EXPECT_EQ(lp["top_logprobs"][0].size(), 2u);
    for (const json &v : lp["token_logprobs"]) EXPECT_LE(v.get<double>(), 0.0);
    // A stop string taken from the greedy output ends it early, and is trimmed.
    const std::string text = j["choices"][0]["text"];
    const size_t at = text.find_last_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
    if (at != std::string::npos) {
        const std::string stop = text.substr(at, 1);
        json stop_req = req;
        stop_req.erase("logprobs");
        stop_req["stop"] = json::array({stop});
        const json s = http_post(port(), "/v1/completions", stop_req.dump(), auth()).json();
        EXPECT_EQ(s["choices"][0]["finish_reason"], "stop") << s.dump();
        EXPECT_EQ(s["choices"][0]["text"].get<std::string>().find(stop), std::string::npos) << s.dump();
    }
}

} // namespace
} // namespace slipway::test
