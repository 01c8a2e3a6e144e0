#include "dist/model_fingerprint.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "model/model_config.h"
#include "model/weight_store.h"

namespace slipway::engine::dist {
namespace {

constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ull;
constexpr uint64_t kFnvPrime = 0x100000001b3ull;

void fnv(uint64_t &h, std::string_view bytes) {
    for (char c : bytes) {
        h ^= static_cast<uint8_t>(c);
        h *= kFnvPrime;
    }
    h ^= 0xFFu;  // separator, so ("ab","c") and ("a","bc") differ
    h *= kFnvPrime;
}

std::string number(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

std::string rope_type(RopeConfig::Type t) {
    switch (t) {
    case RopeConfig::Type::Default: return "default";
    case RopeConfig::Type::Linear: return "linear";
    case RopeConfig::Type::Llama3: return "llama3";
    }
    return "?";
}

std::vector<std::pair<std::string, std::string>> config_fields(const ModelConfig &c) {
    std::string eos;
    for (int64_t id : c.eos_token_ids) eos += (eos.empty() ? "" : ",") + std::to_string(id);
    return {
        {"architectures", c.architecture_name},
        {"vocab_size", std::to_string(c.vocab_size)},
        {"hidden_size", std::to_string(c.hidden_size)},
        {"intermediate_size", std::to_string(c.intermediate_size)},
        {"num_hidden_layers", std::to_string(c.num_layers)},
        {"num_attention_heads", std::to_string(c.num_heads)},
        {"num_key_value_heads", std::to_string(c.num_kv_heads)},
        {"head_dim", std::to_string(c.head_dim)},
        {"max_position_embeddings", std::to_string(c.max_position_embeddings)},
        {"rms_norm_eps", number(c.rms_norm_eps)},
        {"rope_type", rope_type(c.rope.type)},
        {"rope_theta", number(c.rope.theta)},
        {"rope_factor", number(c.rope.factor)},
        {"rope_low_freq_factor", number(c.rope.low_freq_factor)},
        {"rope_high_freq_factor", number(c.rope.high_freq_factor)},
        {"rope_original_max_position_embeddings", std::to_string(c.rope.original_max_position_embeddings)},
        {"tie_word_embeddings", c.tie_word_embeddings ? "true" : "false"},
        {"qkv_bias", c.qkv_bias ? "true" : "false"},
        {"o_bias", c.o_bias ? "true" : "false"},
        {"mlp_bias", c.mlp_bias ? "true" : "false"},
        {"dtype", c.dtype},
        {"bos_token_id", c.bos_token_id ? std::to_string(*c.bos_token_id) : "none"},
        {"eos_token_id", eos},
    };
}

std::string lookup(const ModelFingerprint &f, const std::string &key) {
    for (const auto &[k, v] : f.config)
        if (k == key) return v;
    return "";
}

} // namespace

std::string TensorSignature::describe() const {
    std::string s = dtype + " [";
    for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

std::string ModelFingerprint::summary() const {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    std::string s = lookup(*this, "architectures");
    if (s.empty()) s = "model";
    if (auto layers = lookup(*this, "num_hidden_layers"); !layers.empty()) s += ", " + layers + " layers";
    if (auto hidden = lookup(*this, "hidden_size"); !hidden.empty()) s += ", hidden " + hidden;
    return s + ", " + std::to_string(tensors.size()) + " tensors, fingerprint " + hex;
}

ModelFingerprint make_model_fingerprint(std::vector<std::pair<std::string, std::string>> config,
                                        std::vector<TensorSignature> tensors) {
    ModelFingerprint f;
    f.config = std::move(config);
    f.tensors = std::move(tensors);
    std::sort(f.tensors.begin(), f.tensors.end(),
              [](const TensorSignature &a, const TensorSignature &b) { return a.name < b.name; });
    uint64_t h = kFnvOffset;
    for (const auto &[k, v] : f.config) {
        fnv(h, k);
        fnv(h, v);
    }
    for (const TensorSignature &t : f.tensors) {
        fnv(h, t.name);
        fnv(h, t.dtype);
        for (int64_t d : t.shape) fnv(h, std::to_string(d));
    }
    f.hash = h;
    return f;
}

StatusOr<ModelFingerprint> fingerprint_model(const std::filesystem::path &model_dir) {
    auto config = load_model_config(model_dir / "config.json");
    if (!config.ok()) return config.status();
    auto store = WeightStore::open(model_dir);
    if (!store.ok()) return store.status();
    std::vector<TensorSignature> tensors;
    tensors.reserve(store.value()->tensors().size());
    for (const auto &[name, view] : store.value()->tensors()) tensors.push_back({name, view.dtype_name, view.shape});
    return make_model_fingerprint(config_fields(config.value()), std::move(tensors));
}

std::string describe_model_difference(const ModelFingerprint &theirs, int their_node, const ModelFingerprint &ours,
                                      int our_node) {
    if (theirs.hash == ours.hash && theirs.config == ours.config && theirs.tensors == ours.tensors) return "";
    const std::string them = "node " + std::to_string(their_node);
    const std::string us = "node " + std::to_string(our_node);
    std::vector<std::string> diffs;

    std::map<std::string, std::string> our_config(ours.config.begin(), ours.config.end());
    std::map<std::string, std::string> their_config(theirs.config.begin(), theirs.config.end());
    for (const auto &[k, v] : theirs.config) {
        auto it = our_config.find(k);
        const std::string mine = it == our_config.end() ? "(absent)" : it->second;
        if (mine != v) diffs.push_back("config " + k + ": " + them + " has " + v + ", " + us + " has " + mine);
    }
    for (const auto &[k, v] : ours.config) {
        if (!their_config.count(k)) diffs.push_back("config " + k + ": " + them + " has (absent), " + us + " has " + v);
    }

    // Both lists are sorted by name: merge.
    size_t i = 0, j = 0;
    while (i < theirs.tensors.size() || j < ours.tensors.size()) {
        if (j == ours.tensors.size() || (i < theirs.tensors.size() && theirs.tensors[i].name < ours.tensors[j].name)) {
            diffs.push_back(them + " has tensor " + theirs.tensors[i].name + " " + theirs.tensors[i].describe() + ", " +
                            us + " has no such tensor");
            ++i;
        } else if (i == theirs.tensors.size() || ours.tensors[j].name < theirs.tensors[i].name) {
            diffs.push_back(us + " has tensor " + ours.tensors[j].name + " " + ours.tensors[j].describe() + ", " + them +
                            " has no such tensor");
            ++j;
        } else {
            if (!(theirs.tensors[i] == ours.tensors[j])) {
                diffs.push_back(them + " has tensor " + theirs.tensors[i].name + " " + theirs.tensors[i].describe() + ", " +
                                us + " " + ours.tensors[j].describe());
            }
            ++i;
            ++j;
        }
    }
    if (diffs.empty()) diffs.push_back("fingerprints differ (" + them + " " + theirs.summary() + ")");
    std::string msg = "model fingerprint differs: " + diffs.front();
    if (diffs.size() > 1) msg += " (and " + std::to_string(diffs.size() - 1) + " more differences)";
    msg += "; " + them + " runs " + theirs.summary() + ", " + us + " runs " + ours.summary() +
           "; every node must load the same model files (--model-path)";
    return msg;
}

} // namespace slipway::engine::dist
