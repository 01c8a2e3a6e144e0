#include "dist/socket_io.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace slipway::engine::dist {
namespace {

std::string errno_text(int err) { return std::strerror(err); }

// Milliseconds until `deadline` for poll(): -1 for "no deadline", 0 when passed.
int poll_timeout(Clock::time_point deadline) {
    if (deadline == Clock::time_point::max()) return -1;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return 0;
    return left > 60'000 ? 60'000 : static_cast<int>(left) + 1;
}

void set_nodelay(int fd) {
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

bool set_blocking(int fd, bool blocking) {
    const int flags = ::fcntl(fd, F_GETFL, 0);
    if (flags < 0) return false;
    return ::fcntl(fd, F_SETFL, blocking ? (flags & ~O_NONBLOCK) : (flags | O_NONBLOCK)) == 0;
}

// Reads exactly n bytes. Closed: EOF before the first byte of a frame, or mid-frame.
ReadResult::Kind recv_exact(int fd, char *out, size_t n, Clock::time_point deadline, std::string &error) {
    size_t got = 0;
    while (got < n) {
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, poll_timeout(deadline));
        if (ready < 0) {
            if (errno == EINTR) continue;
            error = "poll: " + errno_text(errno);
            return ReadResult::Kind::Error;
        }
        if (ready == 0) {
            if (Clock::now() >= deadline) return ReadResult::Kind::Timeout;
            continue;
        }
        const ssize_t r = ::recv(fd, out + got, n - got, 0);
        if (r == 0) return ReadResult::Kind::Closed;
        if (r < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
            if (errno == ECONNRESET || errno == ENOTCONN || errno == EPIPE) return ReadResult::Kind::Closed;
            error = "recv: " + errno_text(errno);
            return ReadResult::Kind::Error;
        }
        got += static_cast<size_t>(r);
    }
    return ReadResult::Kind::Frame;
}

} // namespace

Socket::~Socket() { close(); }

Socket &Socket::operator=(Socket &&other) noexcept {
    if (this != &other) {
        close();
        fd_ = other.fd_;
        other.fd_ = -1;
    }
    return *this;
}

void Socket::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

void Socket::shutdown_both() {
    if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
}

bool Socket::peer_gone() const {
    if (fd_ < 0) return true;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) return false;
    if (p.revents & (POLLERR | POLLHUP)) return true;
    char byte = 0;
    const ssize_t r = ::recv(fd_, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

std::string Socket::peer_address() const {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (fd_ < 0 || ::getpeername(fd_, reinterpret_cast<sockaddr *>(&addr), &len) != 0) return "?";
    char host[NI_MAXHOST] = {0};
    char port[NI_MAXSERV] = {0};
    if (::getnameinfo(reinterpret_cast<sockaddr *>(&addr), len, host, sizeof host, port, sizeof port,
                      NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        return "?";
    }
    std::string h = host;
    if (h.rfind("::ffff:", 0) == 0) h = h.substr(7);  // IPv4 through a dual-stack socket
    if (h.find(':') != std::string::npos) h = "[" + h + "]";
    return h + ":" + port;
}

StatusOr<Socket> listen_tcp(uint16_t port) {
    int last_errno = 0;
    for (int family : {AF_INET6, AF_INET}) {
        Socket s(::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0));
        if (!s.valid()) {
            last_errno = errno;
            continue;
        }
        int one = 1;
        ::setsockopt(s.fd(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        int rc = 0;
        if (family == AF_INET6) {
            int zero = 0;
            ::setsockopt(s.fd(), IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
            sockaddr_in6 a{};
            a.sin6_family = AF_INET6;
            a.sin6_addr = in6addr_any;
            a.sin6_port = htons(port);
            rc = ::bind(s.fd(), reinterpret_cast<sockaddr *>(&a), sizeof a);
        } else {
            sockaddr_in a{};
            a.sin_family = AF_INET;
            a.sin_addr.s_addr = htonl(INADDR_ANY);
            a.sin_port = htons(port);
            rc = ::bind(s.fd(), reinterpret_cast<sockaddr *>(&a), sizeof a);
        }
        if (rc != 0 || ::listen(s.fd(), 64) != 0) {
            last_errno = errno;
            if (last_errno == EADDRINUSE) break;  // the other family will not fare better
            continue;
        }
        return s;
    }
    return Status::error("cannot listen on port " + std::to_string(port) + " for the rendezvous (--dist-init-addr): " +
                         errno_text(last_errno) +
                         (last_errno == EADDRINUSE ? "; another process holds the port, choose another in --dist-init-addr" : ""));
}

uint16_t local_port(const Socket &socket) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getsockname(socket.fd(), reinterpret_cast<sockaddr *>(&addr), &len) != 0) return 0;
    if (addr.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6 *>(&addr)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in *>(&addr)->sin_port);
}

StatusOr<std::optional<Socket>> accept_until(const Socket &listener, Clock::time_point deadline) {
    for (;;) {
        pollfd p{listener.fd(), POLLIN, 0};
        const int ready = ::poll(&p, 1, poll_timeout(deadline));
        if (ready < 0 && errno != EINTR) return Status::error("waiting for connections: " + errno_text(errno));
        if (ready > 0) {
            const int fd = ::accept4(listener.fd(), nullptr, nullptr, SOCK_CLOEXEC);
            if (fd >= 0) {
                set_nodelay(fd);
                return std::optional<Socket>(Socket(fd));
            }
            if (errno != EINTR && errno != EAGAIN && errno != ECONNABORTED) {
                return Status::error("accepting a connection: " + errno_text(errno));
            }
        }
        if (Clock::now() >= deadline) return std::optional<Socket>();
    }
}

StatusOr<Socket> connect_tcp(const std::string &host, uint16_t port, std::chrono::milliseconds timeout) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *found = nullptr;
    const std::string service = std::to_string(port);
    const int gai = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
    if (gai != 0) return Status::error("cannot resolve " + host + ": " + ::gai_strerror(gai));
    std::string last = "no address";
    for (addrinfo *ai = found; ai != nullptr; ai = ai->ai_next) {
        Socket s(::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol));
        if (!s.valid()) {
            last = errno_text(errno);
            continue;
        }
        set_blocking(s.fd(), false);
        int rc = ::connect(s.fd(), ai->ai_addr, ai->ai_addrlen);
        if (rc != 0 && errno == EINPROGRESS) {
            pollfd p{s.fd(), POLLOUT, 0};
            const int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
            if (ready == 0) {
                last = "timed out after " + std::to_string(timeout.count()) + " ms";
                continue;
            }
            int err = 0;
            socklen_t len = sizeof err;
            ::getsockopt(s.fd(), SOL_SOCKET, SO_ERROR, &err, &len);
            rc = err == 0 ? 0 : -1;
            errno = err;
        }
        if (rc != 0) {
            last = errno_text(errno);
            continue;
        }
        set_blocking(s.fd(), true);
        set_nodelay(s.fd());
        ::freeaddrinfo(found);
        return s;
    }
    ::freeaddrinfo(found);
    return Status::error("cannot connect to " + host + ":" + service + ": " + last);
}

Status split_host_port(const std::string &addr, std::string &host, uint16_t &port) {
    const auto colon = addr.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == addr.size()) {
        return Status::error("--dist-init-addr '" + addr + "' is not HOST:PORT (e.g. 10.0.0.1:20000)");
    }
    host = addr.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    const std::string p = addr.substr(colon + 1);
    long v = 0;
    for (char c : p) {
        if (c < '0' || c > '9' || v > 65535) return Status::error("--dist-init-addr '" + addr + "': bad port '" + p + "'");
        v = v * 10 + (c - '0');
    }
    if (v < 1 || v > 65535) return Status::error("--dist-init-addr '" + addr + "': port must be in 1..65535");
    port = static_cast<uint16_t>(v);
    return {};
}

Status send_all(const Socket &socket, std::string_view bytes, Clock::time_point deadline) {
    size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t w = ::send(socket.fd(), bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w > 0) {
            sent += static_cast<size_t>(w);
            continue;
        }
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            pollfd p{socket.fd(), POLLOUT, 0};
            const int ready = ::poll(&p, 1, poll_timeout(deadline));
            if (ready == 0 && Clock::now() >= deadline) {
                return Status::error("the peer did not take " + std::to_string(bytes.size() - sent) +
                                     " bytes in time (it stopped reading)");
            }
            continue;
        }
        return Status::error(w < 0 && (errno == EPIPE || errno == ECONNRESET || errno == ENOTCONN) ? "connection closed"
                                                                                                  : "send: " + errno_text(errno));
    }
    return {};
}

ReadResult read_frame(const Socket &socket, Clock::time_point deadline) {
    ReadResult result;
    char header[kFrameHeaderBytes];
    result.kind = recv_exact(socket.fd(), header, sizeof header, deadline, result.error);
    if (result.kind != ReadResult::Kind::Frame) return result;
    uint32_t crc = 0;
    auto length = parse_frame_header(std::string_view(header, sizeof header), result.frame.type, crc);
    if (!length.ok()) {
        result.kind = ReadResult::Kind::Error;
        result.error = length.message();
        return result;
    }
    result.frame.payload.resize(length.value());
    if (length.value() > 0) {
        result.kind = recv_exact(socket.fd(), result.frame.payload.data(), length.value(), deadline, result.error);
        if (result.kind != ReadResult::Kind::Frame) {
            if (result.kind == ReadResult::Kind::Closed) {
                result.kind = ReadResult::Kind::Error;
                result.error = std::string("connection closed in the middle of a ") + frame_type_name(result.frame.type) + " frame";
            }
            return result;
        }
    }
    if (Status s = check_frame_payload(result.frame.type, result.frame.payload, crc); !s.ok()) {
        result.kind = ReadResult::Kind::Error;
        result.error = s.message();
    }
    return result;
}

Status write_frame(const Socket &socket, FrameType type, std::string_view payload, Clock::time_point deadline) {
    return send_all(socket, encode_frame(type, payload), deadline);
}

} // namespace slipway::engine::dist
