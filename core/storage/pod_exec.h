#pragma once
// Runs a command in a pod's container through the API server, as `oc exec` / `oc cp` do:
// GET /api/v1/namespaces/<ns>/pods/<pod>/exec?command=..&stdin=..&stdout=true&stderr=true upgraded
// to a WebSocket with subprotocol v5.channel.k8s.io (v4.channel.k8s.io as a fallback for API
// servers before 1.30). Every frame starts with a channel byte: 0 stdin, 1 stdout, 2 stderr,
// 3 the final Status (JSON), 4 resize; v5 ends stdin with the frame [255, 0]. Needs RBAC `create`
// on pods/exec.
#include "common/result.h"
#include "net/cancel_token.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace slipway::kube {
class Client;
}

namespace slipway::storage {

struct ExecTarget {
    std::string namespaceName;             // empty: the client's namespace
    std::string pod;
    std::string container;                 // empty: the pod's only container
};

struct ExecIo {
    // stdin: fill buffer with up to size bytes, return how many; 0 ends stdin. Unset: no stdin.
    std::function<std::size_t(char *buffer, std::size_t size)> stdinSource;
    // Called after stdin bytes went out to the server (the count so far).
    std::function<void(std::int64_t)> onStdinSent;
    // stdout chunks; unset: collected into ExecResult::stdoutText. Return false to stop.
    std::function<bool(std::string_view)> onStdout;
    const net::CancelToken *cancel = nullptr;
};

struct ExecResult {
    int exitCode = 0;                      // 0 on success
    std::string stdoutText;                // when ExecIo::onStdout is unset
    std::string stderrText;
    std::string statusMessage;             // the Status message on failure
    std::string protocol;                  // the negotiated subprotocol
};

// Runs `command` (argv, no shell). A command that runs and exits non-zero is an ExecResult with
// exitCode set, not an Error; Errors are failures to run it (RBAC, no such pod or container, the
// container not running, the connection lost, cancellation).
Result<ExecResult> execInPod(kube::Client &client, const ExecTarget &target, const std::vector<std::string> &command,
                             const ExecIo &io = {});

// The exec URL path and query for a target and command (tests check it).
std::string execPath(const std::string &namespaceName, const ExecTarget &target, const std::vector<std::string> &command,
                     bool withStdin);

} // namespace slipway::storage
