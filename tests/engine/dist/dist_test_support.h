#pragma once
// Shared by the dist tests: Hello messages, a thread-safe log recorder, a free loopback port.
#include <mutex>
#include <string>
#include <vector>

#include "dist/handshake.h"
#include "dist/socket_io.h"

namespace slipway::engine::dist::test {

inline Hello make_hello(int node_rank, const std::string &version = "0.3.0+gtest") {
    Hello h;
    h.slipway_version = version;
    h.node_rank = node_rank;
    h.flags.entries = {{"--tp", "2"}, {"--nnodes", "2"}, {"--page-size", "1"}, {"--context-length", "0"}};
    h.model = make_model_fingerprint({{"architectures", "Qwen2ForCausalLM"}, {"hidden_size", "64"}},
                                     {{"model.embed_tokens.weight", "BF16", {512, 64}},
                                      {"model.layers.0.mlp.up_proj.weight", "BF16", {128, 64}}});
    return h;
}

class LogRecorder {
public:
    void operator()(const std::string &line) {
        std::lock_guard lock(mutex_);
        lines_.push_back(line);
    }
    bool contains(const std::string &needle) const {
        std::lock_guard lock(mutex_);
        for (const auto &l : lines_)
            if (l.find(needle) != std::string::npos) return true;
        return false;
    }
    std::string all() const {
        std::lock_guard lock(mutex_);
        std::string s;
        for (const auto &l : lines_) s += l + "\n";
        return s;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

// A port nothing listens on right now (bound then released).
inline uint16_t free_port() {
    auto s = listen_tcp(0);
    return s.ok() ? local_port(s.value()) : 0;
}

} // namespace slipway::engine::dist::test
