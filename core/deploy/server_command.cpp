#include "deploy/server_command.h"

#include "deploy/deployment_plan.h"

#include <charconv>

namespace slipway::deploy {

std::vector<std::string> ServerCommand::argv() const
{
    std::vector<std::string> all = command;
    all.insert(all.end(), args.begin(), args.end());
    return all;
}

std::string formatDecimal(double value)
{
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

std::vector<std::string> serverProgram(const DeploymentPlan &plan)
{
    switch (plan.runtime) {
    case Runtime::SGLang: return {"python3", "-m", "sglang.launch_server"};
    case Runtime::Slipway: return {"slipway-engine"};
    }
    return {};
}

std::vector<std::string> serverFlags(const DeploymentPlan &plan, ServerRole role)
{
    std::vector<std::string> flags{"--model-path", serverModelPath(plan), "--mem-fraction-static",
                                   formatDecimal(plan.memFractionStatic)};
    if (plan.torchCompileMaxBs)
        flags.insert(flags.end(), {"--torch-compile-max-bs", std::to_string(*plan.torchCompileMaxBs)});
    if (plan.maxRunningRequests)
        flags.insert(flags.end(), {"--max-running-requests", std::to_string(*plan.maxRunningRequests)});
    flags.insert(flags.end(), {"--tp", std::to_string(plan.tp)});
    if (role != ServerRole::Single) {
        // Expanded by the kubelet from the variables LWS injects into every pod of a group.
        flags.insert(flags.end(), {"--dist-init-addr", "$(LWS_LEADER_ADDRESS):" + std::to_string(plan.distPort),
                                   "--nnodes", "$(LWS_GROUP_SIZE)", "--node-rank", "$(LWS_WORKER_INDEX)"});
    }
    if (plan.trustRemoteCode)
        flags.push_back("--trust-remote-code");
    if (role != ServerRole::Worker)
        flags.insert(flags.end(), {"--host", "0.0.0.0", "--port", std::to_string(plan.port)});
    if (plan.cudaGraphMaxBs)
        flags.insert(flags.end(), {"--cuda-graph-max-bs", std::to_string(*plan.cudaGraphMaxBs)});
    if (plan.contextLength)
        flags.insert(flags.end(), {"--context-length", std::to_string(*plan.contextLength)});
    if (!plan.servedModelName.empty())
        flags.insert(flags.end(), {"--served-model-name", plan.servedModelName});
    if (plan.enableMetrics)
        flags.push_back("--enable-metrics");
    flags.insert(flags.end(), plan.extraArgs.begin(), plan.extraArgs.end());
    return flags;
}

ServerCommand serverCommand(const DeploymentPlan &plan, ServerRole role)
{
    std::vector<std::string> program = serverProgram(plan);
    std::vector<std::string> flags = serverFlags(plan, role);
    ServerCommand result;
    if (plan.mode == Mode::KServe) {
        result.command = {program.front()};
        result.args.assign(program.begin() + 1, program.end());
        result.args.insert(result.args.end(), flags.begin(), flags.end());
    } else {
        result.command = std::move(program);
        result.command.insert(result.command.end(), flags.begin(), flags.end());
    }
    return result;
}

} // namespace slipway::deploy
