#include "frame/about_dialog.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QEvent>
#include <QLabel>
#include <QVBoxLayout>
#include <QtGlobal>

namespace slipway::ui {

AboutDialog::AboutDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("aboutDialog"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 20, 24, 16);
    layout->setSpacing(10);
    m_title = new QLabel(this);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_version = new QLabel(this);
    m_version->setObjectName(QStringLiteral("aboutVersion"));
    m_version->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_description = new QLabel(this);
    m_description->setWordWrap(true);
    m_description->setMinimumWidth(420);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(m_title);
    layout->addWidget(m_version);
    layout->addWidget(m_description);
    layout->addWidget(m_buttons);
    retranslateUi();
}

QString AboutDialog::versionText() const
{
    return m_version->text();
}

void AboutDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

void AboutDialog::retranslateUi()
{
    setWindowTitle(tr("About Slipway"));
    m_title->setText(tr("Slipway"));
    const QString version = QCoreApplication::applicationVersion();
    m_version->setText(tr("Version %1 · Qt %2").arg(version.isEmpty() ? tr("unknown") : version, QString::fromLatin1(qVersion())));
    m_description->setText(tr("A console for deploying large language models — the DeepSeek family on SGLang or "
                              "slipway-engine — onto OpenShift and Kubernetes: size the GPUs, get the model files "
                              "into the cluster, apply the manifests and watch the deployment come up."));
}

} // namespace slipway::ui
