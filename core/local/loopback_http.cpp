#include "local/loopback_http.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <algorithm>
#include <sys/socket.h>
#include <unistd.h>

namespace slipway::local {

namespace {

using Clock = std::chrono::steady_clock;

// A socket closed on scope exit.
class Socket final {
public:
    explicit Socket(int fd) : m_fd(fd) {}
    ~Socket() { if (m_fd >= 0) close(m_fd); }
    Socket(const Socket &) = delete;
    Socket &operator=(const Socket &) = delete;
    int fd() const { return m_fd; }

private:
    int m_fd;
};

Result<addrinfo *> resolveNumeric(const std::string &host, int port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    addrinfo *info = nullptr;
    const int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &info);
    if (rc != 0 || !info) return fail("'" + host + "' is not a numeric IP address (" + gai_strerror(rc) + ")");
    return info;
}

int remainingMs(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left > 0 ? static_cast<int>(left) : 0;
}

// poll() for `events` until the deadline or a cancel: > 0 ready, 0 timed out, -1 error, -2 cancelled.
int waitFor(int fd, short events, Clock::time_point deadline, const std::atomic<bool> *cancel) {
    for (;;) {
        if (cancel && cancel->load()) return -2;
        const int left = remainingMs(deadline);
        pollfd p{fd, events, 0};
        const int ready = poll(&p, 1, cancel ? std::min(left, 50) : left);
        if (ready != 0 || left == 0) return ready;
    }
}

std::string waitFailure(int code, const std::string &what) {
    return code == -2 ? "cancelled" : code == 0 ? what : std::string(std::strerror(errno));
}

} // namespace

Result<int> httpGetStatus(const std::string &host, int port, const std::string &path, std::chrono::milliseconds timeout,
                          const std::atomic<bool> *cancel) {
    const bool v6 = host.find(':') != std::string::npos;
    const std::string hostPort = (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
    const std::string url = "http://" + hostPort + path;
    const auto deadline = Clock::now() + timeout;

    auto resolved = resolveNumeric(host, port);
    if (!resolved) return resolved.error();
    addrinfo *info = resolved.value();
    Socket sock(socket(info->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (sock.fd() < 0) {
        freeaddrinfo(info);
        return fail("GET " + url + ": cannot create a socket: " + std::strerror(errno));
    }
    const int rc = connect(sock.fd(), info->ai_addr, info->ai_addrlen);
    const int connectErrno = errno;
    freeaddrinfo(info);
    if (rc != 0 && connectErrno != EINPROGRESS) return fail("GET " + url + ": " + std::strerror(connectErrno));
    if (rc != 0) {
        if (const int w = waitFor(sock.fd(), POLLOUT, deadline, cancel); w <= 0) {
            return fail("GET " + url + ": " + waitFailure(w, "no connection within the timeout"));
        }
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(sock.fd(), SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0) return fail("GET " + url + ": " + std::strerror(err));
    }

    const std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + hostPort +
                                "\r\nAccept: */*\r\nConnection: close\r\n\r\n";
    std::size_t sent = 0;
    while (sent < request.size()) {
        const ssize_t n = send(sock.fd(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<std::size_t>(n);
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (const int w = waitFor(sock.fd(), POLLOUT, deadline, cancel); w <= 0) {
                return fail("GET " + url + ": " + waitFailure(w, "timed out sending the request"));
            }
        } else {
            return fail("GET " + url + ": " + std::strerror(errno));
        }
    }

    // Only the status line matters: "HTTP/1.1 200 OK\r\n".
    std::string head;
    char buffer[512];
    while (head.find("\r\n") == std::string::npos && head.size() < 4096) {
        if (const int w = waitFor(sock.fd(), POLLIN, deadline, cancel); w <= 0) {
            return fail("GET " + url + ": " + waitFailure(w, "no answer within " + std::to_string(timeout.count()) + " ms"));
        }
        const ssize_t n = recv(sock.fd(), buffer, sizeof buffer, 0);
        if (n > 0) {
            head.append(buffer, static_cast<std::size_t>(n));
        } else if (n == 0) {
            break;
        } else if (errno != EAGAIN && errno != EINTR) {
            return fail("GET " + url + ": " + std::strerror(errno));
        }
    }
    if (head.rfind("HTTP/", 0) != 0) return fail("GET " + url + ": the answer is not HTTP");
    const std::size_t space = head.find(' ');
    if (space == std::string::npos || space + 4 > head.size()) return fail("GET " + url + ": malformed status line");
    int code = 0;
    for (std::size_t i = space + 1; i < space + 4; ++i) {
        if (head[i] < '0' || head[i] > '9') return fail("GET " + url + ": malformed status line");
        code = code * 10 + (head[i] - '0');
    }
    return code;
}

Result<int> pickFreePort(const std::string &host) {
    auto resolved = resolveNumeric(host, 0);
    if (!resolved) return resolved.error();
    addrinfo *info = resolved.value();
    Socket sock(socket(info->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
    const int bound = sock.fd() < 0 ? -1 : bind(sock.fd(), info->ai_addr, info->ai_addrlen);
    freeaddrinfo(info);
    if (bound != 0) return fail("cannot find a free port on " + host + ": " + std::strerror(errno));
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (getsockname(sock.fd(), reinterpret_cast<sockaddr *>(&addr), &len) != 0) {
        return fail("cannot find a free port on " + host + ": " + std::strerror(errno));
    }
    if (addr.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6 *>(&addr)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in *>(&addr)->sin_port);
}

} // namespace slipway::local
