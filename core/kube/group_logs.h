#pragma once
// Group logs: every pod of a deployment (a LeaderWorkerSet's leader and workers, or all replicas)
// followed at once and merged into one stream, each line prefixed with its pod's name, in the
// order lines arrive. Each pod is followed by followLogs() on its own thread, so a dropped stream
// reconnects without losing or repeating lines; pods that join later (found by a pod watch) are
// followed as soon as their container runs, and a restarted container is followed again.
#include "kube/client.h"
#include "kube/logs.h"

#include <functional>
#include <string>

namespace slipway::kube {

struct GroupLogLine {
    std::string pod;
    std::string container;
    std::string timestamp;   // RFC 3339 from the server
    std::string text;

    std::string prefixed() const { return "[" + pod + "] " + text; }
};

struct GroupLogOptions {
    std::string namespaceName;           // empty: the client's namespace
    std::string labelSelector;           // which pods
    std::string container;               // empty: each pod's first container
    std::optional<int> tailLines;        // per pod, first connection only
    std::optional<int> sinceSeconds;     // per pod, first connection only
    std::chrono::milliseconds stallTimeout{0};
};

// Runs until cancelled (OK), or until the pod watch fails in a way waiting does not fix (401:
// kUnauthorizedMessage). onLine is called from the followers' threads, one call at a time, in
// arrival order. onNotice gets reconnects and pods joining or ending, in words.
Result<void> followGroupLogs(Client &client, const GroupLogOptions &options,
                             const std::function<void(const GroupLogLine &)> &onLine,
                             const net::CancelToken *cancel = nullptr,
                             const std::function<void(const std::string &)> &onNotice = {});

} // namespace slipway::kube
