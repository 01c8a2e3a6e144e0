#pragma once
// Exact tensor sizes from safetensors headers. A safetensors file starts with an 8-byte
// little-endian header length N, then N bytes of JSON mapping tensor names to
// {dtype, shape, data_offsets} (offsets relative to the end of the header), then the data.
// Only the 8 + N header bytes are ever read: a 700 GB checkpoint is sized in milliseconds.
#include "common/result.h"
#include "model/model_spec.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace slipway::model {

struct SafetensorsTensor {
    std::string name;
    std::string dtype;          // "BF16", "F8_E4M3", "F32", ...
    std::vector<int64_t> shape;
    int64_t dataBegin = 0;      // offsets into the data region, as the header states them
    int64_t dataEnd = 0;

    int64_t elementCount() const;
    int64_t byteCount() const { return dataEnd - dataBegin; }
};

struct SafetensorsHeader {
    std::filesystem::path file;
    int64_t fileSize = 0;
    int64_t headerSize = 0;     // N, the JSON's length
    int64_t bytesRead = 0;      // 8 + N: what was read from the file
    std::vector<SafetensorsTensor> tensors; // in header order; __metadata__ left out
};

// Bytes per element of a safetensors dtype, or 0 for a dtype this reader does not know (such
// tensors are still counted; only their size check against the shape is skipped).
int64_t safetensorsDtypeSize(const std::string &dtype);

// Reads and checks one file's header: length within the file, valid JSON, every tensor's
// offsets inside the data region and matching its shape and dtype. Errors name the file.
Result<SafetensorsHeader> readSafetensorsHeader(const std::filesystem::path &file);

// WeightsInfo of one .safetensors file.
Result<WeightsInfo> readSafetensorsWeights(const std::filesystem::path &file);

// WeightsInfo of every shard named in model.safetensors.index.json's weight_map (shards are
// looked up beside the index). Each tensor the map names must be in the shard it points to.
Result<WeightsInfo> readShardedWeights(const std::filesystem::path &indexFile);

// A model folder's weights: model.safetensors.index.json if present, else model.safetensors,
// else no weights (std::nullopt; a folder with only config.json is valid).
Result<std::optional<WeightsInfo>> readFolderWeights(const std::filesystem::path &folder);

} // namespace slipway::model
