#include "server/api_error.h"

#include <nlohmann/json.hpp>

namespace slipway::engine {

std::string ApiError::to_json() const {
    nlohmann::json error = {{"message", message}, {"type", type}, {"param", nullptr}, {"code", nullptr}};
    if (!param.empty()) error["param"] = param;
    if (!code.empty()) error["code"] = code;
    return nlohmann::json{{"error", error}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

ApiError ApiError::bad_request(std::string message, std::string param) {
    return ApiError{400, std::move(message), "invalid_request_error", std::move(param), {}};
}

ApiError ApiError::context_too_long(std::string message) {
    return ApiError{400, std::move(message), "invalid_request_error", "messages", "context_length_exceeded"};
}

ApiError ApiError::unauthorized() {
    return ApiError{401,
                    "Incorrect API key provided. Send it as the header `Authorization: Bearer <key>` with the key the "
                    "server was started with (--api-key).",
                    "invalid_request_error", {}, "invalid_api_key"};
}

ApiError ApiError::model_not_found(const std::string &requested, const std::string &served) {
    return ApiError{404,
                    "The model '" + requested + "' does not exist. This server serves '" + served +
                        "' (GET /v1/models lists it).",
                    "invalid_request_error", "model", "model_not_found"};
}

ApiError ApiError::not_found(const std::string &method, const std::string &path) {
    return ApiError{404,
                    "No endpoint " + method + " " + path +
                        ". Endpoints: /v1/models, /v1/completions, /v1/chat/completions, /generate, /get_model_info, "
                        "/health, /health_generate, /metrics.",
                    "invalid_request_error", {}, "not_found"};
}

ApiError ApiError::method_not_allowed(const std::string &method, const std::string &path) {
    return ApiError{405, path + " does not accept " + method, "invalid_request_error", {}, "method_not_allowed"};
}

ApiError ApiError::too_large(size_t limit_bytes) {
    return ApiError{413, "The request body is larger than " + std::to_string(limit_bytes >> 20) + " MiB; send less.",
                    "invalid_request_error", {}, "request_too_large"};
}

ApiError ApiError::unavailable(std::string message) {
    return ApiError{503, std::move(message), "server_error", {}, "service_unavailable"};
}

ApiError ApiError::internal(std::string message) {
    return ApiError{500, std::move(message), "server_error", {}, "internal_error"};
}

} // namespace slipway::engine
