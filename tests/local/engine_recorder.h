#pragma once
// Records what EngineProcess reports through its callbacks (from its threads), for tests.
#include <algorithm>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "local/engine_process.h"

namespace slipway::local::testing {

struct Recorder {
    std::mutex mutex;
    std::vector<std::pair<EngineState, std::string>> states;
    std::vector<std::string> lines;

    EngineCallbacks callbacks() {
        return {[this](const std::string &line) {
                    std::lock_guard lock(mutex);
                    lines.push_back(line);
                },
                [this](EngineState s, const std::string &detail) {
                    std::lock_guard lock(mutex);
                    states.emplace_back(s, detail);
                }};
    }
    std::vector<EngineState> stateList() {
        std::lock_guard lock(mutex);
        std::vector<EngineState> out;
        for (const auto &s : states) out.push_back(s.first);
        return out;
    }
    std::string lastDetail() {
        std::lock_guard lock(mutex);
        return states.empty() ? std::string() : states.back().second;
    }
    long countLines(const std::string &text) {
        std::lock_guard lock(mutex);
        return std::count(lines.begin(), lines.end(), text);
    }
    bool sawLineContaining(const std::string &text) {
        std::lock_guard lock(mutex);
        for (const auto &l : lines) if (l.find(text) != std::string::npos) return true;
        return false;
    }
};

} // namespace slipway::local::testing
