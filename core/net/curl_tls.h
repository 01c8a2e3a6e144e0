#pragma once
// TLS settings on a libcurl handle, shared by every libcurl user in core (the HTTP client and the
// WebSocket of pod exec): the CA bundle, the client certificate and key (in memory or as files),
// "skip verification", and a server name other than the URL's host (kubeconfig's
// tls-server-name): the URL's host is replaced by that name, so SNI and the certificate check use
// it, while CURLOPT_CONNECT_TO still connects to the real host and port.
#include "net/http_types.h"

#include <curl/curl.h>

#include <string>

namespace slipway::net {

class CurlTls final {
public:
    // Sets CURLOPT_URL (rewritten when tls.serverName is set) and the TLS options on `handle`.
    // Keep this object until the transfer is done: libcurl reads the connect-to list it holds.
    CurlTls(CURL *handle, const std::string &url, const TlsOptions &tls);
    ~CurlTls();
    CurlTls(const CurlTls &) = delete;
    CurlTls &operator=(const CurlTls &) = delete;

    // "host:port" of the original URL when the host was replaced (send it as the Host header, as
    // kubectl does); empty otherwise.
    const std::string &originalHost() const { return m_originalHost; }
    // The URL libcurl was given.
    const std::string &url() const { return m_url; }

private:
    std::string m_url;
    std::string m_originalHost;
    curl_slist *m_connectTo = nullptr;
};

} // namespace slipway::net
