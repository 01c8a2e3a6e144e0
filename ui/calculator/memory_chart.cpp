#include "calculator/memory_chart.h"

#include "calculator/figure_text.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QHorizontalStackedBarSeries>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace slipway::ui {

namespace {

constexpr double kGB = 1e9;

const sizing::Figure *findFigure(const sizing::SizingResult &r, const char *key)
{
    return r.figure(key);
}

// A round axis maximum a little above `value` GB: 80 -> 85, 141 -> 150, 900 -> 1000.
double niceCeiling(double value)
{
    if (value <= 0)
        return 1;
    const double padded = value * 1.04;
    const double magnitude = std::pow(10.0, std::floor(std::log10(padded)));
    for (double step : {1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0}) {
        if (step * magnitude >= padded)
            return step * magnitude;
    }
    return 10 * magnitude;
}

} // namespace

MemoryBreakdown memoryBreakdown(const sizing::SizingResult &r)
{
    MemoryBreakdown b;
    b.cardBytes = static_cast<double>(r.gpuMemoryBytes);
    b.weightsBytes = static_cast<double>(r.perGpuWeightsBytes);
    if (const sizing::Figure *needed = findFigure(r, "kv_needed_bytes_per_gpu"))
        b.kvLoadBytes = needed->value;
    else
        b.kvLoadBytes = static_cast<double>(r.kvNeededTokens) * static_cast<double>(r.kvBytesPerTokenPerGpu);
    b.kvUnusedBytes = std::max(0.0, static_cast<double>(r.kvPoolBytes) - b.kvLoadBytes);
    b.reserveBytes = static_cast<double>(r.reserveBytes);
    b.fits = r.fits;
    return b;
}

MemoryChartView::MemoryChartView(QWidget *parent)
    : QChartView(parent)
{
    m_chart = new QChart();
    m_chart->setBackgroundRoundness(0);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->legend()->setAlignment(Qt::AlignRight);
    m_chart->setAnimationOptions(QChart::NoAnimation);

    m_series = new QHorizontalStackedBarSeries(m_chart);
    m_series->setBarWidth(0.55);
    const std::array<QColor, SegmentCount> colours{QColor(0x3b, 0x6f, 0xb6), QColor(0x2e, 0x9d, 0x6a),
                                                   QColor(0xb5, 0xdf, 0xc6), QColor(0xf0, 0xa6, 0x40)};
    for (size_t i = 0; i < m_sets.size(); ++i) {
        m_sets[i] = new QBarSet(QString(), m_series);
        m_sets[i]->setColor(colours[i]);
        m_sets[i]->setBorderColor(colours[i].darker(115));
        m_sets[i]->append(0.0);
        m_series->append(m_sets[i]);
    }
    m_chart->addSeries(m_series);

    m_cardLine = new QLineSeries(m_chart);
    QPen pen(QColor(0xc0, 0x39, 0x2b));
    pen.setWidth(3);
    pen.setStyle(Qt::DashLine);
    m_cardLine->setPen(pen);
    m_chart->addSeries(m_cardLine);

    m_valueAxis = new QValueAxis(m_chart);
    m_valueAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_valueAxis->setTickCount(6);
    m_categoryAxis = new QBarCategoryAxis(m_chart);
    m_categoryAxis->append(QStringLiteral(" "));
    m_chart->addAxis(m_valueAxis, Qt::AlignBottom);
    m_chart->addAxis(m_categoryAxis, Qt::AlignLeft);
    m_series->attachAxis(m_valueAxis);
    m_series->attachAxis(m_categoryAxis);

    // The card line spans the bar's band: a hidden vertical axis from −0.5 to 0.5 matches the
    // category axis's single band.
    m_lineAxis = new QValueAxis(m_chart);
    m_lineAxis->setRange(-0.5, 0.5);
    m_lineAxis->setVisible(false);
    m_chart->addAxis(m_lineAxis, Qt::AlignRight);
    m_cardLine->attachAxis(m_valueAxis);
    m_cardLine->attachAxis(m_lineAxis);

    setChart(m_chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(170);
    setResult(std::nullopt);
}

void MemoryChartView::setResult(const std::optional<sizing::SizingResult> &result)
{
    if (result) {
        m_breakdown = memoryBreakdown(*result);
        m_gpuName = QString::fromStdString(result->gpu.name);
        m_tp = result->tp;
    } else {
        m_breakdown.reset();
        m_gpuName.clear();
        m_tp = 0;
    }
    const MemoryBreakdown b = m_breakdown.value_or(MemoryBreakdown{});
    const std::array<double, SegmentCount> values{b.weightsBytes, b.kvLoadBytes, b.kvUnusedBytes, b.reserveBytes};
    for (size_t i = 0; i < m_sets.size(); ++i)
        m_sets[i]->replace(0, values[i] / kGB);

    m_cardLine->clear();
    if (m_breakdown) {
        const double card = b.cardBytes / kGB;
        m_cardLine->append(card, -0.42);
        m_cardLine->append(card, 0.42);
        m_valueAxis->setRange(0, niceCeiling(std::max(card, b.totalBytes() / kGB)));
    } else {
        m_valueAxis->setRange(0, 100);
    }
    m_cardLine->setVisible(m_breakdown.has_value());
    updateTexts();
}

void MemoryChartView::retranslate()
{
    updateTexts();
}

void MemoryChartView::updateTexts()
{
    const MemoryBreakdown b = m_breakdown.value_or(MemoryBreakdown{});
    const std::array<QString, SegmentCount> names{
        tr("Weights %1").arg(FigureText::bytes(b.weightsBytes)),
        tr("KV cache for the load %1").arg(FigureText::bytes(b.kvLoadBytes)),
        tr("KV pool unused %1").arg(FigureText::bytes(b.kvUnusedBytes)),
        tr("Reserve %1").arg(FigureText::bytes(b.reserveBytes))};
    for (size_t i = 0; i < m_sets.size(); ++i)
        m_sets[i]->setLabel(names[i]);
    m_cardLine->setName(m_breakdown ? tr("%1 memory %2").arg(m_gpuName, FigureText::bytes(b.cardBytes)) : tr("Card memory"));
    m_valueAxis->setTitleText(tr("GB per GPU"));
    m_categoryAxis->replace(m_categoryAxis->categories().value(0),
                            m_tp > 0 ? tr("Each GPU\n(TP %1)").arg(m_tp) : tr("Each GPU"));
}

} // namespace slipway::ui
