#include "model/model_loader.h"

#include "model/model_messages.h"

#include "model/catalog.h"
#include "model/config_parser.h"
#include "model/safetensors_header.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace slipway::model {

namespace fs = std::filesystem;

namespace {

// Small files only (config.json is a few KB); refuse anything that cannot be a config.
constexpr uintmax_t kMaxConfigSize = 16 * 1024 * 1024;

std::string quoted(const fs::path &p)
{
    return "\"" + p.string() + "\"";
}

// A Hugging Face id is "owner/name": one slash, no path syntax around it.
bool looksLikeHubId(std::string_view reference)
{
    if (reference.empty() || reference.front() == '/' || reference.front() == '.' || reference.front() == '~')
        return false;
    if (reference.find('\\') != std::string_view::npos)
        return false;
    const auto slash = reference.find('/');
    return slash != std::string_view::npos && slash > 0 && slash + 1 < reference.size() &&
           reference.find('/', slash + 1) == std::string_view::npos;
}

// The folder a model lives in, named for display: "/models/Qwen-7B/" -> "Qwen-7B".
std::string folderName(const fs::path &folder)
{
    fs::path p = folder.lexically_normal();
    if (!p.has_filename())
        p = p.parent_path();
    std::string name = p.filename().string();
    if (name.empty() || name == ".") {
        std::error_code ec;
        name = fs::absolute(folder, ec).lexically_normal().parent_path().filename().string();
    }
    return name.empty() ? folder.string() : name;
}

} // namespace

Result<ModelSpec> loadConfigFile(const fs::path &configFile)
{
    std::error_code ec;
    const uintmax_t size = fs::file_size(configFile, ec);
    if (ec)
        return fail(msg::kLoadCannotRead, {quoted(configFile), ec.message()});
    if (size > kMaxConfigSize)
        return fail(msg::kLoadTooLarge, {quoted(configFile), std::to_string(size)});
    std::ifstream in(configFile, std::ios::binary);
    if (!in)
        return fail(msg::kLoadCannotOpen, {quoted(configFile), std::strerror(errno)});
    std::ostringstream text;
    text << in.rdbuf();

    Result<ModelSpec> spec = parseConfigJson(text.str(), configFile.string(), configFile.string());
    if (spec)
        spec->displayName = folderName(configFile.parent_path().empty() ? fs::path(".") : configFile.parent_path());
    return spec;
}

Result<ModelSpec> loadModelFolder(const fs::path &folder)
{
    const fs::path config = folder / "config.json";
    std::error_code ec;
    if (!fs::is_regular_file(config, ec))
        return fail(msg::kLoadNoConfig, {quoted(folder)});
    Result<ModelSpec> spec = loadConfigFile(config);
    if (!spec)
        return spec;
    spec->id = folder.string();
    spec->displayName = folderName(folder);

    Result<std::optional<WeightsInfo>> weights = readFolderWeights(folder);
    if (!weights)
        return weights.error();
    spec->weights = std::move(weights).value();
    return spec;
}

Result<ModelSpec> loadModel(std::string_view reference)
{
    if (reference.empty())
        return fail(msg::kLoadNoModel);
    const fs::path path{std::string(reference)};
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (!ec && fs::is_directory(status))
        return loadModelFolder(path);
    if (!ec && fs::exists(status)) {
        if (path.extension() == ".safetensors")
            return fail(msg::kLoadWeightsFile, {quoted(path)});
        return loadConfigFile(path);
    }

    Result<ModelCatalog> catalog = ModelCatalog::builtIn();
    if (!catalog)
        return catalog.error();
    if (const CatalogEntry *entry = catalog->find(reference))
        return catalogModelSpec(*entry);

    const std::string ref(reference);
    if (looksLikeHubId(reference))
        return fail(msg::kLoadNotInCatalog, {ref, catalog->idsText()});
    return fail(msg::kLoadPathNotFound, {ref, catalog->idsText()});
}

} // namespace slipway::model
