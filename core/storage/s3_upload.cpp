#include "storage/s3_upload.h"

#include "storage/digest.h"
#include "storage/local_folder.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

namespace slipway::storage {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

struct UploadState {
    std::string uploadId;
    std::map<int, S3Part> parts; // number -> part (etag = MD5 of the local bytes, verified)
};

std::string joinKey(const std::string &prefix, const std::string &relative)
{
    std::string p = prefix;
    while (!p.empty() && p.front() == '/')
        p.erase(p.begin());
    while (!p.empty() && p.back() == '/')
        p.pop_back();
    return p.empty() ? relative : p + "/" + relative;
}

Result<std::string> readRange(const std::string &path, std::int64_t offset, std::int64_t length)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail("cannot open " + path + " for reading");
    in.seekg(offset);
    std::string data(static_cast<std::size_t>(length), '\0');
    in.read(data.data(), length);
    if (in.gcount() != length)
        return fail(path + " is shorter than when the upload started: it changed on disk; start the upload again");
    return data;
}

struct LocalEtags {
    std::string md5;        // of the whole file
    std::string multipart;  // as S3 computes it for this part size
};

Result<LocalEtags> localEtags(const LocalFile &file, std::int64_t partSize)
{
    std::ifstream in(file.absolutePath, std::ios::binary);
    if (!in)
        return fail("cannot open " + file.absolutePath + " for reading");
    Hasher whole(HashKind::Md5);
    Hasher part(HashKind::Md5);
    std::vector<std::string> partMd5s;
    std::vector<char> buffer(1 << 20);
    std::int64_t inPart = 0;
    while (in) {
        const auto want = static_cast<std::streamsize>(std::min<std::int64_t>(static_cast<std::int64_t>(buffer.size()), partSize - inPart));
        in.read(buffer.data(), want);
        const auto got = in.gcount();
        if (got <= 0)
            break;
        const std::string_view bytes(buffer.data(), static_cast<std::size_t>(got));
        whole.update(bytes);
        part.update(bytes);
        inPart += got;
        if (inPart == partSize) {
            partMd5s.push_back(part.finishHex());
            inPart = 0;
        }
    }
    if (inPart > 0)
        partMd5s.push_back(part.finishHex());
    return LocalEtags{whole.finishHex(), multipartEtag(partMd5s)};
}

class Uploader {
public:
    Uploader(S3Client &client, const S3UploadOptions &options, const ProgressCallback &onProgress, const net::CancelToken *cancel)
        : m_client(client), m_options(options), m_onProgress(onProgress), m_cancel(cancel)
    {
    }

    Result<S3UploadReport> run(const std::string &folder);

private:
    void emit(bool force);
    std::string statePath(const LocalFile &file, const std::string &key) const;
    json identity(const LocalFile &file, const std::string &key) const;
    std::optional<UploadState> loadState(const std::string &path, const json &id) const;
    Result<void> saveState(const std::string &path, const json &id, const UploadState &state) const;
    Result<bool> alreadyThere(const LocalFile &file, const std::string &key);
    Result<void> uploadSingle(const LocalFile &file, const std::string &key);
    Result<void> uploadMultipart(const LocalFile &file, const std::string &key, bool mayRestart);
    // Sends one part (or whole object when uploadId is empty) until its ETag is the local MD5.
    Result<std::string> sendVerified(const std::string &key, const std::string &uploadId, int number, const std::string &data);

    S3Client &m_client;
    const S3UploadOptions &m_options;
    const ProgressCallback &m_onProgress;
    const net::CancelToken *m_cancel;
    std::string m_stateDir;
    TransferProgress m_progress;
    ProgressMeter m_meter;
    S3UploadReport m_report;
    ProgressMeter::Clock::time_point m_lastEmit{};
};

void Uploader::emit(bool force)
{
    const auto now = ProgressMeter::Clock::now();
    if (!force && now - m_lastEmit < std::chrono::milliseconds(100))
        return;
    m_lastEmit = now;
    m_meter.update(m_progress, now);
    if (m_onProgress)
        m_onProgress(m_progress);
}

json Uploader::identity(const LocalFile &file, const std::string &key) const
{
    return json{{"endpoint", m_client.location().endpoint}, {"bucket", m_client.location().bucket}, {"key", key},
                {"size", file.size}, {"mtime", file.mtimeSeconds}, {"partSize", m_options.partSize}};
}

std::string Uploader::statePath(const LocalFile &file, const std::string &key) const
{
    return (fs::path(m_stateDir) / (sha256Hex(identity(file, key).dump()).substr(0, 32) + ".json")).string();
}

std::optional<UploadState> Uploader::loadState(const std::string &path, const json &id) const
{
    std::ifstream in(path);
    if (!in)
        return std::nullopt;
    const json doc = json::parse(in, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || doc.value("identity", json()) != id || !doc.contains("uploadId"))
        return std::nullopt;
    UploadState state;
    state.uploadId = doc.value("uploadId", "");
    for (const json &p : doc.value("parts", json::array())) {
        S3Part part{p.value("number", 0), p.value("etag", ""), p.value("size", std::int64_t{0})};
        state.parts[part.number] = part;
    }
    return state;
}

Result<void> Uploader::saveState(const std::string &path, const json &id, const UploadState &state) const
{
    json parts = json::array();
    for (const auto &[number, part] : state.parts)
        parts.push_back({{"number", number}, {"etag", part.etag}, {"size", part.size}});
    const json doc{{"identity", id}, {"uploadId", state.uploadId}, {"parts", parts}};
    const std::string temp = path + ".tmp";
    {
        std::ofstream out(temp, std::ios::trunc);
        out << doc.dump(1);
        if (!out)
            return fail("cannot write the upload state file " + temp + ": check free space and permissions of " + m_stateDir);
    }
    std::error_code ec;
    fs::rename(temp, path, ec);
    if (ec)
        return fail("cannot write the upload state file " + path + ": " + ec.message());
    return {};
}

Result<bool> Uploader::alreadyThere(const LocalFile &file, const std::string &key)
{
    auto info = m_client.head(key, m_cancel);
    if (!info)
        return info.error();
    if (!info->exists || info->size != file.size)
        return false;
    auto etags = localEtags(file, m_options.partSize);
    if (!etags)
        return etags.error();
    return info->etag == etags->md5 || info->etag == etags->multipart;
}

Result<std::string> Uploader::sendVerified(const std::string &key, const std::string &uploadId, int number, const std::string &data)
{
    const std::string expected = md5Hex(data);
    for (int attempt = 0; attempt <= m_options.partRetries; ++attempt) {
        if (attempt > 0) {
            // The bytes of the failed attempt stay counted (progress never goes back); the
            // resend is more work.
            m_progress.bytesTotal += static_cast<std::int64_t>(data.size());
            ++m_report.partsRetried;
        }
        const std::int64_t start = m_progress.bytesDone;
        auto onSent = [&](std::int64_t sent) {
            m_progress.bytesDone = std::max(m_progress.bytesDone, start + sent);
            emit(false);
        };
        auto etag = uploadId.empty() ? m_client.putObject(key, data, m_cancel, onSent)
                                     : m_client.uploadPart(key, uploadId, number, data, m_cancel, onSent);
        if (!etag)
            return etag.error();
        m_progress.bytesDone = start + static_cast<std::int64_t>(data.size());
        m_report.bytesSent += static_cast<std::int64_t>(data.size());
        if (!m_options.verifyEtags || etag.value() == expected) {
            ++m_report.partsSent;
            emit(true);
            return etag;
        }
    }
    const std::string what = uploadId.empty() ? key : "part " + std::to_string(number) + " of " + key;
    return fail("the S3 server stored " + what + " with a different checksum than was sent, " +
                std::to_string(m_options.partRetries + 1) + " times: the data is corrupted on the way (a proxy or faulty network); upload aborted");
}

Result<void> Uploader::uploadSingle(const LocalFile &file, const std::string &key)
{
    auto data = readRange(file.absolutePath, 0, file.size);
    if (!data)
        return data.error();
    auto etag = sendVerified(key, {}, 0, data.value());
    if (!etag)
        return etag.error();
    auto info = m_client.head(key, m_cancel);
    if (!info)
        return info.error();
    if (!info->exists || info->size != file.size || (m_options.verifyEtags && info->etag != etag.value()))
        return fail("after uploading " + key + " the bucket reports " + std::to_string(info->size) + " bytes (ETag " +
                    info->etag + "), not " + std::to_string(file.size) + " bytes with MD5 " + etag.value());
    return {};
}

Result<void> Uploader::uploadMultipart(const LocalFile &file, const std::string &key, bool mayRestart)
{
    const json id = identity(file, key);
    const std::string path = statePath(file, key);
    const int partCount = static_cast<int>((file.size + m_options.partSize - 1) / m_options.partSize);
    std::optional<UploadState> state = loadState(path, id);
    if (state) {
        std::int64_t recorded = 0;
        for (const auto &[n, p] : state->parts)
            recorded += p.size;
        auto listed = m_client.listParts(key, state->uploadId, m_cancel);
        if (!listed) {
            if (listed.message().rfind("no such upload", 0) != 0)
                return listed.error();
            state.reset();
        } else if (listed->has_value()) {
            // Keep only parts the server holds with the ETag and size recorded locally.
            std::map<int, S3Part> confirmed;
            for (const S3Part &p : listed->value()) {
                const auto it = state->parts.find(p.number);
                if (it != state->parts.end() && it->second.etag == p.etag && it->second.size == p.size)
                    confirmed[p.number] = it->second;
            }
            state->parts = std::move(confirmed);
        }
        std::int64_t resumed = 0;
        if (state) {
            for (const auto &[n, p] : state->parts)
                resumed += p.size;
        }
        m_progress.bytesTotal += recorded - resumed; // planned as skipped, but must be sent after all
        m_progress.bytesSkipped -= recorded - resumed;
    }
    if (!state) {
        auto uploadId = m_client.createMultipartUpload(key, m_cancel);
        if (!uploadId)
            return uploadId.error();
        state = UploadState{uploadId.value(), {}};
        if (auto saved = saveState(path, id, *state); !saved)
            return saved;
    }
    m_report.partsResumed += static_cast<int>(state->parts.size());
    for (int number = 1; number <= partCount; ++number) {
        if (state->parts.count(number))
            continue;
        const std::int64_t offset = static_cast<std::int64_t>(number - 1) * m_options.partSize;
        auto data = readRange(file.absolutePath, offset, std::min(m_options.partSize, file.size - offset));
        if (!data)
            return data.error();
        auto etag = sendVerified(key, state->uploadId, number, data.value());
        if (!etag)
            return etag.error();
        state->parts[number] = S3Part{number, etag.value(), static_cast<std::int64_t>(data->size())};
        if (auto saved = saveState(path, id, *state); !saved)
            return saved;
    }
    std::vector<S3Part> parts;
    std::vector<std::string> md5s;
    for (const auto &[n, p] : state->parts) {
        parts.push_back(p);
        md5s.push_back(p.etag);
    }
    auto completed = m_client.completeMultipartUpload(key, state->uploadId, parts, m_cancel);
    if (!completed) {
        // Parts trusted from the state file may be gone (the server restarted, the upload expired):
        // start this file over once.
        std::error_code ec;
        fs::remove(path, ec);
        if (mayRestart && (m_cancel == nullptr || !m_cancel->isCancelled())) {
            (void)m_client.abortMultipartUpload(key, state->uploadId, m_cancel);
            return uploadMultipart(file, key, false);
        }
        return completed.error();
    }
    std::error_code ec;
    fs::remove(path, ec);
    auto info = m_client.head(key, m_cancel);
    if (!info)
        return info.error();
    if (!info->exists || info->size != file.size)
        return fail("after completing " + key + " the bucket reports " + std::to_string(info->size) + " bytes, not " +
                    std::to_string(file.size) + ": upload it again");
    if (m_options.verifyEtags && info->etag.find('-') != std::string::npos && info->etag != multipartEtag(md5s))
        return fail("after completing " + key + " its ETag " + info->etag + " does not match the parts sent (" +
                    multipartEtag(md5s) + "): upload it again");
    return {};
}

Result<S3UploadReport> Uploader::run(const std::string &folder)
{
    if (m_options.partSize < kMinPartSize)
        return fail("the S3 part size must be at least 5 MiB (S3 rejects smaller parts); it is " + formatBytes(m_options.partSize));
    m_stateDir = m_options.stateDir.empty() ? defaultS3StateDir() : m_options.stateDir;
    std::error_code ec;
    fs::create_directories(m_stateDir, ec);
    if (ec)
        return fail("cannot create the upload state folder " + m_stateDir + ": " + ec.message());
    auto files = scanFolder(folder);
    if (!files)
        return files.error();
    for (const LocalFile &f : files.value()) {
        if ((f.size + m_options.partSize - 1) / m_options.partSize > 10000)
            return fail(f.relativePath + " needs more than 10,000 parts of " + formatBytes(m_options.partSize) + ": choose a larger part size");
    }

    // Plan: which files are there already, and what an earlier run had sent.
    m_progress.phase = "checking";
    emit(true);
    std::vector<const LocalFile *> todo;
    for (const LocalFile &f : files.value()) {
        const std::string key = joinKey(m_options.prefix, f.relativePath);
        m_report.keys.push_back(key);
        m_progress.currentFile = f.relativePath;
        auto there = alreadyThere(f, key);
        if (!there)
            return there.error();
        if (there.value()) {
            ++m_report.filesSkipped;
            ++m_progress.filesSkipped;
            m_progress.bytesSkipped += f.size;
            continue;
        }
        todo.push_back(&f);
        ++m_progress.filesTotal;
        std::int64_t recorded = 0;
        if (f.size >= m_options.partSize) {
            if (auto state = loadState(statePath(f, key), identity(f, key))) {
                for (const auto &[n, p] : state->parts)
                    recorded += p.size;
            }
        }
        m_progress.bytesSkipped += recorded;
        m_progress.bytesTotal += f.size - recorded;
    }

    m_progress.phase = "uploading";
    emit(true);
    for (const LocalFile *f : todo) {
        const std::string key = joinKey(m_options.prefix, f->relativePath);
        m_progress.currentFile = f->relativePath;
        auto done = f->size >= m_options.partSize ? uploadMultipart(*f, key, true) : uploadSingle(*f, key);
        if (!done)
            return fail(f->relativePath + ": " + done.message());
        ++m_report.filesUploaded;
        ++m_progress.filesDone;
        emit(true);
    }
    m_progress.phase = "done";
    m_progress.currentFile.clear();
    emit(true);
    return m_report;
}

} // namespace

std::string defaultS3StateDir()
{
    const char *cache = std::getenv("XDG_CACHE_HOME");
    const char *home = std::getenv("HOME");
    const fs::path base = cache && *cache ? fs::path(cache) : fs::path(home && *home ? home : "/tmp") / ".cache";
    return (base / "slipway" / "s3-uploads").string();
}

Result<S3UploadReport> uploadFolderToS3(S3Client &client, const std::string &folder, const S3UploadOptions &options,
                                        const ProgressCallback &onProgress, const net::CancelToken *cancel)
{
    Uploader uploader(client, options, onProgress, cancel);
    return uploader.run(folder);
}

} // namespace slipway::storage
