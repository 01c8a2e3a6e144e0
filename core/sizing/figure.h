#pragma once
// One number the calculator reports, with the formula that produced it (numbers substituted),
// so the UI and the CLI can show how every figure was reached.
#include "common/message.h"

#include <string>
#include <vector>

namespace slipway::sizing {

struct Figure {
    std::string key;     // stable, snake_case: "per_gpu_weights_bytes" (also the JSON key)
    std::string label;   // for people: "Weights per GPU"
    double value = 0;    // in `unit`; integral units hold whole numbers exactly (< 2^53)
    std::string unit;    // "B", "tokens", "tokens/s", "GPUs", "nodes", "cores", "params", "" (ratio)
    std::string formula; // "7,615,616,512 params × 2 B = 15,231,233,024 B"
    // The formula as translatable clauses (sizing_messages.h): their English, put side by side,
    // is `formula`.
    std::vector<Message> formulaParts;
    bool integral = true; // false for ratios and rates
};

} // namespace slipway::sizing
