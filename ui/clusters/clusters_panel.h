#pragma once
// The Clusters panel: pick a kubeconfig context (KUBECONFIG's files merged as kubectl does) or log
// in with a server and token as `oc login` does, connect (discovery on a worker thread), and run
// the preflight checklist of the chosen plan against it. A 401 — an expired `sha256~` token —
// shows an inline "log in again" form; after a new token the interrupted step resumes. Secrets are
// never shown, logged or kept in a widget: the token field is masked and cleared once used.
//
// Thread-safety: GUI thread only.
#include "deploy/deployment_plan.h"
#include "kube/client.h"
#include "kube/kubeconfig.h"
#include "kube/preflight.h"

#include <QThread>
#include <QWidget>

#include <functional>
#include <memory>
#include <string>
#include <vector>

class QFrame;
class QGroupBox;
class QLabel;
class QListView;
class QPushButton;
class QTableView;

namespace slipway::ui {

class ClusterWorker;
class ContextTableModel;
class LoginForm;
class PreflightModel;

class ClustersPanel final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClustersPanel)

public:
    explicit ClustersPanel(QWidget *parent = nullptr);
    ~ClustersPanel() override;

    // Reads and merges the files (default: KUBECONFIG, else ~/.kube/config). Returns the message
    // shown when they cannot be read, else an empty string.
    QString loadKubeconfig(const std::vector<std::string> &paths = kube::defaultKubeconfigPaths());

    // The plan the preflight checks.
    void setPlan(const deploy::DeploymentPlan &plan);

    // The actions behind the buttons (tests drive them directly).
    void connectContext(int row);
    void connectWithToken();
    void runPreflight();
    void submitRelogin();
    // Another part of the console met a 401 with this panel's client: show the re-login form.
    void requestRelogin();

    ContextTableModel *contextModel() const { return m_contexts; }
    PreflightModel *preflightModel() const { return m_preflight; }
    LoginForm *loginForm() const { return m_login; }
    LoginForm *reloginForm() const { return m_relogin; }
    bool isConnected() const { return static_cast<bool>(m_client); }
    bool reloginVisible() const;
    QString statusText() const;
    std::shared_ptr<kube::Client> client() const { return m_client; }
    // The context (or "server (token)") of the current connection; empty when not connected.
    QString connectedContext() const;

signals:
    void connectedChanged(bool connected);
    void preflightFinished();
    void reloginRequested();
    void busyChanged(bool busy);

protected:
    void changeEvent(QEvent *event) override;

private:
    enum class Step { None, Discover, Preflight };

    void buildUi();
    void retranslateUi();
    void showPlan();
    void useConnection(kube::Connection connection);
    void start(Step step);
    void setBusy(bool busy);
    // `text` is asked again after a language change. core: the text is the core's English words.
    void showStatus(std::function<QString()> text, bool error, bool core = false);
    void showCoreStatus(const std::string &message);
    void updateSecurityWarning();
    void onDiscovered(const QString &version, bool openShift, bool leaderWorkerSet, bool kserve);
    void onPreflight(const kube::PreflightReport &report);
    void onFailed(const QString &message, bool unauthorized);

    ContextTableModel *m_contexts = nullptr;
    PreflightModel *m_preflight = nullptr;
    QTableView *m_contextView = nullptr;
    QLabel *m_contextWarning = nullptr;
    QPushButton *m_connectContext = nullptr;
    LoginForm *m_login = nullptr;
    QFrame *m_reloginFrame = nullptr;
    LoginForm *m_relogin = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_connectionWarning = nullptr;
    QPushButton *m_preflightButton = nullptr;
    QListView *m_preflightView = nullptr;
    QLabel *m_planLabel = nullptr;
    QGroupBox *m_contextsBox = nullptr;
    QGroupBox *m_loginBox = nullptr;
    QGroupBox *m_preflightBox = nullptr;
    QPushButton *m_reload = nullptr;
    QLabel *m_reloginText = nullptr;
    std::function<QString()> m_statusText;
    bool m_hasPlan = false;

    QThread m_thread;
    ClusterWorker *m_worker = nullptr;       // lives on m_thread
    std::shared_ptr<kube::Client> m_client;
    deploy::DeploymentPlan m_plan;
    Step m_pending = Step::None;             // what a re-login resumes
    bool m_busy = false;
};

} // namespace slipway::ui
