#include "net/url.h"

#include <cctype>

namespace slipway::net {

std::string urlEncode(std::string_view text)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() * 3);
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        }
    }
    return out;
}

std::string queryString(const std::vector<std::pair<std::string, std::string>> &parameters)
{
    std::string out;
    for (const auto &[key, value] : parameters) {
        if (!out.empty())
            out.push_back('&');
        out += urlEncode(key) + "=" + urlEncode(value);
    }
    return out;
}

std::string joinUrl(std::string_view base, std::string_view path)
{
    while (!base.empty() && base.back() == '/')
        base.remove_suffix(1);
    while (!path.empty() && path.front() == '/')
        path.remove_prefix(1);
    return std::string(base) + "/" + std::string(path);
}

std::string hostAndPort(std::string_view url)
{
    const auto schemeEnd = url.find("://");
    if (schemeEnd == std::string_view::npos)
        return std::string(url);
    const std::string_view scheme = url.substr(0, schemeEnd);
    std::string_view rest = url.substr(schemeEnd + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (const auto at = rest.rfind('@'); at != std::string_view::npos)
        rest.remove_prefix(at + 1);
    const auto closing = rest.rfind(']');
    const auto colon = rest.rfind(':');
    const bool hasPort = colon != std::string_view::npos && (closing == std::string_view::npos || colon > closing);
    if (hasPort)
        return std::string(rest);
    return std::string(rest) + (scheme == "https" ? ":443" : ":80");
}

} // namespace slipway::net
