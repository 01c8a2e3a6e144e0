#pragma once
// Test support: a child process with its output in a log file (kill, wait, read the log, find
// its HTTP port from the "listening on" line), and a one-shot HTTP/1.1 request.
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "dist/socket_io.h"

namespace slipway::engine::dist::test {

class NodeProcess {
public:
    // argv[0] is the executable; `env` adds NAME=VALUE entries to the inherited environment.
    explicit NodeProcess(std::vector<std::string> args, std::vector<std::string> env = {}) {
        log_path_ = ::testing::TempDir() + "dist-node-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++) + ".log";
        pid_ = ::fork();
        if (pid_ == 0) {
            const int fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            ::dup2(fd, 1);
            ::dup2(fd, 2);
            for (auto &e : env) ::putenv(e.data());
            std::vector<char *> argv;
            for (auto &a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
    }
    ~NodeProcess() {
        if (!exited_) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        ::unlink(log_path_.c_str());
    }
    NodeProcess(const NodeProcess &) = delete;
    NodeProcess &operator=(const NodeProcess &) = delete;

    void signal(int sig) { ::kill(pid_, sig); }
    // The exit code; -1 on timeout, 128 + signal when killed.
    int wait_exit(std::chrono::milliseconds timeout) {
        const auto deadline = Clock::now() + timeout;
        while (Clock::now() < deadline) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                exited_ = true;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return -1;
    }
    std::string log() const {
        std::ifstream in(log_path_);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }
    bool wait_log(const std::string &needle, std::chrono::milliseconds timeout) const {
        const auto deadline = Clock::now() + timeout;
        while (Clock::now() < deadline) {
            if (log().find(needle) != std::string::npos) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    }
    int http_port() const {
        std::smatch m;
        const std::string l = log();
        static const std::regex re("listening on http://127\\.0\\.0\\.1:([0-9]+)");
        return std::regex_search(l, m, re) ? std::stoi(m[1]) : 0;
    }

private:
    static inline int counter_ = 0;
    pid_t pid_ = -1;
    std::string log_path_;
    bool exited_ = false;
};

// One request on a fresh connection: {status code, body} (status 0 and a reason on failure).
inline std::pair<int, std::string> http_request(int port, const std::string &method, const std::string &path,
                                                const std::string &body = {}) {
    auto s = connect_tcp("127.0.0.1", static_cast<uint16_t>(port), std::chrono::seconds(2));
    if (!s.ok()) return {0, s.message()};
    std::string req = method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
    if (!body.empty()) req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    req += "\r\n" + body;
    if (!send_all(s.value(), req, Clock::now() + std::chrono::seconds(2)).ok()) return {0, "send failed"};
    std::string resp;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::recv(s->fd(), buf, sizeof buf, 0);
        if (n <= 0) break;
        resp.append(buf, static_cast<size_t>(n));
    }
    if (resp.size() < 12) return {0, resp};
    const auto head_end = resp.find("\r\n\r\n");
    return {std::stoi(resp.substr(9, 3)), head_end == std::string::npos ? "" : resp.substr(head_end + 4)};
}

inline std::pair<int, std::string> http_get(int port, const std::string &path) { return http_request(port, "GET", path); }

} // namespace slipway::engine::dist::test
