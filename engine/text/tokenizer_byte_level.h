#pragma once
// The byte-level alphabet of GPT-2 style BPE: every byte has a printable stand-in code point
// (printable Latin-1 bytes stand for themselves, the rest map to U+0100 onwards), so that any
// byte string is a string of vocabulary characters.
#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace slipway::engine {

// The stand-in code point of each byte.
const std::array<char32_t, 256> &byte_level_alphabet();
// The byte a stand-in code point represents, if it is one.
std::optional<unsigned char> byte_level_byte(char32_t cp);
// UTF-8 of the stand-ins of every byte of `bytes`.
std::string byte_level_encode(std::string_view bytes);
// The bytes a token decodes to: its stand-ins mapped back, or, when a character of the token is
// not a stand-in (added tokens such as "<｜end▁of▁sentence｜>"), the token's own UTF-8.
std::string byte_level_decode_token(std::string_view token);

} // namespace slipway::engine
