#pragma once
// WorkloadsModel: the workloads table (name, target, state, model, URL, PID, uptime, device),
// one row a Workload keyed by its id. The Local engine is one row; cluster deployments are added
// the same way (upsert) by their own service later.
//
// Thread-safety: GUI thread only.
#include "workloads/workload.h"

#include <QAbstractTableModel>
#include <QList>
#include <QTimer>

namespace slipway::ui {

class WorkloadsModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WorkloadsModel)

public:
    enum Column { NameColumn, TargetColumn, StateColumn, ModelColumn, UrlColumn, PidColumn, UptimeColumn,
                  DeviceColumn, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1, StateRole };

    explicit WorkloadsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Adds the workload, or replaces the row with the same id.
    void upsert(const Workload &workload);
    void remove(const QString &id);
    int rowOf(const QString &id) const;  // -1 when absent
    const Workload &workload(int row) const;

    // Re-emits headers and cells after a language change (the panel calls it).
    void retranslate();

    static QString stateText(WorkloadState state);
    // "1 h 02 min", "3 min 05 s", "12 s".
    static QString uptimeText(qint64 seconds);

private:
    void refreshUptime();

    QList<Workload> m_rows;
    QTimer m_uptimeTimer;  // ticks while something runs, so the Uptime column moves
};

} // namespace slipway::ui
