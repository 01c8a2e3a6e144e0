#include "kube/exec_plugin.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace slipway::kube::detail {

namespace {

struct Pipe {
    int fd[2] = {-1, -1};
    ~Pipe()
    {
        for (int f : fd) {
            if (f >= 0)
                ::close(f);
        }
    }
    void closeEnd(int i)
    {
        if (fd[i] >= 0)
            ::close(fd[i]);
        fd[i] = -1;
    }
};

} // namespace

Result<PluginOutput> runPlugin(const ExecConfig &config, const std::vector<std::pair<std::string, std::string>> &extraEnv,
                               std::chrono::milliseconds timeout)
{
    const std::string what = "the credential plugin \"" + config.command + "\"";
    std::map<std::string, std::string> env;
    for (char **e = environ; e && *e; ++e) {
        const std::string entry(*e);
        const auto eq = entry.find('=');
        if (eq != std::string::npos)
            env[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
    for (const auto &[name, value] : config.env)
        env[name] = value;
    for (const auto &[name, value] : extraEnv)
        env[name] = value;
    std::vector<std::string> envStrings;
    for (const auto &[name, value] : env)
        envStrings.push_back(name + "=" + value);
    std::vector<char *> envp;
    for (std::string &s : envStrings)
        envp.push_back(s.data());
    envp.push_back(nullptr);

    std::vector<std::string> argStrings{config.command};
    argStrings.insert(argStrings.end(), config.args.begin(), config.args.end());
    std::vector<char *> argv;
    for (std::string &s : argStrings)
        argv.push_back(s.data());
    argv.push_back(nullptr);

    Pipe out, err;
    if (::pipe2(out.fd, O_CLOEXEC) != 0 || ::pipe2(err.fd, O_CLOEXEC) != 0)
        return fail("cannot run " + what + ": " + std::strerror(errno));

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out.fd[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err.fd[1], 2);
    pid_t pid = 0;
    const int spawned = ::posix_spawnp(&pid, config.command.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) {
        std::string message = "cannot run " + what + ": " + std::strerror(spawned);
        if (!config.installHint.empty())
            message += ". " + config.installHint;
        else
            message += "; install it or fix users[].user.exec.command in the kubeconfig";
        return fail(message);
    }
    out.closeEnd(1);
    err.closeEnd(1);

    PluginOutput output;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool outOpen = true, errOpen = true, timedOut = false;
    while (outOpen || errOpen) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timedOut = true;
            break;
        }
        pollfd fds[2] = {{out.fd[0], POLLIN, 0}, {err.fd[0], POLLIN, 0}};
        if (!outOpen)
            fds[0].fd = -1;
        if (!errOpen)
            fds[1].fd = -1;
        const int ready = ::poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 200)));
        if (ready < 0 && errno != EINTR)
            break;
        char buffer[4096];
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
            if (n > 0)
                (i == 0 ? output.standardOutput : output.standardError).append(buffer, static_cast<size_t>(n));
            else if (n == 0 || errno != EINTR)
                (i == 0 ? outOpen : errOpen) = false;
        }
    }
    if (timedOut)
        ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timedOut)
        return fail(what + " did not finish within " + std::to_string(timeout.count() / 1000) +
                    " s; interactive plugins are not supported: log in with the plugin in a terminal first");
    output.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return output;
}

} // namespace slipway::kube::detail
