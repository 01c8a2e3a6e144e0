#pragma once
// One memory-mapped .safetensors file: an 8-byte little-endian header length, a JSON header
// {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}, then the data.
// Opening checks the header against the file size, so a truncated file fails here, naming the
// file and the first tensor whose bytes are missing.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/dtype.h"
#include "slipway/engine/status.h"

namespace slipway::engine {

// A read-only view of one tensor's bytes inside a mapped file. Valid while the owning
// SafetensorsFile (or WeightStore) lives.
struct TensorView {
    std::string name;
    DType dtype = DType::Unknown;
    std::string dtype_name;       // as written in the header (kept for unknown dtypes' messages)
    std::vector<int64_t> shape;
    const std::byte *data = nullptr;
    size_t nbytes = 0;
    std::string file;             // path of the file it lives in

    int64_t numel() const;
    std::string shape_string() const;  // "[512, 64]"
};

// Read-only mmap of a whole file (RAII). Thread-safe to read from any thread.
class MappedFile final {
public:
    static StatusOr<std::unique_ptr<MappedFile>> open(const std::filesystem::path &path);
    ~MappedFile();
    MappedFile(const MappedFile &) = delete;
    MappedFile &operator=(const MappedFile &) = delete;

    const std::byte *data() const { return data_; }
    size_t size() const { return size_; }
    const std::string &path() const { return path_; }

private:
    MappedFile() = default;
    const std::byte *data_ = nullptr;
    size_t size_ = 0;
    std::string path_;
};

class SafetensorsFile final {
public:
    static StatusOr<std::unique_ptr<SafetensorsFile>> open(const std::filesystem::path &path);

    const std::map<std::string, TensorView> &tensors() const { return tensors_; }
    const std::map<std::string, std::string> &metadata() const { return metadata_; }
    const std::string &path() const { return file_->path(); }

private:
    std::unique_ptr<MappedFile> file_;
    std::map<std::string, TensorView> tensors_;
    std::map<std::string, std::string> metadata_;
};

} // namespace slipway::engine
