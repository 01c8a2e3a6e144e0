#pragma once
// Small URL helpers for building requests.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace slipway::net {

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string urlEncode(std::string_view text);

// "a=1&b=x%20y" from pairs, each part percent-encoded.
std::string queryString(const std::vector<std::pair<std::string, std::string>> &parameters);

// base + "/" + path with exactly one slash between them.
std::string joinUrl(std::string_view base, std::string_view path);

// "host:port" of a URL (the default port of its scheme when none is written), or the URL itself
// when it cannot be parsed; used in messages.
std::string hostAndPort(std::string_view url);

} // namespace slipway::net
