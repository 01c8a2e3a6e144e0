#include "local/engine_process.h"

#include <algorithm>

#include "local/engine_locator.h"
#include "local/loopback_http.h"

namespace slipway::local {

namespace {

// The address to probe for a server bound to `host` (a wildcard bind answers on loopback).
std::string probeHost(const std::string &host) {
    if (host == "0.0.0.0") return "127.0.0.1";
    if (host == "::") return "::1";
    return host;
}

std::string joinLines(const std::vector<std::string> &lines) {
    std::string out;
    for (const std::string &line : lines) out += line + "\n";
    return out;
}

} // namespace

const char *engineStateName(EngineState state) {
    switch (state) {
    case EngineState::stopped: return "stopped";
    case EngineState::starting: return "starting";
    case EngineState::ready: return "ready";
    case EngineState::stopping: return "stopping";
    case EngineState::crashed: return "crashed";
    }
    return "unknown";
}

EngineProcess::EngineProcess(EngineCallbacks callbacks, EngineProcessTimings timings)
    : m_callbacks(std::move(callbacks)), m_timings(timings) {}

EngineProcess::~EngineProcess() {
    m_silenced = true;
    m_child.stop(m_timings.stopGrace);
    stopPoller();
}

bool EngineProcess::setState(EngineState state, const std::string &detail, std::vector<EngineState> from,
                             std::optional<unsigned> generation) {
    std::lock_guard order(m_callbackMutex);
    {
        std::lock_guard lock(m_mutex);
        if (generation && *generation != m_generation) return false;
        if (!from.empty() && std::find(from.begin(), from.end(), m_state) == from.end()) return false;
        m_state = state;
    }
    m_wake.notify_all();
    if (!m_silenced && m_callbacks.onStateChanged) m_callbacks.onStateChanged(state, detail);
    return true;
}

void EngineProcess::stopPoller() {
    {
        std::lock_guard lock(m_mutex);
        ++m_generation;
        if (m_pollerCancel) m_pollerCancel->store(true);
    }
    m_wake.notify_all();
    if (m_poller.joinable() && m_poller.get_id() != std::this_thread::get_id()) m_poller.join();
}

Result<void> EngineProcess::start(const EngineLaunchOptions &options) {
    {
        std::lock_guard lock(m_mutex);
        if (m_state == EngineState::starting || m_state == EngineState::ready || m_state == EngineState::stopping) {
            return fail(std::string("the engine is already ") + engineStateName(m_state) + "; stop it first");
        }
    }
    if (auto valid = validateLaunchOptions(options); !valid) return valid;
    std::string program = options.enginePath;
    if (program.empty()) {
        auto found = findEngineExecutable();
        if (!found) return found.error();
        program = found.value();
    }
    int port = options.port;
    if (port == 0) {
        auto free = pickFreePort(options.host);
        if (!free) return free.error();
        port = free.value();
    }

    // A crash reported a moment ago may still be finishing its callbacks.
    m_child.waitForExit(std::chrono::seconds(2));
    stopPoller();
    unsigned generation = 0;
    ProcessOptions process;
    process.program = program;
    process.arguments = engineArguments(options, port);
    {
        std::lock_guard lock(m_mutex);
        generation = ++m_generation;
        m_options = options;
        m_port = port;
        m_commandLine = {program};
        m_commandLine.insert(m_commandLine.end(), process.arguments.begin(), process.arguments.end());
    }
    ProcessCallbacks callbacks;
    callbacks.onLine = [this](const std::string &line) {
        if (!m_silenced && m_callbacks.onLine) m_callbacks.onLine(line);
    };
    callbacks.onExit = [this, generation](const ProcessExit &exit) { handleExit(exit, generation); };
    // Starting is set before the spawn, so that an instant crash reported by the monitor thread
    // cannot be overwritten by it.
    setState(EngineState::starting, "starting " + program + " on port " + std::to_string(port));
    if (auto started = m_child.start(process, std::move(callbacks)); !started) {
        setState(EngineState::stopped, started.message(), {}, generation);
        return started;
    }
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    {
        std::lock_guard lock(m_mutex);
        m_pollerCancel = cancel;
    }
    m_poller = std::thread([this, host = probeHost(options.host), port, generation, cancel] {
        pollHealth(host, port, generation, cancel);
    });
    return {};
}

void EngineProcess::pollHealth(std::string host, int port, unsigned generation, std::shared_ptr<std::atomic<bool>> cancel) {
    const auto current = [&] { return generation == m_generation && m_state == EngineState::starting; };
    for (;;) {
        {
            std::lock_guard lock(m_mutex);
            if (!current()) return;
        }
        auto status = httpGetStatus(host, port, "/health_generate", m_timings.healthTimeout, cancel.get());
        if (status && status.value() == 200) {
            setState(EngineState::ready, "ready on http://" + host + ":" + std::to_string(port),
                     {EngineState::starting}, generation);
            return;
        }
        std::unique_lock lock(m_mutex);
        m_wake.wait_for(lock, m_timings.healthInterval, [&] { return !current(); });
    }
}

void EngineProcess::handleExit(const ProcessExit &exit, unsigned generation) {
    {
        std::lock_guard lock(m_mutex);
        if (generation == m_generation && m_pollerCancel) m_pollerCancel->store(true);
    }
    if (exit.stopRequested) {
        setState(EngineState::stopped, "slipway-engine stopped (" + exit.describe() + ")", {}, generation);
        return;
    }
    std::string detail = "slipway-engine " + exit.describe() + " without being asked to stop";
    if (!exit.lastLines.empty()) detail += "; its last lines:\n" + joinLines(exit.lastLines);
    setState(EngineState::crashed, detail, {}, generation);
}

void EngineProcess::requestStop() {
    {
        std::lock_guard lock(m_mutex);
        if (m_pollerCancel) m_pollerCancel->store(true);
    }
    if (setState(EngineState::stopping, "stopping slipway-engine", {EngineState::starting, EngineState::ready})) {
        m_child.requestStop(m_timings.stopGrace);
    }
}

Result<void> EngineProcess::stop() {
    requestStop();
    if (!m_child.waitForExit(m_timings.stopGrace + std::chrono::seconds(3))) {
        return fail("slipway-engine (pid " + std::to_string(m_child.pid()) + ") did not end " +
                    std::to_string(m_timings.stopGrace.count() / 1000 + 3) + " s after SIGKILL was due");
    }
    return {};
}

Result<void> EngineProcess::restart() {
    std::optional<EngineLaunchOptions> options;
    {
        std::lock_guard lock(m_mutex);
        options = m_options;
    }
    if (!options) return fail("nothing to restart: start the engine first");
    if (auto stopped = stop(); !stopped) return stopped;
    return start(*options);
}

EngineState EngineProcess::state() const {
    std::lock_guard lock(m_mutex);
    return m_state;
}

int EngineProcess::port() const {
    std::lock_guard lock(m_mutex);
    return m_port;
}

std::string EngineProcess::baseUrl() const {
    std::lock_guard lock(m_mutex);
    if (!m_options) return {};
    const std::string host = probeHost(m_options->host);
    const bool v6 = host.find(':') != std::string::npos;
    return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(m_port);
}

std::vector<std::string> EngineProcess::commandLine() const {
    std::lock_guard lock(m_mutex);
    return m_commandLine;
}

std::optional<ProcessExit> EngineProcess::lastExit() const { return m_child.lastExit(); }

} // namespace slipway::local
