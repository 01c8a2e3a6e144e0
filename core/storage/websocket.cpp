#include "storage/websocket.h"

#include "net/curl_tls.h"

#include "storage/digest.h"
#include "storage/s3_client.h" // base64

#include <curl/curl.h>
#include <openssl/rand.h>
#include <poll.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>

namespace slipway::storage {

namespace {

constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

void globalInit()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string randomBytes(std::size_t n)
{
    std::string bytes(n, '\0');
    RAND_bytes(reinterpret_cast<unsigned char *>(bytes.data()), static_cast<int>(n));
    return bytes;
}

// host[:port] and path?query of a URL.
bool splitUrl(const std::string &url, std::string &host, std::string &target)
{
    const auto scheme = url.find("://");
    if (scheme == std::string::npos)
        return false;
    const auto slash = url.find('/', scheme + 3);
    host = url.substr(scheme + 3, slash == std::string::npos ? std::string::npos : slash - scheme - 3);
    target = slash == std::string::npos ? "/" : url.substr(slash);
    return !host.empty();
}

} // namespace

WebSocket::~WebSocket()
{
    if (m_curl)
        curl_easy_cleanup(static_cast<CURL *>(m_curl));
}

Result<std::unique_ptr<WebSocket>> WebSocket::connect(const WebSocketOptions &options, const net::CancelToken *cancel,
                                                      HandshakeRefusal *refusal)
{
    globalInit();
    std::string host;
    std::string target;
    if (!splitUrl(options.url, host, target))
        return fail("cannot open a WebSocket to \"" + options.url + "\": not a URL");
    std::unique_ptr<WebSocket> ws(new WebSocket());
    CURL *h = curl_easy_init();
    if (!h)
        return fail("cannot open a WebSocket: libcurl could not allocate a handle");
    ws->m_curl = h;
    char errorBuffer[CURL_ERROR_SIZE] = {};
    // Sets the URL as well; the Host header below keeps the original host (tls-server-name).
    const net::CurlTls tls(h, options.url, options.tls);
    curl_easy_setopt(h, CURLOPT_CONNECT_ONLY, 1L);
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1); // ALPN http/1.1: an upgrade needs HTTP/1.1
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connectTimeout.count()));
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    if (options.proxy) {
        curl_easy_setopt(h, CURLOPT_PROXY, options.proxy->c_str());
        curl_easy_setopt(h, CURLOPT_HTTPPROXYTUNNEL, 1L);
    }
    const CURLcode code = curl_easy_perform(h);
    if (code != CURLE_OK)
        return fail("cannot connect to " + host + " for a WebSocket: " + (errorBuffer[0] ? std::string(errorBuffer) : curl_easy_strerror(code)));
    curl_socket_t socket = CURL_SOCKET_BAD;
    curl_easy_getinfo(h, CURLINFO_ACTIVESOCKET, &socket);
    ws->m_socket = static_cast<long>(socket);

    const std::string key = base64(randomBytes(16));
    std::string request = "GET " + target + " HTTP/1.1\r\nHost: " + host +
                          "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + key + "\r\n";
    if (!options.protocols.empty()) {
        std::string list;
        for (const std::string &p : options.protocols)
            list += (list.empty() ? "" : ", ") + p;
        request += "Sec-WebSocket-Protocol: " + list + "\r\n";
    }
    for (const net::Header &header : options.headers)
        request += header.name + ": " + header.value + "\r\n";
    request += "\r\n";
    if (auto sent = ws->sendAll(request, cancel); !sent)
        return sent.error();

    // Read the response head (and, on refusal, the body the server sends before closing).
    std::string head;
    const auto deadline = std::chrono::steady_clock::now() + std::max(options.connectTimeout, std::chrono::milliseconds(30'000));
    std::size_t headEnd = std::string::npos;
    while (headEnd == std::string::npos) {
        if (cancel && cancel->isCancelled())
            return fail("cancelled while opening the WebSocket to " + host);
        if (std::chrono::steady_clock::now() > deadline)
            return fail("the server at " + host + " did not answer the WebSocket upgrade within 30 s");
        char buffer[4096];
        size_t got = 0;
        const CURLcode rc = curl_easy_recv(h, buffer, sizeof buffer, &got);
        if (rc == CURLE_AGAIN) {
            ws->wait(std::chrono::milliseconds(50));
            continue;
        }
        if (rc != CURLE_OK || got == 0)
            return fail("the server at " + host + " closed the connection during the WebSocket upgrade");
        head.append(buffer, got);
        headEnd = head.find("\r\n\r\n");
    }
    ws->m_in = head.substr(headEnd + 4);
    head.resize(headEnd);
    long status = 0;
    if (head.rfind("HTTP/1.", 0) == 0 && head.size() > 12)
        status = std::strtol(head.c_str() + 9, nullptr, 10);
    std::string acceptHeader;
    std::size_t contentLength = std::string::npos;
    std::size_t lineStart = head.find("\r\n");
    while (lineStart != std::string::npos) {
        const std::size_t next = head.find("\r\n", lineStart + 2);
        const std::string line = head.substr(lineStart + 2, next == std::string::npos ? std::string::npos : next - lineStart - 2);
        const auto colon = line.find(':');
        if (colon != std::string::npos) {
            const std::string name = lower(line.substr(0, colon));
            std::string value = line.substr(colon + 1);
            value.erase(0, value.find_first_not_of(" \t"));
            if (name == "sec-websocket-accept")
                acceptHeader = value;
            else if (name == "sec-websocket-protocol")
                ws->m_protocol = value;
            else if (name == "content-length")
                contentLength = std::strtoul(value.c_str(), nullptr, 10);
        }
        lineStart = next;
    }
    if (status != 101) {
        std::string body = ws->m_in;
        while (contentLength != std::string::npos && body.size() < contentLength && std::chrono::steady_clock::now() < deadline) {
            char buffer[4096];
            size_t got = 0;
            const CURLcode rc = curl_easy_recv(h, buffer, sizeof buffer, &got);
            if (rc == CURLE_AGAIN) {
                ws->wait(std::chrono::milliseconds(50));
                continue;
            }
            if (rc != CURLE_OK || got == 0)
                break;
            body.append(buffer, got);
        }
        if (refusal)
            *refusal = HandshakeRefusal{status, body};
        return fail("HTTP " + std::to_string(status) + ": the server at " + host + " refused the WebSocket upgrade: " + body.substr(0, 300));
    }
    if (acceptHeader != base64(digest(HashKind::Sha1, key + std::string(kGuid))))
        return fail("the server at " + host + " answered the WebSocket upgrade with a wrong Sec-WebSocket-Accept: a proxy in between may not support WebSockets");
    if (!options.protocols.empty() &&
        std::find(options.protocols.begin(), options.protocols.end(), ws->m_protocol) == options.protocols.end())
        return fail("the server at " + host + " chose no offered WebSocket subprotocol (got \"" + ws->m_protocol + "\")");
    return ws;
}

Result<void> WebSocket::sendAll(std::string_view bytes, const net::CancelToken *cancel)
{
    auto *h = static_cast<CURL *>(m_curl);
    while (!bytes.empty()) {
        if (cancel && cancel->isCancelled())
            return fail("cancelled");
        size_t sent = 0;
        const CURLcode rc = curl_easy_send(h, bytes.data(), bytes.size(), &sent);
        if (rc == CURLE_AGAIN) {
            pollfd fd{static_cast<int>(m_socket), POLLOUT, 0};
            poll(&fd, 1, 50);
            continue;
        }
        if (rc != CURLE_OK)
            return fail(std::string("the WebSocket connection failed while sending: ") + curl_easy_strerror(rc));
        bytes.remove_prefix(sent);
    }
    return {};
}

void WebSocket::queueFrame(std::uint8_t opcode, std::string_view payload)
{
    if (m_outOffset > 0 && m_outOffset == m_out.size()) {
        m_out.clear();
        m_outOffset = 0;
    }
    m_out.push_back(static_cast<char>(0x80 | opcode));
    const std::size_t n = payload.size();
    if (n < 126) {
        m_out.push_back(static_cast<char>(0x80 | n));
    } else if (n <= 0xffff) {
        m_out.push_back(static_cast<char>(0x80 | 126));
        m_out.push_back(static_cast<char>((n >> 8) & 0xff));
        m_out.push_back(static_cast<char>(n & 0xff));
    } else {
        m_out.push_back(static_cast<char>(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            m_out.push_back(static_cast<char>((static_cast<std::uint64_t>(n) >> shift) & 0xff));
    }
    const std::string mask = randomBytes(4);
    m_out += mask;
    const std::size_t start = m_out.size();
    m_out.append(payload);
    for (std::size_t i = 0; i < n; ++i)
        m_out[start + i] = static_cast<char>(m_out[start + i] ^ mask[i & 3]);
}

void WebSocket::queueBinary(std::string_view payload)
{
    queueFrame(0x2, payload);
}

void WebSocket::queueClose(std::uint16_t code)
{
    const char payload[2] = {static_cast<char>(code >> 8), static_cast<char>(code & 0xff)};
    queueFrame(0x8, std::string_view(payload, 2));
}

Result<void> WebSocket::flush()
{
    auto *h = static_cast<CURL *>(m_curl);
    while (m_outOffset < m_out.size()) {
        size_t sent = 0;
        const CURLcode rc = curl_easy_send(h, m_out.data() + m_outOffset, m_out.size() - m_outOffset, &sent);
        if (rc == CURLE_AGAIN)
            return {};
        if (rc != CURLE_OK)
            return fail(std::string("the connection to the API server broke while sending: ") + curl_easy_strerror(rc));
        m_outOffset += sent;
    }
    m_out.clear();
    m_outOffset = 0;
    return {};
}

Result<void> WebSocket::receive(std::vector<WebSocketMessage> &messages)
{
    auto *h = static_cast<CURL *>(m_curl);
    while (!m_peerClosed) {
        char buffer[65536];
        size_t got = 0;
        const CURLcode rc = curl_easy_recv(h, buffer, sizeof buffer, &got);
        if (rc == CURLE_AGAIN)
            break;
        if (rc != CURLE_OK)
            return fail(std::string("the connection to the API server broke: ") + curl_easy_strerror(rc));
        if (got == 0) {
            if (m_in.empty())
                return fail("the API server closed the connection without closing the WebSocket");
            break;
        }
        m_in.append(buffer, got);
        if (m_in.size() > (1u << 20))
            break; // parse before reading more
    }
    // Parse complete frames.
    std::size_t at = 0;
    while (true) {
        if (m_in.size() - at < 2)
            break;
        const auto b0 = static_cast<unsigned char>(m_in[at]);
        const auto b1 = static_cast<unsigned char>(m_in[at + 1]);
        std::uint64_t length = b1 & 0x7f;
        std::size_t headerSize = 2;
        if (length == 126) {
            if (m_in.size() - at < 4)
                break;
            length = (static_cast<std::uint64_t>(static_cast<unsigned char>(m_in[at + 2])) << 8) | static_cast<unsigned char>(m_in[at + 3]);
            headerSize = 4;
        } else if (length == 127) {
            if (m_in.size() - at < 10)
                break;
            length = 0;
            for (int i = 0; i < 8; ++i)
                length = (length << 8) | static_cast<unsigned char>(m_in[at + 2 + static_cast<std::size_t>(i)]);
            headerSize = 10;
        }
        const bool masked = b1 & 0x80;
        const std::size_t maskOffset = at + headerSize;
        if (masked)
            headerSize += 4;
        if (m_in.size() - at < headerSize + length)
            break;
        std::string payload = m_in.substr(at + headerSize, static_cast<std::size_t>(length));
        if (masked) {
            for (std::size_t i = 0; i < payload.size(); ++i)
                payload[i] = static_cast<char>(payload[i] ^ m_in[maskOffset + (i & 3)]);
        }
        at += headerSize + static_cast<std::size_t>(length);
        const bool fin = b0 & 0x80;
        const std::uint8_t opcode = b0 & 0x0f;
        if (opcode == 0x8) {
            m_peerClosed = true;
            m_closeCode = payload.size() >= 2 ? static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1])) : 1005;
            break;
        }
        if (opcode == 0x9) {
            queueFrame(0xA, payload);
            continue;
        }
        if (opcode == 0xA)
            continue;
        if (opcode == 0x1 || opcode == 0x2) {
            m_fragmentBinary = opcode == 0x2;
            m_fragments = std::move(payload);
        } else if (opcode == 0x0) {
            m_fragments += payload;
        } else {
            return fail("the API server sent a WebSocket frame with unknown opcode " + std::to_string(opcode));
        }
        if (fin) {
            messages.push_back(WebSocketMessage{m_fragmentBinary, std::move(m_fragments)});
            m_fragments.clear();
        }
    }
    m_in.erase(0, at);
    return {};
}

void WebSocket::wait(std::chrono::milliseconds timeout)
{
    pollfd fd{static_cast<int>(m_socket), static_cast<short>(POLLIN | (hasPendingOutput() ? POLLOUT : 0)), 0};
    poll(&fd, 1, static_cast<int>(timeout.count()));
}

} // namespace slipway::storage
