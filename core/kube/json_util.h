#pragma once
// Internal to core/kube: YAML documents to JSON (with YAML 1.1 scalar rules, as the API server's
// go-yaml reads them) and Object summaries from JSON.
#include "common/result.h"
#include "kube/types.h"

#include <nlohmann/json.hpp>

#include <string_view>

namespace slipway::kube::detail {

// One YAML document to JSON. Quoted scalars stay strings; plain scalars become null, bool, int,
// float or string by the YAML 1.1 core rules.
Result<nlohmann::json> yamlToJson(std::string_view yamlText);

Object objectFromJson(const nlohmann::json &object);

// `text` parsed as a JSON object, or an error "<what>: the API server sent something that is not JSON".
Result<nlohmann::json> parseJsonObject(std::string_view text, std::string_view what);

} // namespace slipway::kube::detail
