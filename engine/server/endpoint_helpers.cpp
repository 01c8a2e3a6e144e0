#include <chrono>
#include <random>

#include "server/endpoints.h"
#include "server/request_fields.h"

namespace slipway::engine {

void respond_json(HttpExchange &exchange, int status, const std::string &json_text) {
    exchange.respond(status, "application/json", json_text);
}

std::string random_id(const char *prefix) {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    static const char *hex = "0123456789abcdef";
    std::string id = prefix;
    for (int i = 0; i < 24; ++i) id += hex[rng() & 15];
    return id;
}

int64_t unix_time() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void check_model_name(const std::string *requested, const ServeOptions &options) {
    if (requested == nullptr) return;  // SGLang serves its one model when the field is absent
    if (*requested == options.model_name() || *requested == options.model_path) return;
    fail(ApiError::model_not_found(*requested, options.model_name()));
}

} // namespace slipway::engine
