#include "metrics/metrics_chart.h"

#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>
#include <cmath>

namespace slipway::ui {

MetricsChart::MetricsChart(double fixedMax, QWidget *parent)
    : QChartView(parent), m_fixedMax(fixedMax), m_timeAxis(new QDateTimeAxis), m_valueAxis(new QValueAxis) {
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(190);
    auto *c = chart();
    c->setMargins(QMargins(4, 4, 4, 4));
    c->setBackgroundRoundness(4);
    c->legend()->setAlignment(Qt::AlignBottom);
    QFont titleFont = c->titleFont();
    titleFont.setBold(true);
    c->setTitleFont(titleFont);
    m_timeAxis->setFormat(QStringLiteral("HH:mm:ss"));
    m_timeAxis->setTickCount(5);
    m_valueAxis->setLabelFormat(QStringLiteral("%.3g"));
    m_valueAxis->setTickCount(5);
    m_valueAxis->setRange(0, fixedMax > 0 ? fixedMax : 1);
    c->addAxis(m_timeAxis, Qt::AlignBottom);
    c->addAxis(m_valueAxis, Qt::AlignLeft);
}

void MetricsChart::setTitle(const QString &title) { chart()->setTitle(title); }

void MetricsChart::setUnit(const QString &unit) {
    m_unit = unit;
    m_valueAxis->setTitleText(unit);
}

void MetricsChart::setLines(std::vector<Line> lines) {
    for (Drawn &d : m_drawn)
        for (QLineSeries *s : d.segments) {
            chart()->removeSeries(s);
            delete s;
        }
    m_drawn.clear();
    for (Line &l : lines) m_drawn.push_back({std::move(l), {}});
    for (Drawn &d : m_drawn) segment(d, 0); // the first segment carries the legend entry
}

QLineSeries *MetricsChart::segment(Drawn &drawn, std::size_t index) {
    while (drawn.segments.size() <= index) {
        auto *s = new QLineSeries;
        s->setName(drawn.line.label);
        QPen pen(drawn.line.color);
        pen.setWidthF(2.0);
        s->setPen(pen);
        chart()->addSeries(s);
        s->attachAxis(m_timeAxis);
        s->attachAxis(m_valueAxis);
        if (!drawn.segments.empty())
            for (QLegendMarker *m : chart()->legend()->markers(s)) m->setVisible(false);
        drawn.segments.push_back(s);
    }
    return drawn.segments[index];
}

void MetricsChart::refresh(const metrics::SeriesStore &store, double end, double window) {
    double top = 0;
    const double start = end - window;
    for (Drawn &d : m_drawn) {
        std::vector<QList<QPointF>> parts(1);
        if (const metrics::TimeSeries *ts = store.series(d.line.key)) {
            for (const metrics::Point &p : ts->points()) {
                if (p.time < start) continue;
                if (std::isnan(p.value)) {
                    if (!parts.back().isEmpty()) parts.emplace_back();
                    continue;
                }
                parts.back().append(QPointF(p.time * 1000.0, p.value));
                top = std::max(top, p.value);
            }
        }
        if (parts.size() > 1 && parts.back().isEmpty()) parts.pop_back();
        for (std::size_t i = 0; i < parts.size(); ++i) {
            QLineSeries *s = segment(d, i);
            s->replace(parts[i]);
            s->setPointsVisible(parts[i].size() < 3); // a lone reading between gaps stays visible
        }
        for (std::size_t i = parts.size(); i < d.segments.size(); ++i) d.segments[i]->clear();
    }
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(qint64(start * 1000)), QDateTime::fromMSecsSinceEpoch(qint64(end * 1000)));
    if (m_fixedMax > 0) {
        m_valueAxis->setRange(0, m_fixedMax);
    } else {
        // A round top a little above the data, so a flat line does not sit on the frame.
        double nice = 1;
        while (nice < top * 1.15) nice *= nice < 1e12 ? 2 : 10;
        if (top > 0 && top < 1) nice = std::max(0.01, std::pow(10.0, std::ceil(std::log10(top * 1.15))));
        m_valueAxis->setRange(0, nice);
    }
}

int MetricsChart::pointCount() const {
    int n = 0;
    for (const Drawn &d : m_drawn)
        for (const QLineSeries *s : d.segments) n += s->count();
    return n;
}

int MetricsChart::segmentCount(int index) const {
    if (index < 0 || index >= static_cast<int>(m_drawn.size())) return 0;
    int n = 0;
    for (const QLineSeries *s : m_drawn[static_cast<std::size_t>(index)].segments) n += s->count() > 0;
    return n;
}

} // namespace slipway::ui
