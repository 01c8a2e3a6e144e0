#include "storage/digest.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <vector>

namespace slipway::storage {

struct Hasher::State {
    EVP_MD_CTX *context = nullptr;
};

namespace {

const EVP_MD *algorithm(HashKind kind)
{
    switch (kind) {
    case HashKind::Md5:
        return EVP_md5();
    case HashKind::Sha1:
        return EVP_sha1();
    case HashKind::Sha256:
        break;
    }
    return EVP_sha256();
}

} // namespace

Hasher::Hasher(HashKind kind) : m_state(std::make_unique<State>()), m_kind(kind)
{
    m_state->context = EVP_MD_CTX_new();
    EVP_DigestInit_ex(m_state->context, algorithm(kind), nullptr);
}

Hasher::~Hasher()
{
    if (m_state && m_state->context)
        EVP_MD_CTX_free(m_state->context);
}

Hasher::Hasher(Hasher &&other) noexcept = default;
Hasher &Hasher::operator=(Hasher &&other) noexcept
{
    if (this != &other) {
        if (m_state && m_state->context)
            EVP_MD_CTX_free(m_state->context);
        m_state = std::move(other.m_state);
        m_kind = other.m_kind;
    }
    return *this;
}

void Hasher::update(std::string_view bytes)
{
    EVP_DigestUpdate(m_state->context, bytes.data(), bytes.size());
}

std::string Hasher::finish()
{
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned int length = 0;
    EVP_DigestFinal_ex(m_state->context, out.data(), &length);
    EVP_DigestInit_ex(m_state->context, algorithm(m_kind), nullptr);
    return std::string(reinterpret_cast<const char *>(out.data()), length);
}

std::string Hasher::finishHex()
{
    return toHex(finish());
}

std::string digest(HashKind kind, std::string_view bytes)
{
    Hasher hasher(kind);
    hasher.update(bytes);
    return hasher.finish();
}

std::string md5Hex(std::string_view bytes)
{
    return toHex(digest(HashKind::Md5, bytes));
}

std::string sha256Hex(std::string_view bytes)
{
    return toHex(digest(HashKind::Sha256, bytes));
}

std::string hmacSha256(std::string_view key, std::string_view data)
{
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char *>(data.data()),
         data.size(), out.data(), &length);
    return std::string(reinterpret_cast<const char *>(out.data()), length);
}

std::string toHex(std::string_view bytes)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        hex.push_back(kDigits[b >> 4]);
        hex.push_back(kDigits[b & 0x0f]);
    }
    return hex;
}

Result<std::string> sha256File(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail("cannot read " + path + " to compute its checksum: check that it exists and is readable");
    Hasher hasher(HashKind::Sha256);
    std::vector<char> buffer(1 << 20);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        if (in.gcount() > 0)
            hasher.update(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
    }
    if (in.bad())
        return fail("reading " + path + " failed half way (disk error?)");
    return hasher.finishHex();
}

} // namespace slipway::storage
