#pragma once
// Every text core/model writes for people when a model cannot be loaded, as message templates
// (common/message.h): the loader's errors (no config.json, a path that does not exist, …),
// config.json's (not JSON, an unsupported architecture, a missing or mistyped field) and the
// weights' (a truncated or damaged .safetensors file, a broken model.safetensors.index.json). The
// list is an X-macro so that the constants and messageTemplates() cannot drift apart: the
// console's tests check that it translates every code listed here.
#include "common/message.h"

#include <vector>

// X(constant, code, English template)
#define SLIPWAY_MODEL_MESSAGES(X)                                                                                    \
    /* loadModel() and friends: which file or folder to give */                                                     \
    X(kLoadNoModel, "model.load.no_model",                                                                           \
      "no model given; name a catalog id such as deepseek-ai/DeepSeek-R1-Distill-Qwen-7B, a model folder, or a "    \
      "config.json")                                                                                                \
    X(kLoadCannotRead, "model.load.cannot_read", "%1 cannot be read (%2); check the path")                           \
    X(kLoadTooLarge, "model.load.too_large",                                                                         \
      "%1 is %2 bytes, far too large for a config.json; give the model folder or its config.json")                  \
    X(kLoadCannotOpen, "model.load.cannot_open", "%1 cannot be opened (%2); check its permissions")                  \
    X(kLoadNoConfig, "model.load.no_config",                                                                         \
      "%1 has no config.json; give the folder a Hugging Face model was downloaded to (it holds config.json and "    \
      "*.safetensors)")                                                                                             \
    X(kLoadWeightsFile, "model.load.weights_file",                                                                   \
      "%1 is a weights file; give the model folder that holds it and config.json")                                  \
    X(kLoadNotInCatalog, "model.load.not_in_catalog",                                                                \
      "\"%1\" is not in the model catalog and no such path exists; known ids: %2 — or give the folder the model "   \
      "was downloaded to")                                                                                          \
    X(kLoadPathNotFound, "model.load.path_not_found",                                                                \
      "path \"%1\" not found; give an existing model folder or config.json, or a catalog id (%2)")                  \
    /* parseConfigJson(): %1 is the file */                                                                         \
    X(kConfigNotJson, "model.config.not_json",                                                                       \
      "%1: not valid JSON (%2); the file is damaged or incomplete, download config.json again")                     \
    X(kConfigNotObject, "model.config.not_object", "%1: expected a JSON object {...} at the top level, found %2")   \
    X(kConfigUnexpected, "model.config.unexpected", "%1: unexpected content (%2)")                                   \
    X(kConfigWrongValue, "model.config.wrong_value", "%1: %2 is %3; expected %4")                                    \
    X(kConfigMissingField, "model.config.missing_field",                                                             \
      "%1: required field %2 is missing; %3 configs must set it (use the config.json published with the model)")    \
    X(kConfigArchitectures, "model.config.architectures", "%1: architectures is %2; Slipway supports %3")            \
    X(kConfigModelType, "model.config.model_type",                                                                   \
      "%1: model_type is \"%2\" and architectures is not set; Slipway supports %3")                                 \
    X(kConfigNoArchitecture, "model.config.no_architecture",                                                         \
      "%1: neither architectures nor model_type is set; add \"architectures\": [\"<class>\"] with one of %2")       \
    X(kConfigRopeType, "model.config.rope_type",                                                                     \
      "%1: %2 is missing; set it to \"default\", \"llama3\", \"yarn\", \"linear\" or \"dynamic\"")                  \
    X(kConfigHighFreqFactor, "model.config.high_freq_factor",                                                        \
      "%1: %2 (%3) must be larger than low_freq_factor (%4)")                                                       \
    X(kConfigExpertsPerToken, "model.config.experts_per_token",                                                      \
      "%1: num_experts_per_tok (%2) is larger than n_routed_experts (%3); a token cannot use more experts than "    \
      "exist")                                                                                                      \
    X(kConfigQuantMethod, "model.config.quant_method",                                                               \
      "%1: quantization_config.quant_method is missing; set it to the checkpoint's method, e.g. \"fp8\"")           \
    X(kConfigHeadsKvHeads, "model.config.heads_kv_heads",                                                            \
      "%1: num_attention_heads (%2) is not a multiple of num_key_value_heads (%3); grouped-query attention needs "  \
      "whole groups")                                                                                               \
    X(kConfigHiddenHeads, "model.config.hidden_heads",                                                               \
      "%1: hidden_size (%2) is not a multiple of num_attention_heads (%3); set head_dim")                           \
    /* readSafetensorsHeader(): %1 is the .safetensors file */                                                       \
    X(kSafetensorsMissing, "model.safetensors.missing",                                                              \
      "%1 does not exist; check the model folder and download the missing file")                                     \
    X(kSafetensorsNotFile, "model.safetensors.not_file", "%1 is not a regular file; expected a .safetensors file")   \
    X(kSafetensorsNoSize, "model.safetensors.no_size", "%1: cannot read its size (%2)")                              \
    X(kSafetensorsCannotOpen, "model.safetensors.cannot_open", "%1: cannot open (%2); check the file's permissions") \
    X(kSafetensorsTooShort, "model.safetensors.too_short",                                                           \
      "%1 is %2 bytes, too short for a safetensors header (8-byte length first); the file is truncated, download "   \
      "it again")                                                                                                    \
    X(kSafetensorsNoLength, "model.safetensors.no_length",                                                           \
      "%1: could not read the 8-byte header length; the file is truncated, download it again")                       \
    X(kSafetensorsHeaderBeyondFile, "model.safetensors.header_beyond_file",                                          \
      "%1: header length %2 is larger than the file (%3 bytes); the file is truncated or not safetensors, "          \
      "download it again")                                                                                           \
    X(kSafetensorsHeaderTooLarge, "model.safetensors.header_too_large",                                              \
      "%1: header length %2 exceeds the 100 MB safetensors limit; this is not a safetensors file")                   \
    X(kSafetensorsTruncated, "model.safetensors.truncated",                                                          \
      "%1: the header ended after %2 of %3 bytes; the file is truncated, download it again")                         \
    X(kSafetensorsNotJson, "model.safetensors.not_json",                                                             \
      "%1: header is not valid JSON (%2); the file is damaged, download it again")                                   \
    X(kSafetensorsNotObject, "model.safetensors.not_object",                                                         \
      "%1: header is not a JSON object; the file is damaged, download it again")                                     \
    /* one tensor of a header: %1 is the file, %2 the tensor */                                                      \
    X(kTensorNotObject, "model.safetensors.tensor_not_object",                                                       \
      "%1: tensor \"%2\" is %3, expected {dtype, shape, data_offsets}; the header is damaged, download the file "    \
      "again")                                                                                                       \
    X(kTensorNoDtype, "model.safetensors.no_dtype",                                                                  \
      "%1: tensor \"%2\" has no dtype string; the header is damaged, download the file again")                       \
    X(kTensorNoShape, "model.safetensors.no_shape",                                                                  \
      "%1: tensor \"%2\" has no shape list; the header is damaged, download the file again")                         \
    X(kTensorBadDimension, "model.safetensors.bad_dimension",                                                        \
      "%1: tensor \"%2\" has shape %3; dimensions must be whole numbers >= 0")                                       \
    X(kTensorBadOffsets, "model.safetensors.bad_offsets",                                                            \
      "%1: tensor \"%2\" needs data_offsets [begin, end] with two whole numbers; the header is damaged, download "   \
      "the file again")                                                                                              \
    X(kTensorOffsetsReversed, "model.safetensors.offsets_reversed",                                                  \
      "%1: tensor \"%2\" has data_offsets [%3, %4] that end before they begin; the header is damaged, download "     \
      "the file again")                                                                                              \
    X(kTensorBeyondData, "model.safetensors.beyond_data",                                                            \
      "%1: tensor \"%2\" has data_offsets [%3, %4] beyond the file's data region (%5 bytes); the file is "           \
      "truncated, download it again")                                                                                \
    X(kTensorTooManyElements, "model.safetensors.too_many_elements",                                                 \
      "%1: tensor \"%2\" has shape %3 with more elements than can be counted")                                       \
    X(kTensorSizeMismatch, "model.safetensors.size_mismatch",                                                        \
      "%1: tensor \"%2\": shape %3 of %4 needs %5 x %6 bytes but data_offsets span %7; the header is damaged, "      \
      "download the file again")                                                                                     \
    /* readShardedWeights(): %1 is model.safetensors.index.json */                                                   \
    X(kIndexCannotOpen, "model.index.cannot_open", "%1 cannot be opened (%2); check that it exists and is readable") \
    X(kIndexNotJson, "model.index.not_json", "%1 is not valid JSON (%2); download it again")                         \
    X(kIndexNoWeightMap, "model.index.no_weight_map",                                                                \
      "%1 has no weight_map object {tensor: shard file}; download it again")                                         \
    X(kIndexEmpty, "model.index.empty", "%1: weight_map is empty; the index names no tensors, download it again")    \
    X(kIndexShardNotText, "model.index.shard_not_text",                                                              \
      "%1: weight_map[\"%2\"] is %3; expected a shard file name such as \"model-00001-of-00002.safetensors\"")       \
    X(kIndexShardOutside, "model.index.shard_outside",                                                               \
      "%1: weight_map[\"%2\"] is \"%3\"; shard names must be files inside the model folder")                         \
    X(kIndexShardMissing, "model.index.shard_missing",                                                               \
      "%1 names shard \"%2\" but %3 does not exist; download the missing shard into the model folder")               \
    X(kIndexTensorNotInShard, "model.index.tensor_not_in_shard",                                                     \
      "%1 places tensor \"%2\" in \"%3\", but that shard's header has no such tensor; the index and shards come "    \
      "from different downloads, fetch both again")                                                                  \
    /* a JSON value as kConfigWrongValue's %3 shows it */                                                           \
    X(kValueString, "model.value.string", "%1 (a string)")                                                           \
    X(kValueBoolean, "model.value.boolean", "%1 (a boolean)")                                                        \
    X(kValueList, "model.value.list", "%1 (a list)")                                                                 \
    X(kValueObject, "model.value.object", "%1 (an object)")                                                          \
    /* what kConfigWrongValue's %4 expects */                                                                       \
    X(kExpectBool, "model.expect.bool", "true or false")                                                             \
    X(kExpectText, "model.expect.text", "a text value in quotes")                                                    \
    X(kExpectObject, "model.expect.object", "an object {...} or null")                                               \
    X(kExpectList, "model.expect.list", "a list [...]")                                                              \
    X(kExpectPositiveInteger, "model.expect.positive_integer", "a positive whole number")                            \
    X(kExpectPositiveIntegerUnquoted, "model.expect.positive_integer_unquoted",                                      \
      "a positive whole number without quotes")                                                                     \
    X(kExpectNonNegativeInteger, "model.expect.non_negative_integer", "a whole number >= 0")                         \
    X(kExpectNonNegativeIntegerUnquoted, "model.expect.non_negative_integer_unquoted",                               \
      "a whole number >= 0 without quotes")                                                                         \
    X(kExpectPositiveNumber, "model.expect.positive_number", "a positive number")                                    \
    X(kExpectPositiveNumberUnquoted, "model.expect.positive_number_unquoted", "a positive number without quotes")    \
    X(kExpectClassNames, "model.expect.class_names", "a list of class names such as [\"Qwen2ForCausalLM\"]")         \
    X(kExpectBlockSize, "model.expect.block_size", "two positive whole numbers such as [128, 128]")

namespace slipway::model::msg {

#define SLIPWAY_DECLARE_MESSAGE(name, code, text) inline constexpr MessageTemplate name{code, text};
SLIPWAY_MODEL_MESSAGES(SLIPWAY_DECLARE_MESSAGE)
#undef SLIPWAY_DECLARE_MESSAGE

// Every template above, in order.
inline std::vector<MessageTemplate> messageTemplates()
{
#define SLIPWAY_LIST_MESSAGE(name, code, text) name,
    return {SLIPWAY_MODEL_MESSAGES(SLIPWAY_LIST_MESSAGE)};
#undef SLIPWAY_LIST_MESSAGE
}

} // namespace slipway::model::msg
