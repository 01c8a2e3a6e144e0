#pragma once
// The log streams the Logs panel can show, one row each: for now the Local engine; later pods of
// a workload. Each source owns its LogModel (so it keeps collecting while another is shown) and
// the LogBridge its producer feeds.
//
// Thread-safety: GUI thread only (the bridges' sinks are for any thread).
#include <QAbstractListModel>
#include <QList>
#include <QString>

namespace slipway::ui {

class LogBridge;
class LogModel;

class LogSourceModel final : public QAbstractListModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogSourceModel)

public:
    enum Role { IdRole = Qt::UserRole + 1 };

    // maxLinesPerSource: the bound of each source's buffer (the Logs buffer setting).
    explicit LogSourceModel(int maxLinesPerSource, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    // Adds a source (or returns the existing one with this id, retitled) and returns its bridge;
    // producers feed bridge->lineSink() or bridge->post().
    LogBridge *addSource(const QString &id, const QString &title);
    void removeSource(const QString &id);

    int rowOf(const QString &id) const;  // -1 when absent
    LogModel *logModel(int row) const;
    LogBridge *bridge(int row) const;

    int maxLinesPerSource() const { return m_maxLines; }
    void setMaxLinesPerSource(int maxLines);

private:
    struct Source {
        QString id;
        QString title;
        LogModel *model;
        LogBridge *bridge;
    };
    int m_maxLines;
    QList<Source> m_sources;
};

} // namespace slipway::ui
