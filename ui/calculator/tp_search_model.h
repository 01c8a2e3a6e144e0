#pragma once
// TpSearchModel: every TP size the core considered, whether it is valid for the model, whether
// the load fits, and why; the TP the sizing chose is marked.
#include "sizing/sizing.h"

#include <QAbstractTableModel>

#include <vector>

namespace slipway::ui {

class TpSearchModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TpSearchModel)

public:
    enum Column {
        TpColumn,
        NodesColumn,
        ValidColumn,
        FitsColumn,
        MemFractionColumn,
        WeightsColumn,
        KvPoolColumn,
        NoteColumn,
        ColumnCount
    };
    enum Role { ChosenRole = Qt::UserRole + 1, TpRole };

    explicit TpSearchModel(QObject *parent = nullptr);

    // The search of `result` (empty when nullopt); `result.tp` is the chosen row.
    void setResult(const std::optional<sizing::SizingResult> &result);
    int chosenRow() const;
    void retranslate();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<sizing::TpCandidate> m_candidates;
    int m_chosenTp = 0;
};

} // namespace slipway::ui
