#pragma once
// Hashes Slipway's storage code needs, over OpenSSL's libcrypto: MD5 (S3 ETags), SHA-256 (SigV4
// payload hashes, file checksums compared with `sha256sum` in a pod), HMAC-SHA256 (SigV4 keys) and
// SHA-1 (the WebSocket handshake). Incremental hashers for streamed data.
#include "common/result.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace slipway::storage {

enum class HashKind { Md5, Sha1, Sha256 };

// Feed bytes with update(), take the binary digest once with finish(). Not copyable.
class Hasher final {
public:
    explicit Hasher(HashKind kind);
    ~Hasher();
    Hasher(const Hasher &) = delete;
    Hasher &operator=(const Hasher &) = delete;
    Hasher(Hasher &&) noexcept;
    Hasher &operator=(Hasher &&) noexcept;

    void update(std::string_view bytes);
    std::string finish();      // binary digest; the hasher starts over afterwards
    std::string finishHex();   // lower-case hex digest

private:
    struct State;
    std::unique_ptr<State> m_state;
    HashKind m_kind;
};

std::string digest(HashKind kind, std::string_view bytes);   // binary
std::string md5Hex(std::string_view bytes);
std::string sha256Hex(std::string_view bytes);
std::string hmacSha256(std::string_view key, std::string_view data); // binary
std::string toHex(std::string_view bytes);

// SHA-256 (hex) of a whole file, read in 1 MiB blocks.
Result<std::string> sha256File(const std::string &path);

} // namespace slipway::storage
