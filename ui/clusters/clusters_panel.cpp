#include "clusters/clusters_panel.h"

#include "clusters/cluster_worker.h"
#include "clusters/context_table_model.h"
#include "clusters/login_form.h"
#include "clusters/preflight_model.h"

#include <QEvent>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace slipway::ui {

ClustersPanel::ClustersPanel(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("clustersPanel"));
    m_contexts = new ContextTableModel(this);
    m_preflight = new PreflightModel(this);
    buildUi();

    m_worker = new ClusterWorker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &ClusterWorker::discovered, this, &ClustersPanel::onDiscovered);
    connect(m_worker, &ClusterWorker::preflightFinished, this, &ClustersPanel::onPreflight);
    connect(m_worker, &ClusterWorker::failed, this, &ClustersPanel::onFailed);
    m_thread.setObjectName(QStringLiteral("slipway-clusters"));
    m_thread.start();
    showStatus([] { return tr("Not connected."); }, false);
    retranslateUi();
}

ClustersPanel::~ClustersPanel()
{
    m_worker->cancel();
    m_thread.quit();
    m_thread.wait();
}

void ClustersPanel::buildUi()
{
    auto *layout = new QVBoxLayout(this);

    m_contextsBox = new QGroupBox(this);
    auto *contextsLayout = new QVBoxLayout(m_contextsBox);
    m_contextView = new QTableView(m_contextsBox);
    m_contextView->setObjectName(QStringLiteral("contextsView"));
    m_contextView->setModel(m_contexts);
    m_contextView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_contextView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_contextView->horizontalHeader()->setStretchLastSection(true);
    m_contextView->verticalHeader()->hide();
    // Context, server, user and namespace names are the kubeconfig's own words.
    m_contextView->setProperty("slipwayCoreColumns", QVariantList{ContextTableModel::ContextColumn, ContextTableModel::ServerColumn,
                                                                  ContextTableModel::UserColumn, ContextTableModel::NamespaceColumn});
    contextsLayout->addWidget(m_contextView);
    m_contextWarning = new QLabel(m_contextsBox);
    m_contextWarning->setStyleSheet(QStringLiteral("color: #b03000; font-weight: bold"));
    m_contextWarning->setWordWrap(true);
    m_contextWarning->hide();
    contextsLayout->addWidget(m_contextWarning);
    auto *contextButtons = new QHBoxLayout;
    m_connectContext = new QPushButton(m_contextsBox);
    m_connectContext->setObjectName(QStringLiteral("connectContext"));
    m_reload = new QPushButton(m_contextsBox);
    connect(m_reload, &QPushButton::clicked, this, [this] { loadKubeconfig(); });
    contextButtons->addWidget(m_connectContext);
    contextButtons->addWidget(m_reload);
    contextButtons->addStretch(1);
    contextsLayout->addLayout(contextButtons);

    m_loginBox = new QGroupBox(this);
    auto *loginLayout = new QVBoxLayout(m_loginBox);
    m_login = new LoginForm(m_loginBox);
    loginLayout->addWidget(m_login);

    auto *top = new QHBoxLayout;
    top->addWidget(m_contextsBox, 3);
    top->addWidget(m_loginBox, 2);
    layout->addLayout(top);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("clusterStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);
    m_connectionWarning = new QLabel(this);
    m_connectionWarning->setProperty("slipwayCoreText", true); // core/kube's warning
    m_connectionWarning->setStyleSheet(QStringLiteral("color: #b03000; font-weight: bold"));
    m_connectionWarning->setWordWrap(true);
    m_connectionWarning->hide();
    layout->addWidget(m_connectionWarning);

    m_reloginFrame = new QFrame(this);
    m_reloginFrame->setFrameShape(QFrame::StyledPanel);
    auto *reloginLayout = new QVBoxLayout(m_reloginFrame);
    m_reloginText = new QLabel(m_reloginFrame);
    m_reloginText->setWordWrap(true);
    reloginLayout->addWidget(m_reloginText);
    m_relogin = new LoginForm(m_reloginFrame);
    m_relogin->setServerEditable(false);
    reloginLayout->addWidget(m_relogin);
    m_reloginFrame->hide();
    layout->addWidget(m_reloginFrame);

    m_preflightBox = new QGroupBox(this);
    auto *preflightLayout = new QVBoxLayout(m_preflightBox);
    m_planLabel = new QLabel(m_preflightBox);
    m_planLabel->setWordWrap(true);
    preflightLayout->addWidget(m_planLabel);
    m_preflightButton = new QPushButton(m_preflightBox);
    m_preflightButton->setEnabled(false);
    preflightLayout->addWidget(m_preflightButton, 0, Qt::AlignLeft);
    m_preflightView = new QListView(m_preflightBox);
    m_preflightView->setObjectName(QStringLiteral("preflightView"));
    m_preflightView->setModel(m_preflight);
    m_preflightView->setWordWrap(true);
    m_preflightView->setUniformItemSizes(false);
    m_preflightView->setAlternatingRowColors(true);
    m_preflightView->setProperty("slipwayCoreText", true); // the checks' findings and fixes are core/kube's words
    preflightLayout->addWidget(m_preflightView);
    layout->addWidget(m_preflightBox, 1);

    connect(m_connectContext, &QPushButton::clicked, this, [this] {
        const QModelIndexList rows = m_contextView->selectionModel()->selectedRows();
        connectContext(rows.isEmpty() ? m_contexts->currentContextRow() : rows.first().row());
    });
    connect(m_contextView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] { updateSecurityWarning(); });
    connect(m_login, &LoginForm::submitted, this, &ClustersPanel::connectWithToken);
    connect(m_relogin, &LoginForm::submitted, this, &ClustersPanel::submitRelogin);
    connect(m_preflightButton, &QPushButton::clicked, this, &ClustersPanel::runPreflight);
}

void ClustersPanel::retranslateUi()
{
    setWindowTitle(tr("Clusters"));
    m_contextsBox->setTitle(tr("Kubeconfig contexts"));
    m_connectContext->setText(tr("Connect to the selected context"));
    m_reload->setText(tr("Reload kubeconfig"));
    m_reload->setToolTip(tr("Reads the files in KUBECONFIG again (or ~/.kube/config), merged as kubectl does."));
    m_loginBox->setTitle(tr("Log in with a token (as oc login)"));
    m_reloginText->setText(tr("Your session has expired or the token was refused. Paste a new token "
                              "(OpenShift console: your name → Copy login command) to continue where you left off."));
    m_preflightBox->setTitle(tr("Preflight"));
    m_preflightButton->setText(tr("Run preflight checks"));
    m_contexts->retranslate();
    m_preflight->retranslate();
    showPlan();
    updateSecurityWarning();
    if (m_statusText)
        m_status->setText(m_statusText());
}

void ClustersPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

QString ClustersPanel::loadKubeconfig(const std::vector<std::string> &paths)
{
    bool anyFile = false;
    for (const std::string &path : paths)
        anyFile = anyFile || QFileInfo::exists(QString::fromStdString(path));
    if (!anyFile) {
        // No kubeconfig is a normal first start: say what to do, in the person's language.
        m_contexts->setKubeconfig({});
        showStatus([] { return tr("No kubeconfig found (KUBECONFIG or ~/.kube/config). Log in with a server and "
                                  "token on the right, or run “oc login” and reload."); },
                   false);
        return m_statusText();
    }
    auto config = kube::loadKubeconfigFiles(paths);
    if (!config) {
        m_contexts->setKubeconfig({});
        showCoreStatus(config.message());
        return QString::fromStdString(config.message());
    }
    m_contexts->setKubeconfig(config.value());
    const int current = m_contexts->currentContextRow();
    if (current >= 0)
        m_contextView->selectRow(current);
    updateSecurityWarning();
    return {};
}

void ClustersPanel::setPlan(const deploy::DeploymentPlan &plan)
{
    m_plan = plan;
    m_hasPlan = true;
    showPlan();
}

void ClustersPanel::showPlan()
{
    if (!m_hasPlan) {
        m_planLabel->setText(tr("No plan chosen: the checks use the default plan."));
        return;
    }
    const std::string_view mode = deploy::modeName(m_plan.mode);
    m_planLabel->setText(tr("Plan: %1 in namespace %2, mode %3, %4 GPU(s) per pod")
                             .arg(QString::fromStdString(m_plan.name), QString::fromStdString(m_plan.namespaceName),
                                  QString::fromUtf8(mode.data(), qsizetype(mode.size())))
                             .arg(m_plan.gpusPerNode));
}

void ClustersPanel::updateSecurityWarning()
{
    const QModelIndexList rows = m_contextView->selectionModel() ? m_contextView->selectionModel()->selectedRows() : QModelIndexList{};
    const int row = rows.isEmpty() ? m_contexts->currentContextRow() : rows.first().row();
    const bool insecure = m_contexts->isInsecure(row);
    m_contextWarning->setText(insecure ? tr("⚠ Context %1 skips TLS verification: anyone between you and the cluster can read your "
                                            "credentials. Add the cluster's CA (certificate-authority-data) instead.")
                                             .arg(m_contexts->contextName(row))
                                       : QString());
    m_contextWarning->setVisible(insecure);
}

void ClustersPanel::connectContext(int row)
{
    const QString name = m_contexts->contextName(row);
    if (name.isEmpty()) {
        showStatus([] { return tr("Choose a context first."); }, true);
        return;
    }
    auto connection = kube::connectionForContext(m_contexts->kubeconfig(), name.toStdString());
    if (!connection) {
        showCoreStatus(connection.message());
        return;
    }
    useConnection(connection.value());
}

void ClustersPanel::connectWithToken()
{
    auto connection = m_login->takeConnection();
    if (!connection) {
        showCoreStatus(connection.message());
        return;
    }
    useConnection(connection.value());
}

void ClustersPanel::useConnection(kube::Connection connection)
{
    const std::string warning = connection.securityWarning();
    m_connectionWarning->setText(QString::fromStdString(warning));
    m_connectionWarning->setVisible(!warning.empty());
    m_relogin->setServer(QString::fromStdString(connection.server));
    m_client = std::make_shared<kube::Client>(std::move(connection));
    m_preflight->clear();
    emit connectedChanged(false);
    start(Step::Discover);
}

void ClustersPanel::runPreflight()
{
    if (!m_client) {
        showStatus([] { return tr("Connect to a cluster first."); }, true);
        return;
    }
    start(Step::Preflight);
}

void ClustersPanel::start(Step step)
{
    m_pending = step;
    setBusy(true);
    const QString server = QString::fromStdString(m_client->server());
    if (step == Step::Discover) {
        showStatus([server] { return tr("Connecting to %1 …").arg(server); }, false);
        m_worker->discover(m_client);
    } else if (step == Step::Preflight) {
        showStatus([server] { return tr("Running the preflight checks on %1 …").arg(server); }, false);
        m_worker->runPreflight(m_client, m_plan);
    }
}

void ClustersPanel::submitRelogin()
{
    const QString token = m_relogin->takeToken();
    if (token.isEmpty()) {
        showStatus([] { return tr("Paste the new token first."); }, true);
        return;
    }
    if (!m_client)
        return;
    m_client->replaceToken(token.toStdString());
    m_reloginFrame->hide();
    start(m_pending == Step::None ? Step::Discover : m_pending);
}

void ClustersPanel::requestRelogin()
{
    if (!m_client)
        return;
    onFailed(QString(), true);
}

bool ClustersPanel::reloginVisible() const
{
    return m_reloginFrame->isVisibleTo(this);
}

QString ClustersPanel::statusText() const
{
    return m_status->text();
}

QString ClustersPanel::connectedContext() const
{
    return m_client ? QString::fromStdString(m_client->connection().contextName) : QString();
}

void ClustersPanel::setBusy(bool busy)
{
    m_busy = busy;
    m_connectContext->setEnabled(!busy);
    m_login->submitButton()->setEnabled(!busy);
    m_preflightButton->setEnabled(!busy && m_client);
    emit busyChanged(busy);
}

void ClustersPanel::showStatus(std::function<QString()> text, bool error, bool core)
{
    m_statusText = std::move(text);
    m_status->setText(m_statusText());
    m_status->setProperty("slipwayCoreText", core);
    m_status->setStyleSheet(error ? QStringLiteral("color: #b00020") : QString());
}

void ClustersPanel::showCoreStatus(const std::string &message)
{
    const QString text = QString::fromStdString(message);
    showStatus([text] { return text; }, true, true);
}

void ClustersPanel::onDiscovered(const QString &version, bool openShift, bool leaderWorkerSet, bool kserve)
{
    m_pending = Step::None;
    setBusy(false);
    const QString server = QString::fromStdString(m_client->server());
    showStatus([=] {
        QStringList parts{version, openShift ? tr("OpenShift") : tr("Kubernetes")};
        if (leaderWorkerSet)
            parts << QStringLiteral("LeaderWorkerSet");
        if (kserve)
            parts << QStringLiteral("KServe");
        return tr("Connected to %1 (%2).").arg(server, parts.join(QStringLiteral(" · ")));
    }, false);
    emit connectedChanged(true);
}

void ClustersPanel::onPreflight(const kube::PreflightReport &report)
{
    m_pending = Step::None;
    setBusy(false);
    const int failures = int(report.failures().size());
    showStatus([failures] {
        return failures == 0 ? tr("Preflight passed: the cluster can run this plan.")
                             : tr("Preflight found %n problem(s); each shows its fix.", nullptr, failures);
    }, failures != 0);
    m_preflight->setReport(report);
    emit preflightFinished();
}

void ClustersPanel::onFailed(const QString &message, bool unauthorized)
{
    setBusy(false);
    if (unauthorized) {
        showStatus([] { return tr("The cluster refused the token: log in again to continue."); }, true);
        m_reloginFrame->show();
        emit reloginRequested();
        return;
    }
    m_pending = Step::None;
    showCoreStatus(message.toStdString());
}

} // namespace slipway::ui
