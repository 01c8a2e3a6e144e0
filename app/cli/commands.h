#pragma once
// slipway-cli's commands. Each takes the arguments after its name, writes its result to `out`
// and, on failure, returns one message saying what to change (the caller prints it to stderr
// and exits non-zero). Nothing is written to disk or `out` when a command fails.
#include <ostream>
#include <string>
#include <vector>

#include "common/result.h"

namespace slipway::cli {

Result<void> runSize(const std::vector<std::string> &args, std::ostream &out);
Result<void> runRender(const std::vector<std::string> &args, std::ostream &out, std::ostream &log);
Result<void> runModels(const std::vector<std::string> &args, std::ostream &out);
Result<void> runGpus(const std::vector<std::string> &args, std::ostream &out);
Result<void> runGuide(const std::vector<std::string> &args, std::ostream &out);
Result<void> runMirrorScript(const std::vector<std::string> &args, std::ostream &out);

std::string sizeUsage();
std::string renderUsage();
std::string mirrorUsage();

} // namespace slipway::cli
