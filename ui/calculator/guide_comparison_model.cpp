#include "calculator/guide_comparison_model.h"

#include "calculator/figure_text.h"
#include "messages/core_messages.h"

#include <QBrush>
#include <QColor>
#include <QFont>

namespace slipway::ui {

GuideComparisonModel::GuideComparisonModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void GuideComparisonModel::setRows(std::vector<sizing::GuideRowComparison> rows, sizing::GuideAssumptions assumptions)
{
    beginResetModel();
    m_rows = std::move(rows);
    m_assumptions = assumptions;
    endResetModel();
}

void GuideComparisonModel::setCurrentModelId(const QString &modelId)
{
    if (modelId.compare(m_currentModelId, Qt::CaseInsensitive) == 0)
        return;
    m_currentModelId = modelId;
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int GuideComparisonModel::currentRow() const
{
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (QString::fromStdString(m_rows[i].modelId).compare(m_currentModelId, Qt::CaseInsensitive) == 0)
            return static_cast<int>(i);
    }
    return -1;
}

void GuideComparisonModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int GuideComparisonModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int GuideComparisonModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString GuideComparisonModel::verdict(const sizing::GuideRowComparison &row) const
{
    if (row.weightsExceedGuide)
        return tr("Short by %1 for the weights alone")
            .arg(FigureText::bytes(static_cast<double>(row.fp16WeightsBytes - row.guideGpuMemoryBytes)));
    if (row.understated)
        return tr("Short by %1 with the KV cache")
            .arg(FigureText::bytes(static_cast<double>(row.fullNeedBytes - row.guideGpuMemoryBytes)));
    return tr("Enough");
}

QVariant GuideComparisonModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const sizing::GuideRowComparison &row = m_rows[static_cast<size_t>(index.row())];
    const bool current = index.row() == currentRow();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case SizeColumn:
            return QString::fromStdString(row.params);
        case ModelColumn:
            // The name without the organisation: the whole id is in ModelIdRole.
            return QString::fromStdString(row.modelId).section(QLatin1Char('/'), -1);
        case GuideGpuColumn:
            return FigureText::bytes(static_cast<double>(row.guideGpuMemoryBytes));
        case WeightsColumn:
            return FigureText::bytes(static_cast<double>(row.fp16WeightsBytes));
        case FullNeedColumn:
            return FigureText::bytes(static_cast<double>(row.fullNeedBytes));
        case VerdictColumn:
            return verdict(row);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return CoreMessages::text(row.formulaMessage);
    case Qt::TextAlignmentRole:
        if (index.column() == GuideGpuColumn || index.column() == WeightsColumn || index.column() == FullNeedColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (index.column() == VerdictColumn || index.column() == GuideGpuColumn)
            return row.understated ? QBrush(QColor(0xb0, 0x28, 0x18)) : QBrush(QColor(0x1e, 0x7a, 0x36));
        return {};
    case Qt::FontRole:
        if (current) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::BackgroundRole:
        if (current)
            return QBrush(QColor(0xdc, 0xea, 0xfb));
        return {};
    case UnderstatedRole:
        return row.understated;
    case ModelIdRole:
        return QString::fromStdString(row.modelId);
    case CurrentRole:
        return current;
    default:
        return {};
    }
}

QVariant GuideComparisonModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case SizeColumn:
        return tr("Size");
    case ModelColumn:
        return tr("Model");
    case GuideGpuColumn:
        return tr("Guide");
    case WeightsColumn:
        return tr("fp16 weights");
    case FullNeedColumn:
        return tr("Weights + KV");
    case VerdictColumn:
        return tr("Verdict");
    default:
        return {};
    }
}

} // namespace slipway::ui
