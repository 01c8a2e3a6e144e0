#include "tools/make_model.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "model/model_config.h"
#include "model/model_loader.h"

namespace slipway::engine {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct TensorSpec {
    std::string name;
    std::vector<int64_t> shape;
    enum class Init { normal, ones } init = Init::normal;
    float stddev = 0.02f;

    size_t numel() const {
        size_t n = 1;
        for (int64_t d : shape) n *= static_cast<size_t>(d);
        return n;
    }
};

uint64_t splitmix64(uint64_t &state) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint64_t fnv1a(const std::string &s) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : s) {
        h ^= c;
        h *= 0x100000001b3ull;
    }
    return h;
}

// Round to nearest even, as torch does when casting fp32 to bf16.
uint16_t float_to_bf16(float f) {
    uint32_t bits = 0;
    std::memcpy(&bits, &f, 4);
    if ((bits & 0x7fffffffu) > 0x7f800000u) return 0x7fc0;  // NaN
    bits += 0x7fffu + ((bits >> 16) & 1u);
    return static_cast<uint16_t>(bits >> 16);
}

// fp32 -> IEEE half, round to nearest even (values here are small and finite).
uint16_t float_to_fp16(float f) {
    uint32_t x = 0;
    std::memcpy(&x, &f, 4);
    const uint32_t sign = (x >> 16) & 0x8000u;
    const int32_t exp = static_cast<int32_t>((x >> 23) & 0xff) - 127 + 15;
    uint32_t mant = x & 0x7fffffu;
    if (exp >= 31) return static_cast<uint16_t>(sign | 0x7c00u);
    if (exp <= 0) {
        if (exp < -10) return static_cast<uint16_t>(sign);
        mant |= 0x800000u;
        const int shift = 14 - exp;
        uint32_t half = mant >> shift;
        const uint32_t rem = mant & ((1u << shift) - 1);
        const uint32_t mid = 1u << (shift - 1);
        if (rem > mid || (rem == mid && (half & 1u))) ++half;
        return static_cast<uint16_t>(sign | half);
    }
    uint32_t half = (static_cast<uint32_t>(exp) << 10) | (mant >> 13);
    const uint32_t rem = mant & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (half & 1u))) ++half;
    return static_cast<uint16_t>(sign | half);
}

std::vector<TensorSpec> tensor_specs(const ModelConfig &c) {
    const int64_t h = c.hidden_size;
    const int64_t q = c.num_heads * c.head_dim;
    const int64_t kv = c.num_kv_heads * c.head_dim;
    const int64_t ffn = c.intermediate_size;
    std::vector<TensorSpec> specs;
    auto add = [&specs](std::string name, std::vector<int64_t> shape, TensorSpec::Init init = TensorSpec::Init::normal) {
        specs.push_back({std::move(name), std::move(shape), init, 0.02f});
    };
    add("model.embed_tokens.weight", {c.vocab_size, h});
    for (int64_t i = 0; i < c.num_layers; ++i) {
        const std::string p = "model.layers." + std::to_string(i) + ".";
        add(p + "input_layernorm.weight", {h}, TensorSpec::Init::ones);
        add(p + "self_attn.q_proj.weight", {q, h});
        add(p + "self_attn.k_proj.weight", {kv, h});
        add(p + "self_attn.v_proj.weight", {kv, h});
        if (c.qkv_bias) {
            add(p + "self_attn.q_proj.bias", {q});
            add(p + "self_attn.k_proj.bias", {kv});
            add(p + "self_attn.v_proj.bias", {kv});
        }
        add(p + "self_attn.o_proj.weight", {h, q});
        if (c.o_bias) add(p + "self_attn.o_proj.bias", {h});
        add(p + "post_attention_layernorm.weight", {h}, TensorSpec::Init::ones);
        add(p + "mlp.gate_proj.weight", {ffn, h});
        add(p + "mlp.up_proj.weight", {ffn, h});
        add(p + "mlp.down_proj.weight", {h, ffn});
        if (c.mlp_bias) {
            add(p + "mlp.gate_proj.bias", {ffn});
            add(p + "mlp.up_proj.bias", {ffn});
            add(p + "mlp.down_proj.bias", {h});
        }
    }
    add("model.norm.weight", {h}, TensorSpec::Init::ones);
    if (!c.tie_word_embeddings) add("lm_head.weight", {c.vocab_size, h});
    return specs;
}

StatusOr<json> read_json(const fs::path &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::error("cannot read " + path.string());
    std::stringstream ss;
    ss << in.rdbuf();
    json j = json::parse(ss.str(), nullptr, false);
    if (j.is_discarded()) return Status::error(path.string() + " is not valid JSON");
    return j;
}

Status write_file(const fs::path &path, const std::string &text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) return Status::error("cannot write " + path.string());
    return {};
}

// The highest token id tokenizer.json can produce.
StatusOr<int64_t> max_token_id(const fs::path &tokenizer_json) {
    auto j = read_json(tokenizer_json);
    if (!j.ok()) return j.status();
    int64_t max_id = -1;
    const json &vocab = j.value()["model"]["vocab"];
    if (vocab.is_object()) {
        for (const auto &item : vocab.items()) {
            if (item.value().is_number_integer()) max_id = std::max(max_id, item.value().get<int64_t>());
        }
    }
    const json &added = j.value()["added_tokens"];
    if (added.is_array()) {
        for (const json &t : added) {
            if (t.contains("id") && t["id"].is_number_integer()) max_id = std::max(max_id, t["id"].get<int64_t>());
        }
    }
    if (max_id < 0) return Status::error(tokenizer_json.string() + " has no model.vocab; is it a tokenizer.json?");
    return max_id;
}

Status write_safetensors(const fs::path &path, const std::vector<TensorSpec> &specs, uint64_t seed,
                         const std::string &dtype) {
    const size_t elem = dtype == "fp32" ? 4 : 2;
    const std::string st_dtype = dtype == "fp32" ? "F32" : dtype == "fp16" ? "F16" : "BF16";
    json header = json::object();
    size_t offset = 0;
    for (const TensorSpec &t : specs) {
        const size_t bytes = t.numel() * elem;
        header[t.name] = {{"dtype", st_dtype}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    header["__metadata__"] = {{"format", "pt"}, {"generator", "slipway-engine make-model"},
                              {"seed", std::to_string(seed)}};
    std::string head = header.dump();
    head.append((8 - head.size() % 8) % 8, ' ');  // data starts 8-byte aligned
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) return Status::error("cannot write " + path.string());
    uint64_t len = head.size();
    unsigned char len_le[8];
    for (int i = 0; i < 8; ++i) len_le[i] = static_cast<unsigned char>(len >> (8 * i));
    out.write(reinterpret_cast<const char *>(len_le), 8);
    out.write(head.data(), static_cast<std::streamsize>(head.size()));
    std::vector<char> buffer;
    for (const TensorSpec &t : specs) {
        const size_t n = t.numel();
        std::vector<float> values = t.init == TensorSpec::Init::ones ? std::vector<float>(n, 1.0f)
                                                                      : seeded_normal(seed, t.name, n, t.stddev);
        buffer.resize(n * elem);
        for (size_t i = 0; i < n; ++i) {
            if (elem == 4) {
                std::memcpy(buffer.data() + 4 * i, &values[i], 4);  // little-endian hosts only (x86-64, arm64)
            } else {
                const uint16_t v = dtype == "fp16" ? float_to_fp16(values[i]) : float_to_bf16(values[i]);
                buffer[2 * i] = static_cast<char>(v & 0xff);
                buffer[2 * i + 1] = static_cast<char>(v >> 8);
            }
        }
        out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    }
    out.close();
    if (!out) return Status::error("cannot write " + path.string() + " (disk full?)");
    return {};
}

const char *hf_dtype_name(const std::string &dtype) {
    return dtype == "fp32" ? "float32" : dtype == "fp16" ? "float16" : "bfloat16";
}

} // namespace

std::vector<float> seeded_normal(uint64_t seed, const std::string &name, size_t count, float stddev) {
    uint64_t state = seed ^ fnv1a(name);
    std::vector<float> out(count);
    for (size_t i = 0; i < count; i += 2) {
        // Box-Muller over two uniforms in (0, 1].
        const double u1 = (static_cast<double>(splitmix64(state) >> 11) + 1.0) * 0x1.0p-53;
        const double u2 = static_cast<double>(splitmix64(state) >> 11) * 0x1.0p-53;
        const double r = std::sqrt(-2.0 * std::log(u1));
        out[i] = static_cast<float>(r * std::cos(2.0 * M_PI * u2) * stddev);
        if (i + 1 < count) out[i + 1] = static_cast<float>(r * std::sin(2.0 * M_PI * u2) * stddev);
    }
    return out;
}

Status make_model(const MakeModelOptions &o) {
    if (o.dtype != "bf16" && o.dtype != "fp16" && o.dtype != "fp32") {
        return Status::error("--dtype '" + o.dtype + "': expected one of bf16, fp16, fp32");
    }
    auto raw = read_json(o.config);
    if (!raw.ok()) return raw.status();
    auto config = parse_model_config(raw.value().dump(), o.config.string());
    if (!config.ok()) return config.status();
    const ModelConfig &c = config.value();

    const fs::path tok_json = o.tokenizer_from / "tokenizer.json";
    const fs::path tok_config = o.tokenizer_from / "tokenizer_config.json";
    for (const fs::path &p : {tok_json, tok_config}) {
        if (!fs::is_regular_file(p)) {
            return Status::error(p.string() + " does not exist: --tokenizer-from must name a folder holding "
                                 "tokenizer.json and tokenizer_config.json");
        }
    }
    auto max_id = max_token_id(tok_json);
    if (!max_id.ok()) return max_id.status();
    if (max_id.value() >= c.vocab_size) {
        return Status::error(o.config.string() + ": vocab_size " + std::to_string(c.vocab_size) +
                             " is too small for " + tok_json.string() + ", whose ids reach " +
                             std::to_string(max_id.value()) + "; set vocab_size >= " + std::to_string(max_id.value() + 1));
    }

    std::error_code ec;
    fs::create_directories(o.out, ec);
    if (ec) return Status::error("cannot create " + o.out.string() + ": " + ec.message());

    json out_config = raw.value();
    out_config["torch_dtype"] = hf_dtype_name(o.dtype);
    if (out_config.contains("dtype")) out_config["dtype"] = hf_dtype_name(o.dtype);
    if (Status s = write_file(o.out / "config.json", out_config.dump(2) + "\n"); !s.ok()) return s;

    json gen = {{"_from_model_config", true}};
    if (c.bos_token_id) gen["bos_token_id"] = *c.bos_token_id;
    if (c.eos_token_ids.size() == 1) gen["eos_token_id"] = c.eos_token_ids[0];
    else if (!c.eos_token_ids.empty()) gen["eos_token_id"] = c.eos_token_ids;
    if (Status s = write_file(o.out / "generation_config.json", gen.dump(2) + "\n"); !s.ok()) return s;

    for (const fs::path &p : {tok_json, tok_config}) {
        fs::copy_file(p, o.out / p.filename(), fs::copy_options::overwrite_existing, ec);
        if (ec) return Status::error("cannot copy " + p.string() + " to " + o.out.string() + ": " + ec.message());
    }
    if (Status s = write_safetensors(o.out / "model.safetensors", tensor_specs(c), o.seed, o.dtype); !s.ok()) return s;

    // The folder must load with the engine's own loader, or it is not worth having written.
    auto loaded = load_model(o.out);
    if (!loaded.ok()) return Status::error("the written model does not load: " + loaded.message());
    return {};
}

int run_make_model_command(const std::vector<std::string> &args, std::ostream &out, std::ostream &err) {
    MakeModelOptions o;
    bool have_config = false, have_tokenizer = false, have_out = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        if (a == "--help" || a == "-h") {
            out << "Usage: slipway-engine make-model --config CONFIG.json --tokenizer-from DIR --out DIR [--seed N] "
                   "[--dtype bf16|fp16|fp32]\n"
                   "Writes a model folder with seeded random weights of CONFIG's shape and DIR's tokenizer.\n";
            return 0;
        }
        const auto eq = a.find('=');
        const std::string name = a.substr(0, eq);
        std::string value;
        if (eq != std::string::npos) {
            value = a.substr(eq + 1);
        } else if (i + 1 < args.size()) {
            value = args[++i];
        } else {
            err << "make-model: " << name << " needs a value\n";
            return 2;
        }
        if (name == "--config") {
            o.config = value;
            have_config = true;
        } else if (name == "--tokenizer-from") {
            o.tokenizer_from = value;
            have_tokenizer = true;
        } else if (name == "--out") {
            o.out = value;
            have_out = true;
        } else if (name == "--dtype") {
            o.dtype = value;
        } else if (name == "--seed") {
            const char *end = value.data() + value.size();
            auto [ptr, ec] = std::from_chars(value.data(), end, o.seed);
            if (value.empty() || ec != std::errc() || ptr != end) {
                err << "make-model: invalid value '" << value << "' for --seed: expected an integer >= 0\n";
                return 2;
            }
        } else {
            err << "make-model: unknown flag " << name
                << " (accepted: --config, --tokenizer-from, --out, --seed, --dtype)\n";
            return 2;
        }
    }
    if (!have_config || !have_tokenizer || !have_out) {
        err << "make-model: --config, --tokenizer-from and --out are required (see make-model --help)\n";
        return 2;
    }
    if (Status s = make_model(o); !s.ok()) {
        err << "make-model: " << s.message() << "\n";
        return 1;
    }
    out << "wrote " << o.out.string() << " (seed " << o.seed << ", " << o.dtype << ")\n";
    return 0;
}

} // namespace slipway::engine
