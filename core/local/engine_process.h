#pragma once
// The Local target's engine: starts `slipway-engine` with an EngineLaunchOptions, streams its
// output, tells when it is ready to serve (GET /health_generate answers 200), and stops or
// restarts it.
//
// States: Stopped → Starting (spawned; polling /health_generate) → Ready; Starting/Ready →
// Stopping (stop requested) → Stopped; Starting/Ready → Crashed (ended without being asked: the
// detail holds the exit code or signal and the last lines).
//
// Thread-safety: every public method may be called from any thread; stop() and restart() block
// for up to the grace period, so a GUI calls them from a worker (requestStop() never blocks).
// Callbacks run on internal threads, never under a lock; they must not destroy this object.
// The destructor stops the engine and waits for it.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "local/child_process.h"
#include "local/engine_launch.h"

namespace slipway::local {

enum class EngineState { stopped, starting, ready, stopping, crashed };

// "stopped", "starting", "ready", "stopping", "crashed".
const char *engineStateName(EngineState state);

struct EngineCallbacks {
    std::function<void(const std::string &line)> onLine;                          // engine output
    std::function<void(EngineState state, const std::string &detail)> onStateChanged;
};

struct EngineProcessTimings {
    std::chrono::milliseconds stopGrace{15000};     // SIGTERM → SIGKILL (the engine drains for 10 s)
    std::chrono::milliseconds healthInterval{250};  // between /health_generate probes
    std::chrono::milliseconds healthTimeout{30000}; // one probe (it runs a one-token generation,
                                                    // slow for a big model on a CPU); stop cuts it short
};

class EngineProcess final {
public:
    explicit EngineProcess(EngineCallbacks callbacks, EngineProcessTimings timings = {});
    ~EngineProcess();
    EngineProcess(const EngineProcess &) = delete;
    EngineProcess &operator=(const EngineProcess &) = delete;

    // Validates the options, finds the engine, picks a port when options.port is 0, spawns the
    // engine and begins probing its health. Fails while an engine runs or when any of those fails.
    Result<void> start(const EngineLaunchOptions &options);
    // SIGTERM now, SIGKILL after the grace; returns at once.
    void requestStop();
    // requestStop(), then waits until the engine has ended. Fails when it did not end in time.
    Result<void> stop();
    // stop() and start() again with the options of the last start().
    Result<void> restart();

    EngineState state() const;
    int port() const;                 // the port of the last start(); 0 before
    std::string baseUrl() const;      // "http://127.0.0.1:PORT"; empty before the first start()
    std::vector<std::string> commandLine() const;  // program and arguments of the last start()
    std::optional<ProcessExit> lastExit() const;

private:
    // Moves to `state` when the current state is one of `from` (any when empty) and, for a run's
    // own events, when `generation` is still the current run. Returns whether it moved.
    bool setState(EngineState state, const std::string &detail, std::vector<EngineState> from = {},
                  std::optional<unsigned> generation = std::nullopt);
    void handleExit(const ProcessExit &exit, unsigned generation);
    void pollHealth(std::string host, int port, unsigned generation, std::shared_ptr<std::atomic<bool>> cancel);
    void stopPoller();

    EngineCallbacks m_callbacks;
    EngineProcessTimings m_timings;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;   // wakes the health poller early (stop, exit)
    EngineState m_state = EngineState::stopped;
    unsigned m_generation = 0;        // bumps on every start; stale pollers give up
    std::optional<EngineLaunchOptions> m_options;
    int m_port = 0;
    std::vector<std::string> m_commandLine;
    std::thread m_poller;
    std::shared_ptr<std::atomic<bool>> m_pollerCancel;  // cuts the running probe short
    std::recursive_mutex m_callbackMutex;  // keeps state callbacks in order across threads
    std::atomic<bool> m_silenced{false};   // set by the destructor: no more callbacks
    // Last: destroyed first, so its monitor thread ends while everything it calls still exists.
    ChildProcess m_child;
};

} // namespace slipway::local
