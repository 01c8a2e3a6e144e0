#include "storage/tar_stream.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace slipway::storage {

namespace {

constexpr std::int64_t kBlock = 512;
constexpr std::int64_t kRecord = 20 * kBlock; // GNU tar's default record: archives end on one
constexpr std::int64_t kMaxOctalSize = 077777777777LL; // 11 octal digits

void putOctal(char *field, std::size_t width, std::int64_t value)
{
    // width-1 digits and a NUL.
    std::snprintf(field, width, "%0*llo", static_cast<int>(width - 1), static_cast<unsigned long long>(value));
}

// One pax record: "<len> key=value\n" where <len> counts the whole record, itself included.
std::string paxRecord(const std::string &key, const std::string &value)
{
    const std::size_t body = 1 + key.size() + 1 + value.size() + 1; // ' ' key '=' value '\n'
    std::size_t length = body + 1;
    while (std::to_string(length).size() + body != length)
        length = std::to_string(length).size() + body;
    return std::to_string(length) + " " + key + "=" + value + "\n";
}

std::string ustarHeader(const std::string &name, std::int64_t size, std::int64_t mtime, int mode, char type)
{
    std::string block(kBlock, '\0');
    char *h = block.data();
    std::memcpy(h, name.data(), std::min<std::size_t>(name.size(), 100));
    putOctal(h + 100, 8, mode);
    putOctal(h + 108, 8, 0);
    putOctal(h + 116, 8, 0);
    putOctal(h + 124, 12, size);
    putOctal(h + 136, 12, mtime);
    std::memset(h + 148, ' ', 8);
    h[156] = type;
    std::memcpy(h + 257, "ustar", 6); // magic with its NUL
    std::memcpy(h + 263, "00", 2);
    unsigned sum = 0;
    for (std::size_t i = 0; i < static_cast<std::size_t>(kBlock); ++i)
        sum += static_cast<unsigned char>(block[i]);
    std::snprintf(h + 148, 8, "%06o", sum);
    h[155] = ' ';
    return block;
}

std::int64_t paddingFor(std::int64_t size)
{
    return (kBlock - size % kBlock) % kBlock;
}

} // namespace

TarStream::TarStream(std::vector<TarEntry> entries) : m_entries(std::move(entries)) {}

std::string TarStream::headerFor(const TarEntry &entry)
{
    const bool longName = entry.archivePath.size() > 100;
    const bool bigFile = entry.size > kMaxOctalSize;
    std::string out;
    if (longName || bigFile) {
        std::string records;
        if (longName)
            records += paxRecord("path", entry.archivePath);
        if (bigFile)
            records += paxRecord("size", std::to_string(entry.size));
        out += ustarHeader("PaxHeaders/" + entry.archivePath.substr(0, 80), static_cast<std::int64_t>(records.size()),
                           entry.mtimeSeconds, 0644, 'x');
        out += records;
        out.append(static_cast<std::size_t>(paddingFor(static_cast<std::int64_t>(records.size()))), '\0');
    }
    out += ustarHeader(entry.archivePath, bigFile ? 0 : entry.size, entry.mtimeSeconds, entry.mode, '0');
    return out;
}

std::int64_t TarStream::totalSize() const
{
    std::int64_t total = 0;
    for (const TarEntry &e : m_entries)
        total += static_cast<std::int64_t>(headerFor(e).size()) + e.size + paddingFor(e.size);
    total += 2 * kBlock;
    return total + (kRecord - total % kRecord) % kRecord;
}

bool TarStream::fillPending()
{
    if (m_next < m_entries.size()) {
        const TarEntry &entry = m_entries[m_next];
        m_file = std::ifstream(entry.sourcePath, std::ios::binary);
        if (!m_file) {
            m_error = "cannot open " + entry.sourcePath + " for reading";
            return false;
        }
        m_pending = headerFor(entry);
        m_pendingOffset = 0;
        m_fileLeft = entry.size;
        m_padding = paddingFor(entry.size);
        m_hasher.emplace(HashKind::Sha256);
        if (entry.size == 0) {
            m_checksums.emplace_back(entry.archivePath, m_hasher->finishHex());
            m_file.close();
        }
        if (onEntryStarted)
            onEntryStarted(m_next);
        ++m_next;
        return true;
    }
    if (m_finished)
        return false;
    m_finished = true;
    // Two zero blocks end the archive; pad to a whole record.
    std::int64_t endBytes = 2 * kBlock;
    std::int64_t written = 0;
    for (const TarEntry &e : m_entries)
        written += static_cast<std::int64_t>(headerFor(e).size()) + e.size + paddingFor(e.size);
    written += endBytes;
    endBytes += (kRecord - written % kRecord) % kRecord;
    m_pending.assign(static_cast<std::size_t>(endBytes), '\0');
    m_pendingOffset = 0;
    return true;
}

std::size_t TarStream::read(char *buffer, std::size_t size)
{
    std::size_t produced = 0;
    while (produced < size && !m_error) {
        if (m_pendingOffset < m_pending.size()) {
            const std::size_t n = std::min(size - produced, m_pending.size() - m_pendingOffset);
            std::memcpy(buffer + produced, m_pending.data() + m_pendingOffset, n);
            m_pendingOffset += n;
            produced += n;
            continue;
        }
        if (m_fileLeft > 0) {
            const auto want = static_cast<std::streamsize>(std::min<std::int64_t>(static_cast<std::int64_t>(size - produced), m_fileLeft));
            m_file.read(buffer + produced, want);
            const auto got = m_file.gcount();
            if (got <= 0) {
                m_error = m_entries[m_next - 1].sourcePath + " is shorter than when the upload started: it changed on disk; start again";
                break;
            }
            m_hasher->update(std::string_view(buffer + produced, static_cast<std::size_t>(got)));
            produced += static_cast<std::size_t>(got);
            m_fileLeft -= got;
            if (m_fileLeft == 0) {
                m_checksums.emplace_back(m_entries[m_next - 1].archivePath, m_hasher->finishHex());
                m_file.close();
                m_pending.assign(static_cast<std::size_t>(m_padding), '\0');
                m_pendingOffset = 0;
            }
            continue;
        }
        if (!fillPending())
            break;
    }
    return m_error ? 0 : produced;
}

} // namespace slipway::storage
