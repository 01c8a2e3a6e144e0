#include "deploy/deploy_wizard.h"

#include "deploy/cluster_deploy_controller.h"
#include "deploy/cluster_deploy_page.h"
#include "deploy/deploy_pages.h"
#include "deploy/validate.h"
#include "local/demo_model.h"
#include "messages/core_messages.h"
#include "local/engine_locator.h"
#include "model/model_loader.h"

#include <QEvent>
#include <QFutureWatcher>
#include <QtConcurrent>

namespace slipway::ui {

DeployWizard::DeployWizard(LocalDeployer *deployer, const QString &demoModelDir, QWidget *parent)
    : QWizard(parent)
    , m_deployer(deployer)
    , m_demoModelDir(demoModelDir.isEmpty() ? QString::fromStdString(local::defaultDemoModelDir().string())
                                            : demoModelDir)
{
    setObjectName(QStringLiteral("deployWizard"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setOption(QWizard::NoCancelButton);
    setOption(QWizard::HaveHelpButton, false);
    setPage(TargetPageId, new TargetPage(this));
    setPage(ModelPageId, new ModelPage(this));
    setPage(SizingPageId, new SizingPage(this));
    setPage(FilesPageId, new FilesPage(this));
    setPage(RuntimePageId, new RuntimePage(this));
    setPage(ReviewPageId, new ReviewPage(this));
    setPage(DeployPageId, new DeployPage(this));
    setPage(ClusterDeployPageId, new ClusterDeployPage(this));
    setStartId(TargetPageId);
    retranslateUi();
}

void DeployWizard::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWizard::changeEvent(event);
}

void DeployWizard::retranslateUi()
{
    setWindowTitle(tr("Deploy"));
    setButtonText(QWizard::NextButton, tr("&Next >"));
    setButtonText(QWizard::BackButton, tr("< &Back"));
    setButtonText(QWizard::FinishButton, tr("&Finish"));
    setButtonText(QWizard::CommitButton, tr("&Commit"));
}

void DeployWizard::setClusters(ClustersPanel *clusters)
{
    m_clusters = clusters;
    emit clustersAttached();
}

int DeployWizard::nextId() const
{
    switch (currentId()) {
    case ReviewPageId:
        return m_choices.target == DeployTarget::Cluster && m_clusters ? int(ClusterDeployPageId) : int(DeployPageId);
    case DeployPageId:
    case ClusterDeployPageId:
        return -1;
    default:
        return QWizard::nextId();
    }
}

CalculatorPanel *DeployWizard::calculator() const
{
    return static_cast<SizingPage *>(page(SizingPageId))->calculator();
}

void DeployWizard::setChoices(const DeployChoices &choices)
{
    m_choices = choices;
    emit choicesReplaced();
    loadModel();
}

void DeployWizard::loadModel()
{
    const ModelSource source = m_choices.sizing.model;
    if (m_modelSource == source)
        return;
    m_modelSource = source;
    m_model.reset();
    m_modelError.clear();
    const quint64 generation = ++m_loadGeneration;
    if (source.reference.trimmed().isEmpty()) {
        m_modelLoading = false;
        emit modelLoadFinished();
        return;
    }
    m_modelLoading = true;
    auto *watcher = new QFutureWatcher<Result<model::ModelSpec>>(this);
    connect(watcher, &QFutureWatcher<Result<model::ModelSpec>>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_loadGeneration)
            return; // a newer source superseded this one
        const Result<model::ModelSpec> loaded = watcher->result();
        m_modelLoading = false;
        if (loaded)
            m_model = *loaded;
        else
            m_modelError = QString::fromStdString(loaded.message());
        emit modelLoadFinished();
    });
    const std::string reference = source.reference.trimmed().toStdString();
    watcher->setFuture(QtConcurrent::run([reference] { return model::loadModel(reference); }));
}

deploy::PlanRequest DeployWizard::requestUpTo(int page) const
{
    deploy::PlanRequest r = toPlanRequest(m_choices, *m_model);
    if (page < RuntimePageId) {
        // The Runtime page's fields count only from that page on; mode, runtime and nodes stay
        // because the storage rules depend on them (and the wizard preselects them from sizing).
        const deploy::PlanRequest defaults;
        deploy::PlanRequest kept = defaults;
        kept.mode = r.mode;
        kept.runtime = r.runtime;
        kept.nodes = r.nodes;
        kept.storage = r.storage;
        kept.pvcSize = r.pvcSize;
        kept.storageClass = r.storageClass;
        kept.rwx = r.rwx;
        kept.s3 = r.s3;
        kept.hfEndpoint = r.hfEndpoint;
        kept.loaderImage = r.loaderImage;
        kept.imageModelPath = r.imageModelPath;
        kept.modelRef = r.modelRef;
        kept.model = r.model;
        kept.weightDtype = r.weightDtype;
        kept.kvDtype = r.kvDtype;
        kept.gpu = r.gpu;
        kept.contextLength = r.contextLength;
        kept.concurrency = r.concurrency;
        kept.memFraction = r.memFraction;
        kept.tp = r.tp;
        kept.gpusPerNode = r.gpusPerNode;
        r = kept;
    }
    return r;
}

QString DeployWizard::problem(int page) const
{
    const bool local = m_choices.target == DeployTarget::Local;
    if (page >= ModelPageId) {
        if (local && m_choices.sizing.model.kind != ModelSource::Kind::Folder)
            return tr("The Local target runs a model folder: choose a folder that holds config.json, the "
                      "tokenizer and the *.safetensors weights.");
        if (m_choices.sizing.model.reference.trimmed().isEmpty())
            return tr("Choose a model: a catalog entry, a model folder or a config.json.");
        if (!m_modelError.isEmpty())
            return m_modelError;
        if (!m_model)
            return {}; // loading: the page is incomplete without a message
    }
    if (page >= SizingPageId && !local) {
        // Sizing alone, as the calculator shows it; the layout and the mode come on later pages.
        deploy::PlanRequest r = requestUpTo(page);
        if (page < RuntimePageId) {
            r.nodes.reset();
            r.mode = deploy::Mode::Lws;
        }
        if (page == SizingPageId)
            r.storage = deploy::Storage::Pvc, r.pvcSize.clear();
        auto built = deploy::buildPlan(r);
        if (!built)
            return CoreMessages::text(built.error());
        if (page == SizingPageId)
            return {};
        // Before the Runtime page, the mode the sizing calls for (the Runtime page preselects it);
        // nodes and layout messages belong to the Runtime page.
        r = requestUpTo(page);
        if (page < RuntimePageId) {
            r.nodes.reset();
            if (built->plan.nodes > 1)
                r.mode = deploy::Mode::Lws;
            else if (r.mode == deploy::Mode::Lws)
                r.mode = deploy::Mode::Deployment;
        }
        built = deploy::buildPlan(r);
        if (!built)
            return CoreMessages::text(built.error());
        if (auto valid = deploy::validate(built->plan); !valid)
            return CoreMessages::text(valid.error());
    }
    if (page >= RuntimePageId && local) {
        if (auto valid = local::validateLaunchOptions(toLaunchOptions(m_choices)); !valid)
            return CoreMessages::text(valid.error());
    }
    return {};
}

Result<deploy::PlanBuild> DeployWizard::planBuild() const
{
    if (!m_model)
        return fail(m_modelError.isEmpty() ? "the model is not loaded yet" : m_modelError.toStdString());
    return deploy::buildPlan(requestUpTo(ReviewPageId));
}

Result<std::vector<deploy::RenderedObject>> DeployWizard::renderedObjects() const
{
    auto built = planBuild();
    if (!built)
        return built.error();
    return deploy::render(built->plan);
}

QStringList DeployWizard::localCommandLine() const
{
    const local::EngineLaunchOptions options = toLaunchOptions(m_choices);
    QStringList line;
    auto engine = local::findEngineExecutable();
    line << (engine ? QString::fromStdString(*engine) : QString::fromLatin1(local::kEngineExecutableName));
    for (const std::string &arg : local::engineArguments(options, options.port))
        line << QString::fromStdString(arg);
    return line;
}

Result<void> DeployWizard::saveAllTo(const QString &dir)
{
    auto objects = renderedObjects();
    if (!objects)
        return objects.error();
    if (auto written = deploy::writeToDirectory(*objects, dir.toStdString()); !written)
        return written;
    m_savedTo = dir;
    emit saved(dir);
    return {};
}

DeployWizard::~DeployWizard()
{
    // Shutdown is quit-then-wait: background tasks hold no pointer to this object, but they are
    // finished before its children go, so nothing of theirs outlives the owner (a torn-down
    // wizard was seen crashing in its layouts' destructors while a pool thread was still busy).
    // A cluster rollout watch runs until cancelled: cancel it first.
    for (ClusterDeployController *controller : findChildren<ClusterDeployController *>())
        controller->cancel();
    for (QFutureWatcherBase *watcher : findChildren<QFutureWatcherBase *>())
        watcher->waitForFinished();
}

} // namespace slipway::ui
