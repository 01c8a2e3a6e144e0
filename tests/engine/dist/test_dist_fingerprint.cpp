// The model fingerprint: config fields and every tensor's name, dtype and shape, from real
// fixture folders; copies that differ in one place are named precisely.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "dist/model_fingerprint.h"

namespace fs = std::filesystem;

namespace slipway::engine::dist {
namespace {

fs::path fixture(const char *name) { return fs::path(SLIPWAY_SOURCE_DIR) / "tests/engine/fixtures" / name; }

std::string read(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write(const fs::path &p, const std::string &bytes) {
    std::ofstream out(p, std::ios::binary);
    out << bytes;
}

class TempDir {
public:
    TempDir() {
        path_ = fs::temp_directory_path() / ("slipway-dist-fp-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
        fs::create_directories(path_);
    }
    ~TempDir() { fs::remove_all(path_); }
    const fs::path &path() const { return path_; }

private:
    static inline int counter_ = 0;
    fs::path path_;
};

// A copy of the qwen2 fixture whose safetensors header says `tensor` has `shape` (the data
// block is resized to match).
void copy_with_shape(const fs::path &dst, const std::string &tensor, std::vector<int64_t> shape) {
    const fs::path src = fixture("qwen2-tiny-bf16");
    fs::copy_file(src / "config.json", dst / "config.json");
    const std::string file = read(src / "model.safetensors");
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<uint8_t>(file[static_cast<size_t>(i)]);
    auto header = nlohmann::json::parse(file.substr(8, n));
    // Re-lay the data: every tensor keeps its bytes except `tensor`, which gets zeros.
    nlohmann::json out_header = nlohmann::json::object();
    std::string data;
    for (auto it = header.begin(); it != header.end(); ++it) {
        if (it.key() == "__metadata__") {
            out_header[it.key()] = it.value();
            continue;
        }
        auto entry = it.value();
        const uint64_t begin = entry["data_offsets"][0], end = entry["data_offsets"][1];
        std::string bytes = file.substr(8 + n + begin, end - begin);
        if (it.key() == tensor) {
            int64_t numel = 1;
            for (int64_t d : shape) numel *= d;
            entry["shape"] = shape;
            bytes.assign(static_cast<size_t>(numel) * 2, '\0');
        }
        entry["data_offsets"] = {data.size(), data.size() + bytes.size()};
        data += bytes;
        out_header[it.key()] = entry;
    }
    const std::string h = out_header.dump();
    std::string out(8, '\0');
    for (int i = 0; i < 8; ++i) out[static_cast<size_t>(i)] = static_cast<char>((h.size() >> (8 * i)) & 0xFF);
    write(dst / "model.safetensors", out + h + data);
}

TEST(DistFingerprint, FixtureFolderIsStableAndSummarized) {
    auto a = fingerprint_model(fixture("qwen2-tiny-bf16"));
    ASSERT_TRUE(a.ok()) << a.message();
    auto b = fingerprint_model(fixture("qwen2-tiny-bf16"));
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(a->hash, b->hash);
    EXPECT_EQ(describe_model_difference(a.value(), 1, b.value(), 0), "");
    EXPECT_GT(a->tensors.size(), 10u);
    EXPECT_NE(a->summary().find("Qwen2ForCausalLM, 2 layers, hidden 64"), std::string::npos) << a->summary();
    EXPECT_TRUE(std::is_sorted(a->tensors.begin(), a->tensors.end(),
                               [](const TensorSignature &x, const TensorSignature &y) { return x.name < y.name; }));

    // The sharded fp32 llama and the fp16 llama: same architecture, other dtypes.
    auto sharded = fingerprint_model(fixture("llama-tiny-fp32-sharded"));
    ASSERT_TRUE(sharded.ok()) << sharded.message();
    auto fp16 = fingerprint_model(fixture("llama-tiny-fp16"));
    ASSERT_TRUE(fp16.ok());
    EXPECT_NE(sharded->hash, fp16->hash);
    const std::string diff = describe_model_difference(sharded.value(), 1, fp16.value(), 0);
    EXPECT_NE(diff.find("model fingerprint differs: config dtype: node 1 has float32, node 0 has float16"),
              std::string::npos)
        << diff;
}

TEST(DistFingerprint, NamesTheTensorWhoseShapeDiffers) {
    TempDir dir;
    copy_with_shape(dir.path(), "model.layers.0.mlp.up_proj.weight", {96, 64});
    auto theirs = fingerprint_model(dir.path());
    ASSERT_TRUE(theirs.ok()) << theirs.message();
    auto ours = fingerprint_model(fixture("qwen2-tiny-bf16"));
    ASSERT_TRUE(ours.ok());
    EXPECT_NE(theirs->hash, ours->hash);
    const std::string diff = describe_model_difference(theirs.value(), 1, ours.value(), 0);
    EXPECT_NE(diff.find("node 1 has tensor model.layers.0.mlp.up_proj.weight BF16 [96, 64], node 0 BF16 [128, 64]"),
              std::string::npos)
        << diff;
}

TEST(DistFingerprint, NamesConfigFieldsAndMissingTensors) {
    auto ours = fingerprint_model(fixture("qwen2-tiny-bf16"));
    ASSERT_TRUE(ours.ok());

    TempDir dir;
    fs::copy_file(fixture("qwen2-tiny-bf16") / "model.safetensors", dir.path() / "model.safetensors");
    auto config = nlohmann::json::parse(read(fixture("qwen2-tiny-bf16") / "config.json"));
    config["rms_norm_eps"] = 1e-5;
    write(dir.path() / "config.json", config.dump(2));
    auto theirs = fingerprint_model(dir.path());
    ASSERT_TRUE(theirs.ok()) << theirs.message();
    const std::string diff = describe_model_difference(theirs.value(), 2, ours.value(), 0);
    EXPECT_NE(diff.find("config rms_norm_eps: node 2 has 1.0000000000000001e-05, node 0 has 9.9999999999999995e-07"),
              std::string::npos)
        << diff;

    // Reformatted JSON with the same values is the same model.
    TempDir same;
    fs::copy_file(fixture("qwen2-tiny-bf16") / "model.safetensors", same.path() / "model.safetensors");
    write(same.path() / "config.json", nlohmann::json::parse(read(fixture("qwen2-tiny-bf16") / "config.json")).dump());
    auto reformatted = fingerprint_model(same.path());
    ASSERT_TRUE(reformatted.ok());
    EXPECT_EQ(reformatted->hash, ours->hash);

    ModelFingerprint fewer = ours.value();
    fewer.tensors.pop_back();
    fewer = make_model_fingerprint(fewer.config, fewer.tensors);
    const std::string missing = describe_model_difference(fewer, 1, ours.value(), 0);
    EXPECT_NE(missing.find("node 0 has tensor " + ours->tensors.back().name), std::string::npos) << missing;
    EXPECT_NE(missing.find("node 1 has no such tensor"), std::string::npos) << missing;
}

TEST(DistFingerprint, MissingFolderNamesTheFile) {
    auto missing = fingerprint_model("/nonexistent/model");
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.message().find("/nonexistent/model/config.json"), std::string::npos) << missing.message();
}

} // namespace
} // namespace slipway::engine::dist
