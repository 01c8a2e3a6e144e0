#pragma once
// Renderings of a SizingResult: the JSON object `slipway-cli size --json` prints, and the
// human-readable table of figures with their formulas (the CLI's default output).
#include "sizing/sizing.h"

#include <string>

namespace slipway::sizing {

// One JSON object (pretty-printed, 2-space indent, trailing newline) with the model, GPU and
// dtypes, the top-level numbers — params, weights_bytes, kv_bytes_per_token, tp, nodes,
// gpus_per_node, per_gpu_weights_bytes, kv_capacity_tokens, fits, host_memory_bytes, shm_bytes,
// volume_bytes, decode_ceiling_tokens_per_s (null when the bandwidth is unknown), warnings,
// errors — then `figures` (key, label, value, unit, formula each) and `tp_search`.
std::string sizingToJson(const SizingResult &result);

// A heading, a table (label, value, formula) with long formulas wrapped under their row, then
// warnings and errors. Plain text, UTF-8.
std::string sizingToText(const SizingResult &result);

// "15.23 GB", "1,031,821 tokens", "0.93", "236.9 tokens/s": a figure's value for people.
std::string formatFigureValue(const Figure &figure);

} // namespace slipway::sizing
