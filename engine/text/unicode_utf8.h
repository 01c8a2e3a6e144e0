#pragma once
// UTF-8 <-> code points. Invalid input is never rejected: each maximal ill-formed subpart
// becomes one U+FFFD, the rule that Rust's String::from_utf8_lossy, Python's
// errors="replace" and the WHATWG TextDecoder share, so text reaches the tokenizer exactly as
// it reaches Hugging Face's.
#include <cstddef>
#include <string>
#include <string_view>

namespace slipway::engine {

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

std::u32string utf8_to_code_points(std::string_view bytes);
void append_utf8(std::string &out, char32_t cp);
std::string code_points_to_utf8(std::u32string_view cps);
// The same bytes with every ill-formed subpart replaced by U+FFFD.
std::string sanitize_utf8(std::string_view bytes);
// How many leading bytes form complete characters or definitely-invalid bytes; what follows
// is the start of a character that more bytes could still complete.
std::size_t utf8_complete_prefix(std::string_view bytes);

} // namespace slipway::engine
