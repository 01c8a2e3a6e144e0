#include "server/http_server.h"

#include <poll.h>
#include <cerrno>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <list>
#include <thread>

#include "server/api_error.h"

namespace slipway::engine {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

std::string HttpRequest::header(const std::string &lower_name) const {
    const auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
}

namespace {

constexpr const char *kServerName = "slipway-engine";

// True when the peer closed or the connection broke. Never blocks and consumes nothing.
bool peer_gone(int fd) {
    pollfd p{};
    p.fd = fd;
    p.events = POLLIN | POLLRDHUP;
    if (::poll(&p, 1, 0) <= 0) return false;
    if (p.revents & (POLLERR | POLLHUP | POLLRDHUP | POLLNVAL)) return true;
    if (p.revents & POLLIN) {
        char byte = 0;
        const ssize_t n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
    }
    return false;
}

// After refusing a request mid-body: read and drop what the client still sends (for at most
// `bound`), so it can finish writing and read the answer instead of blocking or seeing a reset.
void drain_input(int fd, std::chrono::milliseconds bound) {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    char sink[64 * 1024];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return;
        pollfd p{};
        p.fd = fd;
        p.events = POLLIN;
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return;
        const ssize_t n = ::recv(fd, sink, sizeof sink, MSG_DONTWAIT);
        if (n <= 0 && !(n < 0 && (errno == EAGAIN || errno == EINTR))) return;
    }
}

class Exchange final : public HttpExchange {
public:
    Exchange(tcp::socket &socket, unsigned version, bool keep_alive)
        : socket_(socket), version_(version), keep_alive_(keep_alive) {}

    bool respond(int status, const std::string &content_type, const std::string &body) override {
        if (status_ != 0) return false;
        status_ = status;
        http::response<http::string_body> res{static_cast<http::status>(status), version_};
        res.set(http::field::server, kServerName);
        res.set(http::field::content_type, content_type);
        res.keep_alive(keep_alive_);
        res.body() = body;
        res.prepare_payload();
        beast::error_code ec;
        http::write(socket_, res, ec);
        if (ec) broken_ = true;
        return !ec;
    }

    bool begin_stream() override {
        if (status_ != 0) return false;
        status_ = 200;
        streaming_ = true;
        http::response<http::empty_body> res{http::status::ok, version_};
        res.set(http::field::server, kServerName);
        res.set(http::field::content_type, "text/event-stream; charset=utf-8");
        res.set(http::field::cache_control, "no-cache");
        res.set("X-Accel-Buffering", "no");
        res.keep_alive(keep_alive_);
        res.chunked(true);
        http::response_serializer<http::empty_body> serializer{res};
        beast::error_code ec;
        http::write_header(socket_, serializer, ec);
        if (ec) broken_ = true;
        return !ec;
    }

    bool send_event(const std::string &payload) override {
        if (!streaming_ || broken_) return false;
        std::string frame;
        frame.reserve(payload.size() + 8);
        frame += "data: ";
        frame += payload;
        frame += "\n\n";
        beast::error_code ec;
        asio::write(socket_, http::make_chunk(asio::buffer(frame)), ec);
        if (ec) broken_ = true;
        return !ec;
    }

    bool end_stream() override {
        if (!streaming_ || broken_) return false;
        streaming_ = false;
        ended_ = true;
        beast::error_code ec;
        asio::write(socket_, http::make_chunk_last(), ec);
        if (ec) broken_ = true;
        return !ec;
    }

    bool client_gone() override {
        if (broken_) return true;
        if (peer_gone(socket_.native_handle())) broken_ = true;
        return broken_;
    }

    int status() const override { return status_; }
    bool broken() const { return broken_; }
    // A stream the handler never ended leaves the connection unusable for another request.
    bool clean() const { return !broken_ && (!streaming_ || ended_); }

private:
    tcp::socket &socket_;
    unsigned version_;
    bool keep_alive_;
    int status_ = 0;
    bool streaming_ = false;
    bool ended_ = false;
    bool broken_ = false;
};

struct Connection {
    explicit Connection(tcp::socket s) : socket(std::move(s)), fd(socket.native_handle()) {}
    tcp::socket socket;
    int fd;
    std::atomic<bool> busy{false};
    std::atomic<bool> done{false};
    std::thread thread;
};

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

} // namespace

struct HttpServer::Impl {
    HttpServerOptions options;
    HttpHandler handler;
    asio::io_context io;
    tcp::acceptor acceptor{io};
    std::thread accept_thread;
    std::atomic<bool> stopping{false};
    mutable std::mutex mutex;
    std::condition_variable changed;
    std::list<std::shared_ptr<Connection>> connections;

    void accept_loop();
    void serve(const std::shared_ptr<Connection> &conn);
    void reap_finished();  // joins the threads of ended connections; call with mutex held
    static void reject(tcp::socket &socket, const ApiError &error);
};

void HttpServer::Impl::reject(tcp::socket &socket, const ApiError &error) {
    http::response<http::string_body> res{static_cast<http::status>(error.status), 11};
    res.set(http::field::server, kServerName);
    res.set(http::field::content_type, "application/json");
    res.keep_alive(false);
    res.body() = error.to_json();
    res.prepare_payload();
    beast::error_code ec;
    http::write(socket, res, ec);
}

void HttpServer::Impl::reap_finished() {
    for (auto it = connections.begin(); it != connections.end();) {
        if ((*it)->done.load()) {
            if ((*it)->thread.joinable()) (*it)->thread.join();
            it = connections.erase(it);
        } else {
            ++it;
        }
    }
}

void HttpServer::Impl::accept_loop() {
    while (!stopping.load()) {
        beast::error_code ec;
        tcp::socket socket{io};
        acceptor.accept(socket, ec);
        if (stopping.load()) break;
        if (ec) {
            if (ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor ||
                ec == asio::error::invalid_argument) {
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));  // e.g. out of file descriptors
            continue;
        }
        socket.set_option(tcp::no_delay(true), ec);
        std::lock_guard lock(mutex);
        reap_finished();
        if (connections.size() >= options.max_connections) {
            reject(socket, ApiError::unavailable("too many open connections (" + std::to_string(options.max_connections) +
                                                 "); retry later"));
            continue;
        }
        auto conn = std::make_shared<Connection>(std::move(socket));
        connections.push_back(conn);
        conn->thread = std::thread([this, conn] { serve(conn); });
    }
    beast::error_code ignored;
    acceptor.close(ignored);
}

void HttpServer::Impl::serve(const std::shared_ptr<Connection> &conn) {
    beast::flat_buffer buffer;
    std::string remote;
    {
        beast::error_code ec;
        const auto ep = conn->socket.remote_endpoint(ec);
        if (!ec) remote = ep.address().to_string() + ":" + std::to_string(ep.port());
    }
    for (;;) {
        conn->busy.store(false);
        if (stopping.load()) break;
        http::request_parser<http::string_body> parser;
        parser.body_limit(options.max_body_bytes);
        parser.header_limit(64 * 1024);
        beast::error_code ec;
        http::read(conn->socket, buffer, parser, ec);
        conn->busy.store(true);
        if (ec == http::error::body_limit) {
            reject(conn->socket, ApiError::too_large(options.max_body_bytes));
            beast::error_code ignored;
            conn->socket.shutdown(tcp::socket::shutdown_send, ignored);
            drain_input(conn->fd, std::chrono::seconds(2));
            break;
        }
        if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
            ec == asio::error::not_connected || ec == asio::error::shut_down) {
            break;
        }
        if (ec) {
            if (!stopping.load()) {
                reject(conn->socket, ApiError::bad_request("malformed HTTP request: " + ec.message()));
            }
            break;
        }
        http::request<http::string_body> msg = parser.release();
        HttpRequest req;
        req.method = std::string(msg.method_string());
        const std::string target(msg.target());
        const auto q = target.find('?');
        req.path = target.substr(0, q);
        if (q != std::string::npos) req.query = target.substr(q + 1);
        for (const auto &field : msg) {
            req.headers[lower(std::string(field.name_string()))] = std::string(field.value());
        }
        req.body = std::move(msg.body());
        req.remote = remote;
        const bool keep_alive = msg.keep_alive() && !stopping.load();
        Exchange exchange(conn->socket, msg.version(), keep_alive);
        try {
            handler(req, exchange);
        } catch (const std::exception &e) {
            exchange.respond(500, "application/json", ApiError::internal(std::string("internal error: ") + e.what()).to_json());
        }
        if (exchange.status() == 0) {
            exchange.respond(500, "application/json", ApiError::internal("the handler sent no response").to_json());
        }
        if (!keep_alive || !exchange.clean()) break;
    }
    // The socket stays open (and its descriptor owned) until the connection is reaped, so the stop
    // functions never shut down a descriptor that was reused meanwhile.
    beast::error_code ignored;
    conn->socket.shutdown(tcp::socket::shutdown_both, ignored);
    {
        // `done` is set under the mutex: the accept loop reaps (joins) finished connections while
        // holding it, so a thread must not be seen as done while it still waits for the mutex.
        // It also pairs with wait_idle's predicate.
        std::lock_guard lock(mutex);
        conn->done.store(true);
    }
    changed.notify_all();
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

StatusOr<std::unique_ptr<HttpServer>> HttpServer::start(HttpServerOptions options, HttpHandler handler) {
    auto impl = std::make_unique<Impl>();
    impl->options = std::move(options);
    impl->handler = std::move(handler);
    beast::error_code ec;
    const auto address = asio::ip::make_address(impl->options.host, ec);
    if (ec) {
        return Status::error("--host '" + impl->options.host + "' is not an IP address (use e.g. 0.0.0.0 or 127.0.0.1)");
    }
    const tcp::endpoint endpoint{address, impl->options.port};
    const std::string where = impl->options.host + ":" + std::to_string(impl->options.port);
    impl->acceptor.open(endpoint.protocol(), ec);
    if (!ec) impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) impl->acceptor.bind(endpoint, ec);
    if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        return Status::error("cannot listen on " + where + ": " + ec.message() +
                             " (choose another --port, or stop what uses it)");
    }
    const uint16_t port = impl->acceptor.local_endpoint(ec).port();
    std::unique_ptr<HttpServer> server(new HttpServer(std::move(impl)));
    server->port_ = port;
    Impl *raw = server->impl_.get();
    raw->accept_thread = std::thread([raw] { raw->accept_loop(); });
    return server;
}

HttpServer::~HttpServer() {
    stop_accepting();
    close_all();
}

void HttpServer::stop_accepting() {
    if (impl_->stopping.exchange(true)) return;
    // Wakes the blocked accept(); the accept thread then closes the acceptor itself.
    ::shutdown(impl_->acceptor.native_handle(), SHUT_RDWR);
    if (impl_->accept_thread.joinable()) impl_->accept_thread.join();
    std::lock_guard lock(impl_->mutex);
    for (const auto &conn : impl_->connections) {
        // Connections waiting for a request get EOF; busy ones finish their response first.
        if (!conn->busy.load() && !conn->done.load()) ::shutdown(conn->fd, SHUT_RD);
    }
}

bool HttpServer::wait_idle(std::chrono::milliseconds timeout) {
    std::unique_lock lock(impl_->mutex);
    return impl_->changed.wait_for(lock, timeout, [this] {
        return std::all_of(impl_->connections.begin(), impl_->connections.end(),
                           [](const auto &c) { return c->done.load(); });
    });
}

void HttpServer::close_all() {
    stop_accepting();
    std::list<std::shared_ptr<Connection>> all;
    {
        std::lock_guard lock(impl_->mutex);
        for (const auto &conn : impl_->connections) {
            if (!conn->done.load()) ::shutdown(conn->fd, SHUT_RDWR);
        }
        all.swap(impl_->connections);
    }
    for (const auto &conn : all) {
        if (conn->thread.joinable()) conn->thread.join();
    }
}

size_t HttpServer::active_connections() const {
    std::lock_guard lock(impl_->mutex);
    return static_cast<size_t>(std::count_if(impl_->connections.begin(), impl_->connections.end(),
                                             [](const auto &c) { return !c->done.load(); }));
}

} // namespace slipway::engine
