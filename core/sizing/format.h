#pragma once
// Number formatting for figures and their formulas. Locale-independent: the same text on every
// machine, so the UI, the CLI and the tests agree.
#include <cstdint>
#include <string>

namespace slipway::sizing {

// 15231233024 -> "15,231,233,024"
std::string formatInt(int64_t value);
// Shortest form up to 6 significant decimals: 80 -> "80", 0.93 -> "0.93", 3.35 -> "3.35".
std::string formatNumber(double value);
// Fixed decimals: formatFixed(237.123, 1) -> "237.1".
std::string formatFixed(double value, int decimals);
// A rate with one decimal and thousands separators: 3556.54 -> "3,556.5".
std::string formatRate(double value);
// Human bytes in decimal units (GB = 10^9): 15231233024 -> "15.23 GB".
std::string formatBytes(double bytes);
// Human bytes in binary units: 34359738368 -> "32 GiB".
std::string formatGiB(double bytes);

inline constexpr int64_t kGiB = int64_t{1} << 30;
inline constexpr int64_t kMiB = int64_t{1} << 20;

inline int64_t ceilDiv(int64_t a, int64_t b)
{
    return (a + b - 1) / b;
}

} // namespace slipway::sizing
