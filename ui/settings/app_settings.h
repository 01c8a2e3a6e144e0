#pragma once
// Typed access to the console's persisted settings. Each setting is one accessor pair with its
// own type, default and bounds; nothing else in the UI reads QSettings keys directly.
#include "i18n/language.h"

#include <QByteArray>
#include <QString>

class QSettings;

namespace slipway::ui {

// Where the Local engine runs by default.
enum class EngineDevice { Cpu, Cuda };
// "cpu", "cuda": the engine's --device value.
QString engineDeviceCode(EngineDevice device);

// The Chat panel's endpoint when no Local engine is running. The key is stored in the settings
// file (readable only by its owner) and never written to a log.
struct ChatEndpoint {
    QString url;     // an OpenAI-compatible base URL, "http://host:port" or ".../v1"; empty: none
    QString apiKey;  // empty: no key
    friend bool operator==(const ChatEndpoint &, const ChatEndpoint &) = default;
};

class AppSettings final {
public:
    // Bounds of the typed settings; values outside are clamped on read and write.
    static constexpr int kDefaultLogBufferLines = 100000;
    static constexpr int kMinLogBufferLines = 1000;
    static constexpr int kMaxLogBufferLines = 5000000;
    static constexpr int kDefaultMetricsIntervalSeconds = 2;
    static constexpr int kMinMetricsIntervalSeconds = 1;
    static constexpr int kMaxMetricsIntervalSeconds = 60;

    // `store` is not owned and must outlive this object. The application passes the default
    // QSettings (organisation and application names set in main); tests pass an .ini in a
    // temporary folder.
    explicit AppSettings(QSettings &store);

    // The interface language; unset: Simplified Chinese when the system locale is Chinese,
    // English otherwise.
    Language language() const;
    void setLanguage(Language language);

    // Lines each log source keeps (LogSourceModel::setMaxLinesPerSource); default 100,000.
    int logBufferLines() const;
    void setLogBufferLines(int lines);

    // The slipway-engine to run; empty: found automatically (SLIPWAY_ENGINE, next to slipway, PATH).
    QString engineExecutable() const;
    void setEngineExecutable(const QString &path);

    // The Local engine's device when a start does not name one; default CPU.
    EngineDevice defaultDevice() const;
    void setDefaultDevice(EngineDevice device);

    // The demo model folder (random weights); default core/local's defaultDemoModelDir().
    QString demoModelDir() const;
    void setDemoModelDir(const QString &dir);

    // The model folder the Local engine serves when started from Workloads; empty: the demo model.
    QString localModelDir() const;
    void setLocalModelDir(const QString &dir);

    ChatEndpoint chatEndpoint() const;
    void setChatEndpoint(const ChatEndpoint &endpoint);

    // How often the Metrics panel scrapes /metrics, in seconds; default 2.
    int metricsIntervalSeconds() const;
    void setMetricsIntervalSeconds(int seconds);

    // QMainWindow::saveGeometry() of the main window; empty when never saved.
    QByteArray mainWindowGeometry() const;
    void setMainWindowGeometry(const QByteArray &geometry);

    // True until the first-run offer (start the demo model) has been answered.
    bool firstRun() const;
    void setFirstRunDone();

    // Writes pending changes to disk now (QSettings otherwise writes lazily).
    void sync();

private:
    QSettings &m_store;
};

} // namespace slipway::ui
