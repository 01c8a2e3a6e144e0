#pragma once
// DeployWizard: Target → Model → Sizing → Model files → Runtime → Review → Deploy.
// The wizard keeps the person's choices (DeployChoices) and the loaded model; each page edits the
// choices and asks the wizard what is wrong with them so far (problem()), shows that message on
// the page and keeps Next disabled until it is fixed. The manifests come from
// deploy::buildPlan + deploy::render, the same code path as `slipway-cli render`.
//
// Threads: the model is read from disk on the global thread pool (QtConcurrent) and the Sizing
// page's calculator sizes off the GUI thread. With the model loaded, buildPlan is arithmetic over
// a value type and render() string building (well under a millisecond), so pages call it directly.
#include "deploy/deploy_choices.h"
#include "deploy/render.h"

#include <QWizard>

#include <optional>

namespace slipway::ui {

class CalculatorPanel;
class ClustersPanel;
class LocalDeployer;

class DeployWizard final : public QWizard {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeployWizard)

public:
    // After Review, the Cluster target goes to ClusterDeployPageId when a Clusters panel is
    // attached (setClusters), every other target (and a wizard without clusters) to DeployPageId.
    enum PageId { TargetPageId, ModelPageId, SizingPageId, FilesPageId, RuntimePageId, ReviewPageId, DeployPageId,
                  ClusterDeployPageId };

    // `deployer` (not owned, may be null: the Local target then explains that it is unavailable)
    // starts the engine for the Local target. `demoModelDir` is offered on the Model page when it
    // holds Slipway's demo model; empty: local::defaultDemoModelDir().
    explicit DeployWizard(LocalDeployer *deployer = nullptr, const QString &demoModelDir = {},
                          QWidget *parent = nullptr);
    ~DeployWizard() override; // waits for its background tasks (see the .cpp)

    const DeployChoices &choices() const { return m_choices; }
    // Replaces every choice (as if made on the pages) and reloads the model when its source changed.
    void setChoices(const DeployChoices &choices);
    // Edits the choices in place; pages call it and then refresh their completeness.
    DeployChoices &editChoices() { return m_choices; }

    // The model of the current source once loaded; empty while loading or when it failed.
    const std::optional<model::ModelSpec> &model() const { return m_model; }
    bool isModelLoading() const { return m_modelLoading; }
    QString modelError() const { return m_modelError; }
    // Starts loading the model of choices().sizing.model unless it is the one loaded or loading.
    void loadModel();

    // What is wrong with the choices made up to and including `page`, in the core's words; empty
    // when nothing is. Pages show it and stay incomplete while it is not empty.
    QString problem(int page) const;
    // The plan and the rendered objects of the current choices (Cluster and Export targets).
    Result<deploy::PlanBuild> planBuild() const;
    Result<std::vector<deploy::RenderedObject>> renderedObjects() const;
    // The Local target's exact command line, program first.
    QStringList localCommandLine() const;
    // Writes every object into `dir` as `slipway-cli render -o` does.
    Result<void> saveAllTo(const QString &dir);

    CalculatorPanel *calculator() const;
    // The Clusters panel whose contexts the Target page lists and whose connection the Cluster
    // target deploys to (not owned; may stay null: the Cluster target then only reviews).
    void setClusters(ClustersPanel *clusters);
    ClustersPanel *clusters() const { return m_clusters; }
    int nextId() const override;
    LocalDeployer *localDeployer() const { return m_deployer; }
    QString demoModelDir() const { return m_demoModelDir; }
    // Where the last save wrote to (empty before).
    QString savedTo() const { return m_savedTo; }

signals:
    // The model finished loading (or failed): model(), modelError() are updated.
    void modelLoadFinished();
    // setChoices() replaced the choices: pages reload their fields.
    void choicesReplaced();
    // The manifests were written to `dir`.
    void saved(const QString &dir);
    // setClusters() attached a Clusters panel.
    void clustersAttached();

protected:
    void changeEvent(QEvent *event) override;

private:
    deploy::PlanRequest requestUpTo(int page) const;
    void retranslateUi();

    DeployChoices m_choices;
    LocalDeployer *m_deployer = nullptr;
    ClustersPanel *m_clusters = nullptr;
    QString m_demoModelDir;
    std::optional<model::ModelSpec> m_model;
    std::optional<ModelSource> m_modelSource; // the source of m_model, or the one loading
    bool m_modelLoading = false;
    QString m_modelError;
    quint64 m_loadGeneration = 0;
    QString m_savedTo;
};

} // namespace slipway::ui
