#pragma once
// Kubernetes API errors as messages a person can act on. The API server answers failures with a
// `kind: Status` object (reason NotFound, AlreadyExists, Forbidden, Conflict, Invalid, Gone, ...);
// each kind of failure gets a message that starts with a fixed phrase, so callers can tell them
// apart with errorKind() while Result<T> stays a plain message.
#include "common/result.h"
#include "net/http_types.h"

#include <string>
#include <string_view>
#include <vector>

namespace slipway::kube {

// Every 401 starts with this; the UI offers to log in again and then resumes what failed.
inline constexpr std::string_view kUnauthorizedMessage = "token expired or invalid: log in again";

enum class ErrorKind {
    Other,
    Unauthorized, // 401: log in again
    Forbidden,    // 403: "permission denied: ..."
    NotFound,     // 404: "not found: ..."
    Conflict,     // 409: "conflict: ..." (apply conflicts name the field managers)
    AlreadyExists,// 409 AlreadyExists: "already exists: ..."
    Invalid,      // 422: "invalid: ..."
    Gone,         // 410: "gone: ..." (a resourceVersion too old to watch from)
};

ErrorKind errorKind(const Error &error);
inline bool isUnauthorized(const Error &error) { return errorKind(error) == ErrorKind::Unauthorized; }

// What a Status body says.
struct ApiStatus {
    long code = 0;
    std::string reason;   // "NotFound"
    std::string message;  // the server's sentence
    std::vector<std::string> conflictManagers; // apply conflicts: the other field managers
    std::vector<std::string> fields;           // the fields the causes name
};

// Parses a Status object (or any error body) of a response.
ApiStatus parseStatus(const net::Response &response);

// The message for a failed call. `what` says what was attempted ("apply Deployment ns/name").
// Secrets are redacted.
std::string apiErrorMessage(std::string_view what, const net::Response &response);

} // namespace slipway::kube
