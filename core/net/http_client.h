#pragma once
// The one libcurl wrapper every Slipway client uses.
//
// perform() runs one HTTP exchange to completion on the calling thread. It is safe to call from
// any number of threads at once (each call owns its curl handles; libcurl's global state is set
// up once). Transport failures come back as an Error whose message says what went wrong and what
// to do; an HTTP status of 4xx/5xx is NOT an Error: the Response carries status and body, and
// httpErrorMessage() (http_error.h) turns it into a message.
#include "common/result.h"
#include "net/http_types.h"

namespace slipway::net {

Result<Response> perform(const Request &request, const Transfer &transfer = {});

// The libcurl version in use, e.g. "libcurl/7.88.1 OpenSSL/3.0.15".
std::string curlVersion();

} // namespace slipway::net
