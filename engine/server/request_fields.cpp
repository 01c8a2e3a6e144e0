#include "server/request_fields.h"

#include <limits>

namespace slipway::engine {

using nlohmann::json;

void fail(ApiError error) {
    throw ApiFailure(std::move(error));
}

void fail_bad_request(const std::string &message, const std::string &param) {
    fail(ApiError::bad_request(message, param));
}

json parse_body(const std::string &body) {
    if (body.empty()) fail_bad_request("the request body is empty; send a JSON object");
    json j;
    try {
        j = json::parse(body);
    } catch (const json::parse_error &e) {
        // nlohmann's message names the byte offset and what it expected there.
        fail_bad_request(std::string("the request body is not valid JSON: ") + e.what());
    }
    if (!j.is_object()) fail_bad_request("the request body must be a JSON object, got " + std::string(j.type_name()));
    return j;
}

const json *find_field(const json &obj, const char *key) {
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return nullptr;
    return &*it;
}

namespace {

[[noreturn]] void wrong_type(const std::string &path, const char *expected, const json &got) {
    fail_bad_request(path + " must be " + expected + ", got " + std::string(got.type_name()) + " " +
                         got.dump(-1, ' ', false, json::error_handler_t::replace),
                     path);
}

} // namespace

std::optional<double> read_number(const json &obj, const char *key, const std::string &path) {
    const json *v = find_field(obj, key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_number()) wrong_type(path, "a number", *v);
    return v->get<double>();
}

std::optional<int64_t> read_int(const json &obj, const char *key, const std::string &path) {
    const json *v = find_field(obj, key);
    if (v == nullptr) return std::nullopt;
    if (v->is_number_integer()) return v->get<int64_t>();
    if (v->is_number_float()) {
        const double d = v->get<double>();
        if (d == static_cast<double>(static_cast<int64_t>(d))) return static_cast<int64_t>(d);  // 16.0 is 16
    }
    wrong_type(path, "an integer", *v);
}

std::optional<bool> read_bool(const json &obj, const char *key, const std::string &path) {
    const json *v = find_field(obj, key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_boolean()) wrong_type(path, "true or false", *v);
    return v->get<bool>();
}

std::optional<std::string> read_string(const json &obj, const char *key, const std::string &path) {
    const json *v = find_field(obj, key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_string()) wrong_type(path, "a string", *v);
    return v->get<std::string>();
}

std::vector<std::string> read_string_or_list(const json &obj, const char *key, const std::string &path) {
    const json *v = find_field(obj, key);
    if (v == nullptr) return {};
    if (v->is_string()) return {v->get<std::string>()};
    if (!v->is_array()) wrong_type(path, "a string or a list of strings", *v);
    std::vector<std::string> out;
    for (const json &item : *v) {
        if (!item.is_string()) wrong_type(path + "[]", "a string", item);
        out.push_back(item.get<std::string>());
    }
    return out;
}

std::optional<std::vector<int32_t>> read_int_list(const json &obj, const char *key, const std::string &path) {
    const json *v = find_field(obj, key);
    if (v == nullptr) return std::nullopt;
    return to_int_list(*v, path);
}

std::vector<int32_t> to_int_list(const json &value, const std::string &path) {
    const json *v = &value;
    if (!v->is_array()) wrong_type(path, "a list of integers", *v);
    std::vector<int32_t> out;
    out.reserve(v->size());
    for (const json &item : *v) {
        if (!item.is_number_integer()) wrong_type(path + "[]", "an integer", item);
        out.push_back(to_int32(item.get<int64_t>(), path + "[]", std::numeric_limits<int32_t>::min(),
                               std::numeric_limits<int32_t>::max()));
    }
    return out;
}

int32_t to_int32(int64_t value, const std::string &path, int64_t min, int64_t max) {
    if (value < min || value > max) {
        fail_bad_request(path + " must be in [" + std::to_string(min) + ", " + std::to_string(max) + "], got " +
                             std::to_string(value),
                         path);
    }
    return static_cast<int32_t>(value);
}

} // namespace slipway::engine
