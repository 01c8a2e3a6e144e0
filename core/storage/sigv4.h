#pragma once
// AWS Signature Version 4 for S3 requests, signed in the Authorization header (what libcurl's
// CURLOPT_AWS_SIGV4 does; core/net does not expose it, so Slipway signs here). Works with AWS,
// MinIO, Ceph RGW and s3rver.
#include "net/http_types.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace slipway::storage {

struct SigningKey {
    std::string accessKeyId;
    std::string secretAccessKey;
    std::string region = "us-east-1";
    std::string service = "s3";
};

// RFC 3986 percent-encoding as SigV4 wants it: unreserved characters stay, everything else is
// %XX (upper case); '/' stays when keepSlash (object key paths).
std::string uriEncode(std::string_view text, bool keepSlash);

// A request to sign: method, host[:port] as sent in the Host header, the encoded path, the query
// parameters (unencoded; encoded and sorted here), extra headers to sign, and the payload's
// SHA-256 in hex (or "UNSIGNED-PAYLOAD").
struct SigV4Request {
    std::string method;
    std::string host;
    std::string encodedPath;                                   // "/bucket/key%20name"
    std::vector<std::pair<std::string, std::string>> query;
    std::vector<net::Header> headers;                          // e.g. Content-MD5, Content-Type
    std::string payloadHash;
    std::string amzDate;                                       // "20130524T000000Z"
};

// The canonical query string (sorted, encoded); also what goes after '?' in the URL.
std::string canonicalQuery(const std::vector<std::pair<std::string, std::string>> &query);
std::string canonicalRequest(const SigV4Request &request);
// The headers to add: Host is set by libcurl from the URL; this returns x-amz-date,
// x-amz-content-sha256 and Authorization.
std::vector<net::Header> signHeaders(const SigV4Request &request, const SigningKey &key);
// The hex signature alone (tests compare it with AWS's documented examples).
std::string signature(const SigV4Request &request, const SigningKey &key);
// Now, as "YYYYMMDDTHHMMSSZ".
std::string amzDateNow();

} // namespace slipway::storage
