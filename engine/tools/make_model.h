#pragma once
// `slipway-engine make-model`: writes a Hugging Face model folder with seeded random weights of a
// config's shape (config.json, generation_config.json, model.safetensors) and the tokenizer files
// of another folder. The output is noise, which is what protocol tests and demos need: a model of
// any shape and vocabulary that loads and runs like a real one, with deterministic weights.
//
// Thread-safety: pure functions over files.
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "slipway/engine/status.h"

namespace slipway::engine {

struct MakeModelOptions {
    std::filesystem::path config;          // a config.json (Qwen2ForCausalLM or LlamaForCausalLM)
    std::filesystem::path tokenizer_from;  // folder holding tokenizer.json and tokenizer_config.json
    std::filesystem::path out;             // created if missing; existing files are replaced
    uint64_t seed = 0;
    std::string dtype = "bf16";            // bf16 | fp16 | fp32
};

// Writes the folder; errors name the file or field at fault. The result is checked by loading it
// back with the engine's own model loader.
Status make_model(const MakeModelOptions &options);

// The command line: make-model --config FILE --tokenizer-from DIR --out DIR [--seed N]
// [--dtype bf16|fp16|fp32]. Returns the exit code.
int run_make_model_command(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);

// One standard-normal draw stream per (seed, tensor name): a tensor's values do not depend on the
// other tensors. Exposed for tests.
std::vector<float> seeded_normal(uint64_t seed, const std::string &name, size_t count, float stddev);

} // namespace slipway::engine
