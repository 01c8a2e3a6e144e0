// Model folder loading: config.json (transformers 4.x and 5.x layouts), generation_config.json,
// memory-mapped safetensors (single and sharded, bf16/fp16/fp32), and the start-up errors for
// broken folders, each naming the file and tensor.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <functional>
#include <random>
#include <set>
#include <sstream>

#include "model/dtype.h"
#include "model/model_loader.h"

namespace fs = std::filesystem;
using namespace slipway::engine;
using nlohmann::json;

namespace {

const fs::path kFixtures = SLIPWAY_ENGINE_FIXTURES;

std::string read_file(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_file(const fs::path &p, const std::string &data) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << data;
}

// A writable copy of a fixture model in a fresh temporary folder, removed afterwards.
class TempModel {
public:
    explicit TempModel(const std::string &fixture) {
        std::random_device rd;
        dir_ = fs::temp_directory_path() / ("slipway-model-test-" + std::to_string(rd()) + "-" + fixture);
        fs::create_directories(dir_);
        for (const auto &e : fs::directory_iterator(kFixtures / fixture)) fs::copy_file(e.path(), dir_ / e.path().filename());
        for (const auto &e : fs::directory_iterator(dir_))
            fs::permissions(e.path(), fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::add);
    }
    ~TempModel() {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    const fs::path &dir() const { return dir_; }

    // Rewrites one safetensors file's JSON header through `edit`, keeping the data section.
    template <typename Edit>
    void edit_header(const std::string &file, Edit edit) {
        const std::string bytes = read_file(dir_ / file);
        uint64_t len = 0;
        std::memcpy(&len, bytes.data(), 8);
        json header = json::parse(bytes.substr(8, len));
        edit(header);
        std::string text = header.dump();
        while (text.size() % 8 != 0) text += ' ';
        uint64_t new_len = text.size();
        std::string out(reinterpret_cast<const char *>(&new_len), 8);
        out += text;
        out += bytes.substr(8 + len);
        write_file(dir_ / file, out);
    }
    void edit_json(const std::string &file, const std::function<void(json &)> &edit) {
        json j = json::parse(read_file(dir_ / file));
        edit(j);
        write_file(dir_ / file, j.dump(2));
    }

private:
    fs::path dir_;
};

std::shared_ptr<const LoadedModel> load_ok(const fs::path &dir) {
    auto m = load_model(dir);
    EXPECT_TRUE(m.ok()) << m.message();
    return m.ok() ? m.value() : nullptr;
}

std::string load_error(const fs::path &dir) {
    auto m = load_model(dir);
    EXPECT_FALSE(m.ok()) << "loading " << dir << " should have failed";
    return m.message();
}

std::vector<float> to_f32(const TensorView &v) {
    std::vector<float> out(static_cast<size_t>(v.numel()));
    EXPECT_TRUE(convert_to_f32(v.dtype, v.data, out.size(), out.data()));
    return out;
}

} // namespace

TEST(DType, WidensBf16AndFp16Exactly) {
    EXPECT_EQ(bf16_to_float(0x3f80), 1.0f);
    EXPECT_EQ(bf16_to_float(0xc040), -3.0f);
    EXPECT_EQ(bf16_to_float(0x0001), std::ldexp(1.0f, -133));  // bf16 subnormals are fp32 subnormals
    EXPECT_EQ(fp16_to_float(0x3c00), 1.0f);
    EXPECT_EQ(fp16_to_float(0xc000), -2.0f);
    EXPECT_EQ(fp16_to_float(0x7bff), 65504.0f);
    EXPECT_EQ(fp16_to_float(0x0001), std::ldexp(1.0f, -24));
    EXPECT_EQ(fp16_to_float(0x03ff), std::ldexp(1023.0f, -24));
    EXPECT_EQ(fp16_to_float(0x8000), -0.0f);
    EXPECT_TRUE(std::signbit(fp16_to_float(0x8000)));
    EXPECT_TRUE(std::isinf(fp16_to_float(0x7c00)));
    EXPECT_TRUE(std::isnan(fp16_to_float(0x7e00)));
    EXPECT_EQ(parse_dtype("BF16"), DType::BF16);
    EXPECT_EQ(parse_dtype("F8_E4M3"), DType::F8E4M3);
    EXPECT_EQ(parse_dtype("C64"), DType::Unknown);
    std::byte raw[8] = {};
    float out[2];
    EXPECT_FALSE(convert_to_f32(DType::I32, raw, 2, out));
}

TEST(ModelLoader, LoadsQwen2Bf16WrittenByTransformers5) {
    auto m = load_ok(kFixtures / "qwen2-tiny-bf16");
    ASSERT_TRUE(m);
    const ModelConfig &c = m->config;
    EXPECT_EQ(c.architecture, Architecture::Qwen2);
    EXPECT_EQ(c.vocab_size, 512);
    EXPECT_EQ(c.hidden_size, 64);
    EXPECT_EQ(c.intermediate_size, 128);
    EXPECT_EQ(c.num_layers, 2);
    EXPECT_EQ(c.num_heads, 4);
    EXPECT_EQ(c.num_kv_heads, 2);
    EXPECT_EQ(c.head_dim, 16);
    EXPECT_EQ(c.max_position_embeddings, 256);
    EXPECT_DOUBLE_EQ(c.rms_norm_eps, 1e-6);
    EXPECT_EQ(c.rope.type, RopeConfig::Type::Default);
    EXPECT_DOUBLE_EQ(c.rope.theta, 10000.0);
    EXPECT_TRUE(c.qkv_bias);
    EXPECT_FALSE(c.o_bias);
    EXPECT_FALSE(c.tie_word_embeddings);
    EXPECT_EQ(c.dtype, "bfloat16");

    EXPECT_TRUE(m->generation.present);
    EXPECT_EQ(m->generation.temperature, 0.7);
    EXPECT_EQ(m->generation.top_p, 0.8);
    EXPECT_EQ(m->generation.top_k, 20);
    EXPECT_EQ(m->generation.repetition_penalty, 1.05);
    EXPECT_EQ(m->generation.do_sample, true);
    EXPECT_EQ(m->generation.bos_token_id, 0);
    EXPECT_EQ(m->generation.eos_token_ids, (std::vector<int64_t>{2, 0}));

    const ModelTensors &t = m->tensors;
    ASSERT_EQ(t.layers.size(), 2u);
    EXPECT_EQ(t.embed_tokens->dtype, DType::BF16);
    EXPECT_EQ(t.embed_tokens->shape, (std::vector<int64_t>{512, 64}));
    EXPECT_NE(t.lm_head, t.embed_tokens);
    EXPECT_EQ(t.lm_head->name, "lm_head.weight");
    ASSERT_NE(t.layers[1].q_bias, nullptr);
    EXPECT_EQ(t.layers[1].k_bias->shape, (std::vector<int64_t>{32}));
    EXPECT_EQ(t.layers[0].o_bias, nullptr);
    EXPECT_EQ(t.layers[0].down_proj->shape, (std::vector<int64_t>{64, 128}));
    EXPECT_EQ(t.layers[0].q_proj->nbytes, 64u * 64u * 2u);
    EXPECT_FALSE(m->weights->sharded());
    // Norm weights were initialised near 1: the mapped bytes decode to sane values.
    const auto norm = to_f32(*t.final_norm);
    for (float v : norm) EXPECT_NEAR(v, 1.0f, 0.6f);
}

TEST(ModelLoader, LoadsTiedLlamaFp16WithLlama3Rope) {
    auto m = load_ok(kFixtures / "llama-tiny-fp16");
    ASSERT_TRUE(m);
    const ModelConfig &c = m->config;
    EXPECT_EQ(c.architecture, Architecture::Llama);
    EXPECT_EQ(c.num_kv_heads, 1);
    EXPECT_EQ(c.head_dim, 24);  // explicit head_dim, not hidden / heads
    EXPECT_TRUE(c.tie_word_embeddings);
    EXPECT_FALSE(c.qkv_bias);
    EXPECT_EQ(c.rope.type, RopeConfig::Type::Llama3);
    EXPECT_DOUBLE_EQ(c.rope.factor, 8.0);
    EXPECT_DOUBLE_EQ(c.rope.low_freq_factor, 1.0);
    EXPECT_DOUBLE_EQ(c.rope.high_freq_factor, 4.0);
    EXPECT_EQ(c.rope.original_max_position_embeddings, 64);
    EXPECT_EQ(m->tensors.lm_head, m->tensors.embed_tokens);
    EXPECT_EQ(m->tensors.embed_tokens->dtype, DType::F16);
    EXPECT_EQ(m->tensors.layers[0].q_proj->shape, (std::vector<int64_t>{96, 64}));
    EXPECT_EQ(m->tensors.layers[0].o_proj->shape, (std::vector<int64_t>{64, 96}));
    EXPECT_EQ(m->tensors.layers[0].q_bias, nullptr);
    EXPECT_EQ(m->generation.eos_token_ids, (std::vector<int64_t>{2}));
    EXPECT_FALSE(m->generation.top_k.has_value());
}

TEST(ModelLoader, LoadsShardedFp32WithTransformers4Config) {
    auto sharded = load_ok(kFixtures / "llama-tiny-fp32-sharded");
    auto single = load_ok(kFixtures / "llama-tiny-fp16");
    ASSERT_TRUE(sharded && single);
    EXPECT_TRUE(sharded->weights->sharded());
    EXPECT_EQ(sharded->weights->files().size(), 2u);
    EXPECT_EQ(sharded->config.dtype, "float32");
    // rope_theta + rope_scaling (4.x) read the same as rope_parameters (5.x).
    EXPECT_EQ(sharded->config.rope.type, RopeConfig::Type::Llama3);
    EXPECT_DOUBLE_EQ(sharded->config.rope.theta, single->config.rope.theta);
    EXPECT_EQ(sharded->config.rope.original_max_position_embeddings, 64);
    // Tensors come from both shards, and fp32 = widened fp16, element for element.
    std::set<std::string> files;
    for (const auto &[name, view] : sharded->weights->tensors()) {
        files.insert(view.file);
        EXPECT_EQ(view.dtype, DType::F32) << name;
        const TensorView *other = single->weights->find(name);
        ASSERT_NE(other, nullptr) << name;
        EXPECT_EQ(to_f32(view), to_f32(*other)) << name;
    }
    EXPECT_EQ(files.size(), 2u);
}

TEST(ModelConfig, ParsesTransformers4QwenLayout) {
    const std::string text = R"({
      "architectures": ["Qwen2ForCausalLM"], "hidden_act": "silu", "hidden_size": 1536,
      "intermediate_size": 8960, "max_position_embeddings": 131072, "max_window_layers": 21,
      "model_type": "qwen2", "num_attention_heads": 12, "num_hidden_layers": 28, "num_key_value_heads": 2,
      "rms_norm_eps": 1e-06, "rope_scaling": null, "rope_theta": 10000, "sliding_window": 4096,
      "tie_word_embeddings": false, "torch_dtype": "bfloat16", "transformers_version": "4.44.0",
      "use_cache": true, "use_sliding_window": false, "vocab_size": 151936,
      "bos_token_id": 151643, "eos_token_id": 151643})";
    auto c = parse_model_config(text, "config.json");
    ASSERT_TRUE(c.ok()) << c.message();
    EXPECT_EQ(c->head_dim, 128);
    EXPECT_EQ(c->rope.type, RopeConfig::Type::Default);
    EXPECT_DOUBLE_EQ(c->rope.theta, 10000.0);
    EXPECT_EQ(c->dtype, "bfloat16");
    EXPECT_EQ(c->bos_token_id, 151643);
    EXPECT_EQ(c->eos_token_ids, (std::vector<int64_t>{151643}));
}

TEST(ModelConfig, ParsesLlama31RopeScalingWithOldTypeKey) {
    const std::string text = R"({
      "architectures": ["LlamaForCausalLM"], "hidden_size": 4096, "intermediate_size": 14336,
      "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8, "vocab_size": 128256,
      "max_position_embeddings": 131072, "rms_norm_eps": 1e-05, "rope_theta": 500000.0,
      "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                       "original_max_position_embeddings": 8192, "type": "llama3"},
      "eos_token_id": [128001, 128008, 128009], "tie_word_embeddings": false})";
    auto c = parse_model_config(text, "config.json");
    ASSERT_TRUE(c.ok()) << c.message();
    EXPECT_EQ(c->rope.type, RopeConfig::Type::Llama3);
    EXPECT_DOUBLE_EQ(c->rope.theta, 500000.0);
    EXPECT_EQ(c->rope.original_max_position_embeddings, 8192);
    EXPECT_EQ(c->eos_token_ids.size(), 3u);
}

TEST(ModelConfig, RejectsWhatTheGraphsCannotRun) {
    const json base = json::parse(read_file(kFixtures / "qwen2-tiny-bf16" / "config.json"));
    struct Row { const char *name; std::function<void(json &)> edit; const char *needle; };
    const std::vector<Row> rows = {
        {"unsupported architecture", [](json &j) { j["architectures"] = {"MistralForCausalLM"}; },
         "architecture 'MistralForCausalLM' is not supported"},
        {"yarn rope", [](json &j) { j["rope_parameters"] = {{"rope_type", "yarn"}, {"factor", 4.0}, {"rope_theta", 1e6}}; },
         "rope type 'yarn' is not supported"},
        {"sliding window layers", [](json &j) { j["use_sliding_window"] = true; j["max_window_layers"] = 1; },
         "sliding-window attention is not supported"},
        {"sliding layer type", [](json &j) { j["layer_types"] = {"full_attention", "sliding_attention"}; },
         "only full_attention layers are supported"},
        {"gelu", [](json &j) { j["hidden_act"] = "gelu"; }, "hidden_act 'gelu' is not supported"},
        {"missing hidden_size", [](json &j) { j.erase("hidden_size"); }, "\"hidden_size\" is missing"},
        {"string vocab", [](json &j) { j["vocab_size"] = "512"; }, "\"vocab_size\" must be a positive integer"},
        {"heads not divisible", [](json &j) { j["num_key_value_heads"] = 3; }, "not a multiple of num_key_value_heads"},
    };
    for (const auto &row : rows) {
        json j = base;
        row.edit(j);
        auto c = parse_model_config(j.dump(), "/m/config.json");
        ASSERT_FALSE(c.ok()) << row.name;
        EXPECT_NE(c.message().find("/m/config.json"), std::string::npos) << row.name << ": " << c.message();
        EXPECT_NE(c.message().find(row.needle), std::string::npos) << row.name << ": " << c.message();
    }
}

TEST(GenerationConfig, MissingFileIsNotAnError) {
    TempModel m("llama-tiny-fp16");
    fs::remove(m.dir() / "generation_config.json");
    auto loaded = load_ok(m.dir());
    ASSERT_TRUE(loaded);
    EXPECT_FALSE(loaded->generation.present);
    EXPECT_FALSE(loaded->generation.temperature.has_value());
    auto bad = parse_generation_config(R"({"temperature": "hot"})", "generation_config.json");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.message().find("\"temperature\" must be a number"), std::string::npos) << bad.message();
}

TEST(ModelLoaderErrors, MissingTensorNamesFileAndTensor) {
    TempModel m("qwen2-tiny-bf16");
    m.edit_header("model.safetensors", [](json &h) { h.erase("model.layers.1.mlp.up_proj.weight"); });
    const std::string msg = load_error(m.dir());
    EXPECT_NE(msg.find("model.safetensors"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'model.layers.1.mlp.up_proj.weight' is missing"), std::string::npos) << msg;
}

TEST(ModelLoaderErrors, MissingUntiedHeadIsAnError) {
    TempModel m("qwen2-tiny-bf16");
    m.edit_header("model.safetensors", [](json &h) { h.erase("lm_head.weight"); });
    const std::string msg = load_error(m.dir());
    EXPECT_NE(msg.find("'lm_head.weight' is missing"), std::string::npos) << msg;
}

TEST(ModelLoaderErrors, MissingTensorInShardNamesTheShard) {
    TempModel m("llama-tiny-fp32-sharded");
    m.edit_header("model-00002-of-00002.safetensors", [](json &h) { h.erase("model.norm.weight"); });
    const std::string msg = load_error(m.dir());
    EXPECT_NE(msg.find("model-00002-of-00002.safetensors"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'model.norm.weight'"), std::string::npos) << msg;
}

TEST(ModelLoaderErrors, MissingShardFile) {
    TempModel m("llama-tiny-fp32-sharded");
    fs::remove(m.dir() / "model-00001-of-00002.safetensors");
    const std::string msg = load_error(m.dir());
    EXPECT_NE(msg.find("model-00001-of-00002.safetensors: missing"), std::string::npos) << msg;
    EXPECT_NE(msg.find("model.safetensors.index.json"), std::string::npos) << msg;
}

TEST(ModelLoaderErrors, WrongShapeNamesTensorAndBothShapes) {
    TempModel m("qwen2-tiny-bf16");
    // Same byte count, transposed: only the shape check can catch it.
    m.edit_header("model.safetensors",
                  [](json &h) { h["model.layers.0.mlp.gate_proj.weight"]["shape"] = {64, 128}; });
    const std::string msg = load_error(m.dir());
    EXPECT_NE(msg.find("model.safetensors: tensor 'model.layers.0.mlp.gate_proj.weight' has shape [64, 128]"),
              std::string::npos) << msg;
    EXPECT_NE(msg.find("config.json implies [128, 64]"), std::string::npos) << msg;
}

TEST(ModelLoaderErrors, ConfigDisagreeingWithWeights) {
    TempModel m("llama-tiny-fp16");
    m.edit_json("config.json", [](json &j) { j["intermediate_size"] = 128; });
    const std::string msg = load_error(m.dir());
    EXPECT_NE(msg.find("mlp.gate_proj.weight' has shape [96, 64]"), std::string::npos) << msg;
}

TEST(ModelLoaderErrors, TruncatedFileNamesFileAndTensor) {
    TempModel m("qwen2-tiny-bf16");
    const fs::path file = m.dir() / "model.safetensors";
    const std::string bytes = read_file(file);
    write_file(file, bytes.substr(0, bytes.size() - 1000));
    const std::string msg = load_error(m.dir());
    EXPECT_NE(msg.find("model.safetensors: tensor '"), std::string::npos) << msg;
    EXPECT_NE(msg.find("truncated"), std::string::npos) << msg;
}

TEST(ModelLoaderErrors, TruncatedInsideHeader) {
    TempModel m("qwen2-tiny-bf16");
    const fs::path file = m.dir() / "model.safetensors";
    write_file(file, read_file(file).substr(0, 100));
    const std::string msg = load_error(m.dir());
    EXPECT_NE(msg.find("model.safetensors: header claims"), std::string::npos) << msg;
    write_file(file, "abc");
    EXPECT_NE(load_error(m.dir()).find("too short for a safetensors file"), std::string::npos);
}

TEST(ModelLoaderErrors, UnsupportedDtypeNamesTensor) {
    TempModel m("qwen2-tiny-bf16");
    m.edit_header("model.safetensors", [](json &h) { h["model.layers.0.self_attn.k_proj.weight"]["dtype"] = "I16"; });
    const std::string msg = load_error(m.dir());
    EXPECT_NE(msg.find("tensor 'model.layers.0.self_attn.k_proj.weight' has dtype I16"), std::string::npos) << msg;
    EXPECT_NE(msg.find("supported: BF16, F16, F32"), std::string::npos) << msg;
}

TEST(ModelLoaderErrors, InconsistentByteCount) {
    TempModel m("qwen2-tiny-bf16");
    m.edit_header("model.safetensors", [](json &h) { h["model.norm.weight"]["dtype"] = "F32"; });
    const std::string msg = load_error(m.dir());
    EXPECT_NE(msg.find("tensor 'model.norm.weight': dtype F32 and shape [64] need 256 bytes"), std::string::npos) << msg;
}

TEST(ModelLoaderErrors, UnsupportedArchitectureNamesConfig) {
    TempModel m("qwen2-tiny-bf16");
    m.edit_json("config.json", [](json &j) { j["architectures"] = {"GPT2LMHeadModel"}; });
    const std::string msg = load_error(m.dir());
    EXPECT_NE(msg.find("config.json: architecture 'GPT2LMHeadModel' is not supported"), std::string::npos) << msg;
}

TEST(ModelLoaderErrors, NoWeightsOrNoFolder) {
    TempModel m("qwen2-tiny-bf16");
    fs::remove(m.dir() / "model.safetensors");
    EXPECT_NE(load_error(m.dir()).find("no model.safetensors"), std::string::npos);
    EXPECT_NE(load_error(m.dir() / "nope").find("not a folder"), std::string::npos);
    fs::remove(m.dir() / "config.json");
    EXPECT_NE(load_error(m.dir()).find("config.json: cannot read"), std::string::npos);
}
