#pragma once
// Typed reads of JSON request fields. A field of the wrong type throws ApiFailure (400) naming
// the field and the type it must have; null counts as absent, as in the OpenAI API.
//
// Thread-safety: pure functions.
#include <cstdint>
#include <exception>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "server/api_error.h"

namespace slipway::engine {

// Thrown inside the server's handlers and caught at their entry; never leaves the server module.
struct ApiFailure : std::exception {
    explicit ApiFailure(ApiError e) : error(std::move(e)) {}
    const char *what() const noexcept override { return error.message.c_str(); }
    ApiError error;
};

[[noreturn]] void fail(ApiError error);
[[noreturn]] void fail_bad_request(const std::string &message, const std::string &param = {});

// Parses a request body that must be a JSON object.
nlohmann::json parse_body(const std::string &body);

// `path` is how the field is named in messages ("max_tokens", "sampling_params.top_k").
const nlohmann::json *find_field(const nlohmann::json &obj, const char *key);
std::optional<double> read_number(const nlohmann::json &obj, const char *key, const std::string &path);
std::optional<int64_t> read_int(const nlohmann::json &obj, const char *key, const std::string &path);
std::optional<bool> read_bool(const nlohmann::json &obj, const char *key, const std::string &path);
std::optional<std::string> read_string(const nlohmann::json &obj, const char *key, const std::string &path);
// A string or a list of strings (OpenAI's `stop`).
std::vector<std::string> read_string_or_list(const nlohmann::json &obj, const char *key, const std::string &path);
// A list of integers (token ids).
std::optional<std::vector<int32_t>> read_int_list(const nlohmann::json &obj, const char *key, const std::string &path);

// A JSON value that must be a list of integers (token ids).
std::vector<int32_t> to_int_list(const nlohmann::json &value, const std::string &path);

// Checks an int against a range and narrows it.
int32_t to_int32(int64_t value, const std::string &path, int64_t min, int64_t max);

} // namespace slipway::engine
