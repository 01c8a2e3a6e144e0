#include "model/catalog.h"

#include "model/config_parser.h"
#include "resources.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace slipway::model {

namespace {

using nlohmann::json;

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

Result<std::string> requiredString(const json &entry, const char *key, const std::string &where)
{
    const auto it = entry.find(key);
    if (it == entry.end() || !it->is_string() || it->get<std::string>().empty())
        return fail(where + ": \"" + key + "\" must be a non-empty string");
    return it->get<std::string>();
}

Result<CatalogEntry> readEntry(const json &item, const std::string &where)
{
    if (!item.is_object())
        return fail(where + " is not an object; each model is {\"id\", \"display_name\", ..., \"config\"}");
    CatalogEntry e;
    for (auto [key, target] : {std::pair{"id", &e.id}, std::pair{"display_name", &e.displayName},
                               std::pair{"checkpoint_dtype", &e.checkpointDtype},
                               std::pair{"description", &e.description}}) {
        Result<std::string> text = requiredString(item, key, where);
        if (!text)
            return text.error();
        *target = std::move(text).value();
    }
    const auto params = item.find("published_params_billion");
    if (params == item.end() || !params->is_number() || params->get<double>() <= 0)
        return fail(where + " (" + e.id + "): \"published_params_billion\" must be a positive number, e.g. 7.62");
    e.publishedParamsBillion = params->get<double>();
    if (const auto mtp = item.find("published_mtp_params_billion"); mtp != item.end()) {
        if (!mtp->is_number() || mtp->get<double>() < 0)
            return fail(where + " (" + e.id + "): \"published_mtp_params_billion\" must be a number >= 0");
        e.publishedMtpParamsBillion = mtp->get<double>();
    }
    const auto config = item.find("config");
    if (config == item.end() || !config->is_object())
        return fail(where + " (" + e.id + "): \"config\" must hold the model's config.json object");
    e.configJson = config->dump();
    return e;
}

} // namespace

Result<ModelCatalog> ModelCatalog::fromJson(std::string_view text, std::string_view sourceName)
{
    const std::string source(sourceName);
    const json root = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (root.is_discarded())
        return fail(source + " is not valid JSON; fix the catalog file");
    const auto models = root.is_object() ? root.find("models") : root.end();
    if (models == root.end() || !models->is_array())
        return fail(source + " has no \"models\" list");

    ModelCatalog catalog;
    for (size_t i = 0; i < models->size(); ++i) {
        const std::string where = source + ": models[" + std::to_string(i) + "]";
        Result<CatalogEntry> entry = readEntry((*models)[i], where);
        if (!entry)
            return entry.error();
        if (catalog.find(entry->id))
            return fail(where + ": id \"" + entry->id + "\" is listed twice");
        // Every entry must describe a model Slipway can load; catch a bad config here, not later.
        Result<ModelSpec> spec = catalogModelSpec(*entry);
        if (!spec)
            return spec.error();
        catalog.m_entries.push_back(std::move(entry).value());
    }
    return catalog;
}

Result<ModelCatalog> ModelCatalog::builtIn()
{
    return fromJson(resources::modelCatalogJson(), "built-in catalog models.json");
}

const CatalogEntry *ModelCatalog::find(std::string_view id) const
{
    for (const CatalogEntry &e : m_entries) {
        if (equalsIgnoringCase(e.id, id))
            return &e;
    }
    return nullptr;
}

std::string ModelCatalog::idsText() const
{
    std::string text;
    for (const CatalogEntry &e : m_entries)
        text += (text.empty() ? "" : ", ") + e.id;
    return text;
}

Result<ModelSpec> catalogModelSpec(const CatalogEntry &entry)
{
    Result<ModelSpec> spec = parseConfigJson(entry.configJson, entry.id, "catalog entry " + entry.id + " config");
    if (spec)
        spec->displayName = entry.displayName;
    return spec;
}

} // namespace slipway::model
