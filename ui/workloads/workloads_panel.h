#pragma once
// WorkloadsPanel: the workloads this console runs (WorkloadsModel) with Start, Stop and Restart,
// and actions that open the Logs, Chat and Metrics panels on the selected workload. Below the
// table, the selected workload's details: what it serves, the demo model's honest label, and a
// crash's exit code and last lines. A first-run banner offers to start the demo model locally.
//
// The panel only renders and forwards input: the signals are wired to the services (the Local
// engine now, cluster deployments later) by the application.
//
// Thread-safety: GUI thread only.
#include <QWidget>

class QCheckBox;
class QFrame;
class QLabel;
class QSpinBox;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace slipway::ui {

class WorkloadsModel;

class WorkloadsPanel final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WorkloadsPanel)

public:
    // `model` is not owned and must outlive the panel.
    explicit WorkloadsPanel(WorkloadsModel *model, QWidget *parent = nullptr);

    WorkloadsModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    // The id of the selected workload; empty when none.
    QString currentId() const;
    void selectWorkload(const QString &id);

    // The first-run offer. `demoDir` is where the demo model is (or would be); `prepared` tells
    // whether it is there. Hidden with showFirstRunOffer(false).
    void showFirstRunOffer(bool show, bool prepared = false, const QString &demoDir = {});
    bool firstRunOfferShown() const;

    // The buttons, for tests and the window's shortcuts.
    QPushButton *startButton() const { return m_start; }
    QPushButton *stopButton() const { return m_stop; }
    QPushButton *restartButton() const { return m_restart; }
    QPushButton *startDemoButton() const { return m_startDemo; }
    // Cluster rows: scale to the spin box's replicas, undeploy, refresh the list.
    QPushButton *scaleButton() const { return m_scale; }
    QSpinBox *replicasSpin() const { return m_replicas; }
    QPushButton *undeployButton() const { return m_undeploy; }
    QPushButton *refreshButton() const { return m_refresh; }
    // The log options of a cluster row's "Open logs": tail lines per pod (0: all), since minutes
    // (0: from the start), the previous (crashed) container.
    int logTailLines() const;
    int logSinceMinutes() const;
    bool logPrevious() const;
    void setLogOptions(int tailLines, int sinceMinutes, bool previous);
    // A message from the service (a start that failed: core/local's words, naming what to
    // change); empty hides it.
    void showError(const QString &message);
    QString errorText() const;

    // The crash box's text as shown (exit and last lines); empty when hidden.
    QString crashText() const;

signals:
    void startRequested(const QString &id);
    void stopRequested(const QString &id);
    void restartRequested(const QString &id);
    void openLogsRequested(const QString &id);
    void openChatRequested(const QString &id);
    void openMetricsRequested(const QString &id);
    void scaleRequested(const QString &id, int replicas);
    void undeployRequested(const QString &id);
    void refreshRequested();
    // The first-run banner's buttons.
    void startDemoRequested();
    void firstRunDismissed();

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildUi();
    void retranslateUi();
    void updateDetails();

    WorkloadsModel *m_model;
    QLabel *m_subtitle = nullptr;
    QFrame *m_banner = nullptr;
    QLabel *m_bannerTitle = nullptr;
    QLabel *m_bannerText = nullptr;
    QPushButton *m_startDemo = nullptr;
    QPushButton *m_dismiss = nullptr;
    bool m_demoPrepared = false;
    QString m_demoDir;
    QPushButton *m_start = nullptr;
    QPushButton *m_stop = nullptr;
    QPushButton *m_restart = nullptr;
    QPushButton *m_openLogs = nullptr;
    QPushButton *m_openChat = nullptr;
    QPushButton *m_openMetrics = nullptr;
    QWidget *m_clusterActions = nullptr;
    QLabel *m_replicasLabel = nullptr;
    QSpinBox *m_replicas = nullptr;
    QPushButton *m_scale = nullptr;
    QPushButton *m_undeploy = nullptr;
    QPushButton *m_refresh = nullptr;
    QLabel *m_tailLabel = nullptr;
    QSpinBox *m_tail = nullptr;
    QLabel *m_sinceLabel = nullptr;
    QSpinBox *m_since = nullptr;
    QCheckBox *m_previous = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_detailsTitle = nullptr;
    QLabel *m_details = nullptr;
    QLabel *m_demoNotice = nullptr;
    QFrame *m_crashBox = nullptr;
    QLabel *m_crashTitle = nullptr;
    QPlainTextEdit *m_crashLines = nullptr;
};

} // namespace slipway::ui
