#pragma once
// The server's command line, in the guide's order:
//   --model-path P --mem-fraction-static 0.93 --torch-compile-max-bs 8 --max-running-requests 20
//   --tp N [--dist-init-addr $(LWS_LEADER_ADDRESS):20000 --nnodes $(LWS_GROUP_SIZE)
//   --node-rank $(LWS_WORKER_INDEX)] --trust-remote-code [--host 0.0.0.0 --port 40000]
// followed by what the guide does not use (--cuda-graph-max-bs, --context-length,
// --served-model-name, --enable-metrics) and plan.extraArgs.
#include <string>
#include <vector>

namespace slipway::deploy {

struct DeploymentPlan;

enum class ServerRole {
    Single, // the only pod of a Deployment or an InferenceService
    Leader, // LWS rank 0: serves HTTP (--host/--port)
    Worker, // LWS ranks >= 1: no --host/--port
};

struct ServerCommand {
    std::vector<std::string> command; // container `command`
    std::vector<std::string> args;    // container `args` (empty when everything is in command)
    std::vector<std::string> argv() const; // command followed by args
};

// The program: python3 -m sglang.launch_server, or slipway-engine.
std::vector<std::string> serverProgram(const DeploymentPlan &plan);
// The flags after the program.
std::vector<std::string> serverFlags(const DeploymentPlan &plan, ServerRole role);
// Split as the guide writes it: Deployment and LWS put everything in `command`; the KServe
// ServingRuntime has `command: [python3]` and the rest in `args` (for slipway-engine:
// command [slipway-engine], args the flags).
ServerCommand serverCommand(const DeploymentPlan &plan, ServerRole role);

// Shortest decimal that reads back as the same double: 0.93 -> "0.93".
std::string formatDecimal(double value);

} // namespace slipway::deploy
