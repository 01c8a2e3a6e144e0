// Server parts without a model: the serve flags, the DeepSeek-R1 reasoning split, the error
// object, the not-ready answers of the API, and make-model's seeded weights.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server/api_error.h"
#include "server/api_server.h"
#include "server/reasoning_parser.h"
#include "server/scheduling_defaults.h"
#include "server/serve_options.h"
#include "server/serving_engine.h"
#include "tools/make_model.h"

namespace slipway::engine {
namespace {

using nlohmann::json;

StatusOr<ServeCommand> parse(std::vector<std::string> args) {
    return parse_serve_args(args);
}

TEST(ServeOptions, DefaultsAreSglangs) {
    auto cmd = parse({"--model-path", "/models/x"});
    ASSERT_TRUE(cmd.ok()) << cmd.message();
    const ServeOptions &o = cmd->options;
    EXPECT_EQ(o.host, "127.0.0.1");
    EXPECT_EQ(o.port, 30000);
    EXPECT_EQ(o.tp, 1);
    EXPECT_EQ(o.page_size, 1);
    EXPECT_EQ(o.watchdog_timeout, 300);
    EXPECT_FALSE(o.enable_metrics);
    EXPECT_EQ(o.model_name(), "/models/x");
    EXPECT_EQ(o.device, build_has_cuda() ? "cuda" : "cpu");
}

TEST(ServeOptions, GuideCommandLineParses) {
    // The customer's guide's SGLang command, in both spellings.
    auto cmd = parse({"--model-path", "/models/DeepSeek-R1-Distill-Qwen-7B", "--mem-fraction-static", "0.93",
                      "--torch-compile-max-bs=8", "--max-running-requests", "20", "--tp", "1", "--trust-remote-code",
                      "--host", "0.0.0.0", "--port=40000", "--reasoning-parser", "deepseek-r1", "--enable-metrics",
                      "--served-model-name", "r1", "--api-key=k", "--log-requests", "--device", "cpu",
                      "--context-length", "4096", "--chunked-prefill-size", "-1", "--disable-radix-cache"});
    ASSERT_TRUE(cmd.ok()) << cmd.message();
    const ServeOptions &o = cmd->options;
    EXPECT_DOUBLE_EQ(*o.mem_fraction_static, 0.93);
    EXPECT_EQ(o.cuda_graph_max_bs, 8);
    EXPECT_EQ(o.max_running_requests, 20);
    EXPECT_TRUE(o.trust_remote_code);
    EXPECT_EQ(o.host, "0.0.0.0");
    EXPECT_EQ(o.port, 40000);
    EXPECT_EQ(o.reasoning_parser, "deepseek-r1");
    EXPECT_EQ(o.model_name(), "r1");
    EXPECT_EQ(o.api_key, "k");
    EXPECT_EQ(o.context_length, 4096);
    EXPECT_EQ(o.chunked_prefill_size, -1);
    EXPECT_TRUE(o.disable_radix_cache);
}

TEST(ServeOptions, SchedulingFlags) {
    auto defaults = parse({"--model-path", "m"});
    ASSERT_TRUE(defaults.ok()) << defaults.message();
    EXPECT_EQ(defaults->options.chunked_prefill_size, 0);  // unset: derived from the device
    EXPECT_FALSE(defaults->options.enable_mixed_chunk);
    EXPECT_EQ(defaults->options.num_continuous_decode_steps, 1);
    EXPECT_FALSE(defaults->options.disable_overlap_schedule);
    auto cmd = parse({"--model-path", "m", "--chunked-prefill-size", "4096", "--max-prefill-tokens", "8192",
                      "--enable-mixed-chunk", "--num-continuous-decode-steps=3", "--disable-overlap-schedule"});
    ASSERT_TRUE(cmd.ok()) << cmd.message();
    EXPECT_EQ(cmd->options.chunked_prefill_size, 4096);
    EXPECT_EQ(cmd->options.max_prefill_tokens, 8192);
    EXPECT_TRUE(cmd->options.enable_mixed_chunk);
    EXPECT_EQ(cmd->options.num_continuous_decode_steps, 3);
    EXPECT_TRUE(cmd->options.disable_overlap_schedule);
    auto zero = parse({"--model-path", "m", "--chunked-prefill-size", "0"});
    ASSERT_FALSE(zero.ok());
    EXPECT_NE(zero.message().find("--chunked-prefill-size"), std::string::npos) << zero.message();
    EXPECT_FALSE(parse({"--model-path", "m", "--num-continuous-decode-steps", "0"}).ok());
}

TEST(SchedulingDefaults, ChunkedPrefillSizeFollowsSglangsTable) {
    constexpr int64_t gib = int64_t{1} << 30;
    EXPECT_EQ(default_chunked_prefill_size("cpu", 0), 2048);
    EXPECT_EQ(default_chunked_prefill_size("cuda", 0), 4096);         // memory unknown
    EXPECT_EQ(default_chunked_prefill_size("cuda", 24 * gib), 2048);  // A10, L4, 4090
    EXPECT_EQ(default_chunked_prefill_size("cuda", 48 * gib), 4096);  // L40S, A100 40 GB
    EXPECT_EQ(default_chunked_prefill_size("cuda", 80 * gib), 8192);  // H100
    EXPECT_EQ(default_chunked_prefill_size("cuda", 141 * gib), 8192); // H200
    EXPECT_EQ(default_chunked_prefill_size("cuda", 180 * gib), 16384);// B200
    SchedulerConfig c;
    c.chunked_prefill_size = 8192;
    EXPECT_EQ(describe_schedule(c, true), "chunked prefill 8192 tokens/step (max prefill 16384), prefill and decode "
                                          "steps alternate (1 decode step after each prefill), overlap on");
    c.enable_mixed_chunk = true;
    c.chunked_prefill_size = -1;
    EXPECT_EQ(describe_schedule(c, false),
              "chunked prefill off (max prefill 16384), mixed prefill+decode steps, overlap off");
}

TEST(ServeOptions, MultiNodeFlags) {
    auto cmd = parse({"--model-path", "m", "--tp", "2", "--dist-init-addr", "leader.lws:20000", "--nnodes", "2",
                      "--node-rank", "1", "--dist-timeout", "600"});
    ASSERT_TRUE(cmd.ok()) << cmd.message();
    EXPECT_EQ(cmd->options.nnodes, 2);
    EXPECT_EQ(cmd->options.node_rank, 1);
    EXPECT_EQ(*cmd->options.dist_timeout, 600);
    EXPECT_FALSE(parse({"--model-path", "m", "--nnodes", "2"}).ok());  // needs --dist-init-addr
    EXPECT_FALSE(parse({"--model-path", "m", "--nnodes", "2", "--node-rank", "2", "--dist-init-addr", "a:1"}).ok());
}

TEST(ServeOptions, ErrorsNameTheFlag) {
    struct Row {
        std::vector<std::string> args;
        std::string must_mention;
    };
    const std::vector<Row> rows = {
        {{"--model-path", "m", "--frobnicate"}, "--frobnicate"},
        {{"--model-path", "m", "--port", "http"}, "--port"},
        {{"--model-path", "m", "--port=70000"}, "0..65535"},
        {{"--model-path", "m", "--device", "tpu"}, "cpu, cuda"},
        {{"--model-path", "m", "--reasoning-parser", "qwen"}, "deepseek-r1"},
        {{"--model-path", "m", "--mem-fraction-static", "1.5"}, "--mem-fraction-static"},
        {{"--model-path", "m", "--dist-init-addr", "nohost"}, "HOST:PORT"},
        {{"--model-path"}, "needs a value"},
        {{"--port", "1"}, "--model-path is required"},
        {{"--model-path", "m", "--enable-metrics=maybe"}, "switch"},
        {{"--model-path", "m", "stray"}, "stray"},
    };
    for (const Row &row : rows) {
        auto cmd = parse(row.args);
        ASSERT_FALSE(cmd.ok()) << row.must_mention;
        EXPECT_NE(cmd.message().find(row.must_mention), std::string::npos) << cmd.message();
    }
}

// --random-weights is a benchmark mode of the CUDA backend on one node: elsewhere the start-up
// stops and says what to change, before reading the folder.
TEST(ServeOptions, RandomWeightsNeedTheCudaBackendOnOneNode) {
    auto cmd = parse({"--model-path", std::string(SLIPWAY_SOURCE_DIR) + "/tests/engine/fixtures/qwen2-tiny-bf16",
                      "--random-weights", "--device", "cpu"});
    ASSERT_TRUE(cmd.ok()) << cmd.message();
    EXPECT_TRUE(cmd->options.random_weights);
    auto engine = ServingEngine::create(cmd->options, [](const std::string &) {});
    ASSERT_FALSE(engine.ok());
    EXPECT_NE(engine.message().find("--random-weights"), std::string::npos) << engine.message();
    EXPECT_NE(engine.message().find("--device cuda --nnodes 1"), std::string::npos) << engine.message();
}

TEST(ServeOptions, HelpAndVersion) {
    EXPECT_EQ(parse({"--help"})->kind, ServeCommand::Kind::help);
    EXPECT_EQ(parse({"--model-path", "m", "--version"})->kind, ServeCommand::Kind::version);
    const std::string usage = serve_usage();
    for (const char *flag : {"--model-path", "--tp", "--mem-fraction-static", "--max-running-requests",
                             "--torch-compile-max-bs", "--cuda-graph-max-bs", "--chunked-prefill-size", "--context-length",
                             "--dist-init-addr", "--nnodes", "--node-rank", "--trust-remote-code", "--host", "--port",
                             "--served-model-name", "--api-key", "--enable-metrics", "--reasoning-parser",
                             "--log-requests", "--device", "--threads", "--watchdog-timeout", "--dist-timeout"}) {
        EXPECT_NE(usage.find(flag), std::string::npos) << flag;
    }
}

ReasoningDelta stream_through(const std::vector<std::string> &pieces) {
    ReasoningParser p;
    ReasoningDelta all;
    for (const std::string &piece : pieces) {
        ReasoningDelta d = p.push(piece);
        all.reasoning += d.reasoning;
        all.content += d.content;
    }
    ReasoningDelta d = p.finish();
    all.reasoning += d.reasoning;
    all.content += d.content;
    return all;
}

TEST(ReasoningParser, SplitsWithAndWithoutTheOpeningTag) {
    ReasoningDelta d = ReasoningParser::split("<think>\nLet me see.\n</think>\n\nThe answer is 4.");
    EXPECT_EQ(d.reasoning, "Let me see.");
    EXPECT_EQ(d.content, "The answer is 4.");
    // R1 distills start inside the reasoning (the template opened <think>).
    d = ReasoningParser::split("Let me see.\n</think>\n\nFour.");
    EXPECT_EQ(d.reasoning, "Let me see.");
    EXPECT_EQ(d.content, "Four.");
    // Never closed: all reasoning, as SGLang's DeepSeek-R1 detector does.
    d = ReasoningParser::split("still thinking");
    EXPECT_EQ(d.reasoning, "still thinking");
    EXPECT_EQ(d.content, "");
}

TEST(ReasoningParser, StreamingHoldsBackPartialTags) {
    const ReasoningDelta d = stream_through({"<th", "ink>", "a b", "</th", "in", "k>", "\n\n", "an", "swer"});
    EXPECT_EQ(d.reasoning, "a b");
    EXPECT_EQ(d.content, "answer");
    ReasoningParser p;
    EXPECT_EQ(p.push("x </").reasoning, "x ");  // "</" could start </think>
    const ReasoningDelta rest = p.push("b>");   // it did not
    EXPECT_EQ(rest.reasoning, "</b>");
    const ReasoningDelta single = stream_through({"one", " two", "</think>", "three"});
    EXPECT_EQ(single.reasoning, "one two");
    EXPECT_EQ(single.content, "three");
}

TEST(ApiError, OpenAiShape) {
    const json j = json::parse(ApiError::model_not_found("gpt-9", "r1").to_json());
    EXPECT_EQ(j["error"]["type"], "invalid_request_error");
    EXPECT_EQ(j["error"]["code"], "model_not_found");
    EXPECT_EQ(j["error"]["param"], "model");
    EXPECT_NE(j["error"]["message"].get<std::string>().find("gpt-9"), std::string::npos);
    const json u = json::parse(ApiError::unauthorized().to_json());
    EXPECT_EQ(ApiError::unauthorized().status, 401);
    EXPECT_TRUE(u["error"]["param"].is_null());
    EXPECT_EQ(ApiError::unavailable("x").status, 503);
    EXPECT_EQ(ApiError::too_large(32u << 20).status, 413);
}

// Captures a response instead of writing to a socket.
class RecordingExchange final : public HttpExchange {
public:
    bool respond(int status, const std::string &, const std::string &body) override {
        status_ = status;
        body_ = body;
        return true;
    }
    bool begin_stream() override { return false; }
    bool send_event(const std::string &) override { return false; }
    bool end_stream() override { return false; }
    bool client_gone() override { return false; }
    int status() const override { return status_; }
    const std::string &body() const { return body_; }

private:
    int status_ = 0;
    std::string body_;
};

TEST(ApiServer, AnswersLivenessButNotGenerationWhileLoading) {
    ServeOptions o;
    o.model_path = "m";
    o.api_key = "k";
    ApiServer api(o);
    auto call = [&api](const std::string &method, const std::string &path, bool with_key) {
        HttpRequest req;
        req.method = method;
        req.path = path;
        if (with_key) req.headers["authorization"] = "Bearer k";
        RecordingExchange ex;
        api.handle(req, ex);
        return std::make_pair(ex.status(), ex.body());
    };
    EXPECT_EQ(call("GET", "/health", false).first, 200);
    EXPECT_EQ(call("GET", "/health_generate", false).first, 503);
    EXPECT_EQ(call("GET", "/v1/models", false).first, 401);
    const auto models = call("GET", "/v1/models", true);
    EXPECT_EQ(models.first, 503);
    EXPECT_EQ(json::parse(models.second)["error"]["code"], "service_unavailable");
    EXPECT_EQ(call("POST", "/v1/chat/completions", true).first, 503);
    EXPECT_EQ(call("POST", "/generate", true).first, 503);
    EXPECT_EQ(call("GET", "/metrics", false).first, 404);  // --enable-metrics is off
}

TEST(MakeModel, SeededWeightsAreDeterministicPerTensor) {
    const auto a = seeded_normal(7, "model.embed_tokens.weight", 1000, 0.02f);
    const auto b = seeded_normal(7, "model.embed_tokens.weight", 1000, 0.02f);
    const auto c = seeded_normal(8, "model.embed_tokens.weight", 1000, 0.02f);
    const auto d = seeded_normal(7, "lm_head.weight", 1000, 0.02f);
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
    EXPECT_NE(a, d);
    double sum = 0, sq = 0;
    for (float v : a) {
        sum += v;
        sq += static_cast<double>(v) * v;
    }
    EXPECT_NEAR(sum / 1000, 0.0, 0.004);
    EXPECT_NEAR(std::sqrt(sq / 1000), 0.02, 0.003);
}

} // namespace
} // namespace slipway::engine
