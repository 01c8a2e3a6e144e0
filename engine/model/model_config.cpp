#include "model/model_config.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace slipway::engine {

namespace {

using nlohmann::json;

// Field readers that name the file and key on a type mismatch.
struct Reader {
    const json &j;
    const std::string &origin;

    Status bad(const std::string &key, const std::string &what) const {
        return Status::error(origin + ": \"" + key + "\" " + what);
    }
    bool present(const std::string &key) const { return j.contains(key) && !j[key].is_null(); }

    Status positive_int(const std::string &key, int64_t &out, std::optional<int64_t> fallback = std::nullopt) const {
        if (!present(key)) {
            if (fallback) { out = *fallback; return {}; }
            return bad(key, "is missing");
        }
        if (!j[key].is_number_integer() || j[key].get<int64_t>() <= 0)
            return bad(key, "must be a positive integer, not " + j[key].dump());
        out = j[key].get<int64_t>();
        return {};
    }
    Status number(const std::string &key, double &out, std::optional<double> fallback = std::nullopt) const {
        if (!present(key)) {
            if (fallback) { out = *fallback; return {}; }
            return bad(key, "is missing");
        }
        if (!j[key].is_number()) return bad(key, "must be a number, not " + j[key].dump());
        out = j[key].get<double>();
        return {};
    }
    Status boolean(const std::string &key, bool &out, bool fallback) const {
        if (!present(key)) { out = fallback; return {}; }
        if (!j[key].is_boolean()) return bad(key, "must be true or false, not " + j[key].dump());
        out = j[key].get<bool>();
        return {};
    }
};

#define SLIPWAY_TRY(expr) \
    do { if (Status s_ = (expr); !s_.ok()) return s_; } while (0)

Status parse_token_ids(const json &j, const std::string &key, const std::string &origin, std::vector<int64_t> &out) {
    out.clear();
    if (!j.contains(key) || j[key].is_null()) return {};
    const json &v = j[key];
    if (v.is_number_integer()) { out.push_back(v.get<int64_t>()); return {}; }
    if (v.is_array()) {
        for (const auto &e : v) {
            if (!e.is_number_integer())
                return Status::error(origin + ": \"" + key + "\" must hold integer token ids, not " + v.dump());
            out.push_back(e.get<int64_t>());
        }
        return {};
    }
    return Status::error(origin + ": \"" + key + "\" must be a token id or a list of them, not " + v.dump());
}

// rope_parameters (5.x) or rope_theta + rope_scaling (4.x).
Status parse_rope(const json &j, const std::string &origin, RopeConfig &rope) {
    const json *params = nullptr;
    std::string key;
    if (j.contains("rope_parameters") && j["rope_parameters"].is_object()) {
        key = "rope_parameters";
        params = &j["rope_parameters"];
        // Per-layer-type form {"full_attention": {...}, "sliding_attention": {...}}.
        if (!params->contains("rope_type") && !params->contains("type") && !params->contains("rope_theta") &&
            params->contains("full_attention")) {
            if (params->size() != 1)
                return Status::error(origin + ": \"rope_parameters\" per layer type " + params->dump() +
                                     " is not supported (only full attention is)");
            params = &(*params)["full_attention"];
            key = "rope_parameters.full_attention";
        }
    } else if (j.contains("rope_scaling") && j["rope_scaling"].is_object()) {
        key = "rope_scaling";
        params = &j["rope_scaling"];
    } else if (j.contains("rope_scaling") && !j["rope_scaling"].is_null()) {
        return Status::error(origin + ": \"rope_scaling\" must be an object or null, not " + j["rope_scaling"].dump());
    }

    rope = RopeConfig{};
    Reader top{j, origin};
    SLIPWAY_TRY(top.number("rope_theta", rope.theta, 10000.0));
    if (params == nullptr) return {};
    Reader r{*params, origin};
    if (params->contains("rope_theta")) SLIPWAY_TRY(r.number("rope_theta", rope.theta));
    std::string type = "default";
    for (const char *type_key : {"rope_type", "type"})
        if (params->contains(type_key) && (*params)[type_key].is_string()) { type = (*params)[type_key]; break; }
    if (type == "default") {
        rope.type = RopeConfig::Type::Default;
    } else if (type == "linear") {
        rope.type = RopeConfig::Type::Linear;
        SLIPWAY_TRY(r.number("factor", rope.factor));
    } else if (type == "llama3") {
        rope.type = RopeConfig::Type::Llama3;
        SLIPWAY_TRY(r.number("factor", rope.factor));
        SLIPWAY_TRY(r.number("low_freq_factor", rope.low_freq_factor));
        SLIPWAY_TRY(r.number("high_freq_factor", rope.high_freq_factor));
        SLIPWAY_TRY(r.positive_int("original_max_position_embeddings", rope.original_max_position_embeddings));
        if (rope.high_freq_factor <= rope.low_freq_factor)
            return Status::error(origin + ": \"" + key + "\" needs high_freq_factor > low_freq_factor");
    } else {
        return Status::error(origin + ": \"" + key + "\" rope type '" + type +
                             "' is not supported (supported: default, linear, llama3)");
    }
    if (rope.factor <= 0) return Status::error(origin + ": \"" + key + "\" factor must be positive");
    if (rope.theta <= 0) return Status::error(origin + ": rope_theta must be positive");
    return {};
}

} // namespace

StatusOr<ModelConfig> parse_model_config(std::string_view json_text, const std::string &origin) {
    const json j = json::parse(json_text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return Status::error(origin + ": not a JSON object");
    ModelConfig c;
    Reader r{j, origin};

    std::vector<std::string> archs;
    if (j.contains("architectures") && j["architectures"].is_array())
        for (const auto &a : j["architectures"])
            if (a.is_string()) archs.push_back(a.get<std::string>());
    if (archs.empty() && j.contains("model_type") && j["model_type"].is_string()) {
        const std::string mt = j["model_type"];
        if (mt == "qwen2") archs.push_back("Qwen2ForCausalLM");
        else if (mt == "llama") archs.push_back("LlamaForCausalLM");
        else archs.push_back("model_type " + mt);
    }
    if (archs.empty()) return Status::error(origin + ": names no \"architectures\" (or \"model_type\")");
    if (archs.front() == "Qwen2ForCausalLM") c.architecture = Architecture::Qwen2;
    else if (archs.front() == "LlamaForCausalLM") c.architecture = Architecture::Llama;
    else
        return Status::error(origin + ": architecture '" + archs.front() +
                             "' is not supported (supported: Qwen2ForCausalLM, LlamaForCausalLM)");
    c.architecture_name = archs.front();
    const bool qwen = c.architecture == Architecture::Qwen2;

    SLIPWAY_TRY(r.positive_int("vocab_size", c.vocab_size));
    SLIPWAY_TRY(r.positive_int("hidden_size", c.hidden_size));
    SLIPWAY_TRY(r.positive_int("intermediate_size", c.intermediate_size));
    SLIPWAY_TRY(r.positive_int("num_hidden_layers", c.num_layers));
    SLIPWAY_TRY(r.positive_int("num_attention_heads", c.num_heads));
    SLIPWAY_TRY(r.positive_int("num_key_value_heads", c.num_kv_heads, c.num_heads));
    if (c.hidden_size % c.num_heads != 0 && !r.present("head_dim"))
        return Status::error(origin + ": hidden_size " + std::to_string(c.hidden_size) +
                             " is not a multiple of num_attention_heads " + std::to_string(c.num_heads) +
                             " and no head_dim is given");
    SLIPWAY_TRY(r.positive_int("head_dim", c.head_dim, c.hidden_size / c.num_heads));
    if (c.num_heads % c.num_kv_heads != 0)
        return Status::error(origin + ": num_attention_heads " + std::to_string(c.num_heads) +
                             " is not a multiple of num_key_value_heads " + std::to_string(c.num_kv_heads));
    if (c.head_dim % 2 != 0) return Status::error(origin + ": head_dim must be even for rotary embeddings");
    SLIPWAY_TRY(r.positive_int("max_position_embeddings", c.max_position_embeddings, qwen ? 32768 : 2048));
    SLIPWAY_TRY(r.number("rms_norm_eps", c.rms_norm_eps, 1e-6));
    SLIPWAY_TRY(r.boolean("tie_word_embeddings", c.tie_word_embeddings, false));
    if (r.present("partial_rotary_factor")) {
        double f = 1.0;
        SLIPWAY_TRY(r.number("partial_rotary_factor", f));
        if (f != 1.0) return Status::error(origin + ": partial_rotary_factor " + j["partial_rotary_factor"].dump() + " is not supported (only 1.0)");
    }

    std::string act = "silu";
    if (r.present("hidden_act")) {
        if (!j["hidden_act"].is_string()) return r.bad("hidden_act", "must be a string");
        act = j["hidden_act"].get<std::string>();
    }
    if (act != "silu") return Status::error(origin + ": hidden_act '" + act + "' is not supported (only silu)");

    if (qwen) {
        c.qkv_bias = true;
        bool sliding = false;
        SLIPWAY_TRY(r.boolean("use_sliding_window", sliding, false));
        int64_t max_window_layers = c.num_layers;
        if (sliding && r.present("max_window_layers")) {
            if (!j["max_window_layers"].is_number_integer() || j["max_window_layers"].get<int64_t>() < 0)
                return r.bad("max_window_layers", "must be a non-negative integer");
            max_window_layers = j["max_window_layers"].get<int64_t>();
        }
        if (sliding && max_window_layers < c.num_layers)
            return Status::error(origin + ": use_sliding_window is true for layers " + std::to_string(max_window_layers) +
                                 ".." + std::to_string(c.num_layers - 1) +
                                 "; sliding-window attention is not supported (set use_sliding_window to false)");
    } else {
        bool attention_bias = false;
        SLIPWAY_TRY(r.boolean("attention_bias", attention_bias, false));
        c.qkv_bias = c.o_bias = attention_bias;
        SLIPWAY_TRY(r.boolean("mlp_bias", c.mlp_bias, false));
    }
    if (r.present("layer_types")) {
        if (!j["layer_types"].is_array()) return r.bad("layer_types", "must be a list");
        for (const auto &t : j["layer_types"])
            if (!t.is_string() || t.get<std::string>() != "full_attention")
                return Status::error(origin + ": layer_types holds " + t.dump() +
                                     "; only full_attention layers are supported");
    }

    SLIPWAY_TRY(parse_rope(j, origin, c.rope));
    if (c.rope.type == RopeConfig::Type::Llama3 && c.rope.original_max_position_embeddings <= 0)
        return Status::error(origin + ": llama3 rope scaling needs original_max_position_embeddings");

    for (const char *key : {"dtype", "torch_dtype"})
        if (j.contains(key) && j[key].is_string()) { c.dtype = j[key].get<std::string>(); break; }
    if (r.present("bos_token_id")) {
        if (!j["bos_token_id"].is_number_integer()) return r.bad("bos_token_id", "must be an integer");
        c.bos_token_id = j["bos_token_id"].get<int64_t>();
    }
    SLIPWAY_TRY(parse_token_ids(j, "eos_token_id", origin, c.eos_token_ids));
    return c;
}

StatusOr<ModelConfig> load_model_config(const std::filesystem::path &config_json) {
    std::ifstream in(config_json, std::ios::binary);
    if (!in) return Status::error(config_json.string() + ": cannot read (is this a Hugging Face model folder?)");
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse_model_config(ss.str(), config_json.string());
}

} // namespace slipway::engine
