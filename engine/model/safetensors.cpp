#include "model/safetensors.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

namespace slipway::engine {

int64_t TensorView::numel() const {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
}

std::string TensorView::shape_string() const {
    std::string out = "[";
    for (size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
    return out + "]";
}

StatusOr<std::unique_ptr<MappedFile>> MappedFile::open(const std::filesystem::path &path) {
    const std::string name = path.string();
    const int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::error(name + ": cannot open: " + std::strerror(errno));
    struct stat st{};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return Status::error(name + ": cannot stat: " + std::strerror(err));
    }
    std::unique_ptr<MappedFile> file(new MappedFile());
    file->path_ = name;
    file->size_ = static_cast<size_t>(st.st_size);
    if (file->size_ > 0) {
        void *p = ::mmap(nullptr, file->size_, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            const int err = errno;
            ::close(fd);
            return Status::error(name + ": cannot memory-map: " + std::strerror(err));
        }
        file->data_ = static_cast<const std::byte *>(p);
    }
    ::close(fd);  // the mapping keeps the file alive
    return file;
}

MappedFile::~MappedFile() {
    if (data_ != nullptr) ::munmap(const_cast<std::byte *>(data_), size_);
}

StatusOr<std::unique_ptr<SafetensorsFile>> SafetensorsFile::open(const std::filesystem::path &path) {
    auto mapped = MappedFile::open(path);
    if (!mapped) return mapped.status();
    std::unique_ptr<SafetensorsFile> st(new SafetensorsFile());
    st->file_ = std::move(mapped).value();
    const std::string &name = st->file_->path();
    const size_t size = st->file_->size();
    if (size < 8)
        return Status::error(name + ": " + std::to_string(size) +
                             " bytes is too short for a safetensors file (truncated?)");
    uint64_t header_len = 0;
    for (int i = 7; i >= 0; --i) header_len = (header_len << 8) | static_cast<uint8_t>(st->file_->data()[i]);
    if (header_len > size - 8)
        return Status::error(name + ": header claims " + std::to_string(header_len) + " bytes but the file holds " +
                             std::to_string(size - 8) + " after the length field (file truncated or not safetensors)");
    const char *header_begin = reinterpret_cast<const char *>(st->file_->data() + 8);
    nlohmann::json header = nlohmann::json::parse(header_begin, header_begin + header_len, nullptr, false);
    if (header.is_discarded() || !header.is_object())
        return Status::error(name + ": the safetensors header is not a JSON object (corrupt file?)");

    const std::byte *data_begin = st->file_->data() + 8 + header_len;
    const size_t data_size = size - 8 - header_len;
    for (auto it = header.begin(); it != header.end(); ++it) {
        if (it.key() == "__metadata__") {
            if (it->is_object())
                for (auto m = it->begin(); m != it->end(); ++m)
                    if (m->is_string()) st->metadata_[m.key()] = m->get<std::string>();
            continue;
        }
        const std::string where = name + ": tensor '" + it.key() + "'";
        const auto &entry = *it;
        if (!entry.is_object() || !entry.contains("dtype") || !entry["dtype"].is_string() || !entry.contains("shape") ||
            !entry["shape"].is_array() || !entry.contains("data_offsets") || !entry["data_offsets"].is_array() ||
            entry["data_offsets"].size() != 2)
            return Status::error(where + ": header entry needs dtype, shape and data_offsets [begin, end]");
        TensorView view;
        view.name = it.key();
        view.file = name;
        view.dtype_name = entry["dtype"].get<std::string>();
        view.dtype = parse_dtype(view.dtype_name);
        for (const auto &d : entry["shape"]) {
            if (!d.is_number_integer() || d.get<int64_t>() < 0)
                return Status::error(where + ": shape " + entry["shape"].dump() + " must hold non-negative integers");
            view.shape.push_back(d.get<int64_t>());
        }
        const auto &offsets = entry["data_offsets"];
        if (!offsets[0].is_number_unsigned() || !offsets[1].is_number_unsigned())
            return Status::error(where + ": data_offsets " + offsets.dump() + " must be non-negative integers");
        const uint64_t begin = offsets[0].get<uint64_t>();
        const uint64_t end = offsets[1].get<uint64_t>();
        if (begin > end)
            return Status::error(where + ": data_offsets " + offsets.dump() + " end before they begin");
        if (end > data_size)
            return Status::error(where + ": needs bytes [" + std::to_string(begin) + ", " + std::to_string(end) +
                                 ") of the data section but the file holds only " + std::to_string(data_size) +
                                 " (file truncated? download it again)");
        view.data = data_begin + begin;
        view.nbytes = static_cast<size_t>(end - begin);
        const size_t elem = dtype_size(view.dtype);
        if (elem != 0 && static_cast<uint64_t>(view.numel()) * elem != view.nbytes)
            return Status::error(where + ": dtype " + view.dtype_name + " and shape " + view.shape_string() + " need " +
                                 std::to_string(view.numel() * static_cast<int64_t>(elem)) + " bytes but data_offsets span " +
                                 std::to_string(view.nbytes));
        st->tensors_.emplace(view.name, std::move(view));
    }
    return st;
}

} // namespace slipway::engine
