#include "text/tokenizer_byte_level.h"

#include "text/unicode_utf8.h"

namespace slipway::engine {

namespace {

struct Tables {
    std::array<char32_t, 256> to_cp{};
    std::array<std::string, 256> to_utf8{};
    std::array<int, 324> from_cp{}; // stand-ins are all below U+0144
};

const Tables &tables()
{
    static const Tables t = [] {
        Tables t;
        t.from_cp.fill(-1);
        char32_t next = 256;
        for (int b = 0; b < 256; ++b) {
            const bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            t.to_cp[static_cast<std::size_t>(b)] = printable ? static_cast<char32_t>(b) : next++;
        }
        for (int b = 0; b < 256; ++b) {
            const char32_t cp = t.to_cp[static_cast<std::size_t>(b)];
            t.from_cp[cp] = b;
            append_utf8(t.to_utf8[static_cast<std::size_t>(b)], cp);
        }
        return t;
    }();
    return t;
}

} // namespace

const std::array<char32_t, 256> &byte_level_alphabet() { return tables().to_cp; }

std::optional<unsigned char> byte_level_byte(char32_t cp)
{
    if (cp >= tables().from_cp.size() || tables().from_cp[cp] < 0)
        return std::nullopt;
    return static_cast<unsigned char>(tables().from_cp[cp]);
}

std::string byte_level_encode(std::string_view bytes)
{
    const Tables &t = tables();
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char b : bytes)
        out += t.to_utf8[b];
    return out;
}

std::string byte_level_decode_token(std::string_view token)
{
    std::string out;
    for (char32_t cp : utf8_to_code_points(token)) {
        const auto b = byte_level_byte(cp);
        if (!b)
            return std::string(token);
        out.push_back(static_cast<char>(*b));
    }
    return out;
}

} // namespace slipway::engine
