#pragma once
// The built-in model catalog (resources/catalog/models.json): for each Hugging Face id the
// config.json as published, the published parameter count, the checkpoint dtype and a line of
// description. Lets the console size and deploy a model without downloading anything first.
#include "common/result.h"
#include "model/model_spec.h"

#include <string>
#include <string_view>
#include <vector>

namespace slipway::model {

struct CatalogEntry {
    std::string id;                   // "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"
    std::string displayName;          // "DeepSeek-R1-Distill-Qwen-7B"
    double publishedParamsBillion = 0;    // as the model page states it: 7.62
    double publishedMtpParamsBillion = 0; // DeepSeek-V3/R1: 14 (on top of 671)
    std::string checkpointDtype;      // "bfloat16", "float8_e4m3fn"
    std::string description;
    std::string configJson;           // the published config.json, as JSON text

    int64_t publishedParameters() const { return int64_t(publishedParamsBillion * 1e9 + 0.5); }
};

class ModelCatalog final {
public:
    // Parses a catalog document; `sourceName` names it in error messages.
    static Result<ModelCatalog> fromJson(std::string_view json, std::string_view sourceName);
    // The catalog compiled into slipway_resources.
    static Result<ModelCatalog> builtIn();

    const std::vector<CatalogEntry> &entries() const { return m_entries; }
    // Case-insensitive match on the Hugging Face id; nullptr when not listed.
    const CatalogEntry *find(std::string_view id) const;
    // All ids, comma-separated, for messages that list what is known.
    std::string idsText() const;

private:
    std::vector<CatalogEntry> m_entries;
};

// The entry's config parsed into a ModelSpec (id and display name from the catalog).
Result<ModelSpec> catalogModelSpec(const CatalogEntry &entry);

} // namespace slipway::model
