#include "settings/settings_panel.h"

#include "local/demo_model.h"
#include "local/engine_locator.h"

#include <QComboBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace slipway::ui {

namespace {

QLabel *hintLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    // Take the field column's full width (a wrapped label otherwise asks for a narrow one).
    label->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    label->setMinimumWidth(420);
    label->setStyleSheet(QStringLiteral("color: #5b6573;"));
    return label;
}

} // namespace

SettingsPanel::SettingsPanel(AppSettings &settings, QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
{
    setObjectName(QStringLiteral("settingsPanel"));
    buildUi();
    load();
    retranslateUi();
}

void SettingsPanel::buildUi()
{

    auto *page = new QWidget;
    auto *pageLayout = new QVBoxLayout(page);
    pageLayout->setContentsMargins(0, 0, 12, 0);
    pageLayout->setSpacing(14);

    const auto group = [&](QGroupBox *&box, const char *name) {
        box = new QGroupBox(page);
        box->setObjectName(QLatin1String(name));
        auto *form = new QFormLayout(box);
        form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
        form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
        form->setHorizontalSpacing(14);
        form->setVerticalSpacing(8);
        pageLayout->addWidget(box);
        return form;
    };
    const auto withBrowse = [&](QLineEdit *edit, bool folder) {
        auto *row = new QWidget(page);
        auto *layout = new QHBoxLayout(row);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(edit, 1);
        auto *browse = new QPushButton(row);
        browse->setObjectName(edit->objectName() + QStringLiteral("Browse"));
        layout->addWidget(browse);
        m_browseButtons << browse;
        connect(browse, &QPushButton::clicked, this, [this, edit, folder] { folder ? browseFolder(edit) : browseFile(edit); });
        return row;
    };

    // Interface
    QFormLayout *form = group(m_interfaceGroup, "interfaceSettings");
    m_language = new QComboBox(page);
    m_language->setObjectName(QStringLiteral("settingsLanguage"));
    for (Language language : availableLanguages())
        m_language->addItem(languageNativeName(language), static_cast<int>(language));
    m_languageLabel = new QLabel(page);
    form->addRow(m_languageLabel, m_language);

    // Logs
    form = group(m_logsGroup, "logSettings");
    m_logBuffer = new QSpinBox(page);
    m_logBuffer->setObjectName(QStringLiteral("settingsLogBuffer"));
    m_logBuffer->setRange(AppSettings::kMinLogBufferLines, AppSettings::kMaxLogBufferLines);
    m_logBuffer->setSingleStep(10000);
    m_logBuffer->setGroupSeparatorShown(true);
    m_logBufferLabel = new QLabel(page);
    m_logBufferHint = hintLabel(page);
    form->addRow(m_logBufferLabel, m_logBuffer);
    form->addRow(QString(), m_logBufferHint);

    // Local engine
    form = group(m_engineGroup, "engineSettings");
    m_engine = new QLineEdit(page);
    m_engine->setObjectName(QStringLiteral("settingsEngine"));
    m_engineLabel = new QLabel(page);
    m_engineHint = hintLabel(page);
    m_engineHint->setObjectName(QStringLiteral("settingsEngineHint"));
    form->addRow(m_engineLabel, withBrowse(m_engine, false));
    form->addRow(QString(), m_engineHint);
    m_device = new QComboBox(page);
    m_device->setObjectName(QStringLiteral("settingsDevice"));
    m_device->addItem(QString(), static_cast<int>(EngineDevice::Cpu));
    m_device->addItem(QString(), static_cast<int>(EngineDevice::Cuda));
    m_deviceLabel = new QLabel(page);
    form->addRow(m_deviceLabel, m_device);
    m_modelDir = new QLineEdit(page);
    m_modelDir->setObjectName(QStringLiteral("settingsModelDir"));
    m_modelDirLabel = new QLabel(page);
    form->addRow(m_modelDirLabel, withBrowse(m_modelDir, true));
    m_demoDir = new QLineEdit(page);
    m_demoDir->setObjectName(QStringLiteral("settingsDemoDir"));
    m_demoDirLabel = new QLabel(page);
    m_demoHint = hintLabel(page);
    form->addRow(m_demoDirLabel, withBrowse(m_demoDir, true));
    form->addRow(QString(), m_demoHint);

    // Chat
    form = group(m_chatGroup, "chatSettings");
    m_chatUrl = new QLineEdit(page);
    m_chatUrl->setObjectName(QStringLiteral("settingsChatUrl"));
    m_chatUrlLabel = new QLabel(page);
    form->addRow(m_chatUrlLabel, m_chatUrl);
    m_chatKey = new QLineEdit(page);
    m_chatKey->setObjectName(QStringLiteral("settingsChatKey"));
    m_chatKey->setEchoMode(QLineEdit::Password);
    m_chatKeyLabel = new QLabel(page);
    m_chatHint = hintLabel(page);
    form->addRow(m_chatKeyLabel, m_chatKey);
    form->addRow(QString(), m_chatHint);

    // Metrics
    form = group(m_metricsGroup, "metricsSettings");
    m_metricsInterval = new QSpinBox(page);
    m_metricsInterval->setObjectName(QStringLiteral("settingsMetricsInterval"));
    m_metricsInterval->setRange(AppSettings::kMinMetricsIntervalSeconds, AppSettings::kMaxMetricsIntervalSeconds);
    m_metricsLabel = new QLabel(page);
    form->addRow(m_metricsLabel, m_metricsInterval);
    pageLayout->addStretch(1);

    auto *scroll = new QScrollArea(this);
    scroll->setWidget(page);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    page->setMaximumWidth(900);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 10);
    layout->setSpacing(12);
    layout->addWidget(scroll, 1);

    // Every change is written at once and applied live.
    connect(m_language, &QComboBox::activated, this, [this](int index) {
        emit languageRequested(static_cast<Language>(m_language->itemData(index).toInt()));
    });
    connect(m_logBuffer, &QSpinBox::editingFinished, this, [this] {
        if (m_logBuffer->value() == m_settings.logBufferLines())
            return;
        m_settings.setLogBufferLines(m_logBuffer->value());
        emit logBufferLinesChanged(m_settings.logBufferLines());
    });
    connect(m_engine, &QLineEdit::editingFinished, this, [this] {
        m_settings.setEngineExecutable(m_engine->text());
        updateEngineHint();
        emit localEngineSettingsChanged();
    });
    connect(m_device, &QComboBox::activated, this, [this](int index) {
        m_settings.setDefaultDevice(static_cast<EngineDevice>(m_device->itemData(index).toInt()));
        emit localEngineSettingsChanged();
    });
    connect(m_modelDir, &QLineEdit::editingFinished, this, [this] {
        m_settings.setLocalModelDir(m_modelDir->text());
        emit localEngineSettingsChanged();
    });
    connect(m_demoDir, &QLineEdit::editingFinished, this, [this] {
        m_settings.setDemoModelDir(m_demoDir->text());
        emit localEngineSettingsChanged();
        retranslateUi();
    });
    const auto chatEdited = [this] {
        const ChatEndpoint endpoint{m_chatUrl->text().trimmed(), m_chatKey->text()};
        if (endpoint == m_settings.chatEndpoint())
            return;
        m_settings.setChatEndpoint(endpoint);
        emit chatEndpointChanged(endpoint);
    };
    connect(m_chatUrl, &QLineEdit::editingFinished, this, chatEdited);
    connect(m_chatKey, &QLineEdit::editingFinished, this, chatEdited);
    connect(m_metricsInterval, &QSpinBox::editingFinished, this, [this] {
        if (m_metricsInterval->value() == m_settings.metricsIntervalSeconds())
            return;
        m_settings.setMetricsIntervalSeconds(m_metricsInterval->value());
        emit metricsIntervalChanged(m_settings.metricsIntervalSeconds());
    });
}

void SettingsPanel::load()
{
    setCurrentLanguage(m_settings.language());
    m_logBuffer->setValue(m_settings.logBufferLines());
    m_engine->setText(m_settings.engineExecutable());
    m_device->setCurrentIndex(m_device->findData(static_cast<int>(m_settings.defaultDevice())));
    m_modelDir->setText(m_settings.localModelDir());
    m_demoDir->setText(m_settings.demoModelDir());
    const ChatEndpoint endpoint = m_settings.chatEndpoint();
    m_chatUrl->setText(endpoint.url);
    m_chatKey->setText(endpoint.apiKey);
    m_metricsInterval->setValue(m_settings.metricsIntervalSeconds());
}

void SettingsPanel::setCurrentLanguage(Language language)
{
    m_language->setCurrentIndex(m_language->findData(static_cast<int>(language)));
}

void SettingsPanel::retranslateUi()
{
    setWindowTitle(tr("Settings"));
    m_interfaceGroup->setTitle(tr("Interface"));
    m_languageLabel->setText(tr("Language:"));
    m_logsGroup->setTitle(tr("Logs"));
    m_logBufferLabel->setText(tr("Buffer per source:"));
    m_logBuffer->setSuffix(tr(" lines"));
    m_logBufferHint->setText(tr("The oldest lines are dropped beyond this; applies at once."));
    m_engineGroup->setTitle(tr("Local engine"));
    m_engineLabel->setText(tr("Engine program:"));
    m_engine->setPlaceholderText(tr("Found automatically"));
    m_deviceLabel->setText(tr("Default device:"));
    m_device->setItemText(0, tr("CPU"));
    m_device->setItemText(1, tr("CUDA GPU"));
    m_modelDirLabel->setText(tr("Model folder:"));
    m_modelDir->setPlaceholderText(tr("The demo model"));
    m_demoDirLabel->setText(tr("Demo model folder:"));
    m_demoHint->setText(local::isDemoModel(m_demoDir->text().toStdString())
                            ? tr("Prepared. The demo model has random weights: its replies are noise. Choose a "
                                 "real model folder above for real answers.")
                            : tr("Not prepared yet: run \"slipway --prepare-demo-model\" (installer/run-console.sh "
                                 "does it). The demo model has random weights: its replies are noise."));
    m_chatGroup->setTitle(tr("Chat"));
    m_chatUrlLabel->setText(tr("Default endpoint:"));
    m_chatUrl->setPlaceholderText(tr("The Local engine"));
    m_chatKeyLabel->setText(tr("API key:"));
    m_chatKey->setPlaceholderText(tr("None"));
    m_chatHint->setText(tr("Used when the Local engine is not running. The key is kept in your settings file and "
                           "never written to a log."));
    m_metricsGroup->setTitle(tr("Metrics"));
    m_metricsLabel->setText(tr("Scrape interval:"));
    m_metricsInterval->setSuffix(tr(" s"));
    for (QWidget *button : m_browseButtons)
        static_cast<QPushButton *>(button)->setText(tr("Browse…"));
    // One label column width across the groups, so the fields line up from group to group.
    const QList<QLabel *> formLabels{m_languageLabel, m_logBufferLabel, m_engineLabel, m_deviceLabel, m_modelDirLabel,
                                     m_demoDirLabel, m_chatUrlLabel, m_chatKeyLabel, m_metricsLabel};
    int labelWidth = 0;
    for (QLabel *label : formLabels) {
        label->setMinimumWidth(0);
        labelWidth = std::max(labelWidth, label->sizeHint().width());
    }
    for (QLabel *label : formLabels) {
        label->setMinimumWidth(labelWidth);
        label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    }
    updateEngineHint();
}

void SettingsPanel::updateEngineHint()
{
    const QString path = m_engine->text().trimmed();
    if (!path.isEmpty()) {
        const QFileInfo info(path);
        m_engineHint->setText(info.isFile() && info.isExecutable()
                                  ? tr("Runs this program.")
                                  : tr("%1 is not an executable file: choose slipway-engine, or clear the field to "
                                       "find it automatically.").arg(path));
        return;
    }
    const Result<std::string> found = local::findEngineExecutable();
    m_engineHint->setText(found ? tr("Found: %1").arg(QString::fromStdString(found.value()))
                                : tr("Not found next to slipway, in $SLIPWAY_ENGINE or on $PATH: build "
                                     "slipway-engine, or choose it here."));
}

void SettingsPanel::browseFolder(QLineEdit *edit)
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose a folder"), edit->text());
    if (dir.isEmpty())
        return;
    edit->setText(dir);
    emit edit->editingFinished();
}

void SettingsPanel::browseFile(QLineEdit *edit)
{
    const QString file = QFileDialog::getOpenFileName(this, tr("Choose slipway-engine"), edit->text());
    if (file.isEmpty())
        return;
    edit->setText(file);
    emit edit->editingFinished();
}

void SettingsPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

} // namespace slipway::ui
