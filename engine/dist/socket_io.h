#pragma once
// Plain POSIX TCP for the group's control traffic: RAII sockets, a listener on all interfaces,
// connect with a timeout (name resolution included), and whole-frame reads and writes with
// deadlines. Sockets get TCP_NODELAY (a step plan must leave at once) and writes use
// MSG_NOSIGNAL (a dead peer is an error value, not SIGPIPE).
//
// Thread-safety: a Socket may be read by one thread and written by another at the same time;
// two writers must serialize themselves. shutdown_both() from any thread wakes a blocked reader.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "dist/wire_format.h"
#include "slipway/engine/status.h"

namespace slipway::engine::dist {

using Clock = std::chrono::steady_clock;

class Socket final {
public:
    Socket() = default;
    explicit Socket(int fd) : fd_(fd) {}
    ~Socket();
    Socket(Socket &&other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    Socket &operator=(Socket &&other) noexcept;
    Socket(const Socket &) = delete;
    Socket &operator=(const Socket &) = delete;

    int fd() const { return fd_; }
    bool valid() const { return fd_ >= 0; }
    void close();
    // Ends both directions (the peer sees EOF; a local reader blocked in recv wakes up).
    void shutdown_both();
    // True when the peer has closed or reset the connection (checked without blocking and
    // without consuming data).
    bool peer_gone() const;
    // "10.0.0.5:43210" of the other end, or "?".
    std::string peer_address() const;

private:
    int fd_ = -1;
};

// Listens on every interface (IPv6 dual-stack where available, else IPv4) at `port` (0: any
// free port). Errors name the port.
StatusOr<Socket> listen_tcp(uint16_t port);
uint16_t local_port(const Socket &socket);

// Waits until `deadline` for a connection; nullopt on timeout.
StatusOr<std::optional<Socket>> accept_until(const Socket &listener, Clock::time_point deadline);

// Resolves `host` and connects, trying each address, each attempt bounded by `timeout`. The
// error says whether the name did not resolve or the connection was refused / timed out.
StatusOr<Socket> connect_tcp(const std::string &host, uint16_t port, std::chrono::milliseconds timeout);

// Splits "host:port" ("[v6]:port" too). Errors name the flag --dist-init-addr.
Status split_host_port(const std::string &addr, std::string &host, uint16_t &port);

// Writes the whole buffer or fails (peer gone, or no progress until `deadline`).
Status send_all(const Socket &socket, std::string_view bytes, Clock::time_point deadline);

struct ReadResult {
    enum class Kind { Frame, Closed, Timeout, Error };
    Kind kind = Kind::Error;
    Frame frame;
    std::string error;  // Error: what is wrong (corrupt frame, I/O error)
};

// Reads one whole frame, waiting until `deadline` (Clock::time_point::max(): no limit).
ReadResult read_frame(const Socket &socket, Clock::time_point deadline);
Status write_frame(const Socket &socket, FrameType type, std::string_view payload, Clock::time_point deadline);

} // namespace slipway::engine::dist
