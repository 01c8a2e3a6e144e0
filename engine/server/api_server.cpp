#include "server/api_server.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <mutex>

#include "server/endpoints.h"
#include "server/generation.h"
#include "server/request_fields.h"
#include "server/serving_engine.h"

namespace slipway::engine {

namespace {

std::mutex &log_mutex() {
    static std::mutex m;
    return m;
}

constexpr std::chrono::seconds kHealthGenerateTimeout{20};

bool is_open_path(const std::string &path) {
    // Probes and scrapers carry no key (SGLang leaves /health* and /metrics open too).
    return path == "/health" || path == "/health_generate" || path == "/metrics";
}

// Constant-time comparison, so the key cannot be guessed byte by byte from response times.
bool same_key(const std::string &a, const std::string &b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

} // namespace

void log_line(const std::string &line) {
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[64];
    std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
    std::lock_guard lock(log_mutex());
    std::cerr << "[" << stamp << "] " << line << std::endl;
}

ApiServer::ApiServer(ServeOptions options) : options_(std::move(options)) {}

bool ApiServer::authorized(const HttpRequest &request) const {
    if (options_.api_key.empty() || is_open_path(request.path)) return true;
    const std::string auth = request.header("authorization");
    static const std::string bearer = "Bearer ";
    if (auth.size() > bearer.size() && auth.compare(0, bearer.size(), bearer) == 0) {
        return same_key(auth.substr(bearer.size()), options_.api_key);
    }
    // Some clients send the key as x-api-key.
    const std::string x_key = request.header("x-api-key");
    return !x_key.empty() && same_key(x_key, options_.api_key);
}

ServingEngine &ApiServer::require_engine() const {
    ServingEngine *engine = engine_.load();
    if (shutting_down_.load()) fail(ApiError::unavailable("the server is shutting down; retry on another replica"));
    if (engine == nullptr || !ready_.load()) {
        fail(ApiError::unavailable("the model is still loading; retry when GET /health_generate answers 200"));
    }
    return *engine;
}

Status ApiServer::warm_up(std::chrono::milliseconds timeout) {
    ServingEngine *engine = engine_.load();
    if (engine == nullptr) return Status::error("no model loaded");
    std::vector<int32_t> prompt = engine->tokenizer().encode("Hello", true);
    if (prompt.empty()) prompt.push_back(0);
    SamplingParams sp;
    sp.temperature = 0.0f;
    sp.max_new_tokens = 1;
    try {
        Generation gen(engine->scheduler(), prompt, sp, nullptr, "warmup");
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (auto out = gen.next(deadline)) {
            if (!out->finished) continue;
            if (out->finish_reason == FinishReason::abort) return Status::error("the warm-up generation failed: " + out->message);
            ready_.store(true);
            return {};
        }
        return Status::error("the warm-up generation did not finish within " +
                             std::to_string(timeout.count() / 1000) + " s");
    } catch (const ApiFailure &f) {
        return Status::error("the warm-up generation was refused: " + f.error.message);
    }
}

void ApiServer::health_generate(EndpointContext &ctx) {
    ServingEngine &engine = require_engine();
    SamplingParams sp;
    sp.temperature = 0.0f;
    sp.max_new_tokens = 1;
    std::vector<int32_t> prompt = engine.tokenizer().encode("Hi", true);
    if (prompt.empty()) prompt.push_back(0);
    Generation gen(engine.scheduler(), prompt, sp, &ctx.exchange, "health_generate");
    const auto deadline = std::chrono::steady_clock::now() + kHealthGenerateTimeout;
    while (auto out = gen.next(deadline)) {
        if (!out->finished) continue;
        if (out->finish_reason == FinishReason::abort) {
            fail(ApiError::unavailable("the health-check generation failed: " + out->message));
        }
        ctx.exchange.respond(200, "text/plain; charset=utf-8", "");
        return;
    }
    if (gen.client_gone()) {
        ctx.record.client_gone = true;
        return;
    }
    fail(ApiError::unavailable("the health-check generation did not finish within " +
                               std::to_string(kHealthGenerateTimeout.count()) + " s (the server is overloaded or stuck)"));
}

void ApiServer::dispatch(EndpointContext &ctx) {
    const std::string &path = ctx.request.path;
    const std::string &method = ctx.request.method;
    auto want = [&](const char *expected) {
        if (method != expected) fail(ApiError::method_not_allowed(method, path));
    };
    if (path == "/health") {
        want("GET");
        ctx.exchange.respond(200, "text/plain; charset=utf-8", "");
    } else if (path == "/health_generate") {
        want("GET");
        health_generate(ctx);
    } else if (path == "/metrics") {
        want("GET");
        if (!options_.enable_metrics) {
            fail(ApiError{404, "metrics are off; start the server with --enable-metrics", "invalid_request_error", {},
                          "not_found"});
        }
        ServingEngine *engine = engine_.load();
        if (engine == nullptr) fail(ApiError::unavailable("the model is still loading; no metrics yet"));
        handle_metrics(ctx, *engine);
    } else if (path == "/v1/models") {
        want("GET");
        handle_models(ctx, require_engine());
    } else if (path == "/get_model_info" || path == "/model_info") {
        want("GET");
        ServingEngine *engine = engine_.load();
        if (engine == nullptr) fail(ApiError::unavailable("the model is still loading"));
        handle_model_info(ctx, *engine);
    } else if (path == "/v1/completions") {
        want("POST");
        handle_completions(ctx, require_engine());
    } else if (path == "/v1/chat/completions") {
        want("POST");
        handle_chat_completions(ctx, require_engine());
    } else if (path == "/generate") {
        want("POST");
        handle_generate(ctx, require_engine());
    } else {
        fail(ApiError::not_found(method, path));
    }
}

void ApiServer::handle(const HttpRequest &request, HttpExchange &exchange) {
    const auto start = std::chrono::steady_clock::now();
    EndpointContext ctx{request, exchange, options_, {}};
    std::string error;
    try {
        if (!authorized(request)) fail(ApiError::unauthorized());
        dispatch(ctx);
    } catch (const ApiFailure &f) {
        error = f.error.message;
        if (exchange.status() == 0) {
            exchange.respond(f.error.status, "application/json", f.error.to_json());
        } else {
            // Failed after a stream began: report in the stream, then end it cleanly.
            exchange.send_event(f.error.to_json());
            exchange.send_event("[DONE]");
            exchange.end_stream();
        }
    }
    if (options_.log_requests) {
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        char took[32];
        std::snprintf(took, sizeof took, "%.3f", seconds);
        std::string line = request.method + " " + request.path + " " + std::to_string(exchange.status()) + " " + took +
                           "s from " + request.remote;
        const RequestRecord &r = ctx.record;
        if (!r.id.empty()) line += " id=" + r.id;
        if (r.prompt_tokens >= 0) line += " prompt_tokens=" + std::to_string(r.prompt_tokens);
        if (r.completion_tokens >= 0) line += " completion_tokens=" + std::to_string(r.completion_tokens);
        if (r.cached_tokens >= 0) line += " cached_tokens=" + std::to_string(r.cached_tokens);
        if (!r.finish_reason.empty()) line += " finish=" + r.finish_reason;
        if (r.client_gone) line += " client_disconnected";
        if (!error.empty()) line += " error=\"" + error + "\"";
        log_line(line);
    }
}

} // namespace slipway::engine
