#include "app/local_engine_service.h"

#include "app/process_lookup.h"
#include "local/demo_model.h"
#include "messages/core_messages.h"

#include <QMetaObject>
#include <QPointer>

#include <filesystem>

namespace slipway::ui {

namespace {

QStringList toQStringList(const std::vector<std::string> &lines)
{
    QStringList out;
    out.reserve(static_cast<qsizetype>(lines.size()));
    for (const std::string &line : lines)
        out << QString::fromStdString(line);
    return out;
}

} // namespace

LocalEngineService::LocalEngineService(LineSink lineSink, QObject *parent, local::EngineProcessTimings timings)
    : QObject(parent)
{
    qRegisterMetaType<slipway::ui::LocalEngineStatus>();
    m_worker.setMaxThreadCount(1);
    m_worker.setExpiryTimeout(-1);

    local::EngineCallbacks callbacks;
    callbacks.onLine = std::move(lineSink);
    // Runs on core/local's threads: hand the change to the GUI thread. Events posted to this
    // object are dropped with it, so a late callback cannot reach a destroyed service.
    callbacks.onStateChanged = [this](local::EngineState state, const std::string &detail) {
        const QString text = QString::fromStdString(detail);
        QMetaObject::invokeMethod(this, [this, state, text] { onState(state, text); }, Qt::QueuedConnection);
    };
    m_process = std::make_unique<local::EngineProcess>(std::move(callbacks), timings);
}

LocalEngineService::~LocalEngineService()
{
    // Let queued operations finish, then stop the engine (EngineProcess's destructor waits).
    m_worker.waitForDone();
    m_process.reset();
}

void LocalEngineService::start(const local::EngineLaunchOptions &options)
{
    m_lastOptions = options;
    m_status.modelPath = QString::fromStdString(options.modelPath);
    m_status.modelName = QString::fromStdString(options.servedModelName.empty() ? options.modelPath
                                                                                : options.servedModelName);
    m_status.device = QString::fromStdString(options.device);
    m_status.demoModel = !options.modelPath.empty() && local::isDemoModel(options.modelPath);
    local::EngineProcess *process = m_process.get();
    runOnWorker([process, options] {
        const Result<void> started = process->start(options);
        return started ? QString() : CoreMessages::text(started.error());  // translated where core gave a code
    });
}

void LocalEngineService::stop()
{
    local::EngineProcess *process = m_process.get();
    process->requestStop();  // at once: the state moves to Stopping now, not after queued work
    runOnWorker([process] {
        const Result<void> stopped = process->stop();
        return stopped ? QString() : CoreMessages::text(stopped.error());  // translated where core gave a code
    });
}

void LocalEngineService::restart()
{
    if (m_lastOptions.modelPath.empty()) {
        emit startFailed(tr("There is nothing to restart: start the Local engine first."));
        return;
    }
    if (!m_status.running()) {
        start(m_lastOptions);
        return;
    }
    local::EngineProcess *process = m_process.get();
    runOnWorker([process] {
        const Result<void> restarted = process->restart();
        return restarted ? QString() : CoreMessages::text(restarted.error());  // translated where core gave a code
    });
}

void LocalEngineService::runOnWorker(std::function<QString()> job)
{
    if (m_pending++ == 0)
        emit busyChanged(true);
    local::EngineProcess *process = m_process.get();
    m_worker.start([this, job = std::move(job), process] {
        const QString error = job();
        // The engine's id and address, read here because the lookup walks /proc.
        const pid_t pid = process->state() == local::EngineState::stopped ? 0 : findChildProcess(process->commandLine());
        const QString url = QString::fromStdString(process->baseUrl());
        // The destructor waits for this job, so `this` is alive while it posts.
        QMetaObject::invokeMethod(this, [this, error, pid, url] {
            m_status.baseUrl = url;
            if (error.isEmpty()) {
                m_status.pid = m_status.running() ? pid : 0;
            } else {
                m_status.detail = error;
                emit startFailed(error);
            }
            publish();
            if (--m_pending == 0)
                emit busyChanged(false);
        }, Qt::QueuedConnection);
    });
}

void LocalEngineService::onState(local::EngineState state, const QString &detail)
{
    const local::EngineState previous = m_status.state;
    m_status.state = state;
    m_status.detail = detail;
    m_status.baseUrl = QString::fromStdString(m_process->baseUrl());
    if (state == local::EngineState::starting) {
        m_status.startedAt = QDateTime::currentDateTime();
        m_status.hasExit = false;
        m_status.exitCode = 0;
        m_status.exitSignaled = false;
        m_status.exitDescription.clear();
        m_status.lastLines.clear();
    }
    if (state == local::EngineState::stopped || state == local::EngineState::crashed) {
        m_status.pid = 0;
        if (const std::optional<local::ProcessExit> exit = m_process->lastExit()) {
            m_status.hasExit = true;
            m_status.exitCode = exit->code;
            m_status.exitSignaled = exit->signaled;
            m_status.exitDescription = QString::fromStdString(exit->describe());
            m_status.lastLines = toQStringList(exit->lastLines);
        }
    }
    publish();
    if (state == local::EngineState::ready && previous != local::EngineState::ready)
        emit ready(m_status.baseUrl, m_status.modelName);
    if (state == local::EngineState::crashed)
        emit crashed(m_status);
}

void LocalEngineService::publish()
{
    emit statusChanged(m_status);
}

} // namespace slipway::ui
