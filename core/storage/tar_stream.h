#pragma once
// A tar archive (POSIX ustar, with pax extended headers for paths over 100 bytes and files of
// 8 GiB or more) produced on demand from files on disk, for `tar -xmf - -C dir` in a pod. Nothing
// is staged: read() hands out the next bytes, opening each file when its turn comes, and computes
// each file's SHA-256 on the way so the upload can be verified against `sha256sum` in the pod.
#include "common/result.h"
#include "storage/digest.h"

#include <cstdint>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace slipway::storage {

struct TarEntry {
    std::string archivePath;    // relative, '/' separated: "shards/model-00001.safetensors"
    std::string sourcePath;     // file on disk
    std::int64_t size = 0;
    std::int64_t mtimeSeconds = 0;
    int mode = 0664;
};

class TarStream final {
public:
    explicit TarStream(std::vector<TarEntry> entries);

    // Up to `size` bytes of the archive; 0 at its end or after a failure (see error()).
    std::size_t read(char *buffer, std::size_t size);
    const std::optional<std::string> &error() const { return m_error; }
    // SHA-256 (hex) of each entry whose data has been read completely, by archive path.
    const std::vector<std::pair<std::string, std::string>> &checksums() const { return m_checksums; }
    // Called when an entry's data starts (index into the entries).
    std::function<void(std::size_t)> onEntryStarted;

    // The archive's total size (headers, data, padding and end blocks).
    std::int64_t totalSize() const;

    // One header block set (pax header when needed + ustar header) for an entry; exposed for tests.
    static std::string headerFor(const TarEntry &entry);

private:
    bool fillPending();

    std::vector<TarEntry> m_entries;
    std::size_t m_next = 0;          // next entry whose header is due
    std::string m_pending;           // header or padding bytes waiting to be read
    std::size_t m_pendingOffset = 0;
    std::ifstream m_file;
    std::int64_t m_fileLeft = 0;     // data bytes of the current entry not yet read
    std::int64_t m_padding = 0;      // zero bytes after the current entry's data
    std::optional<Hasher> m_hasher;
    bool m_finished = false;
    std::optional<std::string> m_error;
    std::vector<std::pair<std::string, std::string>> m_checksums;
};

} // namespace slipway::storage
