#pragma once
// The files of a local model folder, as uploads see them: relative paths with '/' separators,
// sizes and modification times, sorted by path. Symbolic links to files are followed (Hugging
// Face caches keep blobs behind links); hidden state folders of tools (.git, .cache) are skipped.
#include "common/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace slipway::storage {

struct LocalFile {
    std::string relativePath;  // "tokenizer.json", "shards/model-00001.safetensors"
    std::string absolutePath;
    std::int64_t size = 0;
    std::int64_t mtimeSeconds = 0;
};

Result<std::vector<LocalFile>> scanFolder(const std::string &folder);

} // namespace slipway::storage
