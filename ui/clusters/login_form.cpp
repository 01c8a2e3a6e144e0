#include "clusters/login_form.h"

#include <QCheckBox>
#include <QEvent>
#include <QFile>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace slipway::ui {

LoginForm::LoginForm(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QFormLayout(this);
    m_server = new QLineEdit(this);
    m_server->setObjectName(QStringLiteral("loginServer"));
    m_server->setPlaceholderText(QStringLiteral("https://api.cluster.example.com:6443"));
    m_server->setProperty("slipwayCoreText", true); // a URL, the same in every language
    m_token = new QLineEdit(this);
    m_token->setObjectName(QStringLiteral("loginToken"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setAttribute(Qt::WA_InputMethodEnabled, false);
    m_caFile = new QLineEdit(this);
    m_namespace = new QLineEdit(QStringLiteral("default"), this);
    m_insecure = new QCheckBox(this);
    m_warning = new QLabel(this);
    m_warning->setStyleSheet(QStringLiteral("color: #b03000; font-weight: bold"));
    m_warning->setWordWrap(true);
    m_warning->setVisible(false);
    m_submit = new QPushButton(this);
    m_serverLabel = new QLabel(this);
    m_tokenLabel = new QLabel(this);
    m_caLabel = new QLabel(this);
    m_namespaceLabel = new QLabel(this);
    layout->addRow(m_serverLabel, m_server);
    layout->addRow(m_tokenLabel, m_token);
    layout->addRow(m_caLabel, m_caFile);
    layout->addRow(m_namespaceLabel, m_namespace);
    layout->addRow(QString(), m_insecure);
    layout->addRow(QString(), m_warning);
    layout->addRow(QString(), m_submit);
    connect(m_insecure, &QCheckBox::toggled, m_warning, &QWidget::setVisible);
    connect(m_submit, &QPushButton::clicked, this, &LoginForm::submitted);
    connect(m_token, &QLineEdit::returnPressed, this, &LoginForm::submitted);
    retranslateUi();
}

void LoginForm::retranslateUi()
{
    m_token->setPlaceholderText(tr("sha256~… from “Copy login command”"));
    m_caFile->setPlaceholderText(tr("PEM file; empty: the system's trusted CAs"));
    m_insecure->setText(tr("Skip TLS verification (insecure)"));
    m_warning->setText(tr("⚠ TLS verification is off: anyone between you and the cluster can read your token."));
    m_submit->setText(tr("Log in"));
    m_serverLabel->setText(tr("Server"));
    m_tokenLabel->setText(tr("Token"));
    m_caLabel->setText(tr("CA file"));
    m_namespaceLabel->setText(tr("Namespace"));
}

void LoginForm::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void LoginForm::setServer(const QString &server) { m_server->setText(server); }
QString LoginForm::server() const { return m_server->text().trimmed(); }
void LoginForm::setToken(const QString &token) { m_token->setText(token); }
void LoginForm::setCaFile(const QString &path) { m_caFile->setText(path); }
void LoginForm::setInsecure(bool insecure) { m_insecure->setChecked(insecure); }
void LoginForm::setNamespace(const QString &ns) { m_namespace->setText(ns); }
bool LoginForm::warningVisible() const { return m_warning->isVisibleTo(this); }

void LoginForm::setServerEditable(bool editable)
{
    m_server->setReadOnly(!editable);
    m_caFile->setEnabled(editable);
    m_namespace->setEnabled(editable);
    m_insecure->setEnabled(editable);
}

QString LoginForm::takeToken()
{
    const QString token = m_token->text().trimmed();
    m_token->clear();
    return token;
}

Result<kube::Connection> LoginForm::takeConnection()
{
    const std::string token = takeToken().toStdString();
    std::string caPem;
    const QString caPath = m_caFile->text().trimmed();
    if (!caPath.isEmpty()) {
        QFile file(caPath);
        if (!file.open(QIODevice::ReadOnly))
            return fail(tr("cannot read the CA file %1: %2").arg(caPath, file.errorString()).toStdString());
        caPem = file.readAll().toStdString();
    }
    const QString ns = m_namespace->text().trimmed();
    return kube::tokenConnection(server().toStdString(), token, caPem, m_insecure->isChecked(),
                                 ns.isEmpty() ? std::string("default") : ns.toStdString());
}

} // namespace slipway::ui
