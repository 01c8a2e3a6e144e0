#include "workloads/workloads_panel.h"

#include "workloads/workloads_model.h"

#include <QCheckBox>
#include <QEvent>
#include <QMessageBox>
#include <QSpinBox>
#include <QFontDatabase>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace slipway::ui {

namespace {

QFrame *noticeFrame(const QString &objectName, const QString &background, const QString &border, QWidget *parent)
{
    auto *frame = new QFrame(parent);
    frame->setObjectName(objectName);
    frame->setStyleSheet(QStringLiteral("QFrame#%1 { background: %2; border: 1px solid %3; border-radius: 6px; }"
                                        "QFrame#%1 QLabel { background: transparent; border: none; }")
                             .arg(objectName, background, border));
    return frame;
}

} // namespace

WorkloadsPanel::WorkloadsPanel(WorkloadsModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
{
    setObjectName(QStringLiteral("workloadsPanel"));
    buildUi();
    retranslateUi();
    updateDetails();
}

void WorkloadsPanel::buildUi()
{
    m_subtitle = new QLabel(this);
    m_subtitle->setWordWrap(true);
    m_subtitle->setStyleSheet(QStringLiteral("color: #5b6573;"));

    // First run: the demo model offer.
    m_banner = noticeFrame(QStringLiteral("firstRunBanner"), QStringLiteral("#eaf3fc"), QStringLiteral("#9cc3ea"), this);
    m_bannerTitle = new QLabel(m_banner);
    QFont bannerFont = m_bannerTitle->font();
    bannerFont.setBold(true);
    m_bannerTitle->setFont(bannerFont);
    m_bannerText = new QLabel(m_banner);
    m_bannerText->setWordWrap(true);
    m_bannerText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_startDemo = new QPushButton(m_banner);
    m_startDemo->setObjectName(QStringLiteral("startDemoModel"));
    m_startDemo->setDefault(true);
    m_dismiss = new QPushButton(m_banner);
    m_dismiss->setObjectName(QStringLiteral("dismissFirstRun"));
    m_dismiss->setFlat(true);
    auto *bannerLayout = new QHBoxLayout(m_banner);
    bannerLayout->setContentsMargins(14, 10, 14, 10);
    auto *bannerWords = new QVBoxLayout;
    bannerWords->addWidget(m_bannerTitle);
    bannerWords->addWidget(m_bannerText);
    bannerLayout->addLayout(bannerWords, 1);
    bannerLayout->addWidget(m_startDemo, 0, Qt::AlignVCenter);
    bannerLayout->addWidget(m_dismiss, 0, Qt::AlignVCenter);
    m_banner->hide();

    m_start = new QPushButton(this);
    m_start->setObjectName(QStringLiteral("workloadStart"));
    m_stop = new QPushButton(this);
    m_stop->setObjectName(QStringLiteral("workloadStop"));
    m_restart = new QPushButton(this);
    m_restart->setObjectName(QStringLiteral("workloadRestart"));
    m_openLogs = new QPushButton(this);
    m_openLogs->setObjectName(QStringLiteral("workloadOpenLogs"));
    m_openChat = new QPushButton(this);
    m_openChat->setObjectName(QStringLiteral("workloadOpenChat"));
    m_openMetrics = new QPushButton(this);
    m_openMetrics->setObjectName(QStringLiteral("workloadOpenMetrics"));
    auto *actions = new QHBoxLayout;
    for (QPushButton *b : {m_start, m_stop, m_restart})
        actions->addWidget(b);
    actions->addSpacing(18);
    for (QPushButton *b : {m_openLogs, m_openChat, m_openMetrics})
        actions->addWidget(b);
    actions->addStretch(1);
    m_refresh = new QPushButton(this);
    m_refresh->setObjectName(QStringLiteral("workloadRefresh"));
    actions->addWidget(m_refresh);

    // Cluster rows: scale, undeploy and the log options.
    m_clusterActions = new QWidget(this);
    auto *cluster = new QHBoxLayout(m_clusterActions);
    cluster->setContentsMargins(0, 0, 0, 0);
    m_replicasLabel = new QLabel(m_clusterActions);
    m_replicas = new QSpinBox(m_clusterActions);
    m_replicas->setObjectName(QStringLiteral("workloadReplicas"));
    m_replicas->setRange(0, 64);
    m_scale = new QPushButton(m_clusterActions);
    m_scale->setObjectName(QStringLiteral("workloadScale"));
    m_undeploy = new QPushButton(m_clusterActions);
    m_undeploy->setObjectName(QStringLiteral("workloadUndeploy"));
    m_tailLabel = new QLabel(m_clusterActions);
    m_tail = new QSpinBox(m_clusterActions);
    m_tail->setObjectName(QStringLiteral("workloadLogTail"));
    m_tail->setRange(0, 100000);
    m_tail->setValue(200);
    m_sinceLabel = new QLabel(m_clusterActions);
    m_since = new QSpinBox(m_clusterActions);
    m_since->setObjectName(QStringLiteral("workloadLogSince"));
    m_since->setRange(0, 7 * 24 * 60);
    m_previous = new QCheckBox(m_clusterActions);
    m_previous->setObjectName(QStringLiteral("workloadLogPrevious"));
    for (QWidget *w : std::initializer_list<QWidget *>{m_replicasLabel, m_replicas, m_scale, m_undeploy})
        cluster->addWidget(w);
    cluster->addSpacing(18);
    for (QWidget *w : std::initializer_list<QWidget *>{m_tailLabel, m_tail, m_sinceLabel, m_since, m_previous})
        cluster->addWidget(w);
    cluster->addStretch(1);
    m_clusterActions->hide();

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("workloadError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setProperty("slipwayCoreText", true);  // core/local's message
    m_error->setStyleSheet(QStringLiteral(
        "QLabel#workloadError { background: #fdeeee; border: 1px solid #e3a1a1; border-radius: 6px; padding: 8px 12px; color: #8c1c13; }"));
    m_error->hide();

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("workloadsView"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setShowGrid(false);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setMinimumSectionSize(70);
    m_view->verticalHeader()->setDefaultSectionSize(30);
    m_view->setMaximumHeight(160);
    // The URL, PID and model folder are data, the same in every language.
    m_view->setProperty("slipwayCoreColumns", QVariantList{WorkloadsModel::ModelColumn, WorkloadsModel::UrlColumn,
                                                           WorkloadsModel::PidColumn});

    m_detailsTitle = new QLabel(this);
    m_detailsTitle->setFont(bannerFont);
    m_details = new QLabel(this);
    m_details->setObjectName(QStringLiteral("workloadDetails"));
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_demoNotice = new QLabel(this);
    m_demoNotice->setObjectName(QStringLiteral("demoModelNotice"));
    m_demoNotice->setWordWrap(true);
    m_demoNotice->setStyleSheet(QStringLiteral(
        "QLabel#demoModelNotice { background: #fff6e0; border: 1px solid #e8c36a; border-radius: 6px; padding: 8px 12px; color: #6b4e00; }"));

    m_crashBox = noticeFrame(QStringLiteral("crashBox"), QStringLiteral("#fdeeee"), QStringLiteral("#e3a1a1"), this);
    m_crashTitle = new QLabel(m_crashBox);
    m_crashTitle->setObjectName(QStringLiteral("crashTitle"));
    m_crashTitle->setWordWrap(true);
    m_crashTitle->setStyleSheet(QStringLiteral("color: #8c1c13; font-weight: bold;"));
    m_crashLines = new QPlainTextEdit(m_crashBox);
    m_crashLines->setObjectName(QStringLiteral("crashLines"));
    m_crashLines->setReadOnly(true);
    m_crashLines->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_crashLines->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_crashLines->setProperty("slipwayCoreText", true);  // the engine's own output
    auto *crashLayout = new QVBoxLayout(m_crashBox);
    crashLayout->setContentsMargins(12, 10, 12, 10);
    crashLayout->addWidget(m_crashTitle);
    crashLayout->addWidget(m_crashLines, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 10);
    layout->setSpacing(10);
    layout->addWidget(m_subtitle);
    layout->addWidget(m_banner);
    layout->addLayout(actions);
    layout->addWidget(m_clusterActions);
    layout->addWidget(m_error);
    layout->addWidget(m_view);
    layout->addWidget(m_detailsTitle);
    layout->addWidget(m_details);
    layout->addWidget(m_demoNotice);
    layout->addWidget(m_crashBox, 1);
    layout->addStretch(0);

    connect(m_model, &QAbstractItemModel::dataChanged, this, &WorkloadsPanel::updateDetails);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
        if (!m_view->selectionModel()->hasSelection() && m_model->rowCount() > 0)
            m_view->selectRow(0);
        updateDetails();
    });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &WorkloadsPanel::updateDetails);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &WorkloadsPanel::updateDetails);
    if (m_model->rowCount() > 0)
        m_view->selectRow(0);

    const auto forward = [this](QPushButton *button, void (WorkloadsPanel::*signal)(const QString &)) {
        connect(button, &QPushButton::clicked, this, [this, signal] {
            if (const QString id = currentId(); !id.isEmpty())
                emit(this->*signal)(id);
        });
    };
    forward(m_start, &WorkloadsPanel::startRequested);
    forward(m_stop, &WorkloadsPanel::stopRequested);
    forward(m_restart, &WorkloadsPanel::restartRequested);
    forward(m_openLogs, &WorkloadsPanel::openLogsRequested);
    forward(m_openChat, &WorkloadsPanel::openChatRequested);
    forward(m_openMetrics, &WorkloadsPanel::openMetricsRequested);
    connect(m_scale, &QPushButton::clicked, this, [this] {
        if (const QString id = currentId(); !id.isEmpty())
            emit scaleRequested(id, m_replicas->value());
    });
    connect(m_undeploy, &QPushButton::clicked, this, [this] {
        const QString id = currentId();
        const int row = m_model->rowOf(id);
        if (row < 0)
            return;
        const Workload &w = m_model->workload(row);
        const auto answer = QMessageBox::question(
            this, tr("Undeploy"),
            tr("Remove %1 from %2? Every object of the deployment goes; the model's volume is kept.").arg(w.name, w.target));
        if (answer == QMessageBox::Yes)
            emit undeployRequested(id);
    });
    connect(m_refresh, &QPushButton::clicked, this, &WorkloadsPanel::refreshRequested);
    connect(m_startDemo, &QPushButton::clicked, this, &WorkloadsPanel::startDemoRequested);
    connect(m_dismiss, &QPushButton::clicked, this, [this] {
        showFirstRunOffer(false);
        emit firstRunDismissed();
    });
}

void WorkloadsPanel::retranslateUi()
{
    setWindowTitle(tr("Workloads"));
    m_subtitle->setText(tr("What this console runs: the Local engine serves a model on this computer, and the "
                           "deployments on the connected cluster (Slipway's and the OpenShift AI dashboard's) are "
                           "listed below it."));
    m_bannerTitle->setText(tr("Try Slipway without a cluster"));
    m_bannerText->setText(
        m_demoPrepared
            ? tr("Start the demo model on this computer to try the whole path — logs, metrics and chat — in a "
                 "minute. The demo model has random weights: its replies are noise. For real answers, choose a "
                 "real model folder in Settings.")
            : tr("The demo model is not prepared yet (%1). Run \"slipway --prepare-demo-model\", or start the "
                 "console with installer/run-console.sh, which prepares it. Its weights are random: its "
                 "replies are noise.")
                  .arg(m_demoDir));
    m_startDemo->setText(tr("Start the demo model"));
    m_startDemo->setEnabled(m_demoPrepared);
    m_dismiss->setText(tr("Not now"));
    m_start->setText(tr("Start"));
    m_start->setToolTip(tr("Start the selected workload"));
    m_stop->setText(tr("Stop"));
    m_stop->setToolTip(tr("Stop the selected workload"));
    m_restart->setText(tr("Restart"));
    m_openLogs->setText(tr("Open logs"));
    m_openLogs->setToolTip(tr("Show this workload's output in the Logs panel"));
    m_openChat->setText(tr("Open chat"));
    m_openChat->setToolTip(tr("Chat with the model this workload serves"));
    m_openMetrics->setText(tr("Open metrics"));
    m_openMetrics->setToolTip(tr("Show this workload's live metrics"));
    m_detailsTitle->setText(tr("Details"));
    m_refresh->setText(tr("Refresh"));
    m_refresh->setToolTip(tr("List the deployments on the connected cluster again"));
    m_replicasLabel->setText(tr("Replicas:"));
    m_scale->setText(tr("Scale"));
    m_undeploy->setText(tr("Undeploy"));
    m_undeploy->setToolTip(tr("Remove every object of this deployment from the cluster (the model's volume stays)"));
    m_tailLabel->setText(tr("Log lines per pod:"));
    m_tail->setSpecialValueText(tr("all"));
    m_sinceLabel->setText(tr("Since (minutes):"));
    m_since->setSpecialValueText(tr("start"));
    m_previous->setText(tr("Previous container"));
    m_previous->setToolTip(tr("The logs of the container before its last restart (why it crashed)"));
    m_demoNotice->setText(tr("Demo model: random weights with a real tokenizer and chat template. Its replies are "
                             "noise — it shows that the path works, not what a model says. Point the Local "
                             "engine at a real model folder (Settings › Local engine) for real answers."));
    m_model->retranslate();
    updateDetails();
}

void WorkloadsPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

QString WorkloadsPanel::currentId() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(WorkloadsModel::IdRole).toString();
}

void WorkloadsPanel::selectWorkload(const QString &id)
{
    if (const int row = m_model->rowOf(id); row >= 0)
        m_view->selectRow(row);
}

void WorkloadsPanel::showFirstRunOffer(bool show, bool prepared, const QString &demoDir)
{
    m_demoPrepared = prepared;
    m_demoDir = demoDir;
    m_banner->setVisible(show);
    retranslateUi();
}

bool WorkloadsPanel::firstRunOfferShown() const
{
    return m_banner->isVisibleTo(this);
}

void WorkloadsPanel::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

QString WorkloadsPanel::errorText() const
{
    return m_error->isVisibleTo(this) ? m_error->text() : QString();
}

QString WorkloadsPanel::crashText() const
{
    if (!m_crashBox->isVisibleTo(this))
        return {};
    return m_crashTitle->text() + QLatin1Char('\n') + m_crashLines->toPlainText();
}

void WorkloadsPanel::updateDetails()
{
    const int row = m_model->rowOf(currentId());
    const bool has = row >= 0;
    for (QPushButton *b : {m_start, m_stop, m_restart, m_openLogs, m_openChat, m_openMetrics})
        b->setEnabled(has);
    if (!has) {
        m_details->setText(tr("Select a workload to see its details."));
        m_demoNotice->hide();
        m_crashBox->hide();
        return;
    }
    const Workload &w = m_model->workload(row);
    const bool ready = w.state == WorkloadState::Ready;
    for (QPushButton *b : {m_start, m_stop, m_restart})
        b->setVisible(!w.cluster);
    m_clusterActions->setVisible(w.cluster);
    if (w.cluster) {
        m_scale->setEnabled(w.scalable);
        m_replicas->setEnabled(w.scalable);
        if (!m_replicas->hasFocus())
            m_replicas->setValue(w.replicas);
        m_openChat->setEnabled(w.scalable);
        m_openMetrics->setEnabled(w.scalable);
        QStringList lines;
        lines << tr("State: %1").arg(WorkloadsModel::stateText(w.state));
        lines << tr("%1 of %2 replicas ready, namespace %3").arg(w.readyReplicas).arg(w.replicas).arg(w.namespaceName);
        if (!w.modelPath.isEmpty())
            lines << tr("Model: %1").arg(w.modelPath);
        lines << w.detail;
        m_details->setText(lines.join(QLatin1Char('\n')));
        m_demoNotice->hide();
        m_crashBox->hide();
        return;
    }
    m_start->setEnabled(!w.running());
    m_stop->setEnabled(w.state == WorkloadState::Starting || w.state == WorkloadState::Ready);
    m_restart->setEnabled(w.state != WorkloadState::Stopping && !w.modelPath.isEmpty());
    m_openChat->setEnabled(ready);
    m_openMetrics->setEnabled(ready);

    QStringList lines;
    lines << tr("State: %1").arg(WorkloadsModel::stateText(w.state));
    if (!w.modelPath.isEmpty())
        lines << tr("Model folder: %1").arg(w.modelPath);
    if (ready && !w.url.isEmpty())
        lines << tr("Serving the OpenAI-compatible API at %1/v1 as \"%2\"").arg(w.url, w.modelName);
    if (w.state == WorkloadState::Stopped && w.modelPath.isEmpty())
        lines << tr("Not started yet. Start runs slipway-engine on this computer with the model folder chosen "
                    "in Settings (or the demo model), or deploy with the Local target of the Deploy wizard.");
    m_details->setText(lines.join(QLatin1Char('\n')));
    m_demoNotice->setVisible(w.demoModel);

    const bool crashed = w.state == WorkloadState::Crashed;
    m_crashBox->setVisible(crashed);
    if (crashed) {
        m_crashTitle->setText(w.exitSignaled
                                  ? tr("The engine stopped unexpectedly: killed by signal %1. Its last lines:").arg(w.exitCode)
                                  : tr("The engine stopped unexpectedly: exit code %1. Its last lines:").arg(w.exitCode));
        m_crashTitle->setToolTip(w.exitDescription);
        m_crashLines->setPlainText(w.lastLines.isEmpty() ? w.detail : w.lastLines.join(QLatin1Char('\n')));
    }
}

int WorkloadsPanel::logTailLines() const { return m_tail->value(); }
int WorkloadsPanel::logSinceMinutes() const { return m_since->value(); }
bool WorkloadsPanel::logPrevious() const { return m_previous->isChecked(); }

void WorkloadsPanel::setLogOptions(int tailLines, int sinceMinutes, bool previous)
{
    m_tail->setValue(tailLines);
    m_since->setValue(sinceMinutes);
    m_previous->setChecked(previous);
}

} // namespace slipway::ui
