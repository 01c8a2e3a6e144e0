#pragma once
// The sizing options `size` and `render` share, turned into a core SizingInput.
#include <vector>

#include "arg_parser.h"
#include "sizing/sizing.h"

namespace slipway::cli {

// --model --dtype --kv-dtype --gpu --gpu-memory --gpus-per-node --context --concurrency
// --mem-fraction --tp
std::vector<OptionSpec> sizingOptionSpecs(const char *defaultGpu);
Result<sizing::SizingInput> sizingInputFrom(const ParsedArgs &args, const char *defaultGpu);

} // namespace slipway::cli
