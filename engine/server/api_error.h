#pragma once
// Errors in the OpenAI shape: {"error": {"message", "type", "param", "code"}}, with the HTTP status
// each case gets. Every endpoint (OpenAI and SGLang ones) answers errors this way.
//
// Thread-safety: plain values and pure functions.
#include <string>

namespace slipway::engine {

struct ApiError {
    int status = 400;
    std::string message;
    std::string type = "invalid_request_error";
    std::string param;  // the request field at fault; empty: null
    std::string code;   // OpenAI's code ("model_not_found", "invalid_api_key", ...); empty: null

    std::string to_json() const;

    static ApiError bad_request(std::string message, std::string param = {});
    static ApiError context_too_long(std::string message);  // 400 context_length_exceeded
    static ApiError unauthorized();                          // 401 invalid_api_key
    static ApiError model_not_found(const std::string &requested, const std::string &served);  // 404
    static ApiError not_found(const std::string &method, const std::string &path);            // 404
    static ApiError method_not_allowed(const std::string &method, const std::string &path);   // 405
    static ApiError too_large(size_t limit_bytes);                                            // 413
    static ApiError unavailable(std::string message);                                         // 503
    static ApiError internal(std::string message);                                            // 500
};

} // namespace slipway::engine
