#include "kube/api_error.h"

#include "net/http_error.h"
#include "net/redact.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace slipway::kube {

namespace {

using json = nlohmann::json;

struct Prefix {
    ErrorKind kind;
    std::string_view text;
};

constexpr Prefix kPrefixes[] = {
    {ErrorKind::Unauthorized, kUnauthorizedMessage},
    {ErrorKind::Forbidden, "permission denied: "},
    {ErrorKind::NotFound, "not found: "},
    {ErrorKind::Conflict, "conflict: "},
    {ErrorKind::AlreadyExists, "already exists: "},
    {ErrorKind::Invalid, "invalid: "},
    {ErrorKind::Gone, "gone: "},
};

std::string_view prefixOf(ErrorKind kind)
{
    for (const Prefix &p : kPrefixes) {
        if (p.kind == kind)
            return p.text;
    }
    return {};
}

std::string joinQuoted(const std::vector<std::string> &items)
{
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i == 0 ? "\"" : ", \"") + items[i] + "\"";
    return out;
}

std::string joinPlain(const std::vector<std::string> &items)
{
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i == 0 ? "" : ", ") + items[i];
    return out;
}

// `conflict with "manager" using apps/v1` -> manager
std::string managerFromCause(const std::string &message)
{
    const auto open = message.find('"');
    if (open == std::string::npos)
        return {};
    const auto close = message.find('"', open + 1);
    if (close == std::string::npos)
        return {};
    return message.substr(open + 1, close - open - 1);
}

} // namespace

ErrorKind errorKind(const Error &error)
{
    for (const Prefix &p : kPrefixes) {
        if (std::string_view(error.message).starts_with(p.text))
            return p.kind;
    }
    return ErrorKind::Other;
}

ApiStatus parseStatus(const net::Response &response)
{
    ApiStatus status;
    status.code = response.status;
    const json body = json::parse(response.body, nullptr, false);
    if (!body.is_object() || body.value("kind", "") != "Status") {
        status.message = net::serverMessage(response.body);
        return status;
    }
    status.reason = body.value("reason", "");
    status.message = body.value("message", "");
    if (body.contains("code") && body["code"].is_number_integer())
        status.code = body["code"].get<long>();
    const auto details = body.find("details");
    if (details != body.end() && details->is_object()) {
        const auto causes = details->find("causes");
        if (causes != details->end() && causes->is_array()) {
            for (const json &cause : *causes) {
                if (!cause.is_object())
                    continue;
                const std::string field = cause.value("field", "");
                if (!field.empty() && std::find(status.fields.begin(), status.fields.end(), field) == status.fields.end())
                    status.fields.push_back(field);
                if (cause.value("type", "") == "FieldManagerConflict") {
                    const std::string manager = managerFromCause(cause.value("message", ""));
                    if (!manager.empty() && std::find(status.conflictManagers.begin(), status.conflictManagers.end(),
                                                      manager) == status.conflictManagers.end())
                        status.conflictManagers.push_back(manager);
                }
            }
        }
    }
    return status;
}

std::string apiErrorMessage(std::string_view what, const net::Response &response)
{
    const ApiStatus status = parseStatus(response);
    const std::string server = status.message.empty() ? std::string() : ": " + status.message;
    std::string message;
    switch (response.status) {
    case 401:
        message = std::string(kUnauthorizedMessage) + " (" + std::string(what) + " was refused with 401 Unauthorized)";
        break;
    case 403:
        message = std::string(prefixOf(ErrorKind::Forbidden)) + std::string(what) + server +
                  "; ask a cluster administrator for this permission (a Role or ClusterRole bound to your user)";
        break;
    case 404:
        message = std::string(prefixOf(ErrorKind::NotFound)) + std::string(what) + server;
        break;
    case 409:
        if (status.reason == "AlreadyExists") {
            message = std::string(prefixOf(ErrorKind::AlreadyExists)) + std::string(what) + server;
        } else if (!status.conflictManagers.empty()) {
            message = std::string(prefixOf(ErrorKind::Conflict)) + std::string(what) + ": field manager" +
                      (status.conflictManagers.size() > 1 ? "s " : " ") + joinQuoted(status.conflictManagers) +
                      " also set " + (status.fields.empty() ? std::string("these fields") : joinPlain(status.fields)) +
                      "; apply with force to take them over, or change them with the tool that owns them";
        } else {
            message = std::string(prefixOf(ErrorKind::Conflict)) + std::string(what) + server +
                      "; the object changed meanwhile: read it again and retry";
        }
        break;
    case 410:
        message = std::string(prefixOf(ErrorKind::Gone)) + std::string(what) + server;
        break;
    case 422:
        message = std::string(prefixOf(ErrorKind::Invalid)) + std::string(what) + server;
        break;
    case 429:
        message = std::string(what) + ": the API server is busy (429 Too Many Requests)" + server + "; retry shortly";
        break;
    default: {
        message = net::httpErrorMessage(what, response);
        if (!status.reason.empty())
            message += " (" + status.reason + ")";
    }
    }
    return net::redactSecrets(message);
}

} // namespace slipway::kube
