#pragma once
// A child process with its stdout and stderr merged into one pipe, read line by line on a
// monitor thread of its own. The child runs in a process group of its own, so a stop reaches
// whatever it started too. The monitor thread also reaps the child: no zombie is left behind,
// whether the child exits by itself, is stopped, or this object is destroyed.
//
// Thread-safety: every public method may be called from any thread. The callbacks run on the
// monitor thread; they must not call start() or destroy this object (that would join the thread
// they run on), but may call requestStop(), running() and the other accessors.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <sys/types.h>
#include <thread>
#include <utility>
#include <vector>

#include "common/result.h"

namespace slipway::local {

// How a child ended.
struct ProcessExit {
    bool signaled = false;                // true: killed by `code` as a signal number
    int code = 0;                         // the exit code, or the signal number when signaled
    bool stopRequested = false;           // requestStop() had been called before the child ended
    std::vector<std::string> lastLines;   // the last output lines, oldest first

    bool cleanExit() const { return !signaled && code == 0; }
    // "exited with code 3", "killed by signal 9 (SIGKILL)".
    std::string describe() const;
};

struct ProcessOptions {
    std::string program;                  // a path, or a bare name looked up on PATH
    std::vector<std::string> arguments;   // without the program name
    std::vector<std::pair<std::string, std::string>> environment;  // added to (or replacing) this process's
    std::string workingDirectory;         // empty: this process's
    std::size_t maxLineBytes = 16 * 1024; // longer lines arrive in pieces
    std::size_t lastLineCount = 50;       // lines kept for ProcessExit::lastLines
};

struct ProcessCallbacks {
    std::function<void(const std::string &line)> onLine;  // each output line, in order
    std::function<void(const ProcessExit &exit)> onExit;  // once, after the last line
};

class ChildProcess final {
public:
    ChildProcess();
    // Stops a running child (SIGTERM, SIGKILL after 5 s) and waits for it.
    ~ChildProcess();
    ChildProcess(const ChildProcess &) = delete;
    ChildProcess &operator=(const ChildProcess &) = delete;

    // Starts the child. Fails while a previous child still runs, or when it cannot be spawned
    // (missing program, not executable); the message names the program and the reason.
    Result<void> start(const ProcessOptions &options, ProcessCallbacks callbacks);

    // Sends SIGTERM to the child's process group now and SIGKILL when `grace` has passed and the
    // child still runs. Returns at once; does nothing when no child runs.
    void requestStop(std::chrono::milliseconds grace);
    // Waits until the child has ended and onExit has returned. True when it has (or none ran).
    bool waitForExit(std::chrono::milliseconds timeout);
    // requestStop(grace), then waits for the end (at most grace + 3 s). True when it ended.
    bool stop(std::chrono::milliseconds grace);

    bool running() const;
    pid_t pid() const;                    // 0 when none was started
    std::optional<ProcessExit> lastExit() const;

private:
    struct Run;
    void monitor(Run *run);
    void joinMonitor();

    mutable std::mutex m_mutex;
    std::condition_variable m_exited;
    std::thread m_thread;
    Run *m_run = nullptr;                 // owned; alive while m_thread may use it
    bool m_running = false;
    std::optional<ProcessExit> m_lastExit;
};

} // namespace slipway::local
