#pragma once
// What every node of a tensor-parallel group must agree on about the model: config.json's
// semantic fields (as parsed, so formatting does not matter) and every tensor's name, dtype and
// shape from the safetensors headers. The weights' bytes are not read (hundreds of GB); two
// checkpoints that differ only in values pass, which is the rare case of two fine-tunes of the
// same shape in the same path.
//
// The whole listing travels at rendezvous, so a mismatch can be named exactly
// ("node 1 has tensor model.layers.0.mlp.up_proj.weight BF16 [18944, 3584], node 0 BF16
// [18944, 4096]"), not just "hashes differ".
//
// Thread-safety: plain values and pure functions.
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "slipway/engine/status.h"

namespace slipway::engine::dist {

struct TensorSignature {
    std::string name;
    std::string dtype;            // the safetensors spelling, "BF16"
    std::vector<int64_t> shape;
    std::string describe() const; // "BF16 [18944, 3584]"
    bool operator==(const TensorSignature &) const = default;
};

struct ModelFingerprint {
    std::vector<std::pair<std::string, std::string>> config;  // field -> value, in a fixed order
    std::vector<TensorSignature> tensors;                      // sorted by name
    uint64_t hash = 0;                                         // FNV-1a of both lists

    // "Qwen2ForCausalLM, 28 layers, hidden 3584, 339 tensors, fingerprint 1f2e3d4c5b6a7988".
    std::string summary() const;
};

// Computes `hash` from the lists (sorting the tensors by name first).
ModelFingerprint make_model_fingerprint(std::vector<std::pair<std::string, std::string>> config,
                                        std::vector<TensorSignature> tensors);

// Reads `model_dir`'s config.json and safetensors headers. Errors name the file.
StatusOr<ModelFingerprint> fingerprint_model(const std::filesystem::path &model_dir);

// Empty when equal; else one sentence naming the first difference (config field, missing or
// extra tensor, dtype or shape), how many more there are, and both summaries. `theirs` is the
// model of node `their_node`, `ours` of node `our_node`.
std::string describe_model_difference(const ModelFingerprint &theirs, int their_node, const ModelFingerprint &ours,
                                      int our_node);

} // namespace slipway::engine::dist
