#include "metrics/series_store.h"

#include <cmath>

namespace slipway::metrics {

std::string SeriesKey::displayName() const
{
    return labels.empty() ? name : name + formatLabels(labels);
}

TimeSeries::TimeSeries(std::size_t maxPoints) : m_maxPoints(maxPoints == 0 ? 1 : maxPoints) {}

bool TimeSeries::append(double time, double value)
{
    if (!m_points.empty() && time < m_points.back().time)
        return false;
    m_points.push_back(Point{time, value});
    while (m_points.size() > m_maxPoints)
        m_points.pop_front();
    return true;
}

void TimeSeries::dropBefore(double time)
{
    while (!m_points.empty() && m_points.front().time < time)
        m_points.pop_front();
}

std::optional<Point> TimeSeries::last() const
{
    if (m_points.empty())
        return std::nullopt;
    return m_points.back();
}

std::optional<std::pair<double, double>> TimeSeries::range() const
{
    std::optional<std::pair<double, double>> out;
    for (const Point &p : m_points) {
        if (!std::isfinite(p.value))
            continue;
        if (!out)
            out = std::make_pair(p.value, p.value);
        out->first = std::min(out->first, p.value);
        out->second = std::max(out->second, p.value);
    }
    return out;
}

SeriesStore::SeriesStore(double windowSeconds, std::size_t maxPointsPerSeries, std::size_t maxSeries)
    : m_window(windowSeconds), m_maxPoints(maxPointsPerSeries), m_maxSeries(maxSeries)
{
}

void SeriesStore::setWindow(double windowSeconds)
{
    m_window = windowSeconds;
    prune();
}

bool SeriesStore::append(const SeriesKey &key, double time, double value)
{
    auto it = m_series.find(key);
    if (it == m_series.end()) {
        if (m_series.size() >= m_maxSeries)
            return false;
        it = m_series.emplace(key, TimeSeries(m_maxPoints)).first;
    }
    if (!it->second.append(time, value))
        return false;
    if (time > m_newest) {
        m_newest = time;
        prune();
    }
    return true;
}

void SeriesStore::prune()
{
    const double oldest = m_newest - m_window;
    for (auto it = m_series.begin(); it != m_series.end();) {
        it->second.dropBefore(oldest);
        // A series with no point left in the window is gone (a pod that was deleted).
        it = it->second.points().empty() ? m_series.erase(it) : std::next(it);
    }
}

const TimeSeries *SeriesStore::series(const SeriesKey &key) const
{
    const auto it = m_series.find(key);
    return it == m_series.end() ? nullptr : &it->second;
}

std::vector<SeriesKey> SeriesStore::keys() const
{
    std::vector<SeriesKey> out;
    for (const auto &[key, series] : m_series)
        out.push_back(key);
    return out;
}

std::vector<SeriesKey> SeriesStore::keysNamed(const std::string &name) const
{
    std::vector<SeriesKey> out;
    for (const auto &[key, series] : m_series) {
        if (key.name == name)
            out.push_back(key);
    }
    return out;
}

void SeriesStore::clear()
{
    m_series.clear();
    m_newest = 0;
}

} // namespace slipway::metrics
