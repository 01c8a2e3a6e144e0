#pragma once
// MemoryChartView: one GPU's memory under the sizing as a horizontal stacked bar — weights, the
// KV cache the load needs, the KV pool left unused, and the reserve outside
// --mem-fraction-static — against a line at the card's memory. Under TP every GPU holds the
// same, so one bar stands for each of them. Values are in GB (10^9 bytes), as the figures.
#include "sizing/sizing.h"

#include <QChartView>

#include <array>
#include <optional>

class QBarSet;
class QBarCategoryAxis;
class QChart;
class QHorizontalStackedBarSeries;
class QLineSeries;
class QValueAxis;

namespace slipway::ui {

// The bar's segments in bytes, from a result's figures. When the load fits, weights + KV for the
// load + unused pool + reserve equal the card's memory; when it doesn't, the bar runs past it.
struct MemoryBreakdown {
    double cardBytes = 0;
    double weightsBytes = 0;
    double kvLoadBytes = 0;
    double kvUnusedBytes = 0;
    double reserveBytes = 0;
    bool fits = false;

    double totalBytes() const { return weightsBytes + kvLoadBytes + kvUnusedBytes + reserveBytes; }
};
MemoryBreakdown memoryBreakdown(const sizing::SizingResult &result);

class MemoryChartView final : public QChartView {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MemoryChartView)

public:
    enum Segment { Weights, KvLoad, KvUnused, Reserve, SegmentCount };

    explicit MemoryChartView(QWidget *parent = nullptr);

    // Draws `result`'s breakdown; nullopt clears the chart.
    void setResult(const std::optional<sizing::SizingResult> &result);
    // Renames the series and axes after the interface language changed.
    void retranslate();

    QBarSet *barSet(Segment segment) const { return m_sets[static_cast<size_t>(segment)]; }
    QLineSeries *cardLine() const { return m_cardLine; }
    QValueAxis *valueAxis() const { return m_valueAxis; }
    const std::optional<MemoryBreakdown> &breakdown() const { return m_breakdown; }

private:
    void updateTexts();

    QChart *m_chart = nullptr;
    QHorizontalStackedBarSeries *m_series = nullptr;
    std::array<QBarSet *, SegmentCount> m_sets{};
    QLineSeries *m_cardLine = nullptr;
    QValueAxis *m_valueAxis = nullptr;
    QValueAxis *m_lineAxis = nullptr;
    QBarCategoryAxis *m_categoryAxis = nullptr;
    std::optional<MemoryBreakdown> m_breakdown;
    QString m_gpuName;
    int m_tp = 0;
};

} // namespace slipway::ui
