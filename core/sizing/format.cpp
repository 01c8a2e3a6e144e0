#include "sizing/format.h"

#include <cmath>
#include <cstdio>
#include <string>

namespace slipway::sizing {

std::string formatInt(int64_t value)
{
    const bool negative = value < 0;
    std::string digits = std::to_string(negative ? -value : value);
    std::string out;
    const int n = static_cast<int>(digits.size());
    for (int i = 0; i < n; ++i) {
        if (i > 0 && (n - i) % 3 == 0)
            out += ',';
        out += digits[static_cast<size_t>(i)];
    }
    return negative ? "-" + out : out;
}

std::string formatNumber(double value)
{
    if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 9e15)
        return formatInt(static_cast<int64_t>(value));
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.6f", value);
    std::string text = buffer;
    while (!text.empty() && text.back() == '0')
        text.pop_back();
    if (!text.empty() && text.back() == '.')
        text.pop_back();
    return text;
}

std::string formatFixed(double value, int decimals)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

std::string formatRate(double value)
{
    const double tenths = std::round(value * 10.0);
    const int64_t whole = static_cast<int64_t>(tenths / 10.0);
    const int64_t fraction = static_cast<int64_t>(std::fabs(tenths - static_cast<double>(whole) * 10.0));
    return formatInt(whole) + "." + std::to_string(fraction);
}

std::string formatBytes(double bytes)
{
    const double magnitude = std::fabs(bytes);
    if (magnitude >= 1e12)
        return formatFixed(bytes / 1e12, 2) + " TB";
    if (magnitude >= 1e9)
        return formatFixed(bytes / 1e9, 2) + " GB";
    if (magnitude >= 1e6)
        return formatFixed(bytes / 1e6, 2) + " MB";
    if (magnitude >= 1e3)
        return formatFixed(bytes / 1e3, 2) + " kB";
    return formatNumber(bytes) + " B";
}

std::string formatGiB(double bytes)
{
    return formatNumber(std::round(bytes / static_cast<double>(kGiB) * 100.0) / 100.0) + " GiB";
}

} // namespace slipway::sizing
