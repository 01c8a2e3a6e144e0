#include "net/curl_tls.h"

#include <memory>

namespace slipway::net {

namespace {

struct UrlDeleter {
    void operator()(CURLU *u) const { curl_url_cleanup(u); }
};

std::string part(CURLU *u, CURLUPart which, unsigned flags = 0)
{
    char *value = nullptr;
    if (curl_url_get(u, which, &value, flags) != CURLUE_OK || !value)
        return {};
    std::string out(value);
    curl_free(value);
    return out;
}

void setCredentials(CURL *h, const TlsOptions &tls)
{
    if (!tls.caData.empty()) {
        curl_blob blob{const_cast<char *>(tls.caData.data()), tls.caData.size(), CURL_BLOB_COPY};
        curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &blob);
    } else if (!tls.caFile.empty()) {
        curl_easy_setopt(h, CURLOPT_CAINFO, tls.caFile.c_str());
    }
    if (!tls.clientCertData.empty()) {
        curl_blob blob{const_cast<char *>(tls.clientCertData.data()), tls.clientCertData.size(), CURL_BLOB_COPY};
        curl_easy_setopt(h, CURLOPT_SSLCERT_BLOB, &blob);
        curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
    } else if (!tls.clientCertFile.empty()) {
        curl_easy_setopt(h, CURLOPT_SSLCERT, tls.clientCertFile.c_str());
    }
    if (!tls.clientKeyData.empty()) {
        curl_blob blob{const_cast<char *>(tls.clientKeyData.data()), tls.clientKeyData.size(), CURL_BLOB_COPY};
        curl_easy_setopt(h, CURLOPT_SSLKEY_BLOB, &blob);
        curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM");
    } else if (!tls.clientKeyFile.empty()) {
        curl_easy_setopt(h, CURLOPT_SSLKEY, tls.clientKeyFile.c_str());
    }
    if (tls.insecureSkipVerify) {
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    }
}

} // namespace

CurlTls::CurlTls(CURL *h, const std::string &url, const TlsOptions &tls)
    : m_url(url)
{
    if (!tls.serverName.empty()) {
        std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
        if (u && curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
            const std::string host = part(u.get(), CURLUPART_HOST);
            const std::string port = part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
            const std::string written = part(u.get(), CURLUPART_PORT);
            if (!host.empty() && !port.empty() && host != tls.serverName &&
                curl_url_set(u.get(), CURLUPART_HOST, tls.serverName.c_str(), 0) == CURLUE_OK) {
                m_url = part(u.get(), CURLUPART_URL);
                m_originalHost = written.empty() ? host : host + ":" + written;
                // "name:port:real-host:port": connect there, but speak TLS as `name`.
                const std::string route = tls.serverName + ":" + port + ":" + host + ":" + port;
                m_connectTo = curl_slist_append(nullptr, route.c_str());
                curl_easy_setopt(h, CURLOPT_CONNECT_TO, m_connectTo);
            }
        }
    }
    curl_easy_setopt(h, CURLOPT_URL, m_url.c_str());
    setCredentials(h, tls);
}

CurlTls::~CurlTls()
{
    curl_slist_free_all(m_connectTo);
}

} // namespace slipway::net
