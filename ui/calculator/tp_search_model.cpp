#include "calculator/tp_search_model.h"

#include "calculator/figure_text.h"
#include "messages/core_messages.h"
#include "sizing/format.h"

#include <QBrush>
#include <QColor>
#include <QFont>

namespace slipway::ui {

TpSearchModel::TpSearchModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void TpSearchModel::setResult(const std::optional<sizing::SizingResult> &result)
{
    beginResetModel();
    m_candidates = result ? result->tpSearch : std::vector<sizing::TpCandidate>{};
    m_chosenTp = result ? result->tp : 0;
    endResetModel();
}

int TpSearchModel::chosenRow() const
{
    for (size_t i = 0; i < m_candidates.size(); ++i) {
        if (m_candidates[i].tp == m_chosenTp)
            return static_cast<int>(i);
    }
    return -1;
}

void TpSearchModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int TpSearchModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_candidates.size());
}

int TpSearchModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TpSearchModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const sizing::TpCandidate &c = m_candidates[static_cast<size_t>(index.row())];
    const bool chosen = c.tp == m_chosenTp;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TpColumn:
            return c.tp;
        case NodesColumn:
            return c.nodes;
        case ValidColumn:
            return FigureText::yesNo(c.valid);
        case FitsColumn:
            return c.valid ? FigureText::yesNo(c.fits) : QString();
        case MemFractionColumn:
            return c.valid ? QString::fromStdString(sizing::formatNumber(c.memFraction)) : QString();
        case WeightsColumn:
            return c.valid ? FigureText::bytes(static_cast<double>(c.perGpuWeightsBytes)) : QString();
        case KvPoolColumn:
            return c.valid ? FigureText::bytes(static_cast<double>(c.kvPoolBytes)) : QString();
        case NoteColumn:
            return CoreMessages::text(c.note);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return CoreMessages::text(c.note);
    case Qt::TextAlignmentRole:
        if (index.column() == NoteColumn)
            return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::FontRole:
        if (chosen) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::BackgroundRole:
        if (chosen)
            return QBrush(QColor(0xdc, 0xea, 0xfb));
        return {};
    case Qt::ForegroundRole:
        if (!c.valid)
            return QBrush(QColor(0x80, 0x80, 0x80));
        if (!c.fits)
            return QBrush(QColor(0xa0, 0x30, 0x20));
        return {};
    case ChosenRole:
        return chosen;
    case TpRole:
        return c.tp;
    default:
        return {};
    }
}

QVariant TpSearchModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TpColumn:
        return tr("TP");
    case NodesColumn:
        return tr("Nodes");
    case ValidColumn:
        return tr("Valid");
    case FitsColumn:
        return tr("Fits");
    case MemFractionColumn:
        return tr("Mem fraction");
    case WeightsColumn:
        return tr("Weights per GPU");
    case KvPoolColumn:
        return tr("KV pool per GPU");
    case NoteColumn:
        return tr("Why");
    default:
        return {};
    }
}

} // namespace slipway::ui
