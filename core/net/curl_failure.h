#pragma once
// Internal to slipway_net: messages for failed transfers, one per cause, each saying what to do.
#include "net/http_types.h"

#include <curl/curl.h>

#include <chrono>
#include <string>

namespace slipway::net {

struct FailureContext {
    CURLcode code = CURLE_OK;
    const char *errorBuffer = "";   // libcurl's detail text (may be empty)
    bool stoppedByReceiver = false; // Transfer::onChunk returned false
    bool connected = false;         // the TCP connection was established
    bool responseStarted = false;   // a status line came back
    long osErrno = 0;               // errno of the failed socket call (CURLINFO_OS_ERRNO)
};

std::string transportFailureMessage(const Request &request, const FailureContext &context);
std::string cancelledMessage(const Request &request);
std::string stalledMessage(const Request &request, std::chrono::milliseconds stall);

} // namespace slipway::net
