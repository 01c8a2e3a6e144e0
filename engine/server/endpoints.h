#pragma once
// The endpoint handlers. Each reads ctx.request, answers through ctx.exchange, and throws
// ApiFailure for a request it refuses (ApiServer turns that into the OpenAI error object).
//
// Thread-safety: handlers run concurrently on HTTP threads; they share only the ServingEngine.
#include <chrono>
#include <cstdint>
#include <string>

#include "server/http_server.h"
#include "server/serve_options.h"

namespace slipway::engine {

class ServingEngine;

// What --log-requests prints about a request, filled by the handler.
struct RequestRecord {
    std::string id;
    int32_t prompt_tokens = -1;
    int32_t completion_tokens = -1;
    int32_t cached_tokens = -1;
    std::string finish_reason;
    bool client_gone = false;
};

struct EndpointContext {
    const HttpRequest &request;
    HttpExchange &exchange;
    const ServeOptions &options;
    RequestRecord record;
};

// OpenAI
void handle_models(EndpointContext &ctx, ServingEngine &engine);
void handle_completions(EndpointContext &ctx, ServingEngine &engine);
void handle_chat_completions(EndpointContext &ctx, ServingEngine &engine);
// SGLang
void handle_generate(EndpointContext &ctx, ServingEngine &engine);
void handle_model_info(EndpointContext &ctx, ServingEngine &engine);
void handle_metrics(EndpointContext &ctx, ServingEngine &engine);

// Shared helpers
void respond_json(HttpExchange &exchange, int status, const std::string &json_text);
std::string random_id(const char *prefix);  // "chatcmpl-3f9a..."
int64_t unix_time();
// True when the request's "model" names this server's model (or is absent); throws 404 if not.
void check_model_name(const std::string *requested, const ServeOptions &options);

} // namespace slipway::engine
