#pragma once
// The kubeconfig's contexts as a table: context, server, user, namespace, and TLS security (a
// visible warning where insecure-skip-tls-verify is on). Never shows a credential: only the user
// entry's name and the kind of credential it uses.
//
// Thread-safety: GUI thread only.
#include "kube/kubeconfig.h"

#include <QAbstractTableModel>

namespace slipway::ui {

class ContextTableModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ContextTableModel)

public:
    enum Column { ContextColumn, ServerColumn, UserColumn, NamespaceColumn, SecurityColumn, ColumnCount };
    enum Role { InsecureRole = Qt::UserRole + 1 };

    explicit ContextTableModel(QObject *parent = nullptr);

    void setKubeconfig(kube::Kubeconfig config);
    const kube::Kubeconfig &kubeconfig() const { return m_config; }
    QString contextName(int row) const;
    int currentContextRow() const; // -1 when current-context names no listed context
    bool isInsecure(int row) const;
    // Re-emits headers and cells after a language change.
    void retranslate();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString credentialKind(const kube::UserEntry *user) const;

    kube::Kubeconfig m_config;
};

} // namespace slipway::ui
