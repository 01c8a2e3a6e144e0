// The Cluster target's deploy page (see cluster_deploy_page.h).
#include "deploy/cluster_deploy_page.h"

#include "clusters/clusters_panel.h"
#include "clusters/login_form.h"
#include "clusters/preflight_model.h"
#include "deploy/cluster_deploy_controller.h"
#include "deploy/cluster_deploy_models.h"
#include "deploy/deploy_wizard.h"

#include <QEvent>
#include <QFormLayout>
#include <QLineEdit>
#include <QFontDatabase>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace slipway::ui {

namespace {

QLabel *heading(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setStyleSheet(QStringLiteral("font-weight: 600;"));
    return label;
}

QTableView *table(QWidget *parent, const char *objectName, QAbstractItemModel *model)
{
    auto *view = new QTableView(parent);
    view->setObjectName(QString::fromLatin1(objectName));
    view->setModel(model);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->setSelectionMode(QAbstractItemView::NoSelection);
    view->setShowGrid(false);
    view->setAlternatingRowColors(true);
    return view;
}

} // namespace

ClusterDeployPage::ClusterDeployPage(DeployWizard *wizard)
    : ChoicePage(wizard, DeployWizard::ClusterDeployPageId)
{
    m_controller = new ClusterDeployController(this);
    m_preflight = new PreflightModel(this);
    m_apply = new ApplyObjectsModel(this);
    m_rollout = new RolloutModel(this);

    auto *layout = new QVBoxLayout(this);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("clusterDeploySummary"));
    m_summary->setWordWrap(true);
    m_start = new QPushButton(this);
    m_start->setObjectName(QStringLiteral("clusterDeployStart"));
    m_start->setMinimumSize(220, 34);
    m_step = new QLabel(this);
    m_step->setObjectName(QStringLiteral("clusterDeployStep"));
    m_step->setStyleSheet(QStringLiteral("font-weight: 600; color: #123a63;"));
    auto *top = new QHBoxLayout;
    top->addWidget(m_start);
    top->addWidget(m_step, 1);
    layout->addWidget(m_summary);
    layout->addLayout(top);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("clusterDeployError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setProperty("slipwayCoreText", true); // core/kube's message
    m_error->setStyleSheet(QStringLiteral("QLabel { background: #fdecea; color: #7d1a1a; border: 1px solid #f1b0ac; "
                                          "border-radius: 4px; padding: 8px; }"));
    m_error->hide();
    layout->addWidget(m_error);

    m_reloginFrame = new QFrame(this);
    m_reloginFrame->setFrameShape(QFrame::StyledPanel);
    auto *reloginLayout = new QVBoxLayout(m_reloginFrame);
    m_reloginText = new QLabel(m_reloginFrame);
    m_reloginText->setWordWrap(true);
    m_relogin = new LoginForm(m_reloginFrame);
    m_relogin->setServerEditable(false);
    reloginLayout->addWidget(m_reloginText);
    reloginLayout->addWidget(m_relogin);
    m_reloginFrame->hide();
    layout->addWidget(m_reloginFrame);

    // S3 keys: entered here only (the plan the wizard shows names no keys), masked, and emptied
    // once Deploy takes them.
    m_s3Frame = new QFrame(this);
    m_s3Frame->setObjectName(QStringLiteral("clusterS3Keys"));
    m_s3Frame->setFrameShape(QFrame::StyledPanel);
    auto *s3Layout = new QFormLayout(m_s3Frame);
    m_s3Text = new QLabel(m_s3Frame);
    m_s3Text->setWordWrap(true);
    m_s3AccessKey = new QLineEdit(m_s3Frame);
    m_s3AccessKey->setObjectName(QStringLiteral("s3AccessKeyId"));
    m_s3AccessKey->setEchoMode(QLineEdit::Password);
    m_s3SecretKey = new QLineEdit(m_s3Frame);
    m_s3SecretKey->setObjectName(QStringLiteral("s3SecretAccessKey"));
    m_s3SecretKey->setEchoMode(QLineEdit::Password);
    for (QLineEdit *e : {m_s3AccessKey, m_s3SecretKey}) {
        e->setAttribute(Qt::WA_InputMethodEnabled, false);
        e->setContextMenuPolicy(Qt::NoContextMenu); // no copying the keys back out
    }
    m_s3AccessLabel = new QLabel(m_s3Frame);
    m_s3SecretLabel = new QLabel(m_s3Frame);
    s3Layout->addRow(m_s3Text);
    s3Layout->addRow(m_s3AccessLabel, m_s3AccessKey);
    s3Layout->addRow(m_s3SecretLabel, m_s3SecretKey);
    m_s3Frame->hide();
    layout->addWidget(m_s3Frame);

    m_preflightTitle = heading(this);
    m_preflightView = new QListView(this);
    m_preflightView->setObjectName(QStringLiteral("clusterPreflightView"));
    m_preflightView->setModel(m_preflight);
    m_preflightView->setWordWrap(true);
    m_preflightView->setAlternatingRowColors(true);
    m_preflightView->setProperty("slipwayCoreText", true); // findings and fixes are core/kube's words
    m_continue = new QPushButton(this);
    m_continue->setObjectName(QStringLiteral("clusterDeployContinue"));
    m_continue->hide();
    layout->addWidget(m_preflightTitle);
    layout->addWidget(m_preflightView, 2);
    layout->addWidget(m_continue, 0, Qt::AlignLeft);

    m_filesTitle = heading(this);
    m_filesBar = new QProgressBar(this);
    m_filesBar->setRange(0, 1000);
    m_filesLabel = new QLabel(this);
    m_filesLabel->setObjectName(QStringLiteral("clusterFilesProgress"));
    m_filesLabel->setWordWrap(true);
    layout->addWidget(m_filesTitle);
    layout->addWidget(m_filesBar);
    layout->addWidget(m_filesLabel);

    m_applyTitle = heading(this);
    m_applyView = table(this, "clusterApplyView", m_apply);
    m_applyView->setProperty("slipwayCoreColumns", QVariantList{ApplyObjectsModel::ObjectColumn});
    m_conflicts = new QLabel(this);
    m_conflicts->setObjectName(QStringLiteral("clusterConflicts"));
    m_conflicts->setWordWrap(true);
    m_conflicts->setProperty("slipwayCoreText", true); // object and manager names, the server's message
    m_force = new QPushButton(this);
    m_force->setObjectName(QStringLiteral("clusterDeployForce"));
    layout->addWidget(m_applyTitle);
    layout->addWidget(m_applyView, 2);
    layout->addWidget(m_conflicts);
    layout->addWidget(m_force, 0, Qt::AlignLeft);

    m_rolloutTitle = heading(this);
    m_rolloutView = table(this, "clusterRolloutView", m_rollout);
    m_rolloutView->setProperty("slipwayCoreColumns", QVariantList{RolloutModel::PodColumn, RolloutModel::PhaseColumn,
                                                                  RolloutModel::NodeColumn, RolloutModel::ReasonColumn});
    m_rolloutSummary = new QLabel(this);
    m_rolloutSummary->setObjectName(QStringLiteral("clusterRolloutSummary"));
    m_rolloutSummary->setProperty("slipwayCoreText", true);
    m_notices = new QPlainTextEdit(this);
    m_notices->setObjectName(QStringLiteral("clusterNotices"));
    m_notices->setReadOnly(true);
    m_notices->setMaximumHeight(70);
    m_notices->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_notices->setProperty("slipwayCoreText", true);
    layout->addWidget(m_rolloutTitle);
    layout->addWidget(m_rolloutView, 2);
    layout->addWidget(m_rolloutSummary);
    layout->addWidget(m_notices);

    connect(m_start, &QPushButton::clicked, this, &ClusterDeployPage::deploy);
    connect(m_continue, &QPushButton::clicked, this, [this] {
        m_continue->hide();
        m_controller->continueAfterPreflight();
        showStep();
    });
    connect(m_force, &QPushButton::clicked, this, [this] {
        m_force->hide();
        m_conflicts->hide();
        m_controller->applyWithForce();
        showStep();
    });
    connect(m_relogin, &LoginForm::submitted, this, &ClusterDeployPage::submitRelogin);

    connect(m_controller, &ClusterDeployController::stepChanged, this, [this] { showStep(); });
    connect(m_controller, &ClusterDeployController::preflightFinished, this, [this](bool passed) {
        m_preflight->setReport(m_controller->preflight());
        m_continue->setVisible(!passed);
        showStep();
    });
    connect(m_controller, &ClusterDeployController::filesProgress, this, [this](const storage::TransferProgress &p) {
        const double total = double(p.bytesTotal);
        m_filesBar->setValue(total > 0 ? int(1000.0 * double(p.bytesDone) / total) : (p.phase == "done" ? 1000 : 0));
        m_filesText = [p] {
            QString text = tr("%1 of %2 (%3 files of %4), %5/s")
                               .arg(QString::fromStdString(storage::formatBytes(p.bytesDone)),
                                    QString::fromStdString(storage::formatBytes(p.bytesTotal)))
                               .arg(p.filesDone)
                               .arg(p.filesTotal)
                               .arg(QString::fromStdString(storage::formatBytes(std::int64_t(p.bytesPerSecond))));
            if (p.etaSeconds >= 0)
                text += QStringLiteral(", ") + tr("%1 left").arg(QString::fromStdString(storage::formatDuration(p.etaSeconds)));
            if (p.filesSkipped > 0)
                text += QStringLiteral("; ") + tr("%n file(s) already there, not sent again", nullptr, p.filesSkipped);
            return text;
        };
        m_filesLabel->setText(m_filesText());
    });
    connect(m_controller, &ClusterDeployController::applyProgress, this, [this](const kube::ApplyProgress &p) {
        m_apply->update(p);
    });
    connect(m_controller, &ClusterDeployController::conflictsFound, this, [this](const std::vector<kube::ApplyConflict> &conflicts) {
        QStringList lines;
        for (const kube::ApplyConflict &c : conflicts) {
            QStringList managers;
            for (const std::string &m : c.managers)
                managers << QString::fromStdString(m);
            lines << QStringLiteral("%1 %2: %3").arg(QString::fromStdString(c.kind), QString::fromStdString(c.name),
                                                     managers.join(QStringLiteral(", ")));
        }
        m_conflicts->setText(tr("Nothing was changed: other field managers own fields Slipway sets.") + QLatin1Char('\n') +
                             lines.join(QLatin1Char('\n')));
        m_conflicts->setProperty("slipwayCoreText", false);
        m_conflicts->show();
        m_force->show();
        showStep();
    });
    connect(m_controller, &ClusterDeployController::rolloutChanged, this, [this](const kube::RolloutStatus &status) {
        m_rollout->setStatus(status);
        m_rolloutSummary->setText(QString::fromStdString(status.summary));
        showStep();
    });
    connect(m_controller, &ClusterDeployController::notice, this, [this](const QString &text) {
        m_notices->appendPlainText(m_controller->redacted(text));
    });
    connect(m_controller, &ClusterDeployController::failed, this, [this](const QString &message) {
        showError(message);
        showStep();
    });
    connect(m_controller, &ClusterDeployController::reloginNeeded, this, [this] {
        m_reloginFrame->show();
        showStep();
    });
    connect(m_controller, &ClusterDeployController::finished, this, [this] { showStep(); });
    retranslateUi();
}

void ClusterDeployPage::initializePage()
{
    m_error->hide();
    m_reloginFrame->hide();
    ClustersPanel *clusters = m_wizard->clusters();
    const bool connected = clusters && clusters->isConnected();
    m_start->setEnabled(connected && !m_controller->isRunning());
    auto built = m_wizard->planBuild();
    const QString context = connected ? clusters->connectedContext() : QString();
    const QString ns = built ? QString::fromStdString(built->plan.namespaceName) : QString();
    const QString name = built ? QString::fromStdString(built->plan.name) : QString();
    m_summaryText = [connected, context, ns, name] {
        return connected ? tr("Deploys %1 into namespace %2 on %3: preflight, model files, server-side apply, rollout.")
                               .arg(name, ns, context)
                         : tr("Not connected: connect to a cluster in the Clusters panel (a kubeconfig context or a "
                              "token login), then come back to this page.");
    };
    m_summary->setText(m_summaryText());
    if (connected)
        m_relogin->setServer(QString::fromStdString(clusters->client()->server()));
    showS3Keys();
    showStep();
}

bool ClusterDeployPage::s3KeysVisible() const
{
    return m_s3Frame->isVisibleTo(this);
}

void ClusterDeployPage::showS3Keys()
{
    const bool s3 = m_wizard->choices().plan.storage == deploy::Storage::S3;
    m_s3Frame->setVisible(s3);
    if (!s3)
        return;
    const bool kept = m_controller->hasS3Credentials();
    m_s3Text->setText(kept ? tr("S3 keys entered; they are used again when you deploy. Type both again to replace them.")
                           : tr("S3 access key ID and secret access key: used to upload the model folder and kept in the "
                                "KServe S3 Secret on the cluster. They are not shown again once you deploy."));
    m_s3AccessKey->setPlaceholderText(kept ? tr("entered (hidden)") : QString());
    m_s3SecretKey->setPlaceholderText(kept ? tr("entered (hidden)") : QString());
}

bool ClusterDeployPage::isComplete() const
{
    return !m_controller->isRunning();
}

void ClusterDeployPage::deploy()
{
    ClustersPanel *clusters = m_wizard->clusters();
    if (!clusters || !clusters->isConnected() || m_controller->isRunning())
        return;
    auto built = m_wizard->planBuild();
    auto objects = m_wizard->renderedObjects();
    if (!built || !objects) {
        showError(QString::fromStdString(!built ? built.message() : objects.message()));
        return;
    }
    m_error->hide();
    m_continue->hide();
    m_force->hide();
    m_conflicts->hide();
    m_notices->clear();
    m_filesText = nullptr;
    m_filesLabel->clear();
    m_filesBar->setValue(0);
    m_preflight->clear();
    m_apply->setObjects(*objects);
    m_rollout->setStatus({});
    m_rolloutSummary->clear();
    const DeployChoices &c = m_wizard->choices();
    if (c.plan.storage == deploy::Storage::S3 && !m_s3AccessKey->text().isEmpty() && !m_s3SecretKey->text().isEmpty())
        m_controller->setS3Credentials(m_s3AccessKey->text(), m_s3SecretKey->text());
    m_s3AccessKey->clear();
    m_s3SecretKey->clear();
    showS3Keys();
    const QString folder = c.sizing.model.kind == ModelSource::Kind::Folder ? c.sizing.model.reference.trimmed() : QString();
    m_controller->setTarget(clusters->client(), built->plan, *objects, folder);
    m_controller->start();
    showStep();
}

void ClusterDeployPage::submitRelogin()
{
    const QString token = m_relogin->takeToken();
    if (token.isEmpty())
        return;
    m_reloginFrame->hide();
    m_error->hide();
    m_controller->resume(token);
    showStep();
}

bool ClusterDeployPage::reloginVisible() const
{
    return m_reloginFrame->isVisibleTo(this);
}

void ClusterDeployPage::showError(const QString &text)
{
    m_error->setText(m_controller->redacted(text));
    m_error->setVisible(!text.isEmpty());
}

QString ClusterDeployPage::errorText() const { return m_error->isVisibleTo(this) ? m_error->text() : QString(); }
QString ClusterDeployPage::stepText() const { return m_step->text(); }
QString ClusterDeployPage::filesText() const { return m_filesLabel->text(); }
QString ClusterDeployPage::conflictText() const { return m_conflicts->isVisibleTo(this) ? m_conflicts->text() : QString(); }

void ClusterDeployPage::showStep()
{
    using Step = ClusterDeployController::Step;
    const Step step = m_controller->step();
    const bool running = m_controller->isRunning();
    QString text;
    switch (step) {
    case Step::Idle: text = tr("Press Deploy to start."); break;
    case Step::Preflight:
        text = running ? tr("1/4 Preflight: checking the cluster …")
                       : m_controller->preflight().items.empty() ? tr("1/4 Preflight stopped.")
                                                                 : tr("1/4 Preflight found problems: each shows its fix. Fix "
                                                                      "them and deploy again, or go on anyway.");
        break;
    case Step::Files:
        if (m_wizard->choices().plan.storage == deploy::Storage::S3)
            text = running ? tr("2/4 Model files: uploading the model folder to S3, then the S3 Secret …")
                           : tr("2/4 Model files stopped; deploy again to resume the upload.");
        else
            text = running ? tr("2/4 Model files: copying the model folder to the volume …")
                           : tr("2/4 Model files stopped; deploy again to resume the copy.");
        break;
    case Step::Apply:
        text = running ? tr("3/4 Apply: server-side dry run, then apply, object by object …")
                       : tr("3/4 Apply stopped.");
        break;
    case Step::Rollout:
        text = running ? tr("4/4 Rollout: waiting for the pods to be ready …") : tr("4/4 Rollout stopped.");
        break;
    case Step::Done: text = tr("Done: the deployment is ready. Workloads lists it; chat with it from there."); break;
    }
    if (reloginVisible())
        text = tr("Paused: the cluster refused the token. Log in again to resume.");
    m_step->setText(text);
    m_start->setEnabled(!running && m_wizard->clusters() && m_wizard->clusters()->isConnected());
    const bool showFiles = step == Step::Files || m_filesText;
    m_filesTitle->setVisible(showFiles);
    m_filesBar->setVisible(showFiles);
    m_filesLabel->setVisible(showFiles);
    emit completeChanged();
}

void ClusterDeployPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    ChoicePage::changeEvent(event);
}

void ClusterDeployPage::retranslateUi()
{
    setTitle(tr("Deploy to the cluster"));
    setSubTitle(tr("Checks the cluster, brings the model files in, applies the manifests and follows the pods "
                   "until they are ready."));
    m_start->setText(tr("Deploy"));
    m_continue->setText(tr("Deploy anyway"));
    m_force->setText(tr("Take the fields over and apply (force)"));
    m_preflightTitle->setText(tr("Preflight"));
    m_filesTitle->setText(tr("Model files"));
    m_applyTitle->setText(tr("Objects"));
    m_rolloutTitle->setText(tr("Pods"));
    m_s3AccessLabel->setText(tr("Access key ID:"));
    m_s3SecretLabel->setText(tr("Secret access key:"));
    showS3Keys();
    m_reloginText->setText(tr("The cluster refused the token (it expired or was revoked). Paste a new token "
                              "(OpenShift console: your name → Copy login command); the step that stopped runs again."));
    if (m_summaryText)
        m_summary->setText(m_summaryText());
    if (m_filesText)
        m_filesLabel->setText(m_filesText());
    m_apply->retranslate();
    m_rollout->retranslate();
    m_preflight->retranslate();
    showStep();
}

} // namespace slipway::ui
