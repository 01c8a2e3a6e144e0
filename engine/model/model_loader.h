#pragma once
// A model folder loaded and checked against its graph: config, generation defaults, and a typed
// view of every weight the Qwen2 / Llama graph reads (pointers into the memory-mapped files).
// Every expected tensor is present, shaped as config.json implies, and of dtype F32, F16 or
// BF16, or load_model fails naming the file and tensor. Backends convert or upload from here.
#include <filesystem>
#include <memory>
#include <vector>

#include "model/generation_config.h"
#include "model/model_config.h"
#include "model/weight_store.h"
#include "slipway/engine/status.h"

namespace slipway::engine {

// Biases are nullptr where the architecture has none.
struct LayerTensors {
    const TensorView *input_norm = nullptr;           // [hidden]
    const TensorView *q_proj = nullptr, *q_bias = nullptr;  // [heads*head_dim, hidden], [heads*head_dim]
    const TensorView *k_proj = nullptr, *k_bias = nullptr;  // [kv_heads*head_dim, hidden]
    const TensorView *v_proj = nullptr, *v_bias = nullptr;  // [kv_heads*head_dim, hidden]
    const TensorView *o_proj = nullptr, *o_bias = nullptr;  // [hidden, heads*head_dim], [hidden]
    const TensorView *post_attention_norm = nullptr;  // [hidden]
    const TensorView *gate_proj = nullptr, *gate_bias = nullptr;  // [intermediate, hidden]
    const TensorView *up_proj = nullptr, *up_bias = nullptr;      // [intermediate, hidden]
    const TensorView *down_proj = nullptr, *down_bias = nullptr;  // [hidden, intermediate]
};

struct ModelTensors {
    const TensorView *embed_tokens = nullptr;  // [vocab, hidden]
    std::vector<LayerTensors> layers;
    const TensorView *final_norm = nullptr;    // [hidden]
    const TensorView *lm_head = nullptr;       // [vocab, hidden]; == embed_tokens when tied
};

// Immutable once loaded; share it between threads freely.
struct LoadedModel {
    std::filesystem::path dir;
    ModelConfig config;
    GenerationDefaults generation;
    std::shared_ptr<const WeightStore> weights;  // owns the mappings the views point into
    ModelTensors tensors;
};

StatusOr<std::shared_ptr<const LoadedModel>> load_model(const std::filesystem::path &model_dir);

// The folder's config.json and generation_config.json only, with no weights (weights is null,
// tensors empty): for runners that draw random weights of the model's shape (benchmarks:
// `slipway-engine serve --random-weights` needs no checkpoint, only a config and a tokenizer).
StatusOr<std::shared_ptr<const LoadedModel>> load_model_shape(const std::filesystem::path &model_dir);

// Checks `weights` against `config` and fills the typed view (exposed for tests and tools).
StatusOr<ModelTensors> bind_model_tensors(const ModelConfig &config, const WeightStore &weights);

} // namespace slipway::engine
