#pragma once
// SettingsPanel: the console's typed settings (AppSettings), written as they are changed and
// applied live: the language, the log buffer, the Local engine (executable, default device, demo
// model folder, model folder), the default chat endpoint and key, the metrics scrape interval.
//
// Thread-safety: GUI thread only.
#include "settings/app_settings.h"

#include <QWidget>

class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace slipway::ui {

class SettingsPanel final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsPanel)

public:
    // `settings` is not owned and must outlive the panel.
    explicit SettingsPanel(AppSettings &settings, QWidget *parent = nullptr);

    // Shows `language` as chosen (after the application switched to it).
    void setCurrentLanguage(Language language);

    // The editors, for tests.
    QComboBox *languageBox() const { return m_language; }
    QSpinBox *logBufferBox() const { return m_logBuffer; }
    QLineEdit *engineEdit() const { return m_engine; }
    QComboBox *deviceBox() const { return m_device; }
    QLineEdit *demoDirEdit() const { return m_demoDir; }
    QLineEdit *modelDirEdit() const { return m_modelDir; }
    QLineEdit *chatUrlEdit() const { return m_chatUrl; }
    QLineEdit *chatKeyEdit() const { return m_chatKey; }
    QSpinBox *metricsIntervalBox() const { return m_metricsInterval; }

signals:
    void languageRequested(slipway::ui::Language language);
    void logBufferLinesChanged(int lines);
    void metricsIntervalChanged(int seconds);
    void chatEndpointChanged(const slipway::ui::ChatEndpoint &endpoint);
    // The engine executable, device, demo or model folder changed (used at the next start).
    void localEngineSettingsChanged();

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildUi();
    void retranslateUi();
    void load();
    void updateEngineHint();
    void browseFolder(QLineEdit *edit);
    void browseFile(QLineEdit *edit);

    AppSettings &m_settings;
    QGroupBox *m_interfaceGroup = nullptr;
    QGroupBox *m_logsGroup = nullptr;
    QGroupBox *m_engineGroup = nullptr;
    QGroupBox *m_chatGroup = nullptr;
    QGroupBox *m_metricsGroup = nullptr;
    QLabel *m_languageLabel = nullptr;
    QComboBox *m_language = nullptr;
    QLabel *m_logBufferLabel = nullptr;
    QSpinBox *m_logBuffer = nullptr;
    QLabel *m_logBufferHint = nullptr;
    QLabel *m_engineLabel = nullptr;
    QLineEdit *m_engine = nullptr;
    QLabel *m_engineHint = nullptr;
    QLabel *m_deviceLabel = nullptr;
    QComboBox *m_device = nullptr;
    QLabel *m_modelDirLabel = nullptr;
    QLineEdit *m_modelDir = nullptr;
    QLabel *m_demoDirLabel = nullptr;
    QLineEdit *m_demoDir = nullptr;
    QLabel *m_demoHint = nullptr;
    QLabel *m_chatUrlLabel = nullptr;
    QLineEdit *m_chatUrl = nullptr;
    QLabel *m_chatKeyLabel = nullptr;
    QLineEdit *m_chatKey = nullptr;
    QLabel *m_chatHint = nullptr;
    QLabel *m_metricsLabel = nullptr;
    QSpinBox *m_metricsInterval = nullptr;
    QList<QWidget *> m_browseButtons;
};

} // namespace slipway::ui
