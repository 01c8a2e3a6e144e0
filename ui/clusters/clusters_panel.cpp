#include "clusters/clusters_panel.h"

#include "clusters/cluster_worker.h"
#include "clusters/context_table_model.h"
#include "clusters/login_form.h"
#include "clusters/preflight_model.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace slipway::ui {

ClustersPanel::ClustersPanel(QWidget *parent) : QWidget(parent)
{
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

    auto *contextsBox = new QGroupBox(tr("Kubeconfig contexts"), this);
    auto *contextsLayout = new QVBoxLayout(contextsBox);
    m_contextView = new QTableView(contextsBox);
    m_contextView->setModel(m_contexts);
    m_contextView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_contextView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_contextView->horizontalHeader()->setStretchLastSection(true);
    m_contextView->verticalHeader()->hide();
    contextsLayout->addWidget(m_contextView);
    m_contextWarning = new QLabel(contextsBox);
    m_contextWarning->setStyleSheet(QStringLiteral("color: #b03000; font-weight: bold"));
    m_contextWarning->setWordWrap(true);
    m_contextWarning->hide();
    contextsLayout->addWidget(m_contextWarning);
    auto *contextButtons = new QHBoxLayout;
    m_connectContext = new QPushButton(tr("Connect to the selected context"), contextsBox);
    auto *reload = new QPushButton(tr("Reload kubeconfig"), contextsBox);
    reload->setToolTip(tr("Reads the files in KUBECONFIG again (or ~/.kube/config), merged as kubectl does."));
    connect(reload, &QPushButton::clicked, this, [this] { loadKubeconfig(); });
    contextButtons->addWidget(m_connectContext);
    contextButtons->addWidget(reload);
    contextButtons->addStretch(1);
    contextsLayout->addLayout(contextButtons);

    auto *loginBox = new QGroupBox(tr("Log in with a token (as oc login)"), this);
    auto *loginLayout = new QVBoxLayout(loginBox);
    m_login = new LoginForm(loginBox);
    loginLayout->addWidget(m_login);

    auto *top = new QHBoxLayout;
    top->addWidget(contextsBox, 3);
    top->addWidget(loginBox, 2);
    layout->addLayout(top);

    m_status = new QLabel(tr("Not connected."), this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);
    m_connectionWarning = new QLabel(this);
    m_connectionWarning->setStyleSheet(QStringLiteral("color: #b03000; font-weight: bold"));
    m_connectionWarning->setWordWrap(true);
    m_connectionWarning->hide();
    layout->addWidget(m_connectionWarning);

    m_reloginFrame = new QFrame(this);
    m_reloginFrame->setFrameShape(QFrame::StyledPanel);
    auto *reloginLayout = new QVBoxLayout(m_reloginFrame);
    auto *reloginText = new QLabel(tr("Your session has expired or the token was refused. Paste a new token "
                                      "(OpenShift console: your name → Copy login command) to continue where you left off."),
                                   m_reloginFrame);
    reloginText->setWordWrap(true);
    reloginLayout->addWidget(reloginText);
    m_relogin = new LoginForm(m_reloginFrame);
    m_relogin->setServerEditable(false);
    reloginLayout->addWidget(m_relogin);
    m_reloginFrame->hide();
    layout->addWidget(m_reloginFrame);

    auto *preflightBox = new QGroupBox(tr("Preflight"), this);
    auto *preflightLayout = new QVBoxLayout(preflightBox);
    m_planLabel = new QLabel(tr("No plan chosen: the checks use the default plan."), preflightBox);
    preflightLayout->addWidget(m_planLabel);
    m_preflightButton = new QPushButton(tr("Run preflight checks"), preflightBox);
    m_preflightButton->setEnabled(false);
    preflightLayout->addWidget(m_preflightButton, 0, Qt::AlignLeft);
    m_preflightView = new QListView(preflightBox);
    m_preflightView->setModel(m_preflight);
    m_preflightView->setWordWrap(true);
    m_preflightView->setUniformItemSizes(false);
    m_preflightView->setAlternatingRowColors(true);
    preflightLayout->addWidget(m_preflightView);
    layout->addWidget(preflightBox, 1);

    connect(m_connectContext, &QPushButton::clicked, this, [this] {
        const QModelIndexList rows = m_contextView->selectionModel()->selectedRows();
        connectContext(rows.isEmpty() ? m_contexts->currentContextRow() : rows.first().row());
    });
    connect(m_contextView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] { updateSecurityWarning(); });
    connect(m_login, &LoginForm::submitted, this, &ClustersPanel::connectWithToken);
    connect(m_relogin, &LoginForm::submitted, this, &ClustersPanel::submitRelogin);
    connect(m_preflightButton, &QPushButton::clicked, this, &ClustersPanel::runPreflight);
}

QString ClustersPanel::loadKubeconfig(const std::vector<std::string> &paths)
{
    auto config = kube::loadKubeconfigFiles(paths);
    if (!config) {
        m_contexts->setKubeconfig({});
        showStatus(QString::fromStdString(config.message()), true);
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
    m_planLabel->setText(tr("Plan: %1 in namespace %2, mode %3, %4 GPU(s) per pod")
                             .arg(QString::fromStdString(plan.name), QString::fromStdString(plan.namespaceName),
                                  QString::fromUtf8(deploy::modeName(plan.mode).data(), int(deploy::modeName(plan.mode).size())))
                             .arg(plan.gpusPerNode));
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
        showStatus(tr("Choose a context first."), true);
        return;
    }
    auto connection = kube::connectionForContext(m_contexts->kubeconfig(), name.toStdString());
    if (!connection) {
        showStatus(QString::fromStdString(connection.message()), true);
        return;
    }
    useConnection(connection.value());
}

void ClustersPanel::connectWithToken()
{
    auto connection = m_login->takeConnection();
    if (!connection) {
        showStatus(QString::fromStdString(connection.message()), true);
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
        showStatus(tr("Connect to a cluster first."), true);
        return;
    }
    start(Step::Preflight);
}

void ClustersPanel::start(Step step)
{
    m_pending = step;
    setBusy(true);
    if (step == Step::Discover) {
        showStatus(tr("Connecting to %1 …").arg(QString::fromStdString(m_client->server())), false);
        m_worker->discover(m_client);
    } else if (step == Step::Preflight) {
        showStatus(tr("Running the preflight checks on %1 …").arg(QString::fromStdString(m_client->server())), false);
        m_worker->runPreflight(m_client, m_plan);
    }
}

void ClustersPanel::submitRelogin()
{
    const QString token = m_relogin->takeToken();
    if (token.isEmpty()) {
        showStatus(tr("Paste the new token first."), true);
        return;
    }
    if (!m_client)
        return;
    m_client->replaceToken(token.toStdString());
    m_reloginFrame->hide();
    start(m_pending == Step::None ? Step::Discover : m_pending);
}

bool ClustersPanel::reloginVisible() const
{
    return m_reloginFrame->isVisibleTo(this);
}

QString ClustersPanel::statusText() const
{
    return m_status->text();
}

void ClustersPanel::setBusy(bool busy)
{
    m_busy = busy;
    m_connectContext->setEnabled(!busy);
    m_login->submitButton()->setEnabled(!busy);
    m_preflightButton->setEnabled(!busy && m_client);
    emit busyChanged(busy);
}

void ClustersPanel::showStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #b00020") : QString());
}

void ClustersPanel::onDiscovered(const QString &summary)
{
    m_pending = Step::None;
    setBusy(false);
    showStatus(tr("Connected to %1 (%2).").arg(QString::fromStdString(m_client->server()), summary), false);
    emit connectedChanged(true);
}

void ClustersPanel::onPreflight(const kube::PreflightReport &report)
{
    m_pending = Step::None;
    setBusy(false);
    const auto failures = report.failures().size();
    showStatus(failures == 0 ? tr("Preflight passed: the cluster can run this plan.")
                             : tr("Preflight found %n problem(s); each shows its fix.", nullptr, int(failures)),
               failures != 0);
    m_preflight->setReport(report);
    emit preflightFinished();
}

void ClustersPanel::onFailed(const QString &message, bool unauthorized)
{
    setBusy(false);
    if (unauthorized) {
        showStatus(tr("The cluster refused the token: log in again to continue."), true);
        m_reloginFrame->show();
        emit reloginRequested();
        return;
    }
    m_pending = Step::None;
    showStatus(message, true);
}

} // namespace slipway::ui
