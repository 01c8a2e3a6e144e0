#pragma once
// What the Local target starts: the engine's flags as a value type, checked before anything runs,
// and the command line built from it (SGLang's flag names, which slipway-engine accepts).
//
// Thread-safety: plain values and pure functions.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace slipway::local {

struct EngineLaunchOptions {
    std::string enginePath;                // empty: findEngineExecutable()
    std::string modelPath;                 // a Hugging Face model folder (config.json inside)
    std::string device = "cpu";            // cpu | cuda
    std::string host = "127.0.0.1";
    int port = 0;                          // 0: a free port is picked at start
    std::string servedModelName;           // empty: the engine's default (the model path)
    std::optional<double> memFractionStatic;  // (0, 1]; unset: the engine derives it
    int maxRunningRequests = 0;            // 0: the engine's default
    int64_t contextLength = 0;             // 0: the model's
    bool enableMetrics = true;             // /metrics for the Metrics panel
    std::string apiKey;                    // empty: no key
    std::vector<std::string> extraArgs;    // appended verbatim (advanced flags)
};

// Checks the options a person chose; the message names the field and what to change.
Result<void> validateLaunchOptions(const EngineLaunchOptions &options);

// The arguments after the program name, with `port` (the one picked when options.port is 0).
std::vector<std::string> engineArguments(const EngineLaunchOptions &options, int port);

} // namespace slipway::local
