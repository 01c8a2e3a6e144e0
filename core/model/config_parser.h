#pragma once
// Reading a Hugging Face config.json into a ModelSpec. Supported: Qwen2ForCausalLM,
// LlamaForCausalLM (incl. llama3 rope scaling), DeepseekV3ForCausalLM (MLA, MoE, MTP, FP8).
// Both the transformers 4.x layout (rope_theta, rope_scaling, torch_dtype) and the 5.x one
// (rope_parameters, dtype) are accepted.
#include "common/result.h"
#include "model/model_spec.h"

#include <string>
#include <string_view>

namespace slipway::model {

// `id` goes into ModelSpec::id (and, its last path component, displayName). `sourceName` names the
// file in error messages ("config.json", "/models/qwen/config.json", "catalog entry …").
// Errors name the field and say what to change; no exception escapes.
Result<ModelSpec> parseConfigJson(std::string_view json, std::string id,
                                  std::string_view sourceName = "config.json");

// The architectures parseConfigJson accepts, as config.json spells them, comma-separated.
std::string supportedArchitecturesText();

} // namespace slipway::model
