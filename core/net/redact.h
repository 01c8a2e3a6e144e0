#pragma once
// Secrets never reach a log: bearer tokens, OpenShift `sha256~` tokens, API keys, passwords in
// URLs and query strings are replaced by "<redacted>" before any text about a request is shown.
#include "net/http_types.h"

#include <string>
#include <string_view>

namespace slipway::net {

// "Authorization: Bearer <token>".
Header bearerAuth(std::string_view token);

// True for headers whose value is a credential (Authorization, Proxy-Authorization, Cookie,
// Set-Cookie, X-Api-Key, api-key, X-Amz-Security-Token, ...).
bool isSecretHeader(std::string_view name);

// `text` with every credential-looking part replaced: "Bearer xyz", "sha256~xyz",
// "sk-xyz" API keys, "user:password@" in URLs, and the values of query/form parameters named like
// secrets (token, access_token, api_key, password, secret, X-Amz-Signature, ...).
std::string redactSecrets(std::string_view text);

// One line for a log: "POST https://host/path (Authorization: <redacted>, Content-Type: ...)",
// never containing a secret. The body is not included.
std::string describeForLog(const Request &request);

} // namespace slipway::net
