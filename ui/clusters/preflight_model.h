#pragma once
// A preflight checklist (core/kube/preflight.h) as a list: one row per check with a status icon,
// "title — detail" and, for anything but a pass, the fix on a second line.
//
// Thread-safety: GUI thread only.
#include "kube/preflight.h"

#include <QAbstractListModel>

namespace slipway::ui {

class PreflightModel final : public QAbstractListModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PreflightModel)

public:
    enum Role { IdRole = Qt::UserRole + 1, StatusRole, FixRole, DetailRole };

    explicit PreflightModel(QObject *parent = nullptr);

    void setReport(kube::PreflightReport report);
    void clear();
    // Re-emits every row after a language change (titles and "Fix:" are translated).
    void retranslate();
    const kube::PreflightReport &report() const { return m_report; }
    // The row of a check id ("gpu-capacity"), or -1.
    int rowOf(const QString &id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    // The translated title of a check id; the core's English title when the id is unknown.
    static QString titleFor(const kube::PreflightItem &item);
    static QString statusText(kube::CheckStatus status);

private:
    kube::PreflightReport m_report;
};

} // namespace slipway::ui
