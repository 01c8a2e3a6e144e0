#pragma once
// generation_config.json: the model author's default sampling settings and special token ids.
// Values are kept as written (absent = nullopt); whether they apply (e.g. when do_sample is
// false) is the runtime's decision. A missing file is not an error: `present` is false.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "slipway/engine/status.h"

namespace slipway::engine {

struct GenerationDefaults {
    bool present = false;
    std::optional<bool> do_sample;
    std::optional<double> temperature;
    std::optional<double> top_p;
    std::optional<int64_t> top_k;
    std::optional<double> min_p;
    std::optional<double> repetition_penalty;
    std::optional<int64_t> max_new_tokens;
    std::optional<int64_t> bos_token_id;
    std::optional<int64_t> pad_token_id;
    std::vector<int64_t> eos_token_ids;
};

StatusOr<GenerationDefaults> parse_generation_config(std::string_view json_text, const std::string &origin);
// Reads `path`; a file that does not exist gives defaults with present == false.
StatusOr<GenerationDefaults> load_generation_config(const std::filesystem::path &path);

} // namespace slipway::engine
