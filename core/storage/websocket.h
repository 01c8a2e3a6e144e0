#pragma once
// A minimal RFC 6455 WebSocket client for the API server's exec endpoint. libcurl 7.88 as Debian
// builds it has no WebSocket support, and core/net exposes no raw connection, so this opens the
// TCP + TLS connection with libcurl's CONNECT_ONLY mode (same CA, client-certificate and proxy
// handling as every other request) and speaks the handshake and framing itself. Binary frames
// only; pings are answered; client frames are masked. Not thread-safe: one thread drives it.
#include "common/result.h"
#include "net/cancel_token.h"
#include "net/http_types.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slipway::storage {

struct WebSocketOptions {
    std::string url;                       // https://host:port/path?query
    std::vector<net::Header> headers;      // Authorization, ...
    std::vector<std::string> protocols;    // offered subprotocols, preferred first
    net::TlsOptions tls;
    std::optional<std::string> proxy;
    std::chrono::milliseconds connectTimeout{10'000};
};

struct WebSocketMessage {
    bool binary = true;
    std::string payload;
};

// The server refused the upgrade: its HTTP status and body (a Kubernetes Status, usually).
struct HandshakeRefusal {
    long status = 0;
    std::string body;
};

class WebSocket final {
public:
    ~WebSocket();
    WebSocket(const WebSocket &) = delete;
    WebSocket &operator=(const WebSocket &) = delete;

    // Connects and upgrades. On a non-101 answer the Error message starts with "HTTP <status>"
    // and `refusal` (when given) receives status and body.
    static Result<std::unique_ptr<WebSocket>> connect(const WebSocketOptions &options, const net::CancelToken *cancel,
                                                      HandshakeRefusal *refusal = nullptr);

    const std::string &protocol() const { return m_protocol; }

    // Queues one binary message; flush() sends.
    void queueBinary(std::string_view payload);
    void queueClose(std::uint16_t code = 1000);
    bool hasPendingOutput() const { return m_outOffset < m_out.size(); }
    std::size_t pendingOutput() const { return m_out.size() - m_outOffset; }
    // Sends what the socket takes now, without blocking.
    Result<void> flush();
    // Reads what has arrived, without blocking; complete messages are appended to `messages`.
    Result<void> receive(std::vector<WebSocketMessage> &messages);
    // Waits until the socket is readable (or writable, when there is pending output) or timeout.
    void wait(std::chrono::milliseconds timeout);
    bool closedByPeer() const { return m_peerClosed; }
    std::uint16_t closeCode() const { return m_closeCode; }

private:
    WebSocket() = default;
    Result<void> sendAll(std::string_view bytes, const net::CancelToken *cancel);
    void queueFrame(std::uint8_t opcode, std::string_view payload);

    void *m_curl = nullptr;
    long m_socket = -1;
    std::string m_protocol;
    std::string m_out;
    std::size_t m_outOffset = 0;
    std::string m_in;          // received, not yet parsed
    std::string m_fragments;   // payload of a fragmented message so far
    bool m_fragmentBinary = true;
    bool m_peerClosed = false;
    std::uint16_t m_closeCode = 0;
};

} // namespace slipway::storage
