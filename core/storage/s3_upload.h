#pragma once
// Uploads a local model folder to S3 (s3://bucket/prefix/<relative path>), the way the guide's
// KServe deployment expects it: multipart for files of at least one part size, resumable and
// verified.
//
// - Resumable: every multipart upload's UploadId and finished parts are kept in a JSON state file
//   in stateDir, keyed by endpoint, bucket, key, size, mtime and part size. A later run with the
//   same file asks the server (ListParts) which parts it holds and sends only the others; servers
//   without ListParts (s3rver) are trusted to hold the recorded parts, and if completion then
//   fails the file starts over once.
// - Verified: every request carries Content-MD5; the ETag of every part (and of single-request
//   objects) must be the MD5 of what was sent, else the part is sent again (partRetries times);
//   after completion a HEAD must report the local size, and an AWS-style multipart ETag must match
//   the one computed from the parts.
// - Skips files the bucket already holds with the same size and ETag (either the MD5 or the
//   multipart ETag for this part size).
#include "common/result.h"
#include "net/cancel_token.h"
#include "storage/s3_client.h"
#include "storage/transfer_progress.h"

#include <cstdint>
#include <string>
#include <vector>

namespace slipway::storage {

inline constexpr std::int64_t kMinPartSize = 5LL << 20; // S3's minimum for every part but the last

struct S3UploadOptions {
    std::string prefix;                       // key prefix: "models/DeepSeek-R1-Distill-Qwen-7B"
    std::int64_t partSize = 64LL << 20;       // at least kMinPartSize; at most 10,000 parts a file
    std::string stateDir;                     // resume state; empty: $XDG_CACHE_HOME or ~/.cache + /slipway/s3-uploads
    int partRetries = 2;                      // extra attempts for a part whose ETag does not match
    // Compare each returned ETag with the MD5 sent. Turn off only for buckets whose ETags are not
    // MD5s (AWS SSE-KMS / SSE-C encryption); Content-MD5 still makes the server check every body.
    bool verifyEtags = true;
};

struct S3UploadReport {
    int filesUploaded = 0;
    int filesSkipped = 0;                     // already in the bucket with the same size and ETag
    int partsSent = 0;                        // part (or single-object) requests that succeeded
    int partsResumed = 0;                     // parts an earlier run had already sent
    int partsRetried = 0;                     // sent again after an ETag mismatch
    std::int64_t bytesSent = 0;
    std::vector<std::string> keys;            // every key of the folder in the bucket
};

Result<S3UploadReport> uploadFolderToS3(S3Client &client, const std::string &folder, const S3UploadOptions &options,
                                        const ProgressCallback &onProgress = {}, const net::CancelToken *cancel = nullptr);

// The state folder used when S3UploadOptions::stateDir is empty.
std::string defaultS3StateDir();

} // namespace slipway::storage
