#include "local/engine_launch.h"

#include "local/local_messages.h"

#include <filesystem>
#include <sstream>

namespace slipway::local {

namespace fs = std::filesystem;

Result<void> validateLaunchOptions(const EngineLaunchOptions &o) {
    std::error_code ec;
    if (o.modelPath.empty()) return fail(msg::kLaunchNoModel);
    if (!fs::is_directory(o.modelPath, ec)) return fail(msg::kLaunchModelMissing, {o.modelPath});
    if (!fs::is_regular_file(fs::path(o.modelPath) / "config.json", ec)) return fail(msg::kLaunchNoConfig, {o.modelPath});
    if (o.device != "cpu" && o.device != "cuda") return fail(msg::kLaunchDevice, {o.device});
    if (o.host.empty()) return fail(msg::kLaunchHost);
    if (o.port < 0 || o.port > 65535) return fail(msg::kLaunchPort, {std::to_string(o.port)});
    if (o.memFractionStatic && (*o.memFractionStatic <= 0.0 || *o.memFractionStatic > 1.0)) {
        std::ostringstream s;
        s << *o.memFractionStatic;
        return fail(msg::kLaunchMemFraction, {s.str()});
    }
    if (o.maxRunningRequests < 0) return fail(msg::kLaunchMaxRunning);
    if (o.contextLength < 0) return fail(msg::kLaunchContext);
    for (const std::string &arg : o.extraArgs) {
        if (arg == "--port" || arg.rfind("--port=", 0) == 0 || arg == "--model-path" || arg.rfind("--model-path=", 0) == 0) {
            return fail(msg::kLaunchExtraArgument, {arg});
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
