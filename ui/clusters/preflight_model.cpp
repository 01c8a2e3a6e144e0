#include "clusters/preflight_model.h"

#include <QApplication>
#include <QStyle>

namespace slipway::ui {

PreflightModel::PreflightModel(QObject *parent) : QAbstractListModel(parent) {}

void PreflightModel::setReport(kube::PreflightReport report)
{
    beginResetModel();
    m_report = std::move(report);
    endResetModel();
}

void PreflightModel::clear()
{
    setReport({});
}

void PreflightModel::retranslate()
{
    if (rowCount() > 0)
        emit dataChanged(index(0), index(rowCount() - 1));
}

int PreflightModel::rowOf(const QString &id) const
{
    for (size_t i = 0; i < m_report.items.size(); ++i)
        if (QString::fromStdString(m_report.items[i].id) == id)
            return int(i);
    return -1;
}

int PreflightModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_report.items.size());
}

QString PreflightModel::titleFor(const kube::PreflightItem &item)
{
    static const std::pair<const char *, const char *> titles[] = {
        {"api", QT_TR_NOOP("API server")},
        {"platform", QT_TR_NOOP("Platform")},
        {"gpu-nodes", QT_TR_NOOP("GPU nodes")},
        {"gpu-capacity", QT_TR_NOOP("Free GPUs")},
        {"gpu-operator", QT_TR_NOOP("GPU operator")},
        {"dcgm-exporter", QT_TR_NOOP("DCGM exporter")},
        {"lws-crd", QT_TR_NOOP("LeaderWorkerSet")},
        {"kserve-crd", QT_TR_NOOP("KServe")},
        {"storage-class", QT_TR_NOOP("Storage class")},
        {"rwx", QT_TR_NOOP("ReadWriteMany")},
        {"permissions", QT_TR_NOOP("Permissions")},
        {"scc", QT_TR_NOOP("Privileged SCC")},
        {"namespace", QT_TR_NOOP("Namespace")},
    };
    for (const auto &[id, title] : titles)
        if (item.id == id)
            return tr(title);
    return QString::fromStdString(item.title);
}

QString PreflightModel::statusText(kube::CheckStatus status)
{
    switch (status) {
    case kube::CheckStatus::Pass: return tr("passed");
    case kube::CheckStatus::Warn: return tr("warning");
    case kube::CheckStatus::Fail: return tr("failed");
    case kube::CheckStatus::Skipped: return tr("not checked");
    }
    return {};
}

QVariant PreflightModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_report.items.size()))
        return {};
    const kube::PreflightItem &item = m_report.items[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole: {
        QString text = QStringLiteral("%1 — %2").arg(titleFor(item), QString::fromStdString(item.detail));
        if (!item.fix.empty() && item.status != kube::CheckStatus::Pass)
            text += QLatin1Char('\n') + tr("Fix: %1").arg(QString::fromStdString(item.fix));
        return text;
    }
    case Qt::DecorationRole: {
        QStyle *style = QApplication::style();
        switch (item.status) {
        case kube::CheckStatus::Pass: return style->standardIcon(QStyle::SP_DialogApplyButton);
        case kube::CheckStatus::Warn: return style->standardIcon(QStyle::SP_MessageBoxWarning);
        case kube::CheckStatus::Fail: return style->standardIcon(QStyle::SP_MessageBoxCritical);
        case kube::CheckStatus::Skipped: return style->standardIcon(QStyle::SP_MessageBoxInformation);
        }
        return {};
    }
    case Qt::ToolTipRole:
        return statusText(item.status);
    case IdRole: return QString::fromStdString(item.id);
    case StatusRole: return int(item.status);
    case FixRole: return QString::fromStdString(item.fix);
    case DetailRole: return QString::fromStdString(item.detail);
    default: return {};
    }
}

} // namespace slipway::ui
