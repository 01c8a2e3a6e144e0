#include "workloads/workloads_model.h"

#include <QBrush>
#include <QColor>
#include <QFont>

#include <algorithm>

namespace slipway::ui {

WorkloadsModel::WorkloadsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_uptimeTimer.setInterval(1000);
    connect(&m_uptimeTimer, &QTimer::timeout, this, &WorkloadsModel::refreshUptime);
}

int WorkloadsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int WorkloadsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString WorkloadsModel::stateText(WorkloadState state)
{
    switch (state) {
    case WorkloadState::Stopped: return tr("Stopped");
    case WorkloadState::Starting: return tr("Starting");
    case WorkloadState::Ready: return tr("Ready");
    case WorkloadState::Stopping: return tr("Stopping");
    case WorkloadState::Crashed: return tr("Crashed");
    }
    return {};
}

QString WorkloadsModel::uptimeText(qint64 seconds)
{
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QVariant WorkloadsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Workload &w = m_rows.at(index.row());
    if (role == IdRole)
        return w.id;
    if (role == StateRole)
        return static_cast<int>(w.state);
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case NameColumn: return w.name;
        case TargetColumn: return w.target;
        case StateColumn: return stateText(w.state);
        case ModelColumn:
            if (w.modelPath.isEmpty())
                return QStringLiteral("—");
            return w.demoModel ? tr("Demo model (random weights)") : w.modelPath;
        case UrlColumn: return w.running() && !w.url.isEmpty() ? w.url : QStringLiteral("—");
        case PidColumn: return w.pid > 0 ? QString::number(w.pid) : QStringLiteral("—");
        case UptimeColumn:
            return w.running() && w.startedAt.isValid()
                       ? uptimeText(w.startedAt.secsTo(QDateTime::currentDateTime()))
                       : QStringLiteral("—");
        case DeviceColumn:
            if (w.cluster)
                return tr("%1 · %2 of %3 ready").arg(w.device).arg(w.readyReplicas).arg(w.replicas);
            return w.device.isEmpty() ? QStringLiteral("—") : w.device.toUpper();
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole && index.column() == ModelColumn)
        return w.modelPath;
    if (role == Qt::ToolTipRole && index.column() == StateColumn)
        return w.detail;
    if (role == Qt::ForegroundRole && index.column() == StateColumn) {
        switch (w.state) {
        case WorkloadState::Ready: return QBrush(QColor(0x1e, 0x7e, 0x34));
        case WorkloadState::Crashed: return QBrush(QColor(0xc0, 0x39, 0x2b));
        case WorkloadState::Starting:
        case WorkloadState::Stopping: return QBrush(QColor(0xb9, 0x77, 0x0e));
        case WorkloadState::Stopped: return QBrush(QColor(0x6b, 0x72, 0x80));
        }
    }
    if (role == Qt::FontRole && (index.column() == StateColumn || index.column() == NameColumn)) {
        QFont font;
        font.setBold(true);
        return font;
    }
    return {};
}

QVariant WorkloadsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Name");
    case TargetColumn: return tr("Target");
    case StateColumn: return tr("State");
    case ModelColumn: return tr("Model");
    case UrlColumn: return tr("URL");
    case PidColumn: return tr("PID");
    case UptimeColumn: return tr("Uptime");
    case DeviceColumn: return tr("Device");
    default: return {};
    }
}

void WorkloadsModel::upsert(const Workload &workload)
{
    const int row = rowOf(workload.id);
    if (row < 0) {
        beginInsertRows({}, static_cast<int>(m_rows.size()), static_cast<int>(m_rows.size()));
        m_rows.append(workload);
        endInsertRows();
    } else {
        m_rows[row] = workload;
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
    const bool anyRunning = std::any_of(m_rows.cbegin(), m_rows.cend(), [](const Workload &w) { return w.running(); });
    if (anyRunning && !m_uptimeTimer.isActive())
        m_uptimeTimer.start();
    else if (!anyRunning)
        m_uptimeTimer.stop();
}

void WorkloadsModel::remove(const QString &id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
}

int WorkloadsModel::rowOf(const QString &id) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).id == id)
            return row;
    }
    return -1;
}

const Workload &WorkloadsModel::workload(int row) const
{
    return m_rows.at(row);
}

void WorkloadsModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(static_cast<int>(m_rows.size()) - 1, ColumnCount - 1));
}

void WorkloadsModel::refreshUptime()
{
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, UptimeColumn), index(static_cast<int>(m_rows.size()) - 1, UptimeColumn));
}

} // namespace slipway::ui
