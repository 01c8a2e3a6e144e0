#include "jinja_strings.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace slipway::engine::jinja {

char32_t decode_utf8(std::string_view text, std::size_t pos, std::size_t &length)
{
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(pos);
    length = 1;
    if (lead < 0x80)
        return lead;
    std::size_t need = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if ((lead & 0xE0) == 0xC0) { need = 1; cp = lead & 0x1F; min = 0x80; }
    else if ((lead & 0xF0) == 0xE0) { need = 2; cp = lead & 0x0F; min = 0x800; }
    else if ((lead & 0xF8) == 0xF0) { need = 3; cp = lead & 0x07; min = 0x10000; }
    else return 0xFFFD;
    if (pos + need >= text.size())
        return 0xFFFD;
    for (std::size_t i = 1; i <= need; ++i) {
        const unsigned char c = byte(pos + i);
        if ((c & 0xC0) != 0x80)
            return 0xFFFD;
        cp = (cp << 6) | (c & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0xFFFD;
    length = need + 1;
    return cp;
}

std::vector<std::string_view> code_points(std::string_view text)
{
    std::vector<std::string_view> units;
    units.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        std::size_t length = 0;
        decode_utf8(text, pos, length);
        units.push_back(text.substr(pos, length));
        pos += length;
    }
    return units;
}

std::size_t code_point_count(std::string_view text)
{
    std::size_t count = 0;
    for (std::size_t pos = 0; pos < text.size(); ++count) {
        std::size_t length = 0;
        decode_utf8(text, pos, length);
        pos += length;
    }
    return count;
}

bool is_js_space(char32_t cp)
{
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A)
        || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

std::size_t js_space_length_at(std::string_view text, std::size_t pos)
{
    if (pos >= text.size())
        return 0;
    std::size_t length = 0;
    const char32_t cp = decode_utf8(text, pos, length);
    return is_js_space(cp) ? length : 0;
}

std::string_view js_trim_start(std::string_view text)
{
    std::size_t pos = 0;
    while (const std::size_t length = js_space_length_at(text, pos))
        pos += length;
    return text.substr(pos);
}

std::string_view js_trim_end(std::string_view text)
{
    // Walk forward (UTF-8 cannot be decoded backwards safely when it may be invalid) and
    // remember where the last non-space code point ends.
    std::size_t keep = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        std::size_t length = 0;
        const char32_t cp = decode_utf8(text, pos, length);
        pos += length;
        if (!is_js_space(cp))
            keep = pos;
    }
    return text.substr(0, keep);
}

std::string_view js_trim(std::string_view text) { return js_trim_end(js_trim_start(text)); }

std::string_view strip_chars(std::string_view text, std::string_view chars, bool start, bool end)
{
    const auto set = code_points(chars);
    const auto contains = [&](std::string_view unit) {
        for (const auto c : set)
            if (c == unit)
                return true;
        return false;
    };
    const auto units = code_points(text);
    std::size_t first = 0;
    std::size_t last = units.size();
    if (start)
        while (first < last && contains(units[first]))
            ++first;
    if (end)
        while (last > first && contains(units[last - 1]))
            --last;
    if (first == last)
        return {};
    const std::size_t begin = static_cast<std::size_t>(units[first].data() - text.data());
    const std::size_t stop = static_cast<std::size_t>(units[last - 1].data() - text.data()) + units[last - 1].size();
    return text.substr(begin, stop - begin);
}

namespace {

// Latin Extended-A alternates upper/lower case in pairs; which of the pair is upper depends on
// the block. Returns true and the other case when `cp` is in such a pair.
bool latin_extended_a_pair(char32_t cp, bool want_upper, char32_t &out)
{
    const bool even_upper = (cp >= 0x100 && cp <= 0x12F) || (cp >= 0x132 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177);
    const bool odd_upper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
    if (!even_upper && !odd_upper)
        return false;
    const bool is_upper = even_upper ? (cp % 2 == 0) : (cp % 2 == 1);
    if (is_upper == want_upper) {
        out = cp;
    } else {
        out = want_upper ? (even_upper ? cp - 1 : cp + 1) : (even_upper ? cp + 1 : cp - 1);
    }
    return true;
}

char32_t upper_of(char32_t cp)
{
    char32_t paired = 0;
    if (cp >= 'a' && cp <= 'z') return cp - 32;
    if (cp < 0x80) return cp;
    if ((cp >= 0xE0 && cp <= 0xFE && cp != 0xF7)) return cp - 32;
    if (cp == 0xFF) return 0x178;
    if (cp == 0x131) return 'I';
    if (latin_extended_a_pair(cp, true, paired)) return paired;
    if (cp == 0x3C2) return 0x3A3;
    if (cp >= 0x3B1 && cp <= 0x3C9) return cp - 32;
    if (cp >= 0x430 && cp <= 0x44F) return cp - 32;
    if (cp >= 0x450 && cp <= 0x45F) return cp - 80;
    return cp;
}

char32_t lower_of(char32_t cp)
{
    char32_t paired = 0;
    if (cp >= 'A' && cp <= 'Z') return cp + 32;
    if (cp < 0x80) return cp;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;
    if (cp == 0x178) return 0xFF;
    if (cp != 0x130 && latin_extended_a_pair(cp, false, paired)) return paired;
    if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) return cp + 32;
    if (cp >= 0x410 && cp <= 0x42F) return cp + 32;
    if (cp >= 0x400 && cp <= 0x40F) return cp + 80;
    return cp;
}

template <typename Map>
std::string map_code_points(std::string_view text, Map map)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        std::size_t length = 0;
        const char32_t cp = decode_utf8(text, pos, length);
        if (cp == 0xFFFD && length == 1 && static_cast<unsigned char>(text[pos]) >= 0x80)
            out.append(text.substr(pos, 1)); // keep invalid bytes as they are
        else
            map(out, cp);
        pos += length;
    }
    return out;
}

bool is_ascii_word(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }

} // namespace

std::string to_upper(std::string_view text)
{
    return map_code_points(text, [](std::string &out, char32_t cp) {
        if (cp == 0xDF)
            out += "SS"; // ß has no single upper-case letter
        else
            append_utf8(out, upper_of(cp));
    });
}

std::string to_lower(std::string_view text)
{
    return map_code_points(text, [](std::string &out, char32_t cp) { append_utf8(out, lower_of(cp)); });
}

std::string title_case(std::string_view text)
{
    std::string out(text);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const bool boundary = i == 0 || !is_ascii_word(out[i - 1]);
        if (boundary && out[i] >= 'a' && out[i] <= 'z')
            out[i] = static_cast<char>(out[i] - 32);
    }
    return out;
}

std::string capitalize(std::string_view text)
{
    if (text.empty())
        return {};
    std::size_t length = 0;
    decode_utf8(text, 0, length);
    return to_upper(text.substr(0, length)) + std::string(text.substr(length));
}

std::string js_number_to_string(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "Infinity" : "-Infinity";
    if (value == 0)
        return "0";
    if (value < 0)
        return "-" + js_number_to_string(-value);

    // Shortest round-trip digits in scientific form "d.ddde±x", then laid out by the rules of
    // ECMAScript Number::toString (k digits, decimal exponent n).
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
    const std::string sci(buffer, result.ptr);
    const std::size_t e_pos = sci.find('e');
    std::string digits;
    for (std::size_t i = 0; i < e_pos; ++i)
        if (sci[i] != '.')
            digits.push_back(sci[i]);
    const int exponent = std::atoi(sci.c_str() + e_pos + 1);
    const int k = static_cast<int>(digits.size());
    const int n = exponent + 1;

    if (k <= n && n <= 21)
        return digits + std::string(static_cast<std::size_t>(n - k), '0');
    if (0 < n && n <= 21)
        return digits.substr(0, static_cast<std::size_t>(n)) + "." + digits.substr(static_cast<std::size_t>(n));
    if (-6 < n && n <= 0)
        return "0." + std::string(static_cast<std::size_t>(-n), '0') + digits;
    const std::string sign = n - 1 >= 0 ? "+" : "-";
    const std::string magnitude = std::to_string(std::abs(n - 1));
    if (k == 1)
        return digits + "e" + sign + magnitude;
    return digits.substr(0, 1) + "." + digits.substr(1) + "e" + sign + magnitude;
}

std::string float_to_output(double value)
{
    if (value == 0 && std::signbit(value))
        return "-0.0";
    if (std::isfinite(value) && std::fmod(value, 1.0) == 0) {
        // toFixed(1): plain digits below 1e21, JavaScript's exponent form above.
        if (std::fabs(value) >= 1e21)
            return js_number_to_string(value);
        char buffer[400];
        std::snprintf(buffer, sizeof buffer, "%.1f", value);
        return buffer;
    }
    return js_number_to_string(value);
}

std::string json_quote(std::string_view text, bool ensure_ascii)
{
    static const char *hex = "0123456789abcdef";
    const auto unit_escape = [&](std::string &out, unsigned unit) {
        out += "\\u";
        out.push_back(hex[(unit >> 12) & 0xF]);
        out.push_back(hex[(unit >> 8) & 0xF]);
        out.push_back(hex[(unit >> 4) & 0xF]);
        out.push_back(hex[unit & 0xF]);
    };
    std::string out;
    out.reserve(text.size() + 2);
    out.push_back('"');
    for (std::size_t pos = 0; pos < text.size();) {
        const unsigned char c = static_cast<unsigned char>(text[pos]);
        if (c < 0x80) {
            switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20 || (ensure_ascii && c == 0x7F))
                    unit_escape(out, c);
                else
                    out.push_back(static_cast<char>(c));
            }
            ++pos;
            continue;
        }
        std::size_t length = 0;
        const char32_t cp = decode_utf8(text, pos, length);
        if (!ensure_ascii) {
            out.append(text.substr(pos, length));
        } else if (cp >= 0x10000) {
            const char32_t v = cp - 0x10000;
            unit_escape(out, 0xD800 + (v >> 10));
            unit_escape(out, 0xDC00 + (v & 0x3FF));
        } else {
            unit_escape(out, cp);
        }
        pos += length;
    }
    out.push_back('"');
    return out;
}

} // namespace slipway::engine::jinja
