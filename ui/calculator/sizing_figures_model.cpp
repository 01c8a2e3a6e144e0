#include "calculator/sizing_figures_model.h"

#include "calculator/figure_text.h"
#include "messages/core_messages.h"

#include <QFont>

namespace slipway::ui {

namespace {

// Figures a person looks for first are set in bold.
bool isHeadline(const std::string &key)
{
    return key == "per_gpu_weights_bytes" || key == "kv_capacity_tokens" || key == "tp" || key == "nodes" ||
           key == "decode_ceiling_tokens_per_s";
}

} // namespace

SizingFiguresModel::SizingFiguresModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void SizingFiguresModel::setResult(const std::optional<sizing::SizingResult> &result)
{
    beginResetModel();
    m_result = result;
    endResetModel();
}

int SizingFiguresModel::rowOf(const QString &key) const
{
    if (!m_result)
        return -1;
    const std::string k = key.toStdString();
    for (size_t i = 0; i < m_result->figures.size(); ++i) {
        if (m_result->figures[i].key == k)
            return static_cast<int>(i);
    }
    return -1;
}

void SizingFiguresModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int SizingFiguresModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_result)
        return 0;
    return static_cast<int>(m_result->figures.size());
}

int SizingFiguresModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SizingFiguresModel::data(const QModelIndex &index, int role) const
{
    if (!m_result || !index.isValid() || index.row() >= rowCount())
        return {};
    const sizing::Figure &f = m_result->figures[static_cast<size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case LabelColumn:
            return FigureText::label(f, *m_result);
        case ValueColumn:
            return FigureText::value(f);
        case FormulaColumn:
            return CoreMessages::text(f.formulaParts);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return CoreMessages::text(f.formulaParts);
    case Qt::TextAlignmentRole:
        if (index.column() == ValueColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::FontRole:
        if (index.column() != FormulaColumn && isHeadline(f.key)) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case KeyRole:
        return QString::fromStdString(f.key);
    case RawValueRole:
        return f.value;
    case UnitRole:
        return QString::fromStdString(f.unit);
    case FormulaRole:
        return QString::fromStdString(f.formula);
    default:
        return {};
    }
}

QVariant SizingFiguresModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case LabelColumn:
        return tr("Figure");
    case ValueColumn:
        return tr("Value");
    case FormulaColumn:
        return tr("Formula");
    default:
        return {};
    }
}

} // namespace slipway::ui
