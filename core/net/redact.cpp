#include "net/redact.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <regex>

namespace slipway::net {

namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// Names used both for headers and for query/JSON keys that carry credentials.
constexpr std::array kSecretHeaders{
    "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key",
    "x-amz-security-token", "x-auth-token", "private-token"};

struct Rule {
    std::regex pattern;
    const char *replacement;
};

const std::vector<Rule> &rules()
{
    static const std::vector<Rule> all = [] {
        const auto flags = std::regex::ECMAScript | std::regex::icase;
        std::vector<Rule> r;
        // Header lines, as in a dump of a request.
        r.push_back({std::regex(R"((authorization|proxy-authorization|x-api-key|api-key|cookie|set-cookie|)"
                                R"(x-amz-security-token|x-auth-token|private-token)([ \t]*:[ \t]*)[^\r\n,]+)",
                                flags),
                     "$1$2<redacted>"});
        r.push_back({std::regex(R"(\b(bearer|basic)([ \t]+)[A-Za-z0-9._~+/=-]+)", flags), "$1$2<redacted>"});
        r.push_back({std::regex(R"(sha256~[A-Za-z0-9_-]+)", flags), "sha256~<redacted>"});
        r.push_back({std::regex(R"(\bsk-[A-Za-z0-9_-]{8,})"), "sk-<redacted>"});
        // user:password@ in URLs.
        r.push_back({std::regex(R"((://[^/\s:@]+:)[^/\s@]+@)"), "$1<redacted>@"});
        // Query and form parameters.
        r.push_back({std::regex(R"((^|[?&;\s])(token|access_token|id_token|refresh_token|api_key|apikey|)"
                                R"(api-key|password|passwd|secret|client_secret|x-amz-signature|)"
                                R"(x-amz-security-token|x-amz-credential|signature)=[^&\s"']+)",
                                flags),
                     "$1$2=<redacted>"});
        // JSON / YAML style "key": "value" pairs.
        r.push_back({std::regex(R"re("(token|access_token|id_token|refresh_token|api_key|apiKey|password|secret|)re"
                                R"re(client_secret|client-key-data|secretAccessKey|AWS_SECRET_ACCESS_KEY)"(\s*:\s*)"[^"]*")re",
                                flags),
                     "\"$1\"$2\"<redacted>\""});
        return r;
    }();
    return all;
}

} // namespace

Header bearerAuth(std::string_view token)
{
    return Header{"Authorization", "Bearer " + std::string(token)};
}

bool isSecretHeader(std::string_view name)
{
    return std::any_of(kSecretHeaders.begin(), kSecretHeaders.end(),
                       [&](const char *secret) { return equalsIgnoreCase(name, secret); });
}

std::string redactSecrets(std::string_view text)
{
    std::string out(text);
    for (const Rule &rule : rules())
        out = std::regex_replace(out, rule.pattern, rule.replacement);
    return out;
}

std::string describeForLog(const Request &request)
{
    std::string line = request.method + " " + redactSecrets(request.url);
    if (!request.headers.empty()) {
        line += " (";
        for (std::size_t i = 0; i < request.headers.size(); ++i) {
            const Header &h = request.headers[i];
            if (i > 0)
                line += ", ";
            line += h.name + ": " + (isSecretHeader(h.name) ? std::string("<redacted>") : redactSecrets(h.value));
        }
        line += ")";
    }
    if (request.tls.insecureSkipVerify)
        line += " [TLS verification off]";
    return line;
}

} // namespace slipway::net
