#include "storage/sigv4.h"

#include "storage/digest.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <map>

namespace slipway::storage {

namespace {

std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string trimValue(std::string_view value)
{
    // Trim, and fold inner runs of spaces into one, as SigV4 requires.
    std::string out;
    bool space = false;
    for (const char c : value) {
        if (c == ' ' || c == '\t') {
            space = !out.empty();
            continue;
        }
        if (space)
            out.push_back(' ');
        space = false;
        out.push_back(c);
    }
    return out;
}

// Lower-case name -> trimmed value of every header that is signed, host included.
std::map<std::string, std::string> signedHeaderMap(const SigV4Request &request)
{
    std::map<std::string, std::string> headers;
    headers["host"] = request.host;
    headers["x-amz-content-sha256"] = request.payloadHash;
    headers["x-amz-date"] = request.amzDate;
    for (const net::Header &h : request.headers)
        headers[lower(h.name)] = trimValue(h.value);
    return headers;
}

std::string signedHeaderNames(const std::map<std::string, std::string> &headers)
{
    std::string names;
    for (const auto &[name, value] : headers)
        names += (names.empty() ? "" : ";") + name;
    return names;
}

std::string scope(const SigV4Request &request, const SigningKey &key)
{
    return request.amzDate.substr(0, 8) + "/" + key.region + "/" + key.service + "/aws4_request";
}

} // namespace

std::string uriEncode(std::string_view text, bool keepSlash)
{
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto b = static_cast<unsigned char>(c);
        if (std::isalnum(b) || c == '-' || c == '_' || c == '.' || c == '~' || (keepSlash && c == '/')) {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(kDigits[b >> 4]);
            out.push_back(kDigits[b & 0x0f]);
        }
    }
    return out;
}

std::string canonicalQuery(const std::vector<std::pair<std::string, std::string>> &query)
{
    std::vector<std::pair<std::string, std::string>> encoded;
    for (const auto &[k, v] : query)
        encoded.emplace_back(uriEncode(k, false), uriEncode(v, false));
    std::sort(encoded.begin(), encoded.end());
    std::string out;
    for (const auto &[k, v] : encoded)
        out += (out.empty() ? "" : "&") + k + "=" + v;
    return out;
}

std::string canonicalRequest(const SigV4Request &request)
{
    const auto headers = signedHeaderMap(request);
    std::string text = request.method + "\n" + (request.encodedPath.empty() ? "/" : request.encodedPath) + "\n" +
                       canonicalQuery(request.query) + "\n";
    for (const auto &[name, value] : headers)
        text += name + ":" + value + "\n";
    text += "\n" + signedHeaderNames(headers) + "\n" + request.payloadHash;
    return text;
}

std::string signature(const SigV4Request &request, const SigningKey &key)
{
    const std::string stringToSign = "AWS4-HMAC-SHA256\n" + request.amzDate + "\n" + scope(request, key) + "\n" +
                                     sha256Hex(canonicalRequest(request));
    std::string signingKey = hmacSha256("AWS4" + key.secretAccessKey, request.amzDate.substr(0, 8));
    signingKey = hmacSha256(signingKey, key.region);
    signingKey = hmacSha256(signingKey, key.service);
    signingKey = hmacSha256(signingKey, "aws4_request");
    return toHex(hmacSha256(signingKey, stringToSign));
}

std::vector<net::Header> signHeaders(const SigV4Request &request, const SigningKey &key)
{
    const auto headers = signedHeaderMap(request);
    const std::string authorization = "AWS4-HMAC-SHA256 Credential=" + key.accessKeyId + "/" + scope(request, key) +
                                      ", SignedHeaders=" + signedHeaderNames(headers) +
                                      ", Signature=" + signature(request, key);
    return {{"x-amz-date", request.amzDate},
            {"x-amz-content-sha256", request.payloadHash},
            {"Authorization", authorization}};
}

std::string amzDateNow()
{
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[20];
    std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
    return text;
}

} // namespace slipway::storage
