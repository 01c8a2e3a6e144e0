#include "clusters/login_form.h"

#include <QCheckBox>
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
    m_server->setPlaceholderText(QStringLiteral("https://api.cluster.example.com:6443"));
    m_token = new QLineEdit(this);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("sha256~… from “Copy login command”"));
    m_token->setAttribute(Qt::WA_InputMethodEnabled, false);
    m_caFile = new QLineEdit(this);
    m_caFile->setPlaceholderText(tr("PEM file; empty: the system's trusted CAs"));
    m_namespace = new QLineEdit(QStringLiteral("default"), this);
    m_insecure = new QCheckBox(tr("Skip TLS verification (insecure)"), this);
    m_warning = new QLabel(tr("⚠ TLS verification is off: anyone between you and the cluster can read your token."), this);
    m_warning->setStyleSheet(QStringLiteral("color: #b03000; font-weight: bold"));
    m_warning->setWordWrap(true);
    m_warning->setVisible(false);
    m_submit = new QPushButton(tr("Log in"), this);
    layout->addRow(tr("Server"), m_server);
    layout->addRow(tr("Token"), m_token);
    layout->addRow(tr("CA file"), m_caFile);
    layout->addRow(tr("Namespace"), m_namespace);
    layout->addRow(QString(), m_insecure);
    layout->addRow(QString(), m_warning);
    layout->addRow(QString(), m_submit);
    connect(m_insecure, &QCheckBox::toggled, m_warning, &QWidget::setVisible);
    connect(m_submit, &QPushButton::clicked, this, &LoginForm::submitted);
    connect(m_token, &QLineEdit::returnPressed, this, &LoginForm::submitted);
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
