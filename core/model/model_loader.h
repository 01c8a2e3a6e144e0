#pragma once
// Loading a ModelSpec from what a person types: a catalog id, a model folder, or a config.json.
#include "common/result.h"
#include "model/model_spec.h"

#include <filesystem>
#include <string_view>

namespace slipway::model {

// `reference` is, checked in this order:
//  - an existing folder: its config.json is parsed and, when the folder holds
//    model.safetensors.index.json or model.safetensors, the exact sizes come from their headers
//    (a folder with only config.json loads with no weights);
//  - an existing file: parsed as a config.json (weights are not looked for);
//  - a Hugging Face id from the built-in catalog, matched ignoring case.
// Errors say which of these failed and what to change. Only file headers are read.
Result<ModelSpec> loadModel(std::string_view reference);

// The two halves of loadModel, for callers that already know what they hold.
Result<ModelSpec> loadModelFolder(const std::filesystem::path &folder);
Result<ModelSpec> loadConfigFile(const std::filesystem::path &configFile);

} // namespace slipway::model
