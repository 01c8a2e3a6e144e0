#pragma once
// LocalEngineService: the Local target on the GUI side. Owns core/local's EngineProcess; start,
// stop and restart run on a worker thread of its own (one at a time, in the order asked), and the
// engine's state arrives back on the GUI thread by queued call as a LocalEngineStatus.
//
// Thread-safety: GUI thread only. The line sink given to the constructor is called on the
// engine's reader thread (LogBridge::lineSink() is made for that). The destructor stops a running
// engine and waits for it (up to the engine's stop grace).
#include "local/engine_launch.h"
#include "local/engine_process.h"

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QThreadPool>

#include <functional>
#include <memory>
#include <string>

namespace slipway::ui {

// What the console knows of the Local engine at one moment.
struct LocalEngineStatus {
    local::EngineState state = local::EngineState::stopped;
    QString detail;           // core/local's words for the last change (a crash's reason, a failure)
    QString modelPath;        // the model folder of the last start
    QString modelName;        // the name the engine serves it under (the "model" of a chat request)
    QString device;           // "cpu" or "cuda"
    QString baseUrl;          // "http://127.0.0.1:PORT"; empty before the first start
    qint64 pid = 0;           // the engine's process id while it runs; 0 otherwise
    QDateTime startedAt;      // when the last start was asked for; invalid before
    bool demoModel = false;   // the model folder is Slipway's random-weight demo model
    // Set when the last run ended without being asked (state crashed) or could not start.
    bool hasExit = false;
    int exitCode = 0;         // the exit code, or the signal number when exitSignaled
    bool exitSignaled = false;
    QString exitDescription;  // "exited with code 3", "killed by signal 9 (SIGKILL)"
    QStringList lastLines;    // the engine's last output lines, oldest first

    bool running() const
    {
        return state == local::EngineState::starting || state == local::EngineState::ready ||
               state == local::EngineState::stopping;
    }
};

} // namespace slipway::ui

Q_DECLARE_METATYPE(slipway::ui::LocalEngineStatus)

namespace slipway::ui {

class LocalEngineService final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LocalEngineService)

public:
    using LineSink = std::function<void(const std::string &line)>;

    // `lineSink` receives every output line of the engine (any thread); may be empty.
    explicit LocalEngineService(LineSink lineSink, QObject *parent = nullptr,
                                local::EngineProcessTimings timings = {});
    ~LocalEngineService() override;

    const LocalEngineStatus &status() const { return m_status; }
    // The options of the last start (the Workloads panel's Start reuses them); empty model path
    // before any start.
    const local::EngineLaunchOptions &lastOptions() const { return m_lastOptions; }
    // True while a start, stop or restart is queued or running on the worker.
    bool busy() const { return m_pending > 0; }

public slots:
    // Validates and starts the engine off the GUI thread. A failure to start (bad options, no
    // engine found) arrives as startFailed(); an engine that starts and then dies as a crash.
    void start(const slipway::local::EngineLaunchOptions &options);
    void stop();
    void restart();

signals:
    void statusChanged(const slipway::ui::LocalEngineStatus &status);
    // The engine answers /health_generate: chat and metrics may point at `baseUrl`.
    void ready(const QString &baseUrl, const QString &modelName);
    // The engine ended without being asked; the status holds the exit code and last lines.
    void crashed(const slipway::ui::LocalEngineStatus &status);
    // start() or restart() could not start the engine; `message` says what to change.
    void startFailed(const QString &message);
    void busyChanged(bool busy);

private:
    void onState(local::EngineState state, const QString &detail);
    void runOnWorker(std::function<QString()> job);
    void publish();

    std::unique_ptr<local::EngineProcess> m_process;
    QThreadPool m_worker;  // one thread: operations run in the order asked
    LocalEngineStatus m_status;
    local::EngineLaunchOptions m_lastOptions;
    int m_pending = 0;
};

} // namespace slipway::ui
