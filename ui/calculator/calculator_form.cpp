#include "calculator/calculator_form.h"
#include "widgets/form_rows.h"

#include "sizing/format.h"
#include "sizing/gpu_catalog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace slipway::ui {

namespace {

using Kind = ModelSource::Kind;

const std::vector<sizing::WeightDtype> kWeightDtypes{sizing::WeightDtype::Auto, sizing::WeightDtype::Bf16,
                                                     sizing::WeightDtype::Fp16, sizing::WeightDtype::Fp8,
                                                     sizing::WeightDtype::Int4};
const std::vector<sizing::KvDtype> kKvDtypes{sizing::KvDtype::Auto, sizing::KvDtype::Bf16, sizing::KvDtype::Fp16,
                                             sizing::KvDtype::Fp8};

QFormLayout *newFormLayout(QGroupBox *group)
{
    auto *layout = new QFormLayout(group);
    layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    layout->setRowWrapPolicy(QFormLayout::DontWrapRows);
    layout->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return layout;
}

void setRowLabel(QFormLayout *layout, QWidget *field, const QString &text)
{
    if (auto *label = qobject_cast<QLabel *>(layout->labelForField(field)))
        label->setText(text);
}

} // namespace

CalculatorForm::CalculatorForm(const model::ModelCatalog &catalog, QWidget *parent)
    : QWidget(parent)
    , m_catalogEntries(catalog.entries())
{
    buildUi();
    retranslateUi();
    updateVisibility();
}

void CalculatorForm::buildUi()
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);

    // Model.
    m_modelGroup = new QGroupBox(this);
    m_modelLayout = newFormLayout(m_modelGroup);
    m_source = new QComboBox(m_modelGroup);
    m_source->setObjectName(QStringLiteral("modelSource"));
    for (Kind kind : {Kind::Catalog, Kind::Folder, Kind::ConfigFile})
        m_source->addItem(QString(), static_cast<int>(kind));
    m_catalog = new QComboBox(m_modelGroup);
    m_catalog->setObjectName(QStringLiteral("catalogModel"));
    for (const model::CatalogEntry &entry : m_catalogEntries) {
        m_catalog->addItem(QString::fromStdString(entry.displayName), QString::fromStdString(entry.id));
        m_catalog->setItemData(m_catalog->count() - 1, QString::fromStdString(entry.id + "\n" + entry.description),
                               Qt::ToolTipRole);
    }
    m_pathRow = new QWidget(m_modelGroup);
    auto *pathLayout = new QHBoxLayout(m_pathRow);
    pathLayout->setContentsMargins(0, 0, 0, 0);
    m_path = new QLineEdit(m_pathRow);
    m_path->setObjectName(QStringLiteral("modelPath"));
    m_path->setClearButtonEnabled(true);
    m_browse = new QPushButton(m_pathRow);
    m_browse->setObjectName(QStringLiteral("browseModel"));
    pathLayout->addWidget(m_path, 1);
    pathLayout->addWidget(m_browse);
    m_modelStatus = new QLabel(m_modelGroup);
    m_modelStatus->setObjectName(QStringLiteral("modelStatus"));
    m_modelStatus->setWordWrap(true);
    m_modelStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_modelLayout->addRow(new QLabel(m_modelLayout->parentWidget()), m_source);
    m_modelLayout->addRow(new QLabel(m_modelLayout->parentWidget()), m_catalog);
    m_modelLayout->addRow(new QLabel(m_modelLayout->parentWidget()), m_pathRow);
    m_modelLayout->addRow(m_modelStatus);
    outer->addWidget(m_modelGroup);

    // Precision.
    m_precisionGroup = new QGroupBox(this);
    m_precisionLayout = newFormLayout(m_precisionGroup);
    m_weightDtype = new QComboBox(m_precisionGroup);
    m_weightDtype->setObjectName(QStringLiteral("weightDtype"));
    for (sizing::WeightDtype d : kWeightDtypes)
        m_weightDtype->addItem(QString(), static_cast<int>(d));
    m_kvDtype = new QComboBox(m_precisionGroup);
    m_kvDtype->setObjectName(QStringLiteral("kvDtype"));
    for (sizing::KvDtype d : kKvDtypes)
        m_kvDtype->addItem(QString(), static_cast<int>(d));
    m_precisionLayout->addRow(new QLabel(m_precisionLayout->parentWidget()), m_weightDtype);
    m_precisionLayout->addRow(new QLabel(m_precisionLayout->parentWidget()), m_kvDtype);
    outer->addWidget(m_precisionGroup);

    // Load.
    m_loadGroup = new QGroupBox(this);
    m_loadLayout = newFormLayout(m_loadGroup);
    m_context = new QSpinBox(m_loadGroup);
    m_context->setObjectName(QStringLiteral("contextLength"));
    m_context->setRange(0, 10'000'000);
    m_context->setSingleStep(1024);
    m_context->setGroupSeparatorShown(true);
    m_context->setAccelerated(true);
    m_concurrency = new QSpinBox(m_loadGroup);
    m_concurrency->setObjectName(QStringLiteral("concurrency"));
    m_concurrency->setRange(1, 1'000'000);
    m_concurrency->setGroupSeparatorShown(true);
    m_concurrency->setAccelerated(true);
    m_loadLayout->addRow(new QLabel(m_loadLayout->parentWidget()), m_context);
    m_loadLayout->addRow(new QLabel(m_loadLayout->parentWidget()), m_concurrency);
    outer->addWidget(m_loadGroup);

    // GPUs.
    m_gpuGroup = new QGroupBox(this);
    m_gpuLayout = newFormLayout(m_gpuGroup);
    m_gpu = new QComboBox(m_gpuGroup);
    m_gpu->setObjectName(QStringLiteral("gpu"));
    for (const sizing::GpuSpec &gpu : sizing::gpuCatalog()) {
        const QString memory = QString::fromStdString(sizing::formatNumber(static_cast<double>(gpu.memoryBytes) / 1e9));
        m_gpu->addItem(QStringLiteral("%1 · %2 GB").arg(QString::fromStdString(gpu.name), memory),
                       QString::fromStdString(gpu.name));
        m_gpu->setItemData(m_gpu->count() - 1, QString::fromStdString(gpu.product), Qt::ToolTipRole);
    }
    m_gpu->addItem(QString(), QString()); // custom memory: text set in retranslateUi
    m_customMemory = new QDoubleSpinBox(m_gpuGroup);
    m_customMemory->setObjectName(QStringLiteral("customGpuMemory"));
    m_customMemory->setRange(1, 4096);
    m_customMemory->setDecimals(1);
    m_customMemory->setValue(80);
    m_gpusPerNode = new QSpinBox(m_gpuGroup);
    m_gpusPerNode->setObjectName(QStringLiteral("gpusPerNode"));
    m_gpusPerNode->setRange(1, 64);
    m_memFraction = new QDoubleSpinBox(m_gpuGroup);
    m_memFraction->setObjectName(QStringLiteral("memFraction"));
    m_memFraction->setRange(0.0, 0.99); // 0 stands for SGLang's default
    m_memFraction->setDecimals(2);
    m_memFraction->setSingleStep(0.01);
    m_tp = new QSpinBox(m_gpuGroup);
    m_tp->setObjectName(QStringLiteral("tensorParallel"));
    m_tp->setRange(0, 512); // 0 stands for automatic
    m_gpuLayout->addRow(new QLabel(m_gpuLayout->parentWidget()), m_gpu);
    m_gpuLayout->addRow(new QLabel(m_gpuLayout->parentWidget()), m_customMemory);
    m_gpuLayout->addRow(new QLabel(m_gpuLayout->parentWidget()), m_gpusPerNode);
    m_gpuLayout->addRow(new QLabel(m_gpuLayout->parentWidget()), m_memFraction);
    m_gpuLayout->addRow(new QLabel(m_gpuLayout->parentWidget()), m_tp);
    outer->addWidget(m_gpuGroup);

    m_reset = new QPushButton(this);
    m_reset->setObjectName(QStringLiteral("resetInputs"));
    auto *resetRow = new QHBoxLayout();
    resetRow->addStretch(1);
    resetRow->addWidget(m_reset);
    outer->addLayout(resetRow);
    outer->addStretch(1);

    setInputs(CalculatorInputs{});

    const auto changed = [this] {
        updateVisibility();
        emitInputs();
    };
    connect(m_source, &QComboBox::currentIndexChanged, this, changed);
    connect(m_catalog, &QComboBox::currentIndexChanged, this, changed);
    connect(m_path, &QLineEdit::editingFinished, this, changed);
    connect(m_browse, &QPushButton::clicked, this, &CalculatorForm::browse);
    connect(m_weightDtype, &QComboBox::currentIndexChanged, this, changed);
    connect(m_kvDtype, &QComboBox::currentIndexChanged, this, changed);
    connect(m_context, &QSpinBox::valueChanged, this, changed);
    connect(m_concurrency, &QSpinBox::valueChanged, this, changed);
    connect(m_gpu, &QComboBox::currentIndexChanged, this, changed);
    connect(m_customMemory, &QDoubleSpinBox::valueChanged, this, changed);
    connect(m_gpusPerNode, &QSpinBox::valueChanged, this, changed);
    connect(m_memFraction, &QDoubleSpinBox::valueChanged, this, changed);
    connect(m_tp, &QSpinBox::valueChanged, this, changed);
    connect(m_reset, &QPushButton::clicked, this, [this] { setInputs(CalculatorInputs{}); });
}

void CalculatorForm::retranslateUi()
{
    m_modelGroup->setTitle(tr("Model"));
    setRowLabel(m_modelLayout, m_source, tr("Source:"));
    setRowLabel(m_modelLayout, m_catalog, tr("Model:"));
    setRowLabel(m_modelLayout, m_pathRow, tr("Path:"));
    m_source->setItemText(0, tr("Catalog model"));
    m_source->setItemText(1, tr("Local model folder"));
    m_source->setItemText(2, tr("config.json file"));
    m_path->setPlaceholderText(tr("Folder with config.json and *.safetensors"));
    m_browse->setText(tr("Browse…"));
    m_catalog->setToolTip(tr("Models Slipway knows without downloading anything"));

    m_precisionGroup->setTitle(tr("Precision"));
    setRowLabel(m_precisionLayout, m_weightDtype, tr("Weights:"));
    setRowLabel(m_precisionLayout, m_kvDtype, tr("KV cache:"));
    m_weightDtype->setItemText(0, tr("Checkpoint's own (auto)"));
    m_kvDtype->setItemText(0, tr("Model's own (auto)"));
    for (int i = 1; i < m_weightDtype->count(); ++i)
        m_weightDtype->setItemText(i, QString::fromUtf8(sizing::weightDtypeName(kWeightDtypes[static_cast<size_t>(i)]).data()));
    for (int i = 1; i < m_kvDtype->count(); ++i)
        m_kvDtype->setItemText(i, QString::fromUtf8(sizing::kvDtypeName(kKvDtypes[static_cast<size_t>(i)]).data()));
    m_weightDtype->setToolTip(tr("How the weights sit in GPU memory (SGLang's --dtype / --quantization)"));
    m_kvDtype->setToolTip(tr("Element type of the KV cache (SGLang's --kv-cache-dtype)"));

    m_loadGroup->setTitle(tr("Load"));
    setRowLabel(m_loadLayout, m_context, tr("Context length:"));
    setRowLabel(m_loadLayout, m_concurrency, tr("Concurrent sequences:"));
    m_context->setSpecialValueText(tr("Model maximum"));
    m_context->setSuffix(tr(" tokens"));
    m_context->setToolTip(tr("Tokens per sequence (prompt and reply) that must fit in the KV cache"));
    m_concurrency->setToolTip(tr("Sequences held at full context at the same time (--max-running-requests)"));

    m_gpuGroup->setTitle(tr("GPUs"));
    setRowLabel(m_gpuLayout, m_gpu, tr("GPU:"));
    setRowLabel(m_gpuLayout, m_customMemory, tr("Memory:"));
    setRowLabel(m_gpuLayout, m_gpusPerNode, tr("GPUs per node:"));
    setRowLabel(m_gpuLayout, m_memFraction, tr("Mem fraction:"));
    setRowLabel(m_gpuLayout, m_tp, tr("Tensor parallel:"));
    m_gpu->setItemText(m_gpu->count() - 1, tr("Custom memory…"));
    m_customMemory->setSuffix(tr(" GiB"));
    m_customMemory->setToolTip(tr("Memory per GPU as nvidia-smi shows it"));
    m_memFraction->setSpecialValueText(tr("SGLang default"));
    m_memFraction->setToolTip(tr("--mem-fraction-static: the share of GPU memory for weights and the KV pool"));
    m_tp->setSpecialValueText(tr("Automatic (smallest that fits)"));
    m_tp->setToolTip(tr("Force a --tp size instead of the smallest that fits"));
    m_reset->setText(tr("Reset to defaults"));
}

void CalculatorForm::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void CalculatorForm::updateVisibility()
{
    const auto kind = static_cast<Kind>(m_source->currentData().toInt());
    const bool catalog = kind == Kind::Catalog;
    setFormRowShown(m_modelLayout, m_catalog, catalog);
    setFormRowShown(m_modelLayout, m_pathRow, !catalog);
    if (kind == Kind::Folder)
        m_path->setPlaceholderText(tr("Folder with config.json and *.safetensors"));
    else if (kind == Kind::ConfigFile)
        m_path->setPlaceholderText(tr("Path to a config.json"));
    const bool custom = m_gpu->currentData().toString().isEmpty();
    setFormRowShown(m_gpuLayout, m_customMemory, custom);
}

CalculatorInputs CalculatorForm::inputs() const
{
    CalculatorInputs in;
    in.model.kind = static_cast<Kind>(m_source->currentData().toInt());
    in.model.reference = in.model.kind == Kind::Catalog ? m_catalog->currentData().toString() : m_path->text().trimmed();
    in.weightDtype = static_cast<sizing::WeightDtype>(m_weightDtype->currentData().toInt());
    in.kvDtype = static_cast<sizing::KvDtype>(m_kvDtype->currentData().toInt());
    in.contextLength = m_context->value();
    in.concurrency = m_concurrency->value();
    in.gpuName = m_gpu->currentData().toString();
    in.customGpu = in.gpuName.isEmpty();
    in.customGpuMemoryGiB = m_customMemory->value();
    in.gpusPerNode = m_gpusPerNode->value();
    if (m_memFraction->value() > 0.0)
        in.memFraction = m_memFraction->value();
    if (m_tp->value() > 0)
        in.tensorParallel = m_tp->value();
    return in;
}

void CalculatorForm::setInputs(const CalculatorInputs &in)
{
    m_settingInputs = true;
    m_source->setCurrentIndex(m_source->findData(static_cast<int>(in.model.kind)));
    if (in.model.kind == Kind::Catalog) {
        int row = -1;
        for (int i = 0; i < m_catalog->count(); ++i) {
            if (m_catalog->itemData(i).toString().compare(in.model.reference, Qt::CaseInsensitive) == 0)
                row = i;
        }
        if (row >= 0)
            m_catalog->setCurrentIndex(row);
    } else {
        m_path->setText(in.model.reference);
    }
    m_weightDtype->setCurrentIndex(std::max(0, m_weightDtype->findData(static_cast<int>(in.weightDtype))));
    m_kvDtype->setCurrentIndex(std::max(0, m_kvDtype->findData(static_cast<int>(in.kvDtype))));
    m_context->setValue(static_cast<int>(std::min<qint64>(in.contextLength, m_context->maximum())));
    m_concurrency->setValue(static_cast<int>(std::min<qint64>(in.concurrency, m_concurrency->maximum())));
    int gpuRow = m_gpu->count() - 1; // custom
    if (!in.customGpu) {
        for (int i = 0; i + 1 < m_gpu->count(); ++i) {
            if (m_gpu->itemData(i).toString().compare(in.gpuName, Qt::CaseInsensitive) == 0)
                gpuRow = i;
        }
    }
    m_gpu->setCurrentIndex(gpuRow);
    m_customMemory->setValue(in.customGpuMemoryGiB);
    m_gpusPerNode->setValue(in.gpusPerNode);
    m_memFraction->setValue(in.memFraction.value_or(0.0));
    m_tp->setValue(in.tensorParallel.value_or(0));
    m_settingInputs = false;
    updateVisibility();
    emitInputs();
}

void CalculatorForm::setModelStatus(ModelStatus status, const QString &text)
{
    QString colour;
    switch (status) {
    case ModelStatus::Loading:
        colour = QStringLiteral("#666666");
        break;
    case ModelStatus::Loaded:
        colour = QStringLiteral("#2d4f73");
        break;
    case ModelStatus::Failed:
        colour = QStringLiteral("#b02818");
        break;
    }
    m_modelStatus->setStyleSheet(QStringLiteral("color: %1;").arg(colour));
    m_modelStatus->setText(text);
}

void CalculatorForm::emitInputs()
{
    if (!m_settingInputs)
        emit inputsChanged(inputs());
}

void CalculatorForm::browse()
{
    const auto kind = static_cast<Kind>(m_source->currentData().toInt());
    const QString start = m_path->text().isEmpty() ? QString() : QFileInfo(m_path->text()).absolutePath();
    QString chosen;
    if (kind == Kind::ConfigFile)
        chosen = QFileDialog::getOpenFileName(this, tr("Choose a config.json"), start,
                                              tr("Model configuration (config.json);;JSON files (*.json)"));
    else
        chosen = QFileDialog::getExistingDirectory(this, tr("Choose a model folder"), start);
    if (chosen.isEmpty())
        return;
    m_path->setText(chosen);
    emitInputs();
}

} // namespace slipway::ui
