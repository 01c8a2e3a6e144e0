#pragma once
// config.json of a Hugging Face causal LM, as written by transformers 4.x (rope_theta,
// rope_scaling, torch_dtype) or 5.x (rope_parameters, dtype). Architectures: Qwen2ForCausalLM
// and LlamaForCausalLM; anything the graphs cannot run (sliding-window layers, another
// activation, an unknown rope type) is an error naming config.json and the field.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "slipway/engine/status.h"

namespace slipway::engine {

enum class Architecture { Qwen2, Llama };

struct RopeConfig {
    enum class Type { Default, Linear, Llama3 };
    Type type = Type::Default;
    double theta = 10000.0;
    double factor = 1.0;                     // linear, llama3
    double low_freq_factor = 1.0;            // llama3
    double high_freq_factor = 4.0;           // llama3
    int64_t original_max_position_embeddings = 0;  // llama3
};

struct ModelConfig {
    std::string architecture_name;  // as in config.json, e.g. "Qwen2ForCausalLM"
    Architecture architecture = Architecture::Llama;
    int64_t vocab_size = 0;
    int64_t hidden_size = 0;
    int64_t intermediate_size = 0;
    int64_t num_layers = 0;
    int64_t num_heads = 0;
    int64_t num_kv_heads = 0;
    int64_t head_dim = 0;
    int64_t max_position_embeddings = 0;
    double rms_norm_eps = 1e-6;
    RopeConfig rope;
    bool tie_word_embeddings = false;
    bool qkv_bias = false;   // Qwen2 always; Llama with attention_bias
    bool o_bias = false;     // Llama with attention_bias
    bool mlp_bias = false;   // Llama with mlp_bias
    std::string dtype;       // "bfloat16" etc. from dtype / torch_dtype; may be empty
    std::optional<int64_t> bos_token_id;
    std::vector<int64_t> eos_token_ids;
};

// `origin` names the file in messages.
StatusOr<ModelConfig> parse_model_config(std::string_view json_text, const std::string &origin);
StatusOr<ModelConfig> load_model_config(const std::filesystem::path &config_json);

} // namespace slipway::engine
