#include "model/model_loader.h"

#include <string>

namespace slipway::engine {

namespace {

std::string shape_string(const std::vector<int64_t> &shape) {
    std::string out = "[";
    for (size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
    return out + "]";
}

class Binder {
public:
    explicit Binder(const WeightStore &weights) : weights_(weights) {}

    Status bind(const std::string &name, std::vector<int64_t> shape, const TensorView *&out) {
        const TensorView *view = weights_.find(name);
        if (view == nullptr)
            return Status::error(weights_.expected_file(name) + ": tensor '" + name + "' is missing (expected shape " +
                                 shape_string(shape) + ")");
        if (view->shape != shape)
            return Status::error(view->file + ": tensor '" + name + "' has shape " + view->shape_string() +
                                 " but config.json implies " + shape_string(shape));
        if (!is_supported_weight_dtype(view->dtype))
            return Status::error(view->file + ": tensor '" + name + "' has dtype " + view->dtype_name +
                                 ", which is not supported (supported: BF16, F16, F32; quantized checkpoints "
                                 "need a dequantized copy)");
        out = view;
        return {};
    }

private:
    const WeightStore &weights_;
};

#define SLIPWAY_BIND(name, shape, out) \
    do { if (Status s_ = binder.bind((name), (shape), (out)); !s_.ok()) return s_; } while (0)

} // namespace

StatusOr<ModelTensors> bind_model_tensors(const ModelConfig &c, const WeightStore &weights) {
    Binder binder(weights);
    ModelTensors t;
    const int64_t h = c.hidden_size, q_dim = c.num_heads * c.head_dim, kv_dim = c.num_kv_heads * c.head_dim;
    const int64_t inter = c.intermediate_size;
    SLIPWAY_BIND("model.embed_tokens.weight", (std::vector<int64_t>{c.vocab_size, h}), t.embed_tokens);
    t.layers.resize(static_cast<size_t>(c.num_layers));
    for (int64_t i = 0; i < c.num_layers; ++i) {
        LayerTensors &l = t.layers[static_cast<size_t>(i)];
        const std::string p = "model.layers." + std::to_string(i) + ".";
        SLIPWAY_BIND(p + "input_layernorm.weight", (std::vector<int64_t>{h}), l.input_norm);
        SLIPWAY_BIND(p + "self_attn.q_proj.weight", (std::vector<int64_t>{q_dim, h}), l.q_proj);
        SLIPWAY_BIND(p + "self_attn.k_proj.weight", (std::vector<int64_t>{kv_dim, h}), l.k_proj);
        SLIPWAY_BIND(p + "self_attn.v_proj.weight", (std::vector<int64_t>{kv_dim, h}), l.v_proj);
        SLIPWAY_BIND(p + "self_attn.o_proj.weight", (std::vector<int64_t>{h, q_dim}), l.o_proj);
        if (c.qkv_bias) {
            SLIPWAY_BIND(p + "self_attn.q_proj.bias", (std::vector<int64_t>{q_dim}), l.q_bias);
            SLIPWAY_BIND(p + "self_attn.k_proj.bias", (std::vector<int64_t>{kv_dim}), l.k_bias);
            SLIPWAY_BIND(p + "self_attn.v_proj.bias", (std::vector<int64_t>{kv_dim}), l.v_bias);
        }
        if (c.o_bias) SLIPWAY_BIND(p + "self_attn.o_proj.bias", (std::vector<int64_t>{h}), l.o_bias);
        SLIPWAY_BIND(p + "post_attention_layernorm.weight", (std::vector<int64_t>{h}), l.post_attention_norm);
        SLIPWAY_BIND(p + "mlp.gate_proj.weight", (std::vector<int64_t>{inter, h}), l.gate_proj);
        SLIPWAY_BIND(p + "mlp.up_proj.weight", (std::vector<int64_t>{inter, h}), l.up_proj);
        SLIPWAY_BIND(p + "mlp.down_proj.weight", (std::vector<int64_t>{h, inter}), l.down_proj);
        if (c.mlp_bias) {
            SLIPWAY_BIND(p + "mlp.gate_proj.bias", (std::vector<int64_t>{inter}), l.gate_bias);
            SLIPWAY_BIND(p + "mlp.up_proj.bias", (std::vector<int64_t>{inter}), l.up_bias);
            SLIPWAY_BIND(p + "mlp.down_proj.bias", (std::vector<int64_t>{h}), l.down_bias);
        }
    }
    SLIPWAY_BIND("model.norm.weight", (std::vector<int64_t>{h}), t.final_norm);
    if (c.tie_word_embeddings) {
        // A tied checkpoint may still carry lm_head.weight (a copy of the embedding); the
        // embedding is authoritative, as in transformers.
        t.lm_head = t.embed_tokens;
    } else {
        SLIPWAY_BIND("lm_head.weight", (std::vector<int64_t>{c.vocab_size, h}), t.lm_head);
    }
    return t;
}

namespace {

StatusOr<std::shared_ptr<LoadedModel>> load_config_files(const std::filesystem::path &model_dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(model_dir, ec))
        return Status::error(model_dir.string() + ": not a folder (--model-path must name a Hugging Face model folder)");
    auto model = std::make_shared<LoadedModel>();
    model->dir = model_dir;
    auto config = load_model_config(model_dir / "config.json");
    if (!config) return config.status();
    model->config = std::move(config).value();
    auto generation = load_generation_config(model_dir / "generation_config.json");
    if (!generation) return generation.status();
    model->generation = std::move(generation).value();
    return model;
}

} // namespace

StatusOr<std::shared_ptr<const LoadedModel>> load_model_shape(const std::filesystem::path &model_dir) {
    auto model = load_config_files(model_dir);
    if (!model) return model.status();
    return std::shared_ptr<const LoadedModel>(std::move(model).value());
}

StatusOr<std::shared_ptr<const LoadedModel>> load_model(const std::filesystem::path &model_dir) {
    auto loaded = load_config_files(model_dir);
    if (!loaded) return loaded.status();
    std::shared_ptr<LoadedModel> model = std::move(loaded).value();
    auto weights = WeightStore::open(model_dir);
    if (!weights) return weights.status();
    model->weights = std::move(weights).value();
    auto tensors = bind_model_tensors(model->config, *model->weights);
    if (!tensors) return tensors.status();
    model->tensors = std::move(tensors).value();
    return std::shared_ptr<const LoadedModel>(std::move(model));
}

} // namespace slipway::engine
