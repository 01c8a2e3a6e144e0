#pragma once
// Bounded time series for charts: each series keeps the points inside a time window (relative to
// the newest point in the store) and at most a fixed number of points; the store holds at most a
// fixed number of series. NaN values are kept: a chart draws them as a gap (a scrape that
// failed, an engine restart). Not thread-safe: owned by one thread (the UI's model).
#include "metrics/labels.h"

#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace slipway::metrics {

struct Point {
    double time = 0;  // seconds since the Unix epoch
    double value = 0;
};

struct SeriesKey {
    std::string name;
    Labels labels;
    auto operator<=>(const SeriesKey &) const = default;
    bool operator==(const SeriesKey &) const = default;
    std::string displayName() const; // name{labels}
};

class TimeSeries final {
public:
    explicit TimeSeries(std::size_t maxPoints);

    // False (and nothing stored) for a point older than the newest one.
    bool append(double time, double value);
    void dropBefore(double time);
    const std::deque<Point> &points() const { return m_points; }
    std::optional<Point> last() const;
    // Smallest and largest finite value, for an axis range.
    std::optional<std::pair<double, double>> range() const;

private:
    std::deque<Point> m_points;
    std::size_t m_maxPoints;
};

class SeriesStore final {
public:
    SeriesStore(double windowSeconds, std::size_t maxPointsPerSeries = 3600, std::size_t maxSeries = 512);

    void setWindow(double windowSeconds);
    double window() const { return m_window; }

    // False when the point is out of order, or the store is full and the series is new.
    bool append(const SeriesKey &key, double time, double value);
    const TimeSeries *series(const SeriesKey &key) const;
    std::vector<SeriesKey> keys() const;
    // Series whose name is `name`, in key order.
    std::vector<SeriesKey> keysNamed(const std::string &name) const;
    std::size_t size() const { return m_series.size(); }
    double newestTime() const { return m_newest; }
    void clear();

private:
    void prune();

    std::map<SeriesKey, TimeSeries> m_series;
    double m_window;
    std::size_t m_maxPoints;
    std::size_t m_maxSeries;
    double m_newest = 0;
};

} // namespace slipway::metrics
