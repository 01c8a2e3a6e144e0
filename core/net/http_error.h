#pragma once
// Turning an HTTP error response into a message a person can act on.
#include "net/http_types.h"

#include <string>
#include <string_view>

namespace slipway::net {

// "Not Found" for 404, "" for codes without a standard phrase.
std::string_view reasonPhrase(long status);

// The server's own explanation in an error body: `error.message` / `error` (OpenAI, Prometheus),
// `message` (Kubernetes Status, vLLM), `detail` (FastAPI), else the body's first 300 characters
// of text. Empty when the body says nothing useful.
std::string serverMessage(std::string_view body);

// "<what>: HTTP 404 Not Found: <server message>", with secrets redacted.
std::string httpErrorMessage(std::string_view what, const Response &response);

} // namespace slipway::net
