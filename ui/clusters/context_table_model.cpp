#include "clusters/context_table_model.h"

#include <QApplication>
#include <QBrush>
#include <QFont>
#include <QStyle>

namespace slipway::ui {

ContextTableModel::ContextTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void ContextTableModel::setKubeconfig(kube::Kubeconfig config)
{
    beginResetModel();
    m_config = std::move(config);
    endResetModel();
}

QString ContextTableModel::contextName(int row) const
{
    if (row < 0 || row >= int(m_config.contexts.size()))
        return {};
    return QString::fromStdString(m_config.contexts[size_t(row)].name);
}

int ContextTableModel::currentContextRow() const
{
    for (size_t i = 0; i < m_config.contexts.size(); ++i)
        if (m_config.contexts[i].name == m_config.currentContext)
            return int(i);
    return -1;
}

bool ContextTableModel::isInsecure(int row) const
{
    if (row < 0 || row >= int(m_config.contexts.size()))
        return false;
    const kube::ClusterEntry *cluster = m_config.findCluster(m_config.contexts[size_t(row)].cluster);
    return cluster && cluster->insecureSkipTlsVerify;
}

int ContextTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_config.contexts.size());
}

int ContextTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ContextTableModel::credentialKind(const kube::UserEntry *user) const
{
    if (!user)
        return tr("no user entry");
    if (user->exec)
        return tr("exec plugin %1").arg(QString::fromStdString(user->exec->command));
    if (!user->tokenFile.empty())
        return tr("token file");
    if (!user->token.empty())
        return tr("token");
    if (!user->clientCertificate.empty() || !user->clientCertificateData.empty())
        return tr("client certificate");
    return tr("no credentials");
}

QVariant ContextTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_config.contexts.size()))
        return {};
    const kube::ContextEntry &context = m_config.contexts[size_t(index.row())];
    const kube::ClusterEntry *cluster = m_config.findCluster(context.cluster);
    const kube::UserEntry *user = m_config.findUser(context.user);
    const bool insecure = cluster && cluster->insecureSkipTlsVerify;
    if (role == InsecureRole)
        return insecure;
    if (role == Qt::FontRole && context.name == m_config.currentContext) {
        QFont font;
        font.setBold(true);
        return font;
    }
    if (index.column() == SecurityColumn) {
        if (role == Qt::DecorationRole && insecure)
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
        if (role == Qt::ForegroundRole && insecure)
            return QBrush(QColor(0xb0, 0x30, 0x00));
        if (role == Qt::ToolTipRole && insecure)
            return tr("TLS verification is off: anyone between you and the cluster can read your token. Add the cluster's CA instead.");
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case ContextColumn:
        return QString::fromStdString(context.name);
    case ServerColumn:
        return cluster ? QString::fromStdString(cluster->server) : tr("(cluster %1 missing)").arg(QString::fromStdString(context.cluster));
    case UserColumn:
        return QStringLiteral("%1 (%2)").arg(QString::fromStdString(context.user), credentialKind(user));
    case NamespaceColumn:
        return QString::fromStdString(context.namespaceName.empty() ? std::string("default") : context.namespaceName);
    case SecurityColumn:
        return insecure ? tr("TLS verification off") : tr("TLS verified");
    default:
        return {};
    }
}

QVariant ContextTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ContextColumn: return tr("Context");
    case ServerColumn: return tr("Server");
    case UserColumn: return tr("User");
    case NamespaceColumn: return tr("Namespace");
    case SecurityColumn: return tr("Security");
    default: return {};
    }
}

void ContextTableModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

} // namespace slipway::ui
