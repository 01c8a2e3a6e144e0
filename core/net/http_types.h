#pragma once
// Value types of one HTTP exchange: what to send (Request, with its TLS and timeout settings),
// what came back (Response), and the per-call hooks (Transfer: streaming, progress, cancellation).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slipway::net {

class CancelToken;

struct Header {
    std::string name;
    std::string value;
};

// TLS settings. PEM text may be given in memory (kubeconfig's *-data fields, decoded) or as
// file paths; memory wins when both are set.
struct TlsOptions {
    std::string caFile;              // PEM bundle of CAs to trust (in addition to the system's)
    std::string caData;              // the same, in memory
    std::string clientCertFile;      // client certificate (mutual TLS)
    std::string clientCertData;
    std::string clientKeyFile;
    std::string clientKeyData;
    bool insecureSkipVerify = false; // trust any server certificate and host name (shown as a warning)
    std::string serverName;          // check the certificate against this name, not the URL's host
                                     // (kubeconfig tls-server-name; also sent as SNI)
};

// Zero means "no limit" for every field.
struct Timeouts {
    std::chrono::milliseconds connect{10'000}; // TCP + TLS handshake
    std::chrono::milliseconds total{0};        // the whole exchange, body included
    std::chrono::milliseconds stall{0};        // no byte received or sent for this long
};

struct Request {
    std::string method = "GET";
    std::string url;
    std::vector<Header> headers;
    std::string body;                          // sent as is; set Content-Type in headers
    TlsOptions tls;
    Timeouts timeouts;
    bool followRedirects = false;
    std::optional<std::string> proxy;          // "" disables any proxy from the environment
};

struct Response {
    long status = 0;
    std::string reason;                        // the status line's reason phrase, if any
    std::vector<Header> headers;               // of the final response (after redirects)
    std::string body;                          // empty when streamed to Transfer::onChunk
    std::string effectiveUrl;

    bool isSuccess() const { return status >= 200 && status < 300; }
    // First header of that name, compared case-insensitively.
    std::optional<std::string> header(std::string_view name) const;
};

struct Progress {
    std::int64_t downloaded = 0;
    std::int64_t downloadTotal = 0; // 0 when unknown
    std::int64_t uploaded = 0;
    std::int64_t uploadTotal = 0;
};

// Hooks for one call. All callbacks run on the calling thread, inside perform().
struct Transfer {
    // Cancellation: when the token flips, perform() aborts and returns a "cancelled" Error.
    const CancelToken *cancel = nullptr;
    // Called once the status line and headers of the final response are in, before any chunk.
    std::function<void(const Response &)> onHeaders;
    // Streamed body: each chunk of a 2xx response as it arrives (not accumulated in
    // Response::body). Return false to stop the transfer (perform() then returns an Error
    // "stopped by the receiver"). Non-2xx bodies are always accumulated, so error messages
    // can quote them.
    std::function<bool(std::string_view chunk)> onChunk;
    std::function<void(const Progress &)> onProgress;
    // Streamed upload: fill `buffer` with up to `size` bytes and return how many; 0 ends the
    // body. When set, Request::body is ignored and uploadSize (if known, else -1) is announced.
    std::function<std::size_t(char *buffer, std::size_t size)> bodySource;
    std::int64_t uploadSize = -1;
};

} // namespace slipway::net
