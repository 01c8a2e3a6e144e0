#pragma once
// One chart of the Metrics panel: a few lines over time from a SeriesStore. A NaN in a series
// (a failed scrape, the engine down) splits its line, so gaps show as gaps; the time axis spans
// the selected window ending at the newest sample.
//
// Thread-safety: GUI thread only.
#include "metrics/series_store.h"

#include <QChartView>
#include <QColor>
#include <QString>
#include <vector>

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace slipway::ui {

class MetricsChart final : public QChartView {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsChart)

public:
    struct Line {
        metrics::SeriesKey key;
        QString label;
        QColor color;
    };

    // `fixedMax` > 0: the value axis is 0..fixedMax (percentages); else it follows the data.
    explicit MetricsChart(double fixedMax = 0, QWidget *parent = nullptr);

    void setTitle(const QString &title);
    void setUnit(const QString &unit);
    // Replaces the lines (labels may change with the language: call again).
    void setLines(std::vector<Line> lines);
    // Redraws from `store` for the window [end - window, end] (seconds since the epoch).
    void refresh(const metrics::SeriesStore &store, double end, double window);

    // Points drawn in total (all segments), and segments of line `index` (gaps + 1 when data).
    int pointCount() const;
    int segmentCount(int index) const;

private:
    struct Drawn {
        Line line;
        std::vector<QLineSeries *> segments;
    };
    QLineSeries *segment(Drawn &drawn, std::size_t index);

    double m_fixedMax;
    QString m_unit;
    QDateTimeAxis *m_timeAxis;
    QValueAxis *m_valueAxis;
    std::vector<Drawn> m_drawn;
};

} // namespace slipway::ui
