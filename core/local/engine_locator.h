#pragma once
// Finding the `slipway-engine` executable for the Local target.
//
// Thread-safety: pure functions (findEngineExecutable reads the environment and /proc).
#include <string>

#include "common/result.h"

namespace slipway::local {

inline constexpr const char *kEngineExecutableName = "slipway-engine";

// Where to look, in order: `overridePath` (SLIPWAY_ENGINE), `<exeDir>/<name>`, then each folder
// of `pathList` (PATH syntax). The first regular executable file wins. The error names every place
// looked at and how to fix it.
Result<std::string> findExecutable(const std::string &name, const std::string &overridePath,
                                   const std::string &exeDir, const std::string &pathList);

// findExecutable for slipway-engine with SLIPWAY_ENGINE, the folder of the running executable
// (/proc/self/exe) and PATH.
Result<std::string> findEngineExecutable();

// The folder of the running executable; empty when /proc/self/exe cannot be read.
std::string runningExecutableDir();

} // namespace slipway::local
