#include "app/logs_page.h"

#include "logs/log_model.h"  // before logs_panel.h, whose QPointer<LogModel> needs it
#include "logs/log_source_model.h"
#include "logs/logs_panel.h"

#include <QComboBox>
#include <QEvent>
#include <QVBoxLayout>

namespace slipway::ui {

LogsPage::LogsPage(LogSourceModel *sources, QWidget *parent)
    : QWidget(parent)
    , m_sources(sources)
{
    setObjectName(QStringLiteral("logsPage"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 10);
    rebuild();
}

void LogsPage::showSource(const QString &id)
{
    m_panel->setCurrentSource(id);
}

void LogsPage::rebuild()
{
    setWindowTitle(tr("Logs"));
    QString shown;
    if (m_panel) {
        shown = m_panel->findChild<QComboBox *>(QStringLiteral("logSource"))->currentData(LogSourceModel::IdRole).toString();
        delete m_panel;
    }
    m_panel = new LogsPanel(m_sources, this);
    layout()->addWidget(m_panel);
    if (!shown.isEmpty())
        m_panel->setCurrentSource(shown);
}

void LogsPage::changeEvent(QEvent *event)
{
    // The panel retranslates itself in place (its search, filter and pause stay).
    if (event->type() == QEvent::LanguageChange)
        setWindowTitle(tr("Logs"));
    QWidget::changeEvent(event);
}

} // namespace slipway::ui
