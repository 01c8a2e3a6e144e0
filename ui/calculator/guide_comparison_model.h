#pragma once
// GuideComparisonModel: the customer guide's sizing table beside Slipway's figures for the same
// models (sizing::compareWithGuide): the guide's GPU memory, Slipway's fp16 weights and the full
// need with a KV cache; rows where the guide understates are flagged.
#include "sizing/guide_comparison.h"

#include <QAbstractTableModel>
#include <QString>

#include <vector>

namespace slipway::ui {

class GuideComparisonModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GuideComparisonModel)

public:
    enum Column {
        SizeColumn,
        ModelColumn,
        GuideGpuColumn,
        WeightsColumn,
        FullNeedColumn,
        VerdictColumn,
        ColumnCount
    };
    enum Role { UnderstatedRole = Qt::UserRole + 1, ModelIdRole, CurrentRole };

    explicit GuideComparisonModel(QObject *parent = nullptr);

    void setRows(std::vector<sizing::GuideRowComparison> rows, sizing::GuideAssumptions assumptions);
    const sizing::GuideAssumptions &assumptions() const { return m_assumptions; }
    // Marks the row of the model the Calculator shows (matched by id, ignoring case).
    void setCurrentModelId(const QString &modelId);
    int currentRow() const;
    void retranslate();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString verdict(const sizing::GuideRowComparison &row) const;

    std::vector<sizing::GuideRowComparison> m_rows;
    sizing::GuideAssumptions m_assumptions;
    QString m_currentModelId;
};

} // namespace slipway::ui
