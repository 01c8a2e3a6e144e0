// ChoicePage, and the first pages: Target, Model, Sizing.
#include "deploy/deploy_pages.h"

#include "calculator/calculator_controller.h"
#include "calculator/calculator_panel.h"
#include "clusters/clusters_panel.h"
#include "clusters/context_table_model.h"
#include "deploy/deploy_wizard.h"
#include "local/demo_model.h"
#include "model/catalog.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace slipway::ui {

namespace {
QLabel *wrapped(QWidget *parent, const char *objectName)
{
    auto *label = new QLabel(parent);
    label->setObjectName(QString::fromLatin1(objectName));
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QLabel *caption(QWidget *parent, const char *objectName)
{
    QLabel *label = wrapped(parent, objectName);
    label->setStyleSheet(QStringLiteral("color: #5f6368; margin-left: 24px;"));
    return label;
}
} // namespace

ChoicePage::ChoicePage(DeployWizard *wizard, int id)
    : QWizardPage(wizard)
    , m_wizard(wizard)
    , m_id(id)
{
}

QLabel *ChoicePage::makeProblemLabel()
{
    m_problem = wrapped(this, "problemLabel");
    // core/ writes the problems with codes; DeployWizard::problem() shows them translated.
    m_problem->setStyleSheet(QStringLiteral("QLabel#problemLabel { background: #fdecea; color: #7d1a1a; "
                                            "border: 1px solid #f1b0ac; border-radius: 4px; padding: 8px; }"));
    m_problem->hide();
    return m_problem;
}

bool ChoicePage::isComplete() const
{
    return !busy() && m_wizard->problem(m_id).isEmpty();
}

QString ChoicePage::shownProblem() const
{
    return m_problem && !m_problem->isHidden() ? m_problem->text() : QString();
}

void ChoicePage::refresh()
{
    const QString problem = m_wizard->problem(m_id);
    if (m_problem) {
        m_problem->setText(problem);
        m_problem->setVisible(!problem.isEmpty());
    }
    emit completeChanged();
}

// ---- Target -------------------------------------------------------------------------------

TargetPage::TargetPage(DeployWizard *wizard)
    : ChoicePage(wizard, DeployWizard::TargetPageId)
{
    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(6);
    m_group = new QButtonGroup(this);
    m_local = new QRadioButton(this);
    m_local->setObjectName(QStringLiteral("targetLocal"));
    m_cluster = new QRadioButton(this);
    m_cluster->setObjectName(QStringLiteral("targetCluster"));
    m_export = new QRadioButton(this);
    m_export->setObjectName(QStringLiteral("targetExport"));
    m_group->addButton(m_local, int(DeployTarget::Local));
    m_group->addButton(m_cluster, int(DeployTarget::Cluster));
    m_group->addButton(m_export, int(DeployTarget::Export));
    m_localText = caption(this, "localText");
    m_clusterText = caption(this, "clusterText");
    m_clustersEmpty = wrapped(this, "clustersEmpty");
    m_clustersEmpty->setStyleSheet(QStringLiteral("QLabel { background: palette(alternate-base); border: 1px dashed "
                                                  "palette(mid); border-radius: 4px; padding: 10px; margin-left: 24px; }"));
    m_exportText = caption(this, "exportText");
    m_clusterRow = new QWidget(this);
    auto *clusterRow = new QHBoxLayout(m_clusterRow);
    clusterRow->setContentsMargins(24, 0, 0, 0);
    m_clusterLabel = new QLabel(m_clusterRow);
    m_clusterBox = new QComboBox(m_clusterRow);
    m_clusterBox->setObjectName(QStringLiteral("clusterContext"));
    m_clusterBox->setProperty("slipwayCoreText", true); // kubeconfig context names
    m_clusterBox->setMinimumWidth(260);
    m_clusterState = wrapped(m_clusterRow, "clusterState");
    clusterRow->addWidget(m_clusterLabel);
    clusterRow->addWidget(m_clusterBox);
    clusterRow->addWidget(m_clusterState, 1);
    layout->addWidget(m_local);
    layout->addWidget(m_localText);
    layout->addSpacing(10);
    layout->addWidget(m_cluster);
    layout->addWidget(m_clusterText);
    layout->addWidget(m_clusterRow);
    layout->addWidget(m_clustersEmpty);
    layout->addSpacing(10);
    layout->addWidget(m_export);
    layout->addWidget(m_exportText);
    layout->addStretch(1);
    connect(m_group, &QButtonGroup::idClicked, this, [this](int id) {
        m_wizard->editChoices().target = DeployTarget(id);
        showClusterState();
        refresh();
    });
    connect(wizard, &DeployWizard::choicesReplaced, this, &TargetPage::load);
    connect(m_clusterBox, &QComboBox::activated, this, &TargetPage::chooseCluster);
    connect(wizard, &DeployWizard::clustersAttached, this, [this] {
        if (ClustersPanel *clusters = m_wizard->clusters()) {
            connect(clusters->contextModel(), &QAbstractItemModel::modelReset, this, &TargetPage::loadClusters);
            connect(clusters, &ClustersPanel::connectedChanged, this, &TargetPage::loadClusters);
            connect(clusters, &ClustersPanel::busyChanged, this, &TargetPage::showClusterState);
        }
        loadClusters();
    });
    retranslateUi();
    load();
}

void TargetPage::initializePage() { load(); }

void TargetPage::load()
{
    if (QAbstractButton *b = m_group->button(int(m_wizard->choices().target)))
        b->setChecked(true);
    loadClusters();
    refresh();
}

void TargetPage::loadClusters()
{
    ClustersPanel *clusters = m_wizard->clusters();
    m_loadingClusters = true;
    m_clusterBox->clear();
    if (clusters) {
        const ContextTableModel *contexts = clusters->contextModel();
        for (int row = 0; row < contexts->rowCount(); ++row)
            m_clusterBox->addItem(contexts->contextName(row), row);
        const QString connected = clusters->connectedContext();
        int index = connected.isEmpty() ? -1 : m_clusterBox->findText(connected);
        if (!connected.isEmpty() && index < 0) {
            m_clusterBox->addItem(connected, -1); // a token login: not a kubeconfig context
            index = m_clusterBox->count() - 1;
        }
        if (index < 0)
            index = m_clusterBox->findData(contexts->currentContextRow());
        m_clusterBox->setCurrentIndex(index);
    }
    m_loadingClusters = false;
    showClusterState();
}

void TargetPage::chooseCluster(int index)
{
    ClustersPanel *clusters = m_wizard->clusters();
    if (m_loadingClusters || !clusters || index < 0)
        return;
    const int row = m_clusterBox->itemData(index).toInt();
    if (row >= 0 && m_clusterBox->itemText(index) != clusters->connectedContext())
        clusters->connectContext(row);
    showClusterState();
}

void TargetPage::showClusterState()
{
    ClustersPanel *clusters = m_wizard->clusters();
    const bool cluster = m_wizard->choices().target == DeployTarget::Cluster;
    const bool any = clusters && m_clusterBox->count() > 0;
    m_clusterRow->setVisible(cluster && any);
    m_clustersEmpty->setVisible(!any);
    if (!clusters)
        return;
    const QString connected = clusters->connectedContext();
    if (connected.isEmpty())
        m_clusterState->setText(tr("Not connected: choose a context to connect, or log in on the Clusters panel."));
    else if (connected == m_clusterBox->currentText())
        m_clusterState->setText(tr("Connected."));
    else
        m_clusterState->setText(tr("Connected to %1; choose it, or pick another context to connect.").arg(connected));
}

void TargetPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    ChoicePage::changeEvent(event);
}

void TargetPage::retranslateUi()
{
    setTitle(tr("Where should the model run?"));
    setSubTitle(tr("Pick the target first: the next pages ask only what it needs."));
    m_local->setText(tr("Local — this workstation"));
    m_localText->setText(tr("Runs slipway-engine here, on the CPU or the local GPU, with a model folder from "
                            "this disk. The quickest way to try sizing, logs, metrics and chat."));
    m_cluster->setText(tr("A cluster — OpenShift or Kubernetes"));
    m_clusterText->setText(tr("Applies the manifests to a cluster you have added in Slipway."));
    m_clustersEmpty->setText(tr("No clusters yet. Clusters will be added in the Clusters panel, from your "
                                "kubeconfig or after “oc login”. Meanwhile you can review the manifests here, "
                                "or choose Export and apply the saved folder with “oc apply -f”."));
    m_clusterLabel->setText(tr("Cluster:"));
    showClusterState();
    m_export->setText(tr("Export only — save the manifests"));
    m_exportText->setText(tr("Writes one YAML file per object into a folder, exactly as “slipway-cli render -o” "
                             "does, for oc apply or GitOps."));
}

// ---- Model --------------------------------------------------------------------------------

ModelPage::ModelPage(DeployWizard *wizard)
    : ChoicePage(wizard, DeployWizard::ModelPageId)
{
    auto *grid = new QGridLayout(this);
    grid->setColumnStretch(1, 1);
    m_catalog = new QRadioButton(this);
    m_catalog->setObjectName(QStringLiteral("sourceCatalog"));
    m_folder = new QRadioButton(this);
    m_folder->setObjectName(QStringLiteral("sourceFolder"));
    m_config = new QRadioButton(this);
    m_config->setObjectName(QStringLiteral("sourceConfig"));
    auto *group = new QButtonGroup(this);
    group->addButton(m_catalog);
    group->addButton(m_folder);
    group->addButton(m_config);

    m_catalogBox = new QComboBox(this);
    m_catalogBox->setObjectName(QStringLiteral("catalogBox"));
    if (auto catalog = model::ModelCatalog::builtIn()) {
        for (const model::CatalogEntry &e : catalog->entries())
            m_catalogBox->addItem(QString::fromStdString(e.id), QString::fromStdString(e.id));
    }
    m_folderEdit = new QLineEdit(this);
    m_folderEdit->setObjectName(QStringLiteral("folderEdit"));
    m_configEdit = new QLineEdit(this);
    m_configEdit->setObjectName(QStringLiteral("configEdit"));
    m_folderBrowse = new QPushButton(this);
    m_configBrowse = new QPushButton(this);

    m_localNote = caption(this, "localNote");
    m_demoBox = wrapped(this, "demoBox");
    m_demoBox->setStyleSheet(QStringLiteral("QLabel { background: #fff8e1; color: #5d4300; border: 1px solid "
                                            "#f0d58c; border-radius: 4px; padding: 8px; }"));
    m_useDemo = new QPushButton(this);
    m_useDemo->setObjectName(QStringLiteral("useDemo"));
    m_status = wrapped(this, "modelStatus");
    m_status->setProperty("slipwayCoreText", true); // model names and figures
    m_status->setStyleSheet(QStringLiteral("QLabel { background: #eef6ee; color: #1e4620; border: 1px solid "
                                           "#b7d8b9; border-radius: 4px; padding: 8px; }"));

    grid->addWidget(m_catalog, 0, 0);
    grid->addWidget(m_catalogBox, 0, 1, 1, 2);
    grid->addWidget(m_folder, 1, 0);
    grid->addWidget(m_folderEdit, 1, 1);
    grid->addWidget(m_folderBrowse, 1, 2);
    grid->addWidget(m_config, 2, 0);
    grid->addWidget(m_configEdit, 2, 1);
    grid->addWidget(m_configBrowse, 2, 2);
    grid->addWidget(m_localNote, 3, 0, 1, 3);
    grid->addWidget(m_demoBox, 4, 0, 1, 2);
    grid->addWidget(m_useDemo, 4, 2, Qt::AlignTop);
    grid->addWidget(m_status, 5, 0, 1, 3);
    grid->addWidget(makeProblemLabel(), 6, 0, 1, 3);
    grid->setRowStretch(7, 1);

    for (QRadioButton *b : {m_catalog, m_folder, m_config})
        connect(b, &QRadioButton::toggled, this, [this](bool on) { if (on) store(); });
    connect(m_catalogBox, &QComboBox::currentIndexChanged, this, [this] { store(); });
    connect(m_folderEdit, &QLineEdit::editingFinished, this, [this] { store(); });
    connect(m_configEdit, &QLineEdit::editingFinished, this, [this] { store(); });
    connect(m_folderBrowse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Model folder"), m_folderEdit->text());
        if (!dir.isEmpty()) {
            m_folderEdit->setText(dir);
            m_folder->setChecked(true);
            store();
        }
    });
    connect(m_configBrowse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("config.json"), m_configEdit->text(),
                                                          tr("Model config (config.json *.json)"));
        if (!file.isEmpty()) {
            m_configEdit->setText(file);
            m_config->setChecked(true);
            store();
        }
    });
    connect(m_useDemo, &QPushButton::clicked, this, [this] {
        m_folderEdit->setText(m_wizard->demoModelDir());
        m_folder->setChecked(true);
        store();
    });
    connect(wizard, &DeployWizard::modelLoadFinished, this, [this] { showStatus(); });
    connect(wizard, &DeployWizard::choicesReplaced, this, &ModelPage::load);
    retranslateUi();
}

bool ModelPage::busy() const { return m_wizard->isModelLoading(); }

void ModelPage::initializePage() { load(); }

void ModelPage::load()
{
    m_loading = true;
    const DeployChoices &c = m_wizard->choices();
    const bool local = c.target == DeployTarget::Local;
    const ModelSource &source = c.sizing.model;
    m_catalog->setEnabled(!local);
    m_catalogBox->setEnabled(!local);
    m_config->setEnabled(!local);
    m_configEdit->setEnabled(!local);
    m_configBrowse->setEnabled(!local);
    switch (source.kind) {
    case ModelSource::Kind::Catalog:
        m_catalog->setChecked(true);
        if (int i = m_catalogBox->findData(source.reference); i >= 0)
            m_catalogBox->setCurrentIndex(i);
        break;
    case ModelSource::Kind::Folder:
        m_folder->setChecked(true);
        m_folderEdit->setText(source.reference);
        break;
    case ModelSource::Kind::ConfigFile:
        m_config->setChecked(true);
        m_configEdit->setText(source.reference);
        break;
    }
    const bool demoThere = local::isDemoModel(m_wizard->demoModelDir().toStdString());
    m_localNote->setVisible(local);
    m_demoBox->setVisible(demoThere);
    m_useDemo->setVisible(demoThere);
    m_loading = false;
    if (local && source.kind != ModelSource::Kind::Folder)
        m_folder->setChecked(true); // stores the folder choice
    else
        m_wizard->loadModel();
    showStatus();
}

void ModelPage::store()
{
    if (m_loading)
        return;
    ModelSource &source = m_wizard->editChoices().sizing.model;
    if (m_catalog->isChecked())
        source = {ModelSource::Kind::Catalog, m_catalogBox->currentData().toString()};
    else if (m_folder->isChecked())
        source = {ModelSource::Kind::Folder, m_folderEdit->text().trimmed()};
    else
        source = {ModelSource::Kind::ConfigFile, m_configEdit->text().trimmed()};
    m_wizard->loadModel();
    showStatus();
}

void ModelPage::showStatus()
{
    const auto &spec = m_wizard->model();
    const QString ref = m_wizard->choices().sizing.model.reference;
    if (m_wizard->isModelLoading()) {
        m_status->setText(tr("Reading the model…"));
    } else if (spec) {
        const double params = double(model::mainParameterCount(*spec));
        const QString count = params >= 1e9 ? QStringLiteral("%1 B").arg(params / 1e9, 0, 'f', 2)
                                            : QStringLiteral("%1 M").arg(params / 1e6, 0, 'f', 2);
        QString text = tr("%1 — %2, %3 parameters, %4 layers, %5 attention heads")
                           .arg(QString::fromStdString(spec->displayName.empty() ? spec->id : spec->displayName),
                                QString::fromStdString(spec->architectureName), count)
                           .arg(spec->numLayers)
                           .arg(spec->numAttentionHeads);
        if (local::isDemoModel(ref.toStdString()))
            text += QLatin1Char('\n') + tr("This is the demo model: random weights, so its replies are noise. "
                                           "Point the wizard at a real model folder for real answers.");
        m_status->setText(text);
    } else {
        m_status->clear();
    }
    m_status->setVisible(!m_status->text().isEmpty());
    refresh();
}

void ModelPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        showStatus();
    }
    ChoicePage::changeEvent(event);
}

void ModelPage::retranslateUi()
{
    setTitle(tr("Which model?"));
    setSubTitle(tr("A catalog entry sizes without downloading anything; a folder or config.json is read from "
                   "this disk (only the safetensors headers)."));
    m_catalog->setText(tr("Catalog"));
    m_folder->setText(tr("Model folder"));
    m_config->setText(tr("config.json"));
    m_folderEdit->setPlaceholderText(tr("Folder with config.json, tokenizer and *.safetensors"));
    m_configEdit->setPlaceholderText(tr("Path to a Hugging Face config.json"));
    m_folderBrowse->setText(tr("Browse…"));
    m_configBrowse->setText(tr("Browse…"));
    m_localNote->setText(tr("The Local target needs a model folder: slipway-engine loads its weights and "
                            "tokenizer from there."));
    m_demoBox->setText(tr("Slipway's demo model is on this machine. It has random weights with a real "
                          "tokenizer and chat template: it starts and chats, but its replies are noise. "
                          "Point the wizard at a real model folder for real answers."));
    m_useDemo->setText(tr("Use the demo model"));
}

// ---- Sizing -------------------------------------------------------------------------------

SizingPage::SizingPage(DeployWizard *wizard)
    : ChoicePage(wizard, DeployWizard::SizingPageId)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_calculator = new CalculatorPanel(this);
    m_layout = wrapped(this, "layoutSummary");
    m_layout->setStyleSheet(QStringLiteral("QLabel { background: #e8f1fb; color: #123a63; border: 1px solid "
                                           "#b6d0ee; border-radius: 4px; padding: 8px; }"));
    layout->addWidget(m_layout);
    layout->addWidget(makeProblemLabel());
    layout->addWidget(m_calculator, 1);
    connect(m_calculator->controller(), &CalculatorController::updated, this, [this] {
        // Only edits made on this page count: the panel also reports its own start-up outcome.
        if (m_loading || m_wizard->currentPage() != this)
            return;
        m_wizard->editChoices().sizing = m_calculator->inputs();
        m_wizard->loadModel(); // the form may have picked another model
        showLayout();
    });
    connect(m_calculator->controller(), &CalculatorController::busyChanged, this, [this] { emit completeChanged(); });
    connect(wizard, &DeployWizard::modelLoadFinished, this, [this] { showLayout(); });
    retranslateUi();
}

bool SizingPage::busy() const
{
    return m_calculator->controller()->isBusy() || m_wizard->isModelLoading();
}

void SizingPage::initializePage()
{
    m_loading = true;
    m_calculator->setInputs(m_wizard->choices().sizing);
    m_loading = false;
    showLayout();
}

void SizingPage::showLayout()
{
    auto built = m_wizard->model() && m_wizard->choices().target != DeployTarget::Local
                     ? std::optional(m_wizard->planBuild())
                     : std::nullopt;
    const auto &result = m_calculator->controller()->result();
    if (result && result->deployable()) {
        QString text = tr("The plan takes this sizing: TP %1 over %2 node(s) of %3 GPU(s), "
                          "--mem-fraction-static %4.")
                           .arg(result->tp)
                           .arg(result->nodes)
                           .arg(result->gpusPerNode)
                           .arg(result->memFraction);
        if (result->nodes > 1)
            text += QLatin1Char(' ') + tr("Several nodes: the Runtime page preselects LeaderWorkerSet (lws).");
        if (m_wizard->choices().target == DeployTarget::Local)
            text = tr("The Local target runs on this machine; the figures show what the model would need on "
                      "the chosen GPUs.");
        m_layout->setText(text);
        m_layout->show();
    } else {
        m_layout->hide();
    }
    Q_UNUSED(built);
    refresh();
}

void SizingPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        showLayout();
    }
    ChoicePage::changeEvent(event);
}

void SizingPage::retranslateUi()
{
    setTitle(tr("Sizing"));
    setSubTitle(tr("How many GPUs the model needs and how much KV cache is left. The tensor-parallel size and "
                   "node count found here go into the manifests."));
}

} // namespace slipway::ui
