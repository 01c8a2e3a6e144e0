#pragma once
// Pod logs as a real follow stream (GET .../pods/<pod>/log?follow=true, a long-lived chunked
// response), never polling. Lines are always requested with timestamps; when the stream drops or
// stalls, the client reconnects with sinceTime=<last timestamp> and drops the lines it already
// delivered (those before the last timestamp, and as many at that timestamp as it had seen), so
// no line is lost or repeated. A stream the server closes while the container still runs is
// resumed the same way; one that ends because the container ended finishes the call.
#include "common/result.h"
#include "kube/client.h"

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace slipway::kube {

struct LogOptions {
    std::string namespaceName;                // empty: the client's namespace
    std::string pod;
    std::string container;                    // empty: the pod's only container
    bool follow = true;
    bool previous = false;                    // the previous (crashed) container's logs; never follows
    std::optional<int> tailLines;             // first connection only
    std::optional<int> sinceSeconds;          // first connection only
    std::string sinceTime;                    // RFC 3339; first connection only
    bool timestamps = false;                  // keep the "<RFC 3339 time> " prefix in LogLine::text
    std::chrono::milliseconds stallTimeout{0};// reconnect when no byte came for this long (0: never)
    int maxConsecutiveFailures = 5;
    std::chrono::milliseconds retryDelay{300};// first pause before a reconnect; doubles up to 8 s
};

struct LogLine {
    std::string timestamp;                    // as the server wrote it (RFC 3339 with nanoseconds)
    std::string text;                         // the line, without its newline
};

// Where a stream is; keep it to resume after a re-login without losing or repeating lines.
struct LogCursor {
    std::string lastTimestamp;                // of the last line delivered
    int linesAtLastTimestamp = 0;             // lines delivered with exactly that timestamp
    int lines = 0;                            // lines delivered in all
    int reconnects = 0;
};

// Streams until the log ends (the container stopped, or follow is off), until cancelled or until
// onLine returns false (all OK), or until a failure waiting does not fix (401 kUnauthorizedMessage,
// 403, the pod is gone, maxConsecutiveFailures transport failures in a row).
Result<void> followLogs(Client &client, const LogOptions &options, const std::function<bool(const LogLine &)> &onLine,
                        LogCursor &cursor, const net::CancelToken *cancel = nullptr,
                        const std::function<void(const std::string &)> &onNotice = {});

// Splits "2024-05-01T10:00:00.123456789Z text" into its timestamp and text; a line without a
// leading RFC 3339 time comes back with an empty timestamp.
LogLine splitTimestamp(std::string_view line);

} // namespace slipway::kube
