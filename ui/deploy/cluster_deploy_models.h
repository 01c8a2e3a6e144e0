#pragma once
// The tables of the Cluster deploy page: the plan's objects with their dry run and apply outcome
// (ApplyObjectsModel), and the rollout's pods with phase, readiness, restarts and the reason in
// plain words (RolloutModel).
//
// Thread-safety: GUI thread only.
#include "deploy/render.h"
#include "kube/apply_plan.h"
#include "kube/rollout.h"

#include <QAbstractTableModel>

#include <vector>

namespace slipway::ui {

class ApplyObjectsModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApplyObjectsModel)

public:
    enum Column { ObjectColumn, DryRunColumn, ApplyColumn, ColumnCount };
    enum class State { Waiting, Passed, Created, Configured, Failed };

    explicit ApplyObjectsModel(QObject *parent = nullptr);

    void setObjects(const std::vector<deploy::RenderedObject> &objects);
    void update(const kube::ApplyProgress &progress);
    // The row of kind/name, or -1.
    int rowOf(const QString &kind, const QString &name) const;
    State state(int row, Column column) const;
    void retranslate();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString kind;
        QString name;
        State dryRun = State::Waiting;
        State apply = State::Waiting;
        QString error;
    };
    static QString stateText(State state);
    std::vector<Row> m_rows;
};

class RolloutModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RolloutModel)

public:
    enum Column { PodColumn, PhaseColumn, ReadyColumn, RestartsColumn, NodeColumn, ReasonColumn, ColumnCount };

    explicit RolloutModel(QObject *parent = nullptr);

    void setStatus(const kube::RolloutStatus &status);
    const kube::RolloutStatus &status() const { return m_status; }
    void retranslate();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    kube::RolloutStatus m_status;
};

} // namespace slipway::ui
