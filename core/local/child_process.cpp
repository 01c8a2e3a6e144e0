#include "local/child_process.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "local/output_lines.h"

extern char **environ;

namespace slipway::local {

namespace {

using Clock = std::chrono::steady_clock;

// How long the monitor keeps reading after the child was reaped while something it started
// still holds the pipe open.
constexpr std::chrono::milliseconds kDrainAfterExit{500};

std::string signalName(int sig) {
    switch (sig) {
    case SIGTERM: return "SIGTERM";
    case SIGKILL: return "SIGKILL";
    case SIGINT: return "SIGINT";
    case SIGHUP: return "SIGHUP";
    case SIGSEGV: return "SIGSEGV";
    case SIGABRT: return "SIGABRT";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGPIPE: return "SIGPIPE";
    default: return "signal " + std::to_string(sig);
    }
}

// environ with `overrides` added or replacing same-named entries.
std::vector<std::string> mergedEnvironment(const std::vector<std::pair<std::string, std::string>> &overrides) {
    std::vector<std::string> out;
    for (char **e = environ; e && *e; ++e) {
        const std::string entry(*e);
        const std::string name = entry.substr(0, entry.find('='));
        bool replaced = false;
        for (const auto &o : overrides) replaced = replaced || o.first == name;
        if (!replaced) out.push_back(entry);
    }
    for (const auto &o : overrides) out.push_back(o.first + "=" + o.second);
    return out;
}

std::vector<char *> pointers(std::vector<std::string> &strings) {
    std::vector<char *> out;
    out.reserve(strings.size() + 1);
    for (std::string &s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

} // namespace

std::string ProcessExit::describe() const {
    if (signaled) return "killed by signal " + std::to_string(code) + " (" + signalName(code) + ")";
    return "exited with code " + std::to_string(code);
}

struct ChildProcess::Run {
    pid_t pid = 0;
    int readFd = -1;
    ProcessCallbacks callbacks;
    OutputLineSplitter splitter;
    RecentLines recent;
    // Guarded by ChildProcess::m_mutex:
    bool reaped = false;
    bool stopRequested = false;
    bool killSent = false;
    std::optional<Clock::time_point> killDeadline;

    Run(ProcessCallbacks cb, std::size_t maxLineBytes, std::size_t lastLineCount)
        : callbacks(std::move(cb)), splitter(maxLineBytes), recent(lastLineCount) {}
};

ChildProcess::ChildProcess() = default;

ChildProcess::~ChildProcess() {
    if (running()) stop(std::chrono::seconds(5));
    joinMonitor();
}

void ChildProcess::joinMonitor() {
    if (m_thread.joinable()) m_thread.join();
    std::lock_guard lock(m_mutex);
    delete m_run;
    m_run = nullptr;
}

Result<void> ChildProcess::start(const ProcessOptions &options, ProcessCallbacks callbacks) {
    {
        std::lock_guard lock(m_mutex);
        if (m_running) {
            return fail("cannot start " + options.program + ": the previous process (pid " +
                        std::to_string(m_run->pid) + ") is still running; stop it first");
        }
    }
    joinMonitor();
    if (options.program.empty()) return fail("cannot start a process: no program was given");

    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return fail(std::string("cannot create a pipe: ") + std::strerror(errno));

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
    if (!options.workingDirectory.empty()) {
        posix_spawn_file_actions_addchdir_np(&actions, options.workingDirectory.c_str());
    }
    // A group of its own (stops reach the child's children), no blocked signals and default
    // dispositions: the console may ignore SIGPIPE or block signals, the child must not inherit that.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&attr, 0);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    sigdelset(&all, SIGKILL);
    sigdelset(&all, SIGSTOP);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);

    std::vector<std::string> argStrings{options.program};
    argStrings.insert(argStrings.end(), options.arguments.begin(), options.arguments.end());
    std::vector<std::string> envStrings = mergedEnvironment(options.environment);
    std::vector<char *> argv = pointers(argStrings);
    std::vector<char *> envp = pointers(envStrings);

    pid_t pid = 0;
    const bool bareName = options.program.find('/') == std::string::npos;
    const int rc = bareName ? posix_spawnp(&pid, options.program.c_str(), &actions, &attr, argv.data(), envp.data())
                            : posix_spawn(&pid, options.program.c_str(), &actions, &attr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        std::string why = std::strerror(rc);
        if (rc == ENOENT) why = bareName ? "not found on PATH" : "no such file (or its working directory is missing)";
        if (rc == EACCES) why = "permission denied (is it executable?)";
        return fail("cannot start " + options.program + ": " + why);
    }

    std::lock_guard lock(m_mutex);
    m_run = new Run(std::move(callbacks), options.maxLineBytes, options.lastLineCount);
    m_run->pid = pid;
    m_run->readFd = fds[0];
    m_running = true;
    m_lastExit.reset();
    m_thread = std::thread([this, run = m_run] { monitor(run); });
    return {};
}

void ChildProcess::monitor(Run *run) {
    std::vector<char> buffer(64 * 1024);
    bool eof = false;
    bool reaped = false;
    int status = 0;
    Clock::time_point reapedAt;
    const auto sink = [run](std::string line) {
        run->recent.add(line);
        if (run->callbacks.onLine) run->callbacks.onLine(line);
    };

    for (;;) {
        if (!eof) {
            pollfd p{run->readFd, POLLIN, 0};
            const int ready = poll(&p, 1, reaped ? 20 : 50);
            if (ready > 0) {
                const ssize_t n = read(run->readFd, buffer.data(), buffer.size());
                if (n > 0) {
                    run->splitter.feed(std::string_view(buffer.data(), static_cast<std::size_t>(n)), sink);
                } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
                    eof = true;
                }
            }
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(reaped ? 0 : 10));
        }

        const auto now = Clock::now();
        {
            std::lock_guard lock(m_mutex);
            if (!reaped) {
                const pid_t w = waitpid(run->pid, &status, WNOHANG);
                if (w == run->pid || (w < 0 && errno == ECHILD)) {
                    reaped = true;
                    run->reaped = true;
                    reapedAt = now;
                } else if (run->killDeadline && now >= *run->killDeadline && !run->killSent) {
                    kill(-run->pid, SIGKILL);
                    run->killSent = true;
                }
            }
        }
        if (reaped && eof) break;
        if (reaped && now - reapedAt > kDrainAfterExit) {
            // Something the child started keeps the pipe open. When we were asked to stop, it goes
            // with its parent; otherwise it is left alone and no longer read.
            bool stopRequested = false;
            {
                std::lock_guard lock(m_mutex);
                stopRequested = run->stopRequested;
            }
            if (stopRequested) kill(-run->pid, SIGKILL);
            break;
        }
    }
    close(run->readFd);
    run->readFd = -1;
    run->splitter.finish(sink);

    ProcessExit exit;
    if (WIFSIGNALED(status)) {
        exit.signaled = true;
        exit.code = WTERMSIG(status);
    } else if (WIFEXITED(status)) {
        exit.code = WEXITSTATUS(status);
    }
    exit.lastLines = run->recent.lines();
    {
        std::lock_guard lock(m_mutex);
        exit.stopRequested = run->stopRequested;
        m_lastExit = exit;
    }
    if (run->callbacks.onExit) run->callbacks.onExit(exit);
    {
        std::lock_guard lock(m_mutex);
        m_running = false;
    }
    m_exited.notify_all();
}

void ChildProcess::requestStop(std::chrono::milliseconds grace) {
    std::lock_guard lock(m_mutex);
    if (!m_running || !m_run || m_run->reaped) return;
    const auto deadline = Clock::now() + grace;
    if (!m_run->stopRequested) {
        m_run->stopRequested = true;
        if (kill(-m_run->pid, SIGTERM) != 0) kill(m_run->pid, SIGTERM);
    }
    // A second request may shorten the grace, never lengthen it.
    if (!m_run->killDeadline || deadline < *m_run->killDeadline) m_run->killDeadline = deadline;
}

bool ChildProcess::waitForExit(std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_mutex);
    return m_exited.wait_for(lock, timeout, [this] { return !m_running; });
}

bool ChildProcess::stop(std::chrono::milliseconds grace) {
    requestStop(grace);
    return waitForExit(grace + std::chrono::seconds(3));
}

bool ChildProcess::running() const {
    std::lock_guard lock(m_mutex);
    return m_running;
}

pid_t ChildProcess::pid() const {
    std::lock_guard lock(m_mutex);
    return m_run ? m_run->pid : 0;
}

std::optional<ProcessExit> ChildProcess::lastExit() const {
    std::lock_guard lock(m_mutex);
    return m_lastExit;
}

} // namespace slipway::local
