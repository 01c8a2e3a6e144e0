#pragma once
// The `oc login --server=... --token=...` form: server URL, token (masked, never echoed, cleared
// once used), an optional CA file and "skip TLS verification" with a visible warning. Used for the
// first login and, with the server fixed, to log in again after a 401.
//
// Thread-safety: GUI thread only.
#include "common/result.h"
#include "kube/connection.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace slipway::ui {

class LoginForm final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoginForm)

public:
    explicit LoginForm(QWidget *parent = nullptr);

    void setServer(const QString &server);
    QString server() const;
    void setToken(const QString &token);     // for tests and pasting; shown masked
    void setCaFile(const QString &path);
    void setInsecure(bool insecure);
    void setServerEditable(bool editable);   // re-login: the server stays as it was
    void setNamespace(const QString &ns);

    // The connection the form describes; the token field is cleared either way. Errors say which
    // field to change.
    Result<kube::Connection> takeConnection();
    // The token alone (re-login); cleared from the field.
    QString takeToken();

    QLineEdit *tokenEdit() const { return m_token; }
    QPushButton *submitButton() const { return m_submit; }
    bool warningVisible() const;

signals:
    void submitted();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

    QLabel *m_serverLabel = nullptr;
    QLabel *m_tokenLabel = nullptr;
    QLabel *m_caLabel = nullptr;
    QLabel *m_namespaceLabel = nullptr;
    QLineEdit *m_server = nullptr;
    QLineEdit *m_token = nullptr;
    QLineEdit *m_caFile = nullptr;
    QLineEdit *m_namespace = nullptr;
    QCheckBox *m_insecure = nullptr;
    QLabel *m_warning = nullptr;
    QPushButton *m_submit = nullptr;
};

} // namespace slipway::ui
