#include "model/safetensors_header.h"

#include "model/model_messages.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>

namespace slipway::model {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The reference implementation refuses headers above 100 MB; so do we, before allocating.
constexpr uint64_t kMaxHeaderSize = 100'000'000;

std::string quoted(const fs::path &p)
{
    return "\"" + p.string() + "\"";
}

std::string jsonError(const json::exception &e)
{
    std::string what = e.what();
    if (const auto close = what.find("] "); what.rfind("[json.exception", 0) == 0 && close != std::string::npos)
        what = what.substr(close + 2);
    return what;
}

std::string shapeText(const std::vector<int64_t> &shape)
{
    std::string text = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

bool isNonNegativeInteger(const json &v)
{
    return v.is_number_unsigned() || (v.is_number_integer() && v.get<int64_t>() >= 0);
}

// One tensor entry of a header; `where` is the file name for messages.
Result<SafetensorsTensor> readTensor(const std::string &where, const std::string &name, const json &entry,
                                     int64_t dataSize)
{
    if (!entry.is_object())
        return fail(msg::kTensorNotObject, {where, name, entry.dump().substr(0, 40)});
    SafetensorsTensor t;
    t.name = name;
    const auto dtype = entry.find("dtype");
    if (dtype == entry.end() || !dtype->is_string())
        return fail(msg::kTensorNoDtype, {where, name});
    t.dtype = dtype->get<std::string>();

    const auto shape = entry.find("shape");
    if (shape == entry.end() || !shape->is_array())
        return fail(msg::kTensorNoShape, {where, name});
    for (const json &d : *shape) {
        if (!isNonNegativeInteger(d) || d.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max()))
            return fail(msg::kTensorBadDimension, {where, name, shape->dump()});
        t.shape.push_back(d.get<int64_t>());
    }

    const auto offsets = entry.find("data_offsets");
    if (offsets == entry.end() || !offsets->is_array() || offsets->size() != 2 || !isNonNegativeInteger((*offsets)[0]) ||
        !isNonNegativeInteger((*offsets)[1]))
        return fail(msg::kTensorBadOffsets, {where, name});
    const uint64_t begin = (*offsets)[0].get<uint64_t>();
    const uint64_t end = (*offsets)[1].get<uint64_t>();
    if (end < begin)
        return fail(msg::kTensorOffsetsReversed, {where, name, std::to_string(begin), std::to_string(end)});
    if (end > uint64_t(dataSize))
        return fail(msg::kTensorBeyondData,
                    {where, name, std::to_string(begin), std::to_string(end), std::to_string(dataSize)});
    t.dataBegin = int64_t(begin);
    t.dataEnd = int64_t(end);

    const int64_t elements = t.elementCount();
    if (elements < 0)
        return fail(msg::kTensorTooManyElements, {where, name, shapeText(t.shape)});
    const int64_t elementSize = safetensorsDtypeSize(t.dtype);
    if (elementSize > 0 && (elements > std::numeric_limits<int64_t>::max() / elementSize ||
                            elements * elementSize != t.byteCount()))
        return fail(msg::kTensorSizeMismatch, {where, name, shapeText(t.shape), t.dtype, std::to_string(elements),
                                                std::to_string(elementSize), std::to_string(t.byteCount())});
    return t;
}

void addHeader(WeightsInfo &info, const SafetensorsHeader &header)
{
    for (const SafetensorsTensor &t : header.tensors) {
        info.totalBytes += t.byteCount();
        info.parameterCount += t.elementCount();
        info.bytesByDtype[t.dtype] += t.byteCount();
    }
    info.tensorCount += int64_t(header.tensors.size());
    info.bytesRead += header.bytesRead;
    info.fileCount += 1;
}

// A shard name from weight_map must stay inside the model folder.
bool isPlainRelativeName(const std::string &name)
{
    if (name.empty())
        return false;
    const fs::path p(name);
    if (p.is_absolute() || p.has_root_name() || p.has_root_directory())
        return false;
    for (const fs::path &part : p) {
        if (part == "..")
            return false;
    }
    return true;
}

} // namespace

int64_t SafetensorsTensor::elementCount() const
{
    int64_t n = 1;
    for (int64_t d : shape) {
        if (d != 0 && n > std::numeric_limits<int64_t>::max() / d)
            return -1;
        n *= d;
    }
    return n;
}

int64_t safetensorsDtypeSize(const std::string &dtype)
{
    static const std::map<std::string, int64_t, std::less<>> sizes = {
        {"BOOL", 1}, {"U8", 1},  {"I8", 1},  {"F8_E5M2", 1}, {"F8_E4M3", 1}, {"F8_E8M0", 1},
        {"I16", 2},  {"U16", 2}, {"F16", 2}, {"BF16", 2},    {"I32", 4},     {"U32", 4},
        {"F32", 4},  {"F64", 8}, {"I64", 8}, {"U64", 8},
    };
    const auto it = sizes.find(dtype);
    return it == sizes.end() ? 0 : it->second;
}

Result<SafetensorsHeader> readSafetensorsHeader(const fs::path &file)
{
    const std::string where = quoted(file);
    std::error_code ec;
    const auto status = fs::status(file, ec);
    if (ec || !fs::exists(status))
        return fail(msg::kSafetensorsMissing, {where});
    if (!fs::is_regular_file(status))
        return fail(msg::kSafetensorsNotFile, {where});
    const uintmax_t size = fs::file_size(file, ec);
    if (ec)
        return fail(msg::kSafetensorsNoSize, {where, ec.message()});

    // Unbuffered, so that a read of 8 + N bytes touches exactly those bytes and no tensor data.
    std::ifstream in;
    in.rdbuf()->pubsetbuf(nullptr, 0);
    in.open(file, std::ios::binary);
    if (!in)
        return fail(msg::kSafetensorsCannotOpen, {where, std::strerror(errno)});

    SafetensorsHeader header;
    header.file = file;
    header.fileSize = int64_t(size);
    if (size < 8)
        return fail(msg::kSafetensorsTooShort, {where, std::to_string(size)});

    unsigned char lengthBytes[8];
    in.read(reinterpret_cast<char *>(lengthBytes), 8);
    if (in.gcount() != 8)
        return fail(msg::kSafetensorsNoLength, {where});
    uint64_t length = 0;
    for (int i = 7; i >= 0; --i)
        length = (length << 8) | lengthBytes[i];
    header.bytesRead = 8;

    if (length > size - 8)
        return fail(msg::kSafetensorsHeaderBeyondFile, {where, std::to_string(length), std::to_string(size)});
    if (length > kMaxHeaderSize) // msg::kSafetensorsHeaderTooLarge states it as "100 MB"
        return fail(msg::kSafetensorsHeaderTooLarge, {where, std::to_string(length)});

    std::string text(length, '\0');
    in.read(text.data(), std::streamsize(length));
    if (uint64_t(in.gcount()) != length)
        return fail(msg::kSafetensorsTruncated, {where, std::to_string(in.gcount()), std::to_string(length)});
    header.headerSize = int64_t(length);
    header.bytesRead += int64_t(length);

    json root;
    try {
        root = json::parse(text);
    } catch (const json::parse_error &e) {
        return fail(msg::kSafetensorsNotJson, {where, jsonError(e)});
    }
    if (!root.is_object())
        return fail(msg::kSafetensorsNotObject, {where});

    const int64_t dataSize = int64_t(size - 8 - length);
    for (const auto &[name, entry] : root.items()) {
        if (name == "__metadata__")
            continue;
        Result<SafetensorsTensor> tensor = readTensor(where, name, entry, dataSize);
        if (!tensor)
            return tensor.error();
        header.tensors.push_back(std::move(tensor).value());
    }
    return header;
}

Result<WeightsInfo> readSafetensorsWeights(const fs::path &file)
{
    Result<SafetensorsHeader> header = readSafetensorsHeader(file);
    if (!header)
        return header.error();
    WeightsInfo info;
    addHeader(info, *header);
    return info;
}

Result<WeightsInfo> readShardedWeights(const fs::path &indexFile)
{
    const std::string where = quoted(indexFile);
    std::ifstream in(indexFile, std::ios::binary);
    if (!in)
        return fail(msg::kIndexCannotOpen, {where, std::strerror(errno)});
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();

    json root;
    try {
        root = json::parse(text);
    } catch (const json::parse_error &e) {
        return fail(msg::kIndexNotJson, {where, jsonError(e)});
    }
    const auto map = root.is_object() ? root.find("weight_map") : root.end();
    if (map == root.end() || !map->is_object())
        return fail(msg::kIndexNoWeightMap, {where});
    if (map->empty())
        return fail(msg::kIndexEmpty, {where});

    // shard file -> tensors the index places in it
    std::map<std::string, std::vector<std::string>> shards;
    for (const auto &[tensor, shard] : map->items()) {
        if (!shard.is_string())
            return fail(msg::kIndexShardNotText, {where, tensor, shard.dump()});
        const std::string name = shard.get<std::string>();
        if (!isPlainRelativeName(name))
            return fail(msg::kIndexShardOutside, {where, tensor, name});
        shards[name].push_back(tensor);
    }

    WeightsInfo info;
    info.bytesRead = int64_t(text.size());
    const fs::path folder = indexFile.parent_path();
    for (const auto &[name, tensors] : shards) {
        const fs::path shardPath = folder / name;
        std::error_code ec;
        if (!fs::exists(shardPath, ec))
            return fail(msg::kIndexShardMissing, {where, name, quoted(shardPath)});
        Result<SafetensorsHeader> header = readSafetensorsHeader(shardPath);
        if (!header)
            return header.error();
        std::set<std::string, std::less<>> present;
        for (const SafetensorsTensor &t : header->tensors)
            present.insert(t.name);
        for (const std::string &tensor : tensors) {
            if (!present.contains(tensor))
                return fail(msg::kIndexTensorNotInShard, {where, tensor, name});
        }
        addHeader(info, *header);
    }
    return info;
}

Result<std::optional<WeightsInfo>> readFolderWeights(const fs::path &folder)
{
    std::error_code ec;
    const fs::path index = folder / "model.safetensors.index.json";
    if (fs::exists(index, ec)) {
        Result<WeightsInfo> info = readShardedWeights(index);
        if (!info)
            return info.error();
        return std::optional<WeightsInfo>(std::move(info).value());
    }
    const fs::path single = folder / "model.safetensors";
    if (fs::exists(single, ec)) {
        Result<WeightsInfo> info = readSafetensorsWeights(single);
        if (!info)
            return info.error();
        return std::optional<WeightsInfo>(std::move(info).value());
    }
    return std::optional<WeightsInfo>();
}

} // namespace slipway::model
