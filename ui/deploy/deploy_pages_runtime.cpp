// The Model files and Runtime pages.
#include "deploy/deploy_pages.h"
#include "widgets/form_rows.h"

#include "calculator/calculator_controller.h"
#include "calculator/calculator_panel.h"
#include "deploy/deploy_wizard.h"
#include "deploy/image_mirror_box.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

namespace slipway::ui {

namespace {
QLineEdit *lineEdit(QWidget *parent, const char *name)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(QString::fromLatin1(name));
    return edit;
}

QLabel *helpLabel(QWidget *parent, const char *name)
{
    auto *label = new QLabel(parent);
    label->setObjectName(QString::fromLatin1(name));
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: #5f6368;"));
    return label;
}

std::string text(const QLineEdit *edit) { return edit->text().trimmed().toStdString(); }
} // namespace

// ---- Model files --------------------------------------------------------------------------

FilesPage::FilesPage(DeployWizard *wizard)
    : ChoicePage(wizard, DeployWizard::FilesPageId)
{
    auto *layout = new QVBoxLayout(this);
    m_localFolder = new QLabel(this);
    m_localFolder->setObjectName(QStringLiteral("localFolder"));
    m_localFolder->setWordWrap(true);
    m_localFolder->setProperty("slipwayCoreText", true); // mostly a path
    m_localFolder->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_localFolder->setStyleSheet(QStringLiteral("QLabel { background: palette(base); border: 1px solid #c8c8c8; "
                                                "border-radius: 4px; padding: 8px; }"));
    layout->addWidget(m_localFolder);

    m_clusterBox = new QWidget(this);
    m_form = new QFormLayout(m_clusterBox);
    m_form->setContentsMargins(0, 0, 0, 0);
    m_storage = new QComboBox(m_clusterBox);
    m_storage->setObjectName(QStringLiteral("storage"));
    for (int i = 0; i < 4; ++i)
        m_storage->addItem(QString(), i);
    m_storageHelp = helpLabel(m_clusterBox, "storageHelp");
    m_pvcSize = lineEdit(m_clusterBox, "pvcSize");
    m_storageClass = lineEdit(m_clusterBox, "storageClass");
    m_rwx = new QCheckBox(m_clusterBox);
    m_rwx->setObjectName(QStringLiteral("rwx"));
    m_loaderImage = lineEdit(m_clusterBox, "loaderImage");
    m_s3Endpoint = lineEdit(m_clusterBox, "s3Endpoint");
    m_s3Bucket = lineEdit(m_clusterBox, "s3Bucket");
    m_s3Path = lineEdit(m_clusterBox, "s3Path");
    m_s3Region = lineEdit(m_clusterBox, "s3Region");
    m_s3Secret = lineEdit(m_clusterBox, "s3Secret");
    m_hfEndpoint = lineEdit(m_clusterBox, "hfEndpoint");
    m_imagePath = lineEdit(m_clusterBox, "imageModelPath");
    m_form->addRow(new QLabel(m_clusterBox), m_storage);
    m_form->addRow(new QLabel(m_clusterBox), m_storageHelp);
    m_form->addRow(new QLabel(m_clusterBox), m_pvcSize);
    m_form->addRow(new QLabel(m_clusterBox), m_storageClass);
    m_form->addRow(new QLabel(m_clusterBox), m_rwx);
    m_form->addRow(new QLabel(m_clusterBox), m_loaderImage);
    m_form->addRow(new QLabel(m_clusterBox), m_s3Endpoint);
    m_form->addRow(new QLabel(m_clusterBox), m_s3Bucket);
    m_form->addRow(new QLabel(m_clusterBox), m_s3Path);
    m_form->addRow(new QLabel(m_clusterBox), m_s3Region);
    m_form->addRow(new QLabel(m_clusterBox), m_s3Secret);
    m_form->addRow(new QLabel(m_clusterBox), m_hfEndpoint);
    m_form->addRow(new QLabel(m_clusterBox), m_imagePath);
    layout->addWidget(m_clusterBox);
    layout->addWidget(makeProblemLabel());
    layout->addStretch(1);

    connect(m_storage, &QComboBox::currentIndexChanged, this, [this] { store(); });
    connect(m_rwx, &QCheckBox::toggled, this, [this] { store(); });
    for (QLineEdit *e : {m_pvcSize, m_storageClass, m_loaderImage, m_s3Endpoint, m_s3Bucket, m_s3Path, m_s3Region,
                         m_s3Secret, m_hfEndpoint, m_imagePath})
        connect(e, &QLineEdit::textChanged, this, [this] { store(); });
    connect(wizard, &DeployWizard::choicesReplaced, this, &FilesPage::load);
    retranslateUi();
}

void FilesPage::initializePage()
{
    // The mode follows the sizing until the person picks one: several nodes need lws.
    if (m_wizard->model() && m_wizard->choices().target != DeployTarget::Local && !m_wizard->choices().plan.nodes) {
        const auto &result = m_wizard->calculator()->controller()->result();
        deploy::Mode &mode = m_wizard->editChoices().plan.mode;
        if (result && result->nodes > 1)
            mode = deploy::Mode::Lws;
        else if (result && mode == deploy::Mode::Lws)
            mode = deploy::Mode::Deployment;
    }
    load();
}

void FilesPage::load()
{
    m_loadingFields = true;
    const DeployChoices &c = m_wizard->choices();
    const deploy::PlanRequest &p = c.plan;
    const bool local = c.target == DeployTarget::Local;
    m_localFolder->setVisible(local);
    m_clusterBox->setVisible(!local);
    m_localFolder->setText(tr("slipway-engine reads the weights, tokenizer and chat template from this folder "
                              "on this machine:\n%1").arg(c.sizing.model.reference));
    m_storage->setCurrentIndex(int(p.storage));
    auto q = [](const std::string &s) { return QString::fromStdString(s); };
    m_pvcSize->setText(q(p.pvcSize));
    m_storageClass->setText(q(p.storageClass));
    m_rwx->setChecked(p.rwx);
    m_loaderImage->setText(q(p.loaderImage));
    m_s3Endpoint->setText(q(p.s3.endpoint));
    m_s3Bucket->setText(q(p.s3.bucket));
    m_s3Path->setText(q(p.s3.path));
    m_s3Region->setText(q(p.s3.region));
    m_s3Secret->setText(q(p.s3.existingSecret));
    m_hfEndpoint->setText(p.hfEndpoint ? q(*p.hfEndpoint) : QString());
    m_imagePath->setText(q(p.imageModelPath));
    if (auto built = m_wizard->model() && !local ? std::optional(m_wizard->planBuild()) : std::nullopt; built && *built)
        m_pvcSize->setPlaceholderText(tr("from sizing: %1").arg(q(deploy::memoryQuantity((*built)->sizing.volumeBytes))));
    m_loadingFields = false;
    showRows();
    refresh();
}

void FilesPage::store()
{
    if (m_loadingFields)
        return;
    deploy::PlanRequest &p = m_wizard->editChoices().plan;
    p.storage = deploy::Storage(m_storage->currentIndex());
    p.pvcSize = text(m_pvcSize);
    p.storageClass = text(m_storageClass);
    p.rwx = m_rwx->isChecked();
    p.loaderImage = text(m_loaderImage);
    p.s3.endpoint = text(m_s3Endpoint);
    p.s3.bucket = text(m_s3Bucket);
    p.s3.path = text(m_s3Path);
    p.s3.region = text(m_s3Region);
    p.s3.existingSecret = text(m_s3Secret);
    p.hfEndpoint.reset();
    if (!m_hfEndpoint->text().trimmed().isEmpty())
        p.hfEndpoint = text(m_hfEndpoint);
    p.imageModelPath = text(m_imagePath);
    showRows();
    refresh();
}

void FilesPage::showRows()
{
    const auto storage = deploy::Storage(m_storage->currentIndex());
    const bool volume = storage == deploy::Storage::Pvc || storage == deploy::Storage::Download;
    const bool s3 = storage == deploy::Storage::S3;
    setFormRowShown(m_form, m_pvcSize, volume);
    setFormRowShown(m_form, m_storageClass, volume);
    setFormRowShown(m_form, m_rwx, volume);
    setFormRowShown(m_form, m_loaderImage, storage == deploy::Storage::Pvc);
    for (QLineEdit *e : {m_s3Endpoint, m_s3Bucket, m_s3Path, m_s3Region, m_s3Secret})
        setFormRowShown(m_form, e, s3);
    setFormRowShown(m_form, m_hfEndpoint, storage == deploy::Storage::Download);
    setFormRowShown(m_form, m_imagePath, storage == deploy::Storage::Image);
    switch (storage) {
    case deploy::Storage::Pvc:
        m_storageHelp->setText(tr("A volume you fill yourself: a loader pod mounts it, and you copy the model "
                                  "folder in with “oc cp”. Without ReadWriteMany each server pod needs its own."));
        break;
    case deploy::Storage::S3:
        m_storageHelp->setText(tr("An S3 bucket (MinIO, Ceph, AWS). KServe reads it through storageUri; other modes "
                                  "sync it into each pod at start. Keys come from an existing Secret holding "
                                  "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."));
        break;
    case deploy::Storage::Download:
        m_storageHelp->setText(tr("A Job downloads the model into the volume from a Hugging Face-compatible "
                                  "endpoint — set a mirror for air-gapped or slow networks."));
        break;
    case deploy::Storage::Image:
        m_storageHelp->setText(tr("The model is baked into the server image; give its path inside the image."));
        break;
    }
}

void FilesPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        showRows();
    }
    ChoicePage::changeEvent(event);
}

void FilesPage::retranslateUi()
{
    setTitle(tr("Model files"));
    setSubTitle(tr("Where the server pods find the model's weights and tokenizer."));
    m_storage->setItemText(0, tr("PVC — copy the files in yourself (pvc)"));
    m_storage->setItemText(1, tr("S3 bucket (s3)"));
    m_storage->setItemText(2, tr("Download from a Hugging Face endpoint (download)"));
    m_storage->setItemText(3, tr("Inside the server image (image)"));
    auto label = [this](QWidget *field, const QString &text) {
        if (auto *l = qobject_cast<QLabel *>(m_form->labelForField(field)))
            l->setText(text);
    };
    label(m_storage, tr("Storage:"));
    label(m_pvcSize, tr("Volume size:"));
    label(m_storageClass, tr("Storage class:"));
    label(m_loaderImage, tr("Loader image:"));
    label(m_s3Endpoint, tr("S3 endpoint:"));
    label(m_s3Bucket, tr("Bucket:"));
    label(m_s3Path, tr("Path in bucket:"));
    label(m_s3Region, tr("Region:"));
    label(m_s3Secret, tr("Credentials Secret:"));
    label(m_hfEndpoint, tr("Hugging Face endpoint:"));
    label(m_imagePath, tr("Model path in image:"));
    m_rwx->setText(tr("The storage class offers ReadWriteMany (RWX)"));
    m_storageClass->setPlaceholderText(tr("cluster default"));
    m_loaderImage->setPlaceholderText(tr("registry.access.redhat.com/ubi9/ubi:latest — mirror it when air-gapped"));
    m_s3Endpoint->setPlaceholderText(tr("e.g. http://minio.minio.svc:9000"));
    m_s3Path->setPlaceholderText(tr("key prefix of the model folder"));
    m_s3Region->setPlaceholderText(tr("optional"));
    m_s3Secret->setPlaceholderText(tr("Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"));
    m_hfEndpoint->setPlaceholderText(tr("https://huggingface.co, or a mirror such as https://hf-mirror.com"));
    m_imagePath->setPlaceholderText(tr("e.g. /models/DeepSeek-R1-Distill-Qwen-7B"));
    m_localFolder->setToolTip(tr("The Local target reads the model folder chosen on the Model page."));
}

// ---- Runtime ------------------------------------------------------------------------------

RuntimePage::RuntimePage(DeployWizard *wizard)
    : ChoicePage(wizard, DeployWizard::RuntimePageId)
{
    auto *layout = new QVBoxLayout(this);
    auto *columns = new QHBoxLayout;
    layout->addLayout(columns);

    m_clusterBox = new QGroupBox(this);
    m_clusterBox->setObjectName(QStringLiteral("serverBox"));
    m_clusterForm = new QFormLayout(m_clusterBox);
    auto combo = [this](const char *name, std::initializer_list<const char *> items) {
        auto *c = new QComboBox(m_clusterBox);
        c->setObjectName(QString::fromLatin1(name));
        for (const char *item : items)
            c->addItem(QString::fromLatin1(item));
        return c;
    };
    // Items in the order of the core's enums; their texts are set in retranslateUi().
    m_runtime = combo("runtime", {"", ""});
    m_mode = combo("mode", {"", "", ""});
    m_platform = combo("platform", {"", ""});
    m_security = combo("security", {"", ""});
    m_nodes = new QSpinBox(m_clusterBox);
    m_nodes->setObjectName(QStringLiteral("nodes"));
    m_nodes->setRange(0, 1024);
    m_replicas = new QSpinBox(m_clusterBox);
    m_replicas->setObjectName(QStringLiteral("replicas"));
    m_replicas->setRange(1, 1000);
    m_name = lineEdit(m_clusterBox, "name");
    m_namespace = lineEdit(m_clusterBox, "namespace");
    m_image = lineEdit(m_clusterBox, "image");
    m_pullSecret = lineEdit(m_clusterBox, "imagePullSecret");
    m_servedName = lineEdit(m_clusterBox, "servedModelName");
    for (QWidget *w : std::initializer_list<QWidget *>{m_runtime, m_mode, m_nodes, m_replicas, m_name, m_namespace,
                                                       m_platform, m_security, m_image, m_pullSecret, m_servedName})
        m_clusterForm->addRow(new QLabel(m_clusterBox), w);

    m_localBox = new QGroupBox(this);
    m_localBox->setObjectName(QStringLiteral("localBox"));
    auto *localForm = new QFormLayout(m_localBox);
    m_device = new QComboBox(m_localBox);
    m_device->setObjectName(QStringLiteral("device"));
    m_device->addItem(QStringLiteral("cpu"));
    m_device->addItem(QStringLiteral("cuda"));
    m_localServedName = lineEdit(m_localBox, "localServedModelName");
    localForm->addRow(new QLabel(m_localBox), m_device);
    localForm->addRow(new QLabel(m_localBox), m_localServedName);

    auto *advanced = new QGroupBox(this);
    advanced->setObjectName(QStringLiteral("advancedBox"));
    m_advancedForm = new QFormLayout(advanced);
    m_memFraction = new QDoubleSpinBox(advanced);
    m_memFraction->setObjectName(QStringLiteral("memFraction"));
    m_memFraction->setRange(0.05, 0.99);
    m_memFraction->setDecimals(2);
    m_memFraction->setSingleStep(0.01);
    auto spin = [advanced](const char *name, int min, int max) {
        auto *s = new QSpinBox(advanced);
        s->setObjectName(QString::fromLatin1(name));
        s->setRange(min, max);
        return s;
    };
    m_maxRunning = spin("maxRunningRequests", 0, 100000);
    m_cudaGraphMaxBs = spin("cudaGraphMaxBs", 0, 4096);
    m_context = spin("contextLength", 0, 100'000'000);
    m_port = spin("port", 0, 65535);
    for (QWidget *w : std::initializer_list<QWidget *>{m_memFraction, m_maxRunning, m_cudaGraphMaxBs, m_context, m_port})
        m_advancedForm->addRow(new QLabel(advanced), w);
    m_flagHelp = helpLabel(this, "flagHelp");
    m_flagHelp->setStyleSheet(QStringLiteral("QLabel { background: #e8f1fb; color: #123a63; border: 1px solid "
                                             "#b6d0ee; border-radius: 4px; padding: 8px; }"));

    auto *left = new QVBoxLayout;
    left->addWidget(m_clusterBox);
    left->addWidget(m_localBox);
    left->addStretch(1);
    columns->addLayout(left, 1);
    columns->addWidget(advanced, 1, Qt::AlignTop);
    layout->addWidget(m_flagHelp);
    m_mirror = new ImageMirrorBox(this);
    layout->addWidget(m_mirror);
    layout->addWidget(makeProblemLabel());
    layout->addStretch(1);

    connect(m_mirror, &ImageMirrorBox::registryEdited, this, [this] { store(); });
    for (QComboBox *c : {m_runtime, m_mode, m_platform, m_security, m_device})
        connect(c, &QComboBox::currentIndexChanged, this, [this] { store(); });
    for (QSpinBox *s : {m_nodes, m_replicas, m_maxRunning, m_cudaGraphMaxBs, m_context, m_port})
        connect(s, &QSpinBox::valueChanged, this, [this] { store(); });
    connect(m_memFraction, &QDoubleSpinBox::valueChanged, this, [this] { store(); });
    for (QLineEdit *e : {m_name, m_namespace, m_image, m_pullSecret, m_servedName, m_localServedName})
        connect(e, &QLineEdit::textChanged, this, [this] { store(); });
    connect(wizard, &DeployWizard::choicesReplaced, this, &RuntimePage::load);
    // The explanation of the flag being edited, under the flags.
    connect(qApp, &QApplication::focusChanged, this, [this](QWidget *, QWidget *now) {
        for (QWidget *w = now; w && w != this; w = w->parentWidget()) {
            if (!w->toolTip().isEmpty() && isAncestorOf(w)) {
                m_flagHelp->setText(w->toolTip());
                return;
            }
        }
    });
    retranslateUi();
}

void RuntimePage::initializePage() { load(); }

void RuntimePage::load()
{
    m_loadingFields = true;
    const DeployChoices &c = m_wizard->choices();
    const deploy::PlanRequest &p = c.plan;
    const bool local = c.target == DeployTarget::Local;
    m_clusterBox->setVisible(!local);
    m_localBox->setVisible(local);
    setFormRowShown(m_advancedForm, m_cudaGraphMaxBs, !local);
    m_runtime->setCurrentIndex(int(p.runtime));
    m_mode->setCurrentIndex(int(p.mode));
    m_platform->setCurrentIndex(int(p.platform));
    m_security->setCurrentIndex(int(p.security));
    m_nodes->setValue(p.nodes.value_or(0));
    m_replicas->setValue(p.replicas);
    m_name->setText(QString::fromStdString(p.name));
    m_namespace->setText(QString::fromStdString(p.namespaceName));
    m_image->setText(QString::fromStdString(p.image));
    m_pullSecret->setText(QString::fromStdString(p.imagePullSecret));
    m_servedName->setText(QString::fromStdString(p.servedModelName));
    m_device->setCurrentIndex(c.localDevice == QLatin1String("cuda") ? 1 : 0);
    m_localServedName->setText(c.localServedModelName);
    m_memFraction->setValue(c.sizing.memFraction.value_or(0.93));
    m_maxRunning->setValue(local ? c.localMaxRunningRequests : p.maxRunningRequests.value_or(20));
    m_cudaGraphMaxBs->setValue(p.cudaGraphMaxBs.value_or(0));
    m_context->setValue(int(std::min<qint64>(c.sizing.contextLength, 100'000'000)));
    m_port->setMinimum(local ? 0 : 1);
    m_maxRunning->setMinimum(local ? 0 : 1);
    m_port->setValue(local ? c.localPort : p.port);
    m_image->setPlaceholderText(tr("default: %1").arg(QString::fromStdString(deploy::defaultImage(p.runtime))));
    m_mirror->setVisible(!local);
    m_mirror->setImage(QString::fromStdString(p.image.empty() ? deploy::defaultImage(p.runtime) : p.image),
                       QString::fromStdString(p.mirrorRegistry));
    m_loadingFields = false;
    retranslateUi();
    refresh();
}

void RuntimePage::store()
{
    if (m_loadingFields)
        return;
    DeployChoices &c = m_wizard->editChoices();
    deploy::PlanRequest &p = c.plan;
    const bool local = c.target == DeployTarget::Local;
    p.runtime = deploy::Runtime(m_runtime->currentIndex());
    p.mode = deploy::Mode(m_mode->currentIndex());
    p.platform = deploy::Platform(m_platform->currentIndex());
    p.security = deploy::Security(m_security->currentIndex());
    p.nodes.reset();
    if (m_nodes->value() > 0)
        p.nodes = m_nodes->value();
    p.replicas = m_replicas->value();
    p.name = text(m_name);
    p.namespaceName = text(m_namespace);
    p.image = text(m_image);
    p.imagePullSecret = text(m_pullSecret);
    p.servedModelName = text(m_servedName);
    c.localDevice = m_device->currentText();
    c.localServedModelName = m_localServedName->text().trimmed();
    c.sizing.memFraction = m_memFraction->value();
    if (local) {
        c.localMaxRunningRequests = m_maxRunning->value();
        c.localPort = m_port->value();
    } else {
        p.maxRunningRequests.reset();
        if (m_maxRunning->value() != 20)
            p.maxRunningRequests = m_maxRunning->value();
        p.cudaGraphMaxBs.reset();
        if (m_cudaGraphMaxBs->value() > 0)
            p.cudaGraphMaxBs = m_cudaGraphMaxBs->value();
        p.port = m_port->value();
    }
    c.sizing.contextLength = m_context->value();
    m_image->setPlaceholderText(tr("default: %1").arg(QString::fromStdString(deploy::defaultImage(p.runtime))));
    p.mirrorRegistry = m_mirror->registry().toStdString();
    m_mirror->setImage(QString::fromStdString(p.image.empty() ? deploy::defaultImage(p.runtime) : p.image),
                       m_mirror->registry());
    refresh();
}

void RuntimePage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    ChoicePage::changeEvent(event);
}

void RuntimePage::retranslateUi()
{
    setTitle(tr("Runtime"));
    setSubTitle(tr("The server, how its pods are created, and its flags. Both servers take the same flags."));
    static_cast<QGroupBox *>(m_clusterBox)->setTitle(tr("Server and objects"));
    static_cast<QGroupBox *>(m_localBox)->setTitle(tr("slipway-engine on this machine"));
    auto label = [](QFormLayout *form, QWidget *field, const QString &text, const QString &tip) {
        if (auto *l = qobject_cast<QLabel *>(form->labelForField(field)))
            l->setText(text);
        field->setToolTip(tip);
    };
    QFormLayout *f = m_clusterForm;
    m_runtime->setItemText(0, tr("SGLang (sglang)"));
    m_runtime->setItemText(1, tr("Slipway engine (slipway)"));
    m_mode->setItemText(0, tr("Deployment — one pod per replica (deployment)"));
    m_mode->setItemText(1, tr("KServe — OpenShift AI (kserve)"));
    m_mode->setItemText(2, tr("LeaderWorkerSet — several nodes (lws)"));
    m_platform->setItemText(0, tr("OpenShift — Route (openshift)"));
    m_platform->setItemText(1, tr("Kubernetes — Ingress (kubernetes)"));
    m_security->setItemText(0, tr("Privileged, as in the guide (privileged)"));
    m_security->setItemText(1, tr("Restricted — non-root (restricted)"));
    label(f, m_runtime, tr("Server:"), tr("SGLang (python3 -m sglang.launch_server) or slipway-engine."));
    label(f, m_mode, tr("Mode:"),
          tr("deployment: one pod per replica. kserve: OpenShift AI ServingRuntime + InferenceService. "
             "lws: a LeaderWorkerSet spreading one model over several nodes."));
    label(f, m_nodes, tr("Nodes:"), tr("Pods per group (lws only). Auto takes the node count from sizing."));
    m_nodes->setSpecialValueText(tr("Auto (from sizing)"));
    label(f, m_replicas, tr("Replicas:"), tr("Copies of the server (or LWS groups)."));
    label(f, m_name, tr("Name:"), tr("Name of the deployment; every object's name derives from it (DNS-1035: "
                                     "lower-case letters, digits and '-', starting with a letter)."));
    label(f, m_namespace, tr("Namespace:"), tr("The project or namespace the objects go into."));
    label(f, m_platform, tr("Platform:"), tr("OpenShift exposes the server through a Route, Kubernetes through an Ingress."));
    label(f, m_security, tr("Security:"),
          tr("privileged: the guide's way, with a RoleBinding to the privileged SCC. restricted: non-root, no "
             "privilege escalation, a memory /dev/shm."));
    label(f, m_image, tr("Image:"), tr("The server image; leave empty for the default. Mirror it when air-gapped."));
    label(f, m_pullSecret, tr("Pull secret:"), tr("A Secret for pulling the image from a private registry."));
    label(f, m_servedName, tr("Served model name:"), tr("The model name clients send; empty: the model path."));
    m_image->setToolTip(m_image->toolTip());
    m_pullSecret->setPlaceholderText(tr("optional"));
    m_servedName->setPlaceholderText(tr("optional"));
    m_localServedName->setPlaceholderText(tr("optional"));
    QFormLayout *a = m_advancedForm;
    static_cast<QGroupBox *>(m_advancedForm->parentWidget())->setTitle(tr("Advanced flags"));
    if (auto *l = qobject_cast<QLabel *>(m_localBox->layout() ? static_cast<QFormLayout *>(m_localBox->layout())->labelForField(m_device) : nullptr))
        l->setText(tr("Device:"));
    if (auto *l = qobject_cast<QLabel *>(static_cast<QFormLayout *>(m_localBox->layout())->labelForField(m_localServedName)))
        l->setText(tr("Served model name:"));
    m_device->setToolTip(tr("cpu runs anywhere; cuda uses this machine's NVIDIA GPU."));
    label(a, m_memFraction, tr("--mem-fraction-static:"),
          tr("Share of each GPU's memory for weights and KV cache; the rest is the reserve for activations and "
             "CUDA graphs. The guide uses 0.93."));
    label(a, m_maxRunning, tr("--max-running-requests:"),
          tr("Requests decoded at once; more wait in the queue. The guide uses 20."));
    m_maxRunning->setSpecialValueText(tr("engine default"));
    label(a, m_cudaGraphMaxBs, tr("--cuda-graph-max-bs:"),
          tr("Largest batch captured in a CUDA graph; larger batches run without one."));
    m_cudaGraphMaxBs->setSpecialValueText(tr("SGLang default"));
    label(a, m_context, tr("--context-length:"),
          tr("Longest sequence served; also what the sizing reserves KV cache for."));
    m_context->setSpecialValueText(tr("model maximum"));
    label(a, m_port, tr("--port:"), tr("The HTTP port; the guide uses 40000. Restricted security needs 1024 or more."));
    m_port->setSpecialValueText(tr("any free port"));
    m_flagHelp->setText(tr("Select a field to read what it does here; the mem fraction and the context length "
                           "also change the sizing."));
}

} // namespace slipway::ui
