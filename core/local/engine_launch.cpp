#include "local/engine_launch.h"

#include <filesystem>
#include <sstream>

namespace slipway::local {

namespace fs = std::filesystem;

Result<void> validateLaunchOptions(const EngineLaunchOptions &o) {
    std::error_code ec;
    if (o.modelPath.empty()) return fail("no model folder was chosen: pick a folder holding config.json");
    if (!fs::is_directory(o.modelPath, ec)) return fail("model folder " + o.modelPath + " does not exist or is not a folder");
    if (!fs::is_regular_file(fs::path(o.modelPath) / "config.json", ec)) {
        return fail("model folder " + o.modelPath + " has no config.json; pick the folder of a Hugging Face model");
    }
    if (o.device != "cpu" && o.device != "cuda") return fail("device '" + o.device + "': choose cpu or cuda");
    if (o.host.empty()) return fail("host is empty: use 127.0.0.1 to serve this machine only");
    if (o.port < 0 || o.port > 65535) return fail("port " + std::to_string(o.port) + " is out of range: use 1-65535, or 0 for any free port");
    if (o.memFractionStatic && (*o.memFractionStatic <= 0.0 || *o.memFractionStatic > 1.0)) {
        std::ostringstream s;
        s << "memory fraction " << *o.memFractionStatic << " is out of range: use a value above 0 and at most 1 (e.g. 0.85)";
        return fail(s.str());
    }
    if (o.maxRunningRequests < 0) return fail("max running requests must be 0 (engine default) or more");
    if (o.contextLength < 0) return fail("context length must be 0 (the model's) or more");
    for (const std::string &arg : o.extraArgs) {
        if (arg == "--port" || arg.rfind("--port=", 0) == 0 || arg == "--model-path" || arg.rfind("--model-path=", 0) == 0) {
            return fail("extra argument " + arg + " repeats a field of its own: set the model folder and port there instead");
        }
    }
    return {};
}

std::vector<std::string> engineArguments(const EngineLaunchOptions &o, int port) {
    std::vector<std::string> args{"--model-path", o.modelPath, "--device", o.device,
                                  "--host", o.host, "--port", std::to_string(port)};
    if (!o.servedModelName.empty()) args.insert(args.end(), {"--served-model-name", o.servedModelName});
    if (o.memFractionStatic) {
        std::ostringstream s;
        s << *o.memFractionStatic;
        args.insert(args.end(), {"--mem-fraction-static", s.str()});
    }
    if (o.maxRunningRequests > 0) args.insert(args.end(), {"--max-running-requests", std::to_string(o.maxRunningRequests)});
    if (o.contextLength > 0) args.insert(args.end(), {"--context-length", std::to_string(o.contextLength)});
    if (o.enableMetrics) args.emplace_back("--enable-metrics");
    if (!o.apiKey.empty()) args.insert(args.end(), {"--api-key", o.apiKey});
    args.insert(args.end(), o.extraArgs.begin(), o.extraArgs.end());
    return args;
}

} // namespace slipway::local
