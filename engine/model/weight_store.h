#pragma once
// Every tensor of a model folder, memory-mapped: model.safetensors, or the shards named by
// model.safetensors.index.json, or (neither present) every *.safetensors in the folder.
// Name -> dtype, shape and a pointer into the mapped bytes; this is the view a GPU backend
// uploads from. Immutable after open(), so readable from any thread.
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/safetensors.h"
#include "slipway/engine/status.h"

namespace slipway::engine {

class WeightStore final {
public:
    static StatusOr<std::shared_ptr<const WeightStore>> open(const std::filesystem::path &model_dir);

    // nullptr when absent.
    const TensorView *find(std::string_view name) const;
    const std::map<std::string, TensorView, std::less<>> &tensors() const { return tensors_; }
    const std::vector<std::string> &files() const { return files_; }
    bool sharded() const { return !index_file_.empty(); }
    // Where a tensor was expected: its shard per the index, else the single file (for messages).
    std::string expected_file(std::string_view name) const;

private:
    std::vector<std::unique_ptr<SafetensorsFile>> files_open_;
    std::vector<std::string> files_;
    std::string index_file_;
    std::map<std::string, std::string, std::less<>> index_map_;  // tensor -> shard path
    std::map<std::string, TensorView, std::less<>> tensors_;
};

} // namespace slipway::engine
