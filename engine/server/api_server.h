#pragma once
// Routes HTTP requests to the OpenAI and SGLang endpoints, checks the API key, answers 503 while
// the model loads or warms up, and logs requests (--log-requests).
//
// Start-up: the HTTP port opens first (so /health answers and /health_generate says 503 while
// the model loads); set_engine() once the model is loaded; warm_up() runs the first one-token
// generation, after which the server is ready.
//
// Thread-safety: handle() runs on many HTTP threads at once; the setters are atomic.
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "server/http_server.h"
#include "server/serve_options.h"

namespace slipway::engine {

class ServingEngine;
struct EndpointContext;

class ApiServer final {
public:
    explicit ApiServer(ServeOptions options);

    // The engine must outlive every handle() call (stop the HTTP server first).
    void set_engine(ServingEngine *engine) { engine_.store(engine); }
    // Runs a one-token generation; on success the server is ready (/health_generate 200, and
    // generation endpoints stop answering 503). Returns an error message on failure.
    Status warm_up(std::chrono::milliseconds timeout);
    bool ready() const { return ready_.load(); }
    // From now on new generation requests get 503 and /health_generate fails.
    void set_shutting_down() { shutting_down_.store(true); }

    void handle(const HttpRequest &request, HttpExchange &exchange);

private:
    void dispatch(EndpointContext &ctx);
    bool authorized(const HttpRequest &request) const;
    ServingEngine &require_engine() const;  // throws 503 while loading or shutting down
    void health_generate(EndpointContext &ctx);

    ServeOptions options_;
    std::atomic<ServingEngine *> engine_{nullptr};
    std::atomic<bool> ready_{false};
    std::atomic<bool> shutting_down_{false};
};

// Writes one line to stderr with a timestamp (thread-safe).
void log_line(const std::string &line);

} // namespace slipway::engine
