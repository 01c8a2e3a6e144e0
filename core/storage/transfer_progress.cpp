#include "storage/transfer_progress.h"

#include <cmath>
#include <cstdio>

namespace slipway::storage {

ProgressMeter::ProgressMeter(std::chrono::milliseconds window) : m_window(window) {}

void ProgressMeter::update(TransferProgress &progress, Clock::time_point now)
{
    m_samples.emplace_back(now, progress.bytesDone);
    while (m_samples.size() > 2 && now - m_samples.front().first > m_window)
        m_samples.pop_front();
    const auto &[firstTime, firstBytes] = m_samples.front();
    const double seconds = std::chrono::duration<double>(now - firstTime).count();
    if (seconds >= 0.05 && progress.bytesDone >= firstBytes) {
        progress.bytesPerSecond = static_cast<double>(progress.bytesDone - firstBytes) / seconds;
    }
    const std::int64_t left = progress.bytesTotal - progress.bytesDone;
    if (left <= 0)
        progress.etaSeconds = 0;
    else if (progress.bytesPerSecond > 0)
        progress.etaSeconds = static_cast<double>(left) / progress.bytesPerSecond;
    else
        progress.etaSeconds = -1;
}

std::string formatBytes(std::int64_t bytes)
{
    static const char *kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (std::fabs(value) >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    char text[32];
    if (unit == 0)
        std::snprintf(text, sizeof text, "%lld B", static_cast<long long>(bytes));
    else
        std::snprintf(text, sizeof text, "%.1f %s", value, kUnits[unit]);
    return text;
}

std::string formatDuration(double seconds)
{
    if (seconds < 0)
        return "unknown";
    const auto total = static_cast<long long>(std::llround(seconds));
    char text[48];
    if (total >= 3600)
        std::snprintf(text, sizeof text, "%lld h %lld min", total / 3600, (total % 3600) / 60);
    else if (total >= 60)
        std::snprintf(text, sizeof text, "%lld min %lld s", total / 60, total % 60);
    else
        std::snprintf(text, sizeof text, "%lld s", total);
    return text;
}

} // namespace slipway::storage
