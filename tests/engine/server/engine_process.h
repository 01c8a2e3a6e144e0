#pragma once
// Test support: runs `slipway-engine --device cpu` on 127.0.0.1 with a free port (--port 0, read
// back from its log), waits for /health_generate, and talks HTTP/1.1 to it (plain responses and
// server-sent events) with Boost.Beast.
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

#include <nlohmann/json.hpp>

namespace slipway::test {

// The tiny model the CTest fixture writes (make-model with the real Qwen3 tokenizer).
std::string tiny_model_dir();
std::string engine_binary();

class EngineProcess {
public:
    // Starts the engine with `--model-path tiny --device cpu --host 127.0.0.1 --port 0` + extra.
    explicit EngineProcess(std::vector<std::string> extra_args);
    ~EngineProcess();  // SIGKILL if still running

    // Waits for the "listening on" line, then for /health_generate 200. False on timeout or exit.
    bool wait_ready(std::chrono::milliseconds timeout);
    int port() const { return port_; }
    pid_t pid() const { return pid_; }
    // Sends a signal; wait_exit returns the exit status (or -1 on timeout, -2 if killed by a signal).
    void signal(int sig);
    int wait_exit(std::chrono::milliseconds timeout);
    std::string log() const;  // everything the engine wrote to stdout/stderr

private:
    pid_t pid_ = -1;
    int port_ = 0;
    std::string log_path_;
    bool exited_ = false;
};

struct HttpResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    nlohmann::json json() const { return nlohmann::json::parse(body); }
};

// One request on a fresh connection.
HttpResponse http_request(int port, const std::string &method, const std::string &path, const std::string &body = {},
                          const std::map<std::string, std::string> &headers = {});
inline HttpResponse http_get(int port, const std::string &path) { return http_request(port, "GET", path); }
inline HttpResponse http_post(int port, const std::string &path, const std::string &body,
                              const std::map<std::string, std::string> &headers = {}) {
    return http_request(port, "POST", path, body, headers);
}

// A streaming POST: reads `data:` events as they arrive.
class SseStream {
public:
    SseStream(int port, const std::string &path, const std::string &body,
              const std::map<std::string, std::string> &headers = {});
    ~SseStream();
    int status() const;
    // The next event's payload; nullopt at the end of the response (or on error).
    std::optional<std::string> next();
    // True when the chunked response ended properly (terminating chunk received).
    bool ended_cleanly() const;
    // Closes the socket without reading further (a client going away).
    void abandon();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The value of a Prometheus sample `sglang:<name>{model_name=...}`; nullopt when absent.
std::optional<double> metric_value(const std::string &metrics_text, const std::string &name);

} // namespace slipway::test
