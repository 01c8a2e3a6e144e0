#pragma once
// A small HTTP/1.1 server over Boost.Beast: one thread per connection (keep-alive), synchronous
// I/O, so a handler may block on its request's OutputChannel while it streams. Handlers only
// parse, tokenize and enqueue; the scheduler loop does the compute.
//
// Thread-safety: start() and the stop functions may be called from any thread; a handler runs on
// its connection's thread, and an HttpExchange belongs to that thread.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "slipway/engine/status.h"

namespace slipway::engine {

struct HttpRequest {
    std::string method;   // "GET", "POST", ...
    std::string path;     // without the query string
    std::string query;    // after '?', undecoded
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;
    std::string remote;   // "ip:port" of the client

    // The header's value, or empty.
    std::string header(const std::string &lower_name) const;
};

// One request's response. Either respond() once, or begin_stream() then send_event()* then
// end_stream(). Every write returns false once the client is gone.
class HttpExchange {
public:
    virtual ~HttpExchange() = default;
    virtual bool respond(int status, const std::string &content_type, const std::string &body) = 0;
    // Server-sent events: status 200, text/event-stream, chunked.
    virtual bool begin_stream() = 0;
    // Writes "data: <payload>\n\n" as one chunk.
    virtual bool send_event(const std::string &payload) = 0;
    virtual bool end_stream() = 0;
    // True once the client closed its side or the connection broke (checked without blocking).
    virtual bool client_gone() = 0;
    virtual int status() const = 0;  // the status sent (0 before a response started)
};

using HttpHandler = std::function<void(const HttpRequest &, HttpExchange &)>;

struct HttpServerOptions {
    std::string host = "127.0.0.1";
    uint16_t port = 30000;            // 0: any free port
    size_t max_body_bytes = 32u << 20; // larger bodies get 413
    size_t max_connections = 512;     // more get 503 and are closed
};

class HttpServer final {
public:
    // Binds and starts the accept thread. Errors name the address.
    static StatusOr<std::unique_ptr<HttpServer>> start(HttpServerOptions options, HttpHandler handler);
    ~HttpServer();  // stop_accepting + close_all
    HttpServer(const HttpServer &) = delete;
    HttpServer &operator=(const HttpServer &) = delete;

    uint16_t port() const { return port_; }
    // Closes the listening socket: new connections are refused. Connections that are waiting for
    // their next request are closed; those serving a request finish it, then close.
    void stop_accepting();
    // Waits until every connection has ended, at most `timeout`; returns true when all ended.
    bool wait_idle(std::chrono::milliseconds timeout);
    // Breaks every remaining connection (their handlers see client_gone) and joins the threads.
    void close_all();
    size_t active_connections() const;

private:
    struct Impl;
    explicit HttpServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
    uint16_t port_ = 0;
};

} // namespace slipway::engine
