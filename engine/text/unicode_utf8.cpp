#include "text/unicode_utf8.h"

namespace slipway::engine {

namespace {

// Decodes one character at `bytes[pos]`. Returns the bytes consumed; `cp` is the character or
// U+FFFD. `incomplete` is set when the input ended inside a sequence that was valid so far.
std::size_t decode_one(std::string_view bytes, std::size_t pos, char32_t &cp, bool &incomplete)
{
    incomplete = false;
    const auto at = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
    const unsigned char lead = at(pos);
    if (lead < 0x80) {
        cp = lead;
        return 1;
    }
    int need = 0;
    unsigned char low = 0x80, high = 0xBF; // allowed range of the first continuation byte
    char32_t value = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        need = 1;
        value = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        need = 2;
        value = lead & 0x0F;
        if (lead == 0xE0)
            low = 0xA0;
        if (lead == 0xED)
            high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        need = 3;
        value = lead & 0x07;
        if (lead == 0xF0)
            low = 0x90;
        if (lead == 0xF4)
            high = 0x8F;
    } else {
        cp = kReplacementCharacter;
        return 1;
    }
    std::size_t i = pos + 1;
    for (int k = 0; k < need; ++k, ++i) {
        if (i >= bytes.size()) {
            cp = kReplacementCharacter;
            incomplete = true;
            return i - pos;
        }
        const unsigned char b = at(i);
        if (b < low || b > high) {
            cp = kReplacementCharacter;
            return i - pos;
        }
        low = 0x80;
        high = 0xBF;
        value = (value << 6) | (b & 0x3F);
    }
    cp = value;
    return i - pos;
}

} // namespace

std::u32string utf8_to_code_points(std::string_view bytes)
{
    std::u32string out;
    out.reserve(bytes.size());
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        char32_t cp;
        bool incomplete;
        pos += decode_one(bytes, pos, cp, incomplete);
        out.push_back(cp);
    }
    return out;
}

void append_utf8(std::string &out, char32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::string code_points_to_utf8(std::u32string_view cps)
{
    std::string out;
    out.reserve(cps.size());
    for (char32_t cp : cps)
        append_utf8(out, cp);
    return out;
}

std::string sanitize_utf8(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size());
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        char32_t cp;
        bool incomplete;
        const std::size_t n = decode_one(bytes, pos, cp, incomplete);
        if (cp == kReplacementCharacter)
            append_utf8(out, cp);
        else
            out.append(bytes.substr(pos, n));
        pos += n;
    }
    return out;
}

std::size_t utf8_complete_prefix(std::string_view bytes)
{
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        char32_t cp;
        bool incomplete;
        const std::size_t n = decode_one(bytes, pos, cp, incomplete);
        if (incomplete)
            return pos;
        pos += n;
    }
    return pos;
}

} // namespace slipway::engine
