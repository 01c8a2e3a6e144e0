#include "storage/pod_exec.h"

#include "kube/api_error.h"
#include "kube/client.h"
#include "storage/sigv4.h" // uriEncode
#include "storage/websocket.h"

#include <nlohmann/json.hpp>

#include <chrono>

namespace slipway::storage {

namespace {

using json = nlohmann::json;

constexpr std::size_t kStdinChunk = 64 * 1024;
constexpr std::size_t kMaxQueued = 1 << 20; // stop reading stdin while this much waits to be sent

// The exit code from a v4/v5 Status: Success, or Failure with reason NonZeroExitCode and a
// cause {reason: ExitCode, message: "<n>"}.
void readStatus(const std::string &text, ExecResult &result, bool &failedToRun)
{
    const json status = json::parse(text, nullptr, false);
    if (status.is_discarded() || !status.is_object()) {
        result.exitCode = -1;
        result.statusMessage = "unreadable exec status: " + text.substr(0, 200);
        failedToRun = true;
        return;
    }
    if (status.value("status", "") == "Success") {
        result.exitCode = 0;
        return;
    }
    result.statusMessage = status.value("message", "");
    if (status.value("reason", "") == "NonZeroExitCode") {
        result.exitCode = 1;
        for (const json &cause : status.value("details", json::object()).value("causes", json::array())) {
            if (cause.value("reason", "") == "ExitCode")
                result.exitCode = std::atoi(cause.value("message", "1").c_str());
        }
        return;
    }
    result.exitCode = -1;
    failedToRun = true;
}

} // namespace

std::string execPath(const std::string &namespaceName, const ExecTarget &target, const std::vector<std::string> &command,
                     bool withStdin)
{
    std::string path = "/api/v1/namespaces/" + uriEncode(namespaceName, false) + "/pods/" + uriEncode(target.pod, false) + "/exec?";
    for (const std::string &arg : command)
        path += "command=" + uriEncode(arg, false) + "&";
    if (!target.container.empty())
        path += "container=" + uriEncode(target.container, false) + "&";
    path += std::string("stdin=") + (withStdin ? "true" : "false") + "&stdout=true&stderr=true";
    return path;
}

Result<ExecResult> execInPod(kube::Client &client, const ExecTarget &target, const std::vector<std::string> &command,
                             const ExecIo &io)
{
    if (target.pod.empty() || command.empty())
        return fail("exec needs a pod and a command");
    const std::string ns = target.namespaceName.empty() ? client.defaultNamespace() : target.namespaceName;
    const bool withStdin = static_cast<bool>(io.stdinSource);
    const std::string what = "exec " + command.front() + " in pod " + ns + "/" + target.pod;
    const kube::Connection connection = client.connection();

    std::unique_ptr<WebSocket> ws;
    for (int attempt = 0; attempt < 2 && !ws; ++attempt) {
        WebSocketOptions options;
        options.url = client.server() + execPath(ns, target, command, withStdin);
        options.protocols = {"v5.channel.k8s.io", "v4.channel.k8s.io"};
        options.tls = connection.tls;
        options.proxy = connection.proxy;
        options.connectTimeout = connection.connectTimeout;
        bool refreshable = false;
        if (connection.credentials) {
            auto credentials = connection.credentials->credentials(attempt > 0);
            if (!credentials)
                return fail(what + ": " + credentials.message());
            if (!credentials->token.empty())
                options.headers.push_back({"Authorization", "Bearer " + credentials->token});
            if (!credentials->clientCertData.empty()) {
                options.tls.clientCertData = credentials->clientCertData;
                options.tls.clientKeyData = credentials->clientKeyData;
            }
            refreshable = connection.credentials->canRefresh();
        }
        HandshakeRefusal refusal;
        auto opened = WebSocket::connect(options, io.cancel, &refusal);
        if (opened) {
            ws = std::move(opened.value());
            break;
        }
        if (refusal.status == 0)
            return fail(what + ": " + opened.message());
        if (refusal.status == 401 && refreshable && attempt == 0)
            continue;
        net::Response response;
        response.status = refusal.status;
        response.body = refusal.body;
        return fail(kube::apiErrorMessage(what, response));
    }
    if (!ws)
        return fail(what + ": the API server refused the credentials");

    ExecResult result;
    result.protocol = ws->protocol();
    const bool v5 = result.protocol == "v5.channel.k8s.io";
    bool stdinOpen = withStdin;
    bool failedToRun = false;
    bool haveStatus = false;
    std::int64_t stdinSent = 0;       // bytes handed to the socket (payload only)
    std::int64_t stdinQueued = 0;
    std::vector<char> buffer(kStdinChunk + 1);

    while (true) {
        if (io.cancel && io.cancel->isCancelled())
            return fail("cancelled: " + what + " was stopped");
        // Feed stdin while little is waiting to go out.
        while (stdinOpen && ws->pendingOutput() < kMaxQueued) {
            buffer[0] = 0; // channel 0: stdin
            const std::size_t n = io.stdinSource(buffer.data() + 1, kStdinChunk);
            if (n == 0) {
                stdinOpen = false;
                if (v5) {
                    const char closeStdin[2] = {static_cast<char>(0xff), 0};
                    ws->queueBinary(std::string_view(closeStdin, 2));
                }
                break;
            }
            ws->queueBinary(std::string_view(buffer.data(), n + 1));
            stdinQueued += static_cast<std::int64_t>(n);
        }
        if (auto sent = ws->flush(); !sent)
            return fail(what + ": " + sent.message());
        if (io.onStdinSent && withStdin) {
            // Bytes that left the queue count as sent (approximately: frame headers included).
            const std::int64_t left = static_cast<std::int64_t>(ws->pendingOutput());
            const std::int64_t sentNow = std::max<std::int64_t>(0, stdinQueued - left);
            if (sentNow > stdinSent) {
                stdinSent = sentNow;
                io.onStdinSent(stdinSent);
            }
        }
        std::vector<WebSocketMessage> messages;
        if (auto received = ws->receive(messages); !received)
            return fail(what + ": " + received.message());
        for (WebSocketMessage &m : messages) {
            if (m.payload.empty())
                continue;
            const auto channel = static_cast<unsigned char>(m.payload[0]);
            const std::string_view data = std::string_view(m.payload).substr(1);
            if (channel == 1) {
                if (io.onStdout) {
                    if (!io.onStdout(data))
                        return fail("stopped: the output of " + what + " was refused by the receiver");
                } else {
                    result.stdoutText.append(data);
                }
            } else if (channel == 2) {
                result.stderrText.append(data);
            } else if (channel == 3) {
                readStatus(std::string(data), result, failedToRun);
                haveStatus = true;
            }
        }
        if (ws->closedByPeer())
            break;
        ws->wait(std::chrono::milliseconds(50));
    }
    if (!haveStatus)
        return fail(what + ": the connection closed before the command's exit status arrived (the pod may have stopped or the API server restarted); try again");
    if (failedToRun)
        return fail(what + " failed: " + (result.statusMessage.empty() ? result.stderrText : result.statusMessage));
    return result;
}

} // namespace slipway::storage
