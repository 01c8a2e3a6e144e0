#include "engine_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace slipway::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

std::string tiny_model_dir() {
    return std::string(SLIPWAY_BINARY_DIR) + "/tests/engine/server/tiny-qwen2";
}

std::string engine_binary() {
    return SLIPWAY_ENGINE_BINARY;
}

EngineProcess::EngineProcess(std::vector<std::string> extra_args) {
    static int counter = 0;
    log_path_ = std::string(SLIPWAY_BINARY_DIR) + "/tests/engine/server/engine-" + std::to_string(::getpid()) + "-" +
                std::to_string(counter++) + ".log";
    std::vector<std::string> args = {engine_binary(), "--model-path", tiny_model_dir(), "--device", "cpu",
                                     "--host", "127.0.0.1", "--port", "0"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    pid_ = ::fork();
    if (pid_ == 0) {
        const int fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        std::vector<char *> argv;
        for (std::string &a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        std::_Exit(127);
    }
}

EngineProcess::~EngineProcess() {
    if (pid_ > 0 && !exited_) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    std::remove(log_path_.c_str());
}

std::string EngineProcess::log() const {
    std::ifstream in(log_path_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool EngineProcess::wait_ready(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    static const std::regex listening("listening on http://127\\.0\\.0\\.1:([0-9]+)");
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            exited_ = true;
            return false;
        }
        if (port_ == 0) {
            std::smatch m;
            const std::string text = log();
            if (std::regex_search(text, m, listening)) port_ = std::stoi(m[1]);
        }
        if (port_ != 0) {
            try {
                if (http_get(port_, "/health_generate").status == 200) return true;
            } catch (const std::exception &) {
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

void EngineProcess::signal(int sig) {
    ::kill(pid_, sig);
}

int EngineProcess::wait_exit(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            exited_ = true;
            return WIFEXITED(status) ? WEXITSTATUS(status) : -2;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
}

namespace {

tcp::socket connect(asio::io_context &io, int port) {
    tcp::socket socket(io);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
    return socket;
}

http::request<http::string_body> make_request(const std::string &method, const std::string &path,
                                              const std::string &body,
                                              const std::map<std::string, std::string> &headers) {
    http::request<http::string_body> req{http::string_to_verb(method), path, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    for (const auto &[k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    return req;
}

} // namespace

HttpResponse http_request(int port, const std::string &method, const std::string &path, const std::string &body,
                          const std::map<std::string, std::string> &headers) {
    asio::io_context io;
    tcp::socket socket = connect(io, port);
    http::write(socket, make_request(method, path, body, headers));
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(256u << 20);
    http::read(socket, buffer, parser);
    HttpResponse out;
    out.status = static_cast<int>(parser.get().result_int());
    for (const auto &f : parser.get()) {
        std::string name(f.name_string());
        for (char &c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out.headers[name] = std::string(f.value());
    }
    out.body = parser.get().body();
    beast::error_code ec;
    socket.shutdown(tcp::socket::shutdown_both, ec);
    return out;
}

struct SseStream::Impl {
    asio::io_context io;
    tcp::socket socket{io};
    beast::flat_buffer buffer;
    http::response_parser<http::empty_body> parser;
    std::string pending;  // chunk bytes not yet split into events
    bool failed = false;
    std::function<std::size_t(std::uint64_t, beast::string_view, beast::error_code &)> on_body;
};

SseStream::SseStream(int port, const std::string &path, const std::string &body,
                     const std::map<std::string, std::string> &headers)
    : impl_(std::make_unique<Impl>()) {
    impl_->socket = connect(impl_->io, port);
    http::write(impl_->socket, make_request("POST", path, body, headers));
    impl_->on_body = [this](std::uint64_t, beast::string_view data, beast::error_code &ec) {
        impl_->pending.append(data.data(), data.size());
        ec = {};
        return data.size();
    };
    impl_->parser.body_limit(boost::none);
    impl_->parser.on_chunk_body(impl_->on_body);
    beast::error_code ec;
    http::read_header(impl_->socket, impl_->buffer, impl_->parser, ec);
    if (ec) impl_->failed = true;
}

SseStream::~SseStream() = default;

int SseStream::status() const {
    return impl_->failed ? 0 : static_cast<int>(impl_->parser.get().result_int());
}

std::optional<std::string> SseStream::next() {
    for (;;) {
        const size_t end = impl_->pending.find("\n\n");
        if (end != std::string::npos) {
            std::string event = impl_->pending.substr(0, end);
            impl_->pending.erase(0, end + 2);
            if (event.rfind("data: ", 0) == 0) return event.substr(6);
            continue;
        }
        if (impl_->failed || impl_->parser.is_done()) return std::nullopt;
        beast::error_code ec;
        http::read_some(impl_->socket, impl_->buffer, impl_->parser, ec);
        if (ec) {
            impl_->failed = true;
            return std::nullopt;
        }
    }
}

bool SseStream::ended_cleanly() const {
    return !impl_->failed && impl_->parser.is_done();
}

void SseStream::abandon() {
    beast::error_code ec;
    impl_->socket.close(ec);
    impl_->failed = true;
}

std::optional<double> metric_value(const std::string &text, const std::string &name) {
    std::istringstream in(text);
    std::string line;
    const std::string prefix = "sglang:" + name + "{";
    while (std::getline(in, line)) {
        if (line.rfind(prefix, 0) == 0) {
            const size_t space = line.rfind(' ');
            return std::stod(line.substr(space + 1));
        }
    }
    return std::nullopt;
}

} // namespace slipway::test
