#include "logs/log_source_model.h"

#include "logs/log_bridge.h"
#include "logs/log_model.h"

namespace slipway::ui {

LogSourceModel::LogSourceModel(int maxLinesPerSource, QObject *parent)
    : QAbstractListModel(parent), m_maxLines(std::max(1, maxLinesPerSource)) {}

int LogSourceModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_sources.size()); }

QVariant LogSourceModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || index.row() >= m_sources.size()) return {};
    const Source &s = m_sources[index.row()];
    if (role == Qt::DisplayRole) return s.title;
    if (role == IdRole) return s.id;
    return {};
}

LogBridge *LogSourceModel::addSource(const QString &id, const QString &title) {
    if (const int row = rowOf(id); row >= 0) {
        m_sources[row].title = title;
        emit dataChanged(index(row), index(row));
        return m_sources[row].bridge;
    }
    auto *model = new LogModel(m_maxLines, this);
    auto *bridge = new LogBridge(model, this);
    beginInsertRows({}, int(m_sources.size()), int(m_sources.size()));
    m_sources.append(Source{id, title, model, bridge});
    endInsertRows();
    return bridge;
}

void LogSourceModel::removeSource(const QString &id) {
    const int row = rowOf(id);
    if (row < 0) return;
    beginRemoveRows({}, row, row);
    const Source s = m_sources.takeAt(row);
    endRemoveRows();
    delete s.bridge;  // first: it feeds the model
    delete s.model;
}

int LogSourceModel::rowOf(const QString &id) const {
    for (int i = 0; i < m_sources.size(); ++i) {
        if (m_sources[i].id == id) return i;
    }
    return -1;
}

LogModel *LogSourceModel::logModel(int row) const {
    return row >= 0 && row < m_sources.size() ? m_sources[row].model : nullptr;
}

LogBridge *LogSourceModel::bridge(int row) const {
    return row >= 0 && row < m_sources.size() ? m_sources[row].bridge : nullptr;
}

void LogSourceModel::setMaxLinesPerSource(int maxLines) {
    m_maxLines = std::max(1, maxLines);
    for (const Source &s : m_sources) s.model->setMaxLines(m_maxLines);
}

} // namespace slipway::ui
