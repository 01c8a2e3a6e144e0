#pragma once
// The S3 calls a model upload needs, path-style (http(s)://endpoint/bucket/key, as MinIO, Ceph
// and s3rver want), each signed with SigV4 (sigv4.h) and sent through core/net. Every call runs on
// the calling thread; pass a CancelToken to stop it from another. S3's XML errors become messages
// that say what to change (wrong keys, missing bucket, clock skew).
#include "common/result.h"
#include "net/cancel_token.h"
#include "net/http_types.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace slipway::storage {

struct S3Location {
    std::string endpoint;           // "http://minio.example:9000" or "https://s3.eu-west-1.amazonaws.com"
    std::string bucket;
    std::string region = "us-east-1";
    std::string accessKeyId;
    std::string secretAccessKey;
    net::TlsOptions tls;            // custom CA, or insecure for self-signed MinIO
    std::chrono::milliseconds requestTimeout{0};  // per request; 0: none (stall applies)
    std::chrono::milliseconds stallTimeout{60'000};
};

struct S3ObjectInfo {
    bool exists = false;
    std::int64_t size = 0;
    std::string etag;               // without quotes
};

struct S3Part {
    int number = 0;
    std::string etag;               // without quotes
    std::int64_t size = 0;
};

class S3Client final {
public:
    explicit S3Client(S3Location location);
    const S3Location &location() const { return m_location; }

    Result<S3ObjectInfo> head(const std::string &key, const net::CancelToken *cancel = nullptr);
    // Single-request upload with Content-MD5 (the server rejects a body that does not match).
    // Returns the ETag.
    Result<std::string> putObject(const std::string &key, std::string_view data, const net::CancelToken *cancel = nullptr,
                                  const std::function<void(std::int64_t)> &onSent = {});
    Result<std::string> createMultipartUpload(const std::string &key, const net::CancelToken *cancel = nullptr);
    // One part (1..10000) with Content-MD5; returns the part's ETag. onSent gets bytes sent so far.
    Result<std::string> uploadPart(const std::string &key, const std::string &uploadId, int partNumber, std::string_view data,
                                   const net::CancelToken *cancel = nullptr,
                                   const std::function<void(std::int64_t)> &onSent = {});
    // The parts the server holds for an upload. nullopt: the server does not implement ListParts
    // (s3rver); an Error with "no such upload" when the upload is gone (aborted, expired).
    Result<std::optional<std::vector<S3Part>>> listParts(const std::string &key, const std::string &uploadId,
                                                         const net::CancelToken *cancel = nullptr);
    Result<std::string> completeMultipartUpload(const std::string &key, const std::string &uploadId,
                                                const std::vector<S3Part> &parts, const net::CancelToken *cancel = nullptr);
    Result<void> abortMultipartUpload(const std::string &key, const std::string &uploadId,
                                      const net::CancelToken *cancel = nullptr);

    // A signed request (building block; tests and special calls). query holds unencoded pairs.
    Result<net::Response> send(const std::string &method, const std::string &key,
                               const std::vector<std::pair<std::string, std::string>> &query, std::string_view body,
                               std::vector<net::Header> headers, const net::CancelToken *cancel,
                               const std::function<void(std::int64_t)> &onSent = {});

private:
    std::string errorMessage(const std::string &what, const net::Response &response) const;

    S3Location m_location;
    std::string m_base;   // endpoint without trailing slash
    std::string m_host;   // host[:port] for the Host header
};

// The text of the first <tag>…</tag> in an XML document, and of all of them.
std::string xmlValue(std::string_view xml, std::string_view tag);
std::vector<std::string> xmlValues(std::string_view xml, std::string_view tag);
// Removes surrounding quotes (S3 sends ETags quoted) and lower-cases.
std::string normalizeEtag(std::string_view etag);
// S3's ETag of a multipart object: hex MD5 of the concatenated binary part MD5s, "-", part count.
std::string multipartEtag(const std::vector<std::string> &partMd5Hex);
std::string base64(std::string_view bytes);

} // namespace slipway::storage
