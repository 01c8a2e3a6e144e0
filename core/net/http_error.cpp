#include "net/http_error.h"

#include "net/redact.h"

#include <nlohmann/json.hpp>

namespace slipway::net {

namespace {

std::string stringAt(const nlohmann::json &object, const char *key)
{
    const auto it = object.find(key);
    if (it != object.end() && it->is_string())
        return it->get<std::string>();
    return {};
}

std::string trimmed(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

} // namespace

std::string_view reasonPhrase(long status)
{
    switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
    }
}

std::string serverMessage(std::string_view body)
{
    const auto json = nlohmann::json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
    if (json.is_object()) {
        if (const auto error = json.find("error"); error != json.end()) {
            if (error->is_object()) {
                if (auto m = stringAt(*error, "message"); !m.empty())
                    return m;
            } else if (error->is_string() && !error->get<std::string>().empty()) {
                return error->get<std::string>();
            }
        }
        for (const char *key : {"message", "detail", "msg"}) {
            if (auto m = stringAt(json, key); !m.empty())
                return m;
        }
        if (const auto detail = json.find("detail"); detail != json.end() && !detail->is_null())
            return detail->dump();
    }
    std::string text = trimmed(body);
    if (text.size() > 300)
        text = text.substr(0, 300) + "…";
    // A whole HTML error page says nothing a person can use in one line.
    if (text.starts_with("<"))
        return {};
    return text;
}

std::string httpErrorMessage(std::string_view what, const Response &response)
{
    std::string message = std::string(what) + ": HTTP " + std::to_string(response.status);
    const std::string_view phrase = response.reason.empty() ? reasonPhrase(response.status) : response.reason;
    if (!phrase.empty())
        message += " " + std::string(phrase);
    if (const std::string server = serverMessage(response.body); !server.empty())
        message += ": " + server;
    return redactSecrets(message);
}

} // namespace slipway::net
