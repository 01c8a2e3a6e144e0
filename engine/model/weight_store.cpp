#include "model/weight_store.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace slipway::engine {

namespace fs = std::filesystem;

namespace {

StatusOr<std::string> read_text(const fs::path &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::error(path.string() + ": cannot read");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

const TensorView *WeightStore::find(std::string_view name) const {
    auto it = tensors_.find(name);
    return it == tensors_.end() ? nullptr : &it->second;
}

std::string WeightStore::expected_file(std::string_view name) const {
    if (auto it = index_map_.find(name); it != index_map_.end()) return it->second;
    if (!index_file_.empty()) return index_file_;
    return files_.size() == 1 ? files_.front() : std::string("the model's .safetensors files");
}

StatusOr<std::shared_ptr<const WeightStore>> WeightStore::open(const fs::path &model_dir) {
    auto store = std::make_shared<WeightStore>();
    std::vector<fs::path> shard_paths;
    const fs::path index_path = model_dir / "model.safetensors.index.json";
    const fs::path single_path = model_dir / "model.safetensors";
    std::error_code ec;
    if (fs::exists(index_path, ec)) {
        store->index_file_ = index_path.string();
        auto text = read_text(index_path);
        if (!text) return text.status();
        const auto index = nlohmann::json::parse(text.value(), nullptr, false);
        if (index.is_discarded() || !index.is_object() || !index.contains("weight_map") || !index["weight_map"].is_object())
            return Status::error(index_path.string() + ": not valid JSON with a \"weight_map\" object");
        std::set<std::string> seen;
        for (auto it = index["weight_map"].begin(); it != index["weight_map"].end(); ++it) {
            if (!it->is_string())
                return Status::error(index_path.string() + ": weight_map entry '" + it.key() + "' must name a file");
            const std::string shard = it->get<std::string>();
            if (shard.find('/') != std::string::npos || shard.find('\\') != std::string::npos)
                return Status::error(index_path.string() + ": shard '" + shard + "' must be a file name in the model folder");
            const fs::path shard_path = model_dir / shard;
            store->index_map_[it.key()] = shard_path.string();
            if (seen.insert(shard).second) shard_paths.push_back(shard_path);
        }
        if (shard_paths.empty()) return Status::error(index_path.string() + ": weight_map is empty");
    } else if (fs::exists(single_path, ec)) {
        shard_paths.push_back(single_path);
    } else {
        for (const auto &entry : fs::directory_iterator(model_dir, ec))
            if (entry.path().extension() == ".safetensors") shard_paths.push_back(entry.path());
        std::sort(shard_paths.begin(), shard_paths.end());
        if (shard_paths.empty())
            return Status::error(model_dir.string() +
                                 ": no model.safetensors, model.safetensors.index.json or *.safetensors file "
                                 "(only safetensors checkpoints are supported; convert .bin/.pt files first)");
    }

    for (const auto &path : shard_paths) {
        if (!fs::exists(path, ec)) {
            std::string msg = path.string() + ": missing";
            if (!store->index_file_.empty()) msg += " (named by " + store->index_file_ + ")";
            return Status::error(msg + "; the download is incomplete");
        }
        auto file = SafetensorsFile::open(path);
        if (!file) return file.status();
        for (const auto &[name, view] : file.value()->tensors()) {
            if (auto prev = store->tensors_.find(name); prev != store->tensors_.end())
                return Status::error(path.string() + ": tensor '" + name + "' also appears in " + prev->second.file);
            store->tensors_.emplace(name, view);
        }
        store->files_.push_back(file.value()->path());
        store->files_open_.push_back(std::move(file).value());
    }
    for (const auto &[name, shard] : store->index_map_) {
        const TensorView *view = store->find(name);
        if (view == nullptr || view->file != shard)
            return Status::error(shard + ": has no tensor '" + name + "' although " + store->index_file_ +
                                 " maps it there (mismatched shards?)");
    }
    return std::shared_ptr<const WeightStore>(std::move(store));
}

} // namespace slipway::engine
