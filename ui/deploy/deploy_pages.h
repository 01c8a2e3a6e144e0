#pragma once
// The Deploy wizard's pages. Each edits DeployWizard::editChoices() and shows, in its problem
// label, what DeployWizard::problem() says about the choices so far; Next stays disabled while
// there is a problem (isComplete()). Pages reload their fields on initializePage() and when the
// wizard's choices are replaced.
#include <QWizardPage>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTabWidget;

namespace slipway::ui {

class CalculatorPanel;
class DeployWizard;
class ImageMirrorBox;

class ChoicePage : public QWizardPage {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChoicePage)

public:
    ChoicePage(DeployWizard *wizard, int id);
    bool isComplete() const override;
    // Next (also when pressed programmatically) only moves on from a complete page.
    bool validatePage() override { return isComplete(); }
    // The message shown on this page (empty when none).
    QString shownProblem() const;

protected:
    // Re-evaluates the problem, shows it and updates Next.
    void refresh();
    // Extra reasons to keep Next disabled without a message (work in progress).
    virtual bool busy() const { return false; }
    QLabel *makeProblemLabel();
    DeployWizard *m_wizard;
    int m_id;
    QLabel *m_problem = nullptr;
};

class TargetPage final : public ChoicePage {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TargetPage)
public:
    explicit TargetPage(DeployWizard *wizard);
    void initializePage() override;
protected:
    void changeEvent(QEvent *event) override;
private:
    void retranslateUi();
    void load();
    // The Clusters panel's contexts (and a token login's connection) in the cluster list.
    void loadClusters();
    void showClusterState();
    void chooseCluster(int index);
    QButtonGroup *m_group = nullptr;
    QRadioButton *m_local = nullptr, *m_cluster = nullptr, *m_export = nullptr;
    QLabel *m_localText = nullptr, *m_clusterText = nullptr, *m_exportText = nullptr;
    QLabel *m_clustersEmpty = nullptr;
    QWidget *m_clusterRow = nullptr;
    QLabel *m_clusterLabel = nullptr;
    QComboBox *m_clusterBox = nullptr;
    QLabel *m_clusterState = nullptr;
    bool m_loadingClusters = false;
};

class ModelPage final : public ChoicePage {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelPage)
public:
    explicit ModelPage(DeployWizard *wizard);
    void initializePage() override;
protected:
    bool busy() const override;
    void changeEvent(QEvent *event) override;
private:
    void retranslateUi();
    void load();
    void store();
    void showStatus();
    QRadioButton *m_catalog = nullptr, *m_folder = nullptr, *m_config = nullptr;
    QComboBox *m_catalogBox = nullptr;
    QLineEdit *m_folderEdit = nullptr, *m_configEdit = nullptr;
    QPushButton *m_folderBrowse = nullptr, *m_configBrowse = nullptr;
    QLabel *m_demoBox = nullptr;
    QPushButton *m_useDemo = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_localNote = nullptr;
    bool m_loading = false;
};

class SizingPage final : public ChoicePage {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SizingPage)
public:
    explicit SizingPage(DeployWizard *wizard);
    void initializePage() override;
    CalculatorPanel *calculator() const { return m_calculator; }
protected:
    bool busy() const override;
    void changeEvent(QEvent *event) override;
private:
    void retranslateUi();
    void showLayout();
    CalculatorPanel *m_calculator = nullptr;
    QLabel *m_layout = nullptr;
    bool m_loading = false;
};

class FilesPage final : public ChoicePage {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FilesPage)
public:
    explicit FilesPage(DeployWizard *wizard);
    void initializePage() override;
protected:
    void changeEvent(QEvent *event) override;
private:
    void retranslateUi();
    void load();
    void store();
    void showRows();
    QLabel *m_localFolder = nullptr;
    QWidget *m_clusterBox = nullptr;
    QFormLayout *m_form = nullptr;
    QComboBox *m_storage = nullptr;
    QLabel *m_storageHelp = nullptr;
    QLineEdit *m_pvcSize = nullptr, *m_storageClass = nullptr, *m_loaderImage = nullptr;
    QCheckBox *m_rwx = nullptr;
    QLineEdit *m_s3Endpoint = nullptr, *m_s3Bucket = nullptr, *m_s3Path = nullptr, *m_s3Region = nullptr,
              *m_s3Secret = nullptr, *m_hfEndpoint = nullptr, *m_imagePath = nullptr;
    bool m_loadingFields = false;
};

class RuntimePage final : public ChoicePage {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RuntimePage)
public:
    explicit RuntimePage(DeployWizard *wizard);
    void initializePage() override;
protected:
    void changeEvent(QEvent *event) override;
private:
    void retranslateUi();
    void load();
    void store();
    QWidget *m_clusterBox = nullptr;
    QWidget *m_localBox = nullptr;
    QFormLayout *m_clusterForm = nullptr;
    QComboBox *m_runtime = nullptr, *m_mode = nullptr, *m_platform = nullptr, *m_security = nullptr;
    QSpinBox *m_nodes = nullptr, *m_replicas = nullptr;
    QLineEdit *m_name = nullptr, *m_namespace = nullptr, *m_image = nullptr, *m_pullSecret = nullptr,
              *m_servedName = nullptr;
    QComboBox *m_device = nullptr;
    QLineEdit *m_localServedName = nullptr;
    QSpinBox *m_port = nullptr, *m_maxRunning = nullptr, *m_cudaGraphMaxBs = nullptr, *m_context = nullptr;
    QDoubleSpinBox *m_memFraction = nullptr;
    QLabel *m_flagHelp = nullptr;
    QFormLayout *m_advancedForm = nullptr;
    ImageMirrorBox *m_mirror = nullptr; // mirror the server image into the user's registry
    bool m_loadingFields = false;
};

class ReviewPage final : public ChoicePage {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReviewPage)
public:
    explicit ReviewPage(DeployWizard *wizard);
    void initializePage() override;
    QTabWidget *objectTabs() const { return m_tabs; }
    // Copies the current tab's YAML (or, for Local, the command line) to the clipboard.
    void copyCurrent();
protected:
    void changeEvent(QEvent *event) override;
private:
    void retranslateUi();
    void saveAll();
    QTabWidget *m_tabs = nullptr;
    QLabel *m_notesTitle = nullptr, *m_notes = nullptr, *m_checkTitle = nullptr;
    QPlainTextEdit *m_check = nullptr;
    QPushButton *m_copy = nullptr, *m_save = nullptr;
    QLabel *m_saved = nullptr;
};

class DeployPage final : public ChoicePage {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeployPage)
public:
    explicit DeployPage(DeployWizard *wizard);
    void initializePage() override;
    bool isComplete() const override;
    QPushButton *startButton() const { return m_start; }
    // The Local target's start: hands the launch options to the LocalDeployer.
    void startLocal();
protected:
    void changeEvent(QEvent *event) override;
private:
    void retranslateUi();
    void showState();
    QLabel *m_text = nullptr;
    QPushButton *m_start = nullptr;
    QLabel *m_result = nullptr;
    bool m_started = false;
};

} // namespace slipway::ui
