#include "storage/s3_client.h"

#include "net/http_client.h"
#include "storage/digest.h"
#include "storage/sigv4.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace slipway::storage {

namespace {

std::string hexToBinary(std::string_view hex)
{
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
    return out;
}

} // namespace

std::string base64(std::string_view bytes)
{
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                  reinterpret_cast<const unsigned char *>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::string xmlValue(std::string_view xml, std::string_view tag)
{
    const auto values = xmlValues(xml, tag);
    return values.empty() ? std::string() : values.front();
}

std::vector<std::string> xmlValues(std::string_view xml, std::string_view tag)
{
    std::vector<std::string> values;
    const std::string open = "<" + std::string(tag) + ">";
    const std::string close = "</" + std::string(tag) + ">";
    std::size_t at = 0;
    while ((at = xml.find(open, at)) != std::string_view::npos) {
        const std::size_t start = at + open.size();
        const std::size_t end = xml.find(close, start);
        if (end == std::string_view::npos)
            break;
        std::string value(xml.substr(start, end - start));
        // The entities S3 uses in keys and ETags.
        for (const auto &[entity, text] : {std::pair{"&quot;", "\""}, {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&apos;", "'"}}) {
            std::size_t p = 0;
            while ((p = value.find(entity, p)) != std::string::npos) {
                value.replace(p, std::strlen(entity), text);
                p += std::strlen(text);
            }
        }
        values.push_back(std::move(value));
        at = end + close.size();
    }
    return values;
}

std::string normalizeEtag(std::string_view etag)
{
    std::string out;
    for (const char c : etag) {
        if (c != '"')
            out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    return out;
}

std::string multipartEtag(const std::vector<std::string> &partMd5Hex)
{
    std::string joined;
    for (const std::string &hex : partMd5Hex)
        joined += hexToBinary(hex);
    return md5Hex(joined) + "-" + std::to_string(partMd5Hex.size());
}

S3Client::S3Client(S3Location location) : m_location(std::move(location))
{
    m_base = m_location.endpoint;
    while (!m_base.empty() && m_base.back() == '/')
        m_base.pop_back();
    const auto scheme = m_base.find("://");
    std::string hostPort = scheme == std::string::npos ? m_base : m_base.substr(scheme + 3);
    hostPort = hostPort.substr(0, hostPort.find('/'));
    // libcurl leaves the default port out of Host; so must the signature.
    const bool https = m_base.rfind("https://", 0) == 0;
    const std::string defaultPort = https ? ":443" : ":80";
    if (hostPort.size() > defaultPort.size() && hostPort.ends_with(defaultPort))
        hostPort.resize(hostPort.size() - defaultPort.size());
    m_host = hostPort;
    if (m_location.region.empty())
        m_location.region = "us-east-1";
}

Result<net::Response> S3Client::send(const std::string &method, const std::string &key,
                                      const std::vector<std::pair<std::string, std::string>> &query, std::string_view body,
                                      std::vector<net::Header> headers, const net::CancelToken *cancel,
                                      const std::function<void(std::int64_t)> &onSent)
{
    if (m_location.endpoint.rfind("http://", 0) != 0 && m_location.endpoint.rfind("https://", 0) != 0)
        return fail("the S3 endpoint \"" + m_location.endpoint + "\" must start with http:// or https://");
    if (m_location.bucket.empty())
        return fail("no S3 bucket given: enter the bucket that should hold the model");
    if (m_location.accessKeyId.empty() || m_location.secretAccessKey.empty())
        return fail("the S3 access key ID and secret access key are both required");

    SigV4Request signing;
    signing.method = method;
    signing.host = m_host;
    signing.encodedPath = "/" + uriEncode(m_location.bucket, false) + (key.empty() ? "" : "/" + uriEncode(key, true));
    signing.query = query;
    signing.headers = headers;
    signing.payloadHash = sha256Hex(body);
    signing.amzDate = amzDateNow();
    SigningKey signingKey{m_location.accessKeyId, m_location.secretAccessKey, m_location.region, "s3"};

    net::Request request;
    request.method = method;
    const std::string queryText = canonicalQuery(query);
    request.url = m_base + signing.encodedPath + (queryText.empty() ? "" : "?" + queryText);
    request.headers = std::move(headers);
    request.headers.push_back({"Host", m_host});
    for (net::Header &h : signHeaders(signing, signingKey))
        request.headers.push_back(std::move(h));
    request.tls = m_location.tls;
    request.timeouts.total = m_location.requestTimeout;
    request.timeouts.stall = m_location.stallTimeout;

    net::Transfer transfer;
    transfer.cancel = cancel;
    std::size_t offset = 0;
    if (method == "PUT" || method == "POST") {
        transfer.bodySource = [&](char *buffer, std::size_t size) {
            const std::size_t n = std::min(size, body.size() - offset);
            std::memcpy(buffer, body.data() + offset, n);
            offset += n;
            return n;
        };
        transfer.uploadSize = static_cast<std::int64_t>(body.size());
        if (onSent)
            transfer.onProgress = [&](const net::Progress &p) { onSent(p.uploaded); };
    }
    return net::perform(request, transfer);
}

std::string S3Client::errorMessage(const std::string &what, const net::Response &response) const
{
    const std::string code = xmlValue(response.body, "Code");
    std::string message = xmlValue(response.body, "Message");
    std::string hint;
    if (code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch")
        hint = "check the access key ID and secret access key";
    else if (code == "NoSuchBucket")
        hint = "create the bucket " + m_location.bucket + " first, or choose an existing one";
    else if (code == "AccessDenied")
        hint = "the key may not write to bucket " + m_location.bucket + "; ask for s3:PutObject on it";
    else if (code == "RequestTimeTooSkewed")
        hint = "this computer's clock is off; set the time and retry";
    else if (code.empty() && response.status == 403)
        hint = "access denied: check the access key ID and secret access key, and that the key may use bucket " + m_location.bucket;
    else if (response.status == 301 || code == "PermanentRedirect" || code == "AuthorizationHeaderMalformed")
        hint = "the bucket is in another region; set the region";
    std::string text = what + " failed: HTTP " + std::to_string(response.status);
    if (!code.empty())
        text += " " + code;
    if (!message.empty())
        text += " (" + message + ")";
    else if (code.empty() && !response.body.empty())
        text += " (" + response.body.substr(0, 200) + ")";
    if (!hint.empty())
        text += ": " + hint;
    return text;
}

Result<S3ObjectInfo> S3Client::head(const std::string &key, const net::CancelToken *cancel)
{
    auto response = send("HEAD", key, {}, {}, {}, cancel);
    if (!response)
        return response.error();
    S3ObjectInfo info;
    if (response->status == 404)
        return info;
    if (!response->isSuccess())
        return fail(errorMessage("checking s3://" + m_location.bucket + "/" + key, response.value()));
    info.exists = true;
    info.size = std::stoll(response->header("Content-Length").value_or("0"));
    info.etag = normalizeEtag(response->header("ETag").value_or(""));
    return info;
}

Result<std::string> S3Client::putObject(const std::string &key, std::string_view data, const net::CancelToken *cancel,
                                        const std::function<void(std::int64_t)> &onSent)
{
    auto response = send("PUT", key, {}, data, {{"Content-MD5", base64(digest(HashKind::Md5, data))}}, cancel, onSent);
    if (!response)
        return response.error();
    if (!response->isSuccess())
        return fail(errorMessage("uploading s3://" + m_location.bucket + "/" + key, response.value()));
    return normalizeEtag(response->header("ETag").value_or(""));
}

Result<std::string> S3Client::createMultipartUpload(const std::string &key, const net::CancelToken *cancel)
{
    auto response = send("POST", key, {{"uploads", ""}}, {}, {}, cancel);
    if (!response)
        return response.error();
    if (!response->isSuccess())
        return fail(errorMessage("starting the upload of s3://" + m_location.bucket + "/" + key, response.value()));
    std::string id = xmlValue(response->body, "UploadId");
    if (id.empty())
        return fail("the S3 server did not return an UploadId for " + key + ": is " + m_location.endpoint + " an S3 endpoint?");
    return id;
}

Result<std::string> S3Client::uploadPart(const std::string &key, const std::string &uploadId, int partNumber,
                                         std::string_view data, const net::CancelToken *cancel,
                                         const std::function<void(std::int64_t)> &onSent)
{
    auto response = send("PUT", key, {{"partNumber", std::to_string(partNumber)}, {"uploadId", uploadId}}, data,
                         {{"Content-MD5", base64(digest(HashKind::Md5, data))}}, cancel, onSent);
    if (!response)
        return response.error();
    if (!response->isSuccess())
        return fail(errorMessage("uploading part " + std::to_string(partNumber) + " of " + key, response.value()));
    return normalizeEtag(response->header("ETag").value_or(""));
}

Result<std::optional<std::vector<S3Part>>> S3Client::listParts(const std::string &key, const std::string &uploadId,
                                                               const net::CancelToken *cancel)
{
    std::vector<S3Part> parts;
    std::string marker;
    while (true) {
        std::vector<std::pair<std::string, std::string>> query{{"uploadId", uploadId}};
        if (!marker.empty())
            query.emplace_back("part-number-marker", marker);
        auto response = send("GET", key, query, {}, {}, cancel);
        if (!response)
            return response.error();
        if (response->status == 405 || response->status == 501)
            return std::optional<std::vector<S3Part>>();
        if (response->status == 404)
            return fail("no such upload: the interrupted upload of " + key + " is gone from the server (aborted or expired)");
        if (!response->isSuccess())
            return fail(errorMessage("listing the uploaded parts of " + key, response.value()));
        const std::string &xml = response->body;
        std::size_t at = 0;
        while ((at = xml.find("<Part>", at)) != std::string::npos) {
            const std::size_t end = xml.find("</Part>", at);
            const std::string_view block = std::string_view(xml).substr(at, end - at);
            S3Part part;
            part.number = std::atoi(xmlValue(block, "PartNumber").c_str());
            part.etag = normalizeEtag(xmlValue(block, "ETag"));
            part.size = std::atoll(xmlValue(block, "Size").c_str());
            parts.push_back(std::move(part));
            at = end == std::string::npos ? xml.size() : end;
        }
        if (xmlValue(xml, "IsTruncated") != "true")
            break;
        marker = xmlValue(xml, "NextPartNumberMarker");
        if (marker.empty())
            break;
    }
    return std::optional<std::vector<S3Part>>(std::move(parts));
}

Result<std::string> S3Client::completeMultipartUpload(const std::string &key, const std::string &uploadId,
                                                      const std::vector<S3Part> &parts, const net::CancelToken *cancel)
{
    std::string xml = "<CompleteMultipartUpload>";
    for (const S3Part &part : parts)
        xml += "<Part><PartNumber>" + std::to_string(part.number) + "</PartNumber><ETag>\"" + part.etag + "\"</ETag></Part>";
    xml += "</CompleteMultipartUpload>";
    auto response = send("POST", key, {{"uploadId", uploadId}}, xml, {{"Content-Type", "application/xml"}}, cancel);
    if (!response)
        return response.error();
    // S3 may answer 200 with an <Error> body when completion fails late.
    if (!response->isSuccess() || response->body.find("<Error>") != std::string::npos)
        return fail(errorMessage("completing the upload of " + key, response.value()));
    return normalizeEtag(xmlValue(response->body, "ETag"));
}

Result<void> S3Client::abortMultipartUpload(const std::string &key, const std::string &uploadId, const net::CancelToken *cancel)
{
    auto response = send("DELETE", key, {{"uploadId", uploadId}}, {}, {}, cancel);
    if (!response)
        return response.error();
    if (!response->isSuccess() && response->status != 404)
        return fail(errorMessage("aborting the upload of " + key, response.value()));
    return {};
}

} // namespace slipway::storage
