#include "deploy/cluster_deploy_models.h"

#include <QBrush>
#include <QColor>

namespace slipway::ui {

// ---- ApplyObjectsModel --------------------------------------------------------------------

ApplyObjectsModel::ApplyObjectsModel(QObject *parent) : QAbstractTableModel(parent) {}

void ApplyObjectsModel::setObjects(const std::vector<deploy::RenderedObject> &objects)
{
    beginResetModel();
    m_rows.clear();
    for (const deploy::RenderedObject &o : objects)
        m_rows.push_back({QString::fromStdString(o.kind), QString::fromStdString(o.name)});
    endResetModel();
}

int ApplyObjectsModel::rowOf(const QString &kind, const QString &name) const
{
    for (size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].kind == kind && m_rows[i].name == name)
            return int(i);
    return -1;
}

ApplyObjectsModel::State ApplyObjectsModel::state(int row, Column column) const
{
    if (row < 0 || row >= int(m_rows.size()))
        return State::Waiting;
    return column == DryRunColumn ? m_rows[size_t(row)].dryRun : m_rows[size_t(row)].apply;
}

void ApplyObjectsModel::update(const kube::ApplyProgress &p)
{
    const int row = rowOf(QString::fromStdString(p.kind), QString::fromStdString(p.name));
    if (row < 0)
        return;
    Row &r = m_rows[size_t(row)];
    const State outcome = !p.error.empty() ? State::Failed : p.stage == kube::ApplyStage::DryRun ? State::Passed
                                                       : p.created                             ? State::Created
                                                                                               : State::Configured;
    if (p.stage == kube::ApplyStage::DryRun)
        r.dryRun = outcome;
    else
        r.apply = outcome;
    r.error = QString::fromStdString(p.error);
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ApplyObjectsModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.empty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

QString ApplyObjectsModel::stateText(State state)
{
    switch (state) {
    case State::Waiting: return tr("waiting");
    case State::Passed: return tr("passed");
    case State::Created: return tr("created");
    case State::Configured: return tr("configured");
    case State::Failed: return tr("failed");
    }
    return {};
}

int ApplyObjectsModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }
int ApplyObjectsModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ApplyObjectsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const Row &r = m_rows[size_t(index.row())];
    const State s = index.column() == DryRunColumn ? r.dryRun : r.apply;
    if (role == Qt::DisplayRole) {
        if (index.column() == ObjectColumn)
            return r.kind + QLatin1Char(' ') + r.name;
        return stateText(s);
    }
    if (role == Qt::ToolTipRole && index.column() != ObjectColumn && s == State::Failed)
        return r.error;
    if (role == Qt::ForegroundRole && index.column() != ObjectColumn) {
        switch (s) {
        case State::Failed: return QBrush(QColor(0xc0, 0x39, 0x2b));
        case State::Waiting: return QBrush(QColor(0x6b, 0x72, 0x80));
        default: return QBrush(QColor(0x1e, 0x7e, 0x34));
        }
    }
    return {};
}

QVariant ApplyObjectsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ObjectColumn: return tr("Object");
    case DryRunColumn: return tr("Dry run");
    case ApplyColumn: return tr("Apply");
    default: return {};
    }
}

// ---- RolloutModel -------------------------------------------------------------------------

RolloutModel::RolloutModel(QObject *parent) : QAbstractTableModel(parent) {}

void RolloutModel::setStatus(const kube::RolloutStatus &status)
{
    beginResetModel();
    m_status = status;
    endResetModel();
}

void RolloutModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int RolloutModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_status.pods.size()); }
int RolloutModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant RolloutModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const kube::PodState &pod = m_status.pods[size_t(index.row())];
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case PodColumn: return QString::fromStdString(pod.name);
        case PhaseColumn: return QString::fromStdString(pod.phase);
        case ReadyColumn: return pod.ready ? tr("ready") : tr("not ready");
        case RestartsColumn: return pod.restarts;
        case NodeColumn: return pod.node.empty() ? QStringLiteral("—") : QString::fromStdString(pod.node);
        case ReasonColumn: {
            if (pod.reason.empty())
                return QStringLiteral("—");
            QString text = QString::fromStdString(pod.reason);
            if (!pod.fix.empty())
                text += QStringLiteral(" → ") + QString::fromStdString(pod.fix);
            return text;
        }
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole && index.column() == ReasonColumn && !pod.evidence.empty()) {
        QStringList lines;
        for (const std::string &e : pod.evidence)
            lines << QString::fromStdString(e);
        return lines.join(QLatin1Char('\n'));
    }
    if (role == Qt::ForegroundRole && index.column() == ReadyColumn)
        return QBrush(pod.ready ? QColor(0x1e, 0x7e, 0x34) : QColor(0xb9, 0x77, 0x0e));
    return {};
}

QVariant RolloutModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case PodColumn: return tr("Pod");
    case PhaseColumn: return tr("Phase");
    case ReadyColumn: return tr("Ready");
    case RestartsColumn: return tr("Restarts");
    case NodeColumn: return tr("Node");
    case ReasonColumn: return tr("Why, and what to do");
    default: return {};
    }
}

} // namespace slipway::ui
