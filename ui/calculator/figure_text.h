#pragma once
// How the Calculator shows the core's figures to people: translated labels (by the figure's
// stable key) and values with translated units. The formulas stay as the core writes them: they
// are arithmetic with the numbers substituted.
#include "sizing/figure.h"
#include "sizing/sizing.h"

#include <QCoreApplication>
#include <QString>

namespace slipway::ui {

class FigureText final {
    Q_DECLARE_TR_FUNCTIONS(FigureText)

public:
    // The label for `figure` of `result` in the current language; a figure the UI does not know
    // yet keeps the core's English label.
    static QString label(const sizing::Figure &figure, const sizing::SizingResult &result);
    // The value with its unit: "15.23 GB", "32 GiB (34.36 GB)", "1,031,821 tokens",
    // "236.9 tokens/s", "2 GPUs". In English it reads as the CLI prints it.
    static QString value(const sizing::Figure &figure);
    // "15.23 GB" for a byte count (decimal units, as the core's formulas use).
    static QString bytes(double bytes);
    static QString tokens(qint64 tokens);
    static QString tokensPerSecond(double rate);
    static QString gpus(qint64 count);
    static QString nodes(qint64 count);
    static QString yesNo(bool value);
};

} // namespace slipway::ui
