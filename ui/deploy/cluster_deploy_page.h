#pragma once
// The Deploy wizard's last page for the Cluster target: Deploy runs preflight (the checklist with a
// fix per failure), the model files step, the server-side apply (dry run first, progress per
// object, conflicts with their managers and a "take over" choice) and the rollout (pods with
// plain-language reasons) through ClusterDeployController. A refused token shows an inline
// "log in again" form; the interrupted step resumes after it. Undeploy and scale live in Workloads.
#include "deploy/deploy_pages.h"

#include <functional>

class QFrame;
class QLineEdit;
class QListView;
class QPlainTextEdit;
class QProgressBar;
class QTableView;

namespace slipway::ui {

class ApplyObjectsModel;
class ClusterDeployController;
class LoginForm;
class PreflightModel;
class RolloutModel;

class ClusterDeployPage final : public ChoicePage {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClusterDeployPage)

public:
    explicit ClusterDeployPage(DeployWizard *wizard);
    void initializePage() override;
    bool isComplete() const override;

    // Starts the deployment (the Deploy button).
    void deploy();
    ClusterDeployController *controller() const { return m_controller; }
    PreflightModel *preflightModel() const { return m_preflight; }
    ApplyObjectsModel *applyModel() const { return m_apply; }
    RolloutModel *rolloutModel() const { return m_rollout; }
    LoginForm *reloginForm() const { return m_relogin; }
    bool reloginVisible() const;
    QPushButton *deployButton() const { return m_start; }
    QPushButton *continueButton() const { return m_continue; }
    QPushButton *forceButton() const { return m_force; }
    QString stepText() const;
    QString errorText() const;
    QString filesText() const;
    QString conflictText() const;
    // S3 storage: the keys for the upload and the KServe Secret. Typed once: Deploy hands them to
    // the controller and empties the fields, so they are never on screen again.
    QLineEdit *s3AccessKeyEdit() const { return m_s3AccessKey; }
    QLineEdit *s3SecretKeyEdit() const { return m_s3SecretKey; }
    bool s3KeysVisible() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void showStep();
    void showError(const QString &text);
    void submitRelogin();
    void showS3Keys();

    ClusterDeployController *m_controller = nullptr;
    PreflightModel *m_preflight = nullptr;
    ApplyObjectsModel *m_apply = nullptr;
    RolloutModel *m_rollout = nullptr;

    QLabel *m_summary = nullptr;
    QPushButton *m_start = nullptr;
    QLabel *m_step = nullptr;
    QLabel *m_preflightTitle = nullptr;
    QListView *m_preflightView = nullptr;
    QPushButton *m_continue = nullptr;
    QLabel *m_filesTitle = nullptr;
    QProgressBar *m_filesBar = nullptr;
    QLabel *m_filesLabel = nullptr;
    QLabel *m_applyTitle = nullptr;
    QTableView *m_applyView = nullptr;
    QLabel *m_conflicts = nullptr;
    QPushButton *m_force = nullptr;
    QLabel *m_rolloutTitle = nullptr;
    QTableView *m_rolloutView = nullptr;
    QLabel *m_rolloutSummary = nullptr;
    QPlainTextEdit *m_notices = nullptr;
    QLabel *m_error = nullptr;
    QFrame *m_reloginFrame = nullptr;
    QLabel *m_reloginText = nullptr;
    LoginForm *m_relogin = nullptr;
    QFrame *m_s3Frame = nullptr;
    QLabel *m_s3Text = nullptr;
    QLabel *m_s3AccessLabel = nullptr;
    QLabel *m_s3SecretLabel = nullptr;
    QLineEdit *m_s3AccessKey = nullptr;
    QLineEdit *m_s3SecretKey = nullptr;
    std::function<QString()> m_summaryText;
    std::function<QString()> m_filesText;
};

} // namespace slipway::ui
