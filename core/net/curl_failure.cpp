#include "net/curl_failure.h"

#include "net/redact.h"
#include "net/url.h"

#include <cerrno>
#include <cstring>

namespace slipway::net {

namespace {

std::string what(const Request &request)
{
    return request.method + " " + redactSecrets(request.url);
}

std::string seconds(std::chrono::milliseconds ms)
{
    const double s = static_cast<double>(ms.count()) / 1000.0;
    char text[32];
    std::snprintf(text, sizeof text, s < 10 ? "%.1f s" : "%.0f s", s);
    return text;
}

std::string detail(const FailureContext &c)
{
    if (c.errorBuffer && *c.errorBuffer)
        return redactSecrets(c.errorBuffer);
    return curl_easy_strerror(c.code);
}

bool mentions(const char *text, const char *needle)
{
    return text && std::strstr(text, needle) != nullptr;
}

} // namespace

std::string cancelledMessage(const Request &request)
{
    return what(request) + ": cancelled";
}

std::string stalledMessage(const Request &request, std::chrono::milliseconds stall)
{
    return what(request) + ": no data from " + hostAndPort(request.url) + " for " + seconds(stall) +
           " — the stream stalled; the server may be overloaded or the connection dead. Retry, or raise the "
           "stall timeout";
}

std::string transportFailureMessage(const Request &request, const FailureContext &c)
{
    const std::string target = hostAndPort(request.url);
    const std::string head = what(request) + ": ";
    switch (c.code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        return head + "invalid URL (" + detail(c) + ") — write it as http://host:port/path or https://host:port/path";
    case CURLE_COULDNT_RESOLVE_HOST:
        return head + "cannot resolve the host name of " + target +
               " (DNS lookup failed) — check the address for typos, and your DNS or VPN settings";
    case CURLE_COULDNT_RESOLVE_PROXY:
        return head + "cannot resolve the proxy's host name (" + detail(c) + ") — check the proxy setting";
    case CURLE_COULDNT_CONNECT:
        if (c.osErrno == ECONNREFUSED || mentions(c.errorBuffer, "refused"))
            return head + "cannot connect to " + target +
                   ": connection refused — nothing is listening there; check that the server is running and the "
                   "port is right";
        return head + "cannot connect to " + target + " (" + detail(c) +
               ") — check the address, the network route and any firewall";
    case CURLE_OPERATION_TIMEDOUT:
        if (!c.connected)
            return head + "timed out after " + seconds(request.timeouts.connect) + " connecting to " + target +
                   " — the host does not answer; check the address, the network route and any firewall";
        return head + "no complete response within " + seconds(request.timeouts.total) +
               " (the total timeout) — the server is slow or the reply is large; retry or raise the timeout";
    case CURLE_PEER_FAILED_VERIFICATION:
        if (mentions(c.errorBuffer, "subject name") || mentions(c.errorBuffer, "host name"))
            return head + "the TLS certificate of " + target + " is not issued for that host name (" + detail(c) +
                   ") — connect with a name the certificate lists, or choose 'skip TLS verification'";
        return head + "cannot reach https://" + target + ": TLS certificate not trusted (" + detail(c) +
               ") — add the server's CA certificate (CA file or CA data) or choose 'skip TLS verification'";
    case CURLE_SSL_CACERT_BADFILE:
        return head + "cannot load the CA certificates (" + detail(c) +
               ") — the CA file or data must be PEM text (-----BEGIN CERTIFICATE-----)";
    case CURLE_SSL_CERTPROBLEM:
        return head + "the client certificate or key cannot be used (" + detail(c) +
               ") — both must be PEM and belong together";
    case CURLE_SSL_CONNECT_ERROR:
        return head + "the TLS handshake with " + target + " failed (" + detail(c) +
               ") — is this an https port? The server may also require a client certificate";
    case CURLE_GOT_NOTHING:
        return head + target + " closed the connection without replying — the server may have crashed or the "
               "port speaks another protocol (https vs http?)";
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
        if (!c.responseStarted)
            return head + "the connection to " + target + " broke before a reply (" + detail(c) +
                   ") — the server may have stopped";
        return head + "the connection to " + target + " was closed before the response was complete (" +
               detail(c) + ") — the server stopped or restarted mid-response";
    case CURLE_SEND_ERROR:
        return head + "sending to " + target + " failed (" + detail(c) + ") — the server closed the connection";
    case CURLE_WRITE_ERROR:
        if (c.stoppedByReceiver)
            return head + "stopped by the receiver of the stream";
        break;
    case CURLE_TOO_MANY_REDIRECTS:
        return head + "too many redirects (" + detail(c) + ")";
    case CURLE_READ_ERROR:
        return head + "the request body could not be read (" + detail(c) + ")";
    default:
        break;
    }
    return head + "failed: " + detail(c);
}

} // namespace slipway::net
