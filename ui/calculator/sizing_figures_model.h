#pragma once
// SizingFiguresModel: the figures of a sizing as a table (label, value, formula), for the
// Calculator's figures view. Holds a copy of the result; the view never reaches the core.
#include "sizing/sizing.h"

#include <QAbstractTableModel>

#include <optional>

namespace slipway::ui {

class SizingFiguresModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SizingFiguresModel)

public:
    enum Column { LabelColumn, ValueColumn, FormulaColumn, ColumnCount };
    enum Role {
        KeyRole = Qt::UserRole + 1, // the figure's stable key ("per_gpu_weights_bytes")
        RawValueRole,               // the figure's value as a double, in its unit
        UnitRole,                   // "B", "tokens", ...
        FormulaRole,                // core's English formula, whatever the column
    };

    explicit SizingFiguresModel(QObject *parent = nullptr);

    // Replaces the figures; nullopt empties the table.
    void setResult(const std::optional<sizing::SizingResult> &result);
    // Row of the figure with `key`, or -1.
    int rowOf(const QString &key) const;
    // Re-announces every label and header after the interface language changed.
    void retranslate();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::optional<sizing::SizingResult> m_result;
};

} // namespace slipway::ui
