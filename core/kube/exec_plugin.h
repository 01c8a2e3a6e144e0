#pragma once
// Internal to core/kube: runs an exec credential plugin as a child process, stdin from /dev/null,
// stdout and stderr captured, with a time limit.
#include "common/result.h"
#include "kube/kubeconfig.h"

#include <chrono>
#include <string>

namespace slipway::kube::detail {

struct PluginOutput {
    int exitCode = 0;
    std::string standardOutput;
    std::string standardError;
};

// extraEnv is added to this process's environment (the plugin's env entries, KUBERNETES_EXEC_INFO).
Result<PluginOutput> runPlugin(const ExecConfig &config, const std::vector<std::pair<std::string, std::string>> &extraEnv,
                               std::chrono::milliseconds timeout);

} // namespace slipway::kube::detail
