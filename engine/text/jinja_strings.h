#pragma once
// String helpers for the Jinja interpreter: UTF-8 code points, JavaScript's whitespace set (the
// test oracle @huggingface/jinja trims and splits with it), simple case mapping, and JavaScript
// number and JSON string formatting so that rendered numbers match the oracle byte for byte.
// All functions are pure and thread-safe.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "text/unicode_utf8.h" // append_utf8, found by lookup from the enclosing namespace

namespace slipway::engine::jinja {

// Decodes the code point that starts at byte `pos`; `length` receives its byte length. A byte
// that does not start a valid UTF-8 sequence decodes as U+FFFD with length 1.
char32_t decode_utf8(std::string_view text, std::size_t pos, std::size_t &length);
// The code points of `text`, each as a view into it (an invalid byte is a unit of its own).
std::vector<std::string_view> code_points(std::string_view text);
std::size_t code_point_count(std::string_view text);

// JavaScript's \s: the White_Space characters plus U+FEFF.
bool is_js_space(char32_t code_point);
// Byte length of the whitespace code point starting at `pos`, 0 when there is none.
std::size_t js_space_length_at(std::string_view text, std::size_t pos);
std::string_view js_trim_start(std::string_view text);
std::string_view js_trim_end(std::string_view text);
std::string_view js_trim(std::string_view text);

// Python's str.strip(chars) family: removes code points contained in `chars`.
std::string_view strip_chars(std::string_view text, std::string_view chars, bool start, bool end);

// Case mapping for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic letters; other code
// points are left as they are.
std::string to_upper(std::string_view text);
std::string to_lower(std::string_view text);
// @huggingface/jinja's title(): upper-cases each ASCII word character that follows a non-word
// character (regex /\b\w/); the rest of the word is left as it is.
std::string title_case(std::string_view text);
// Upper-cases the first code point, leaves the rest as it is.
std::string capitalize(std::string_view text);

// JavaScript's Number.prototype.toString() (shortest round-trip digits, "1e+21" style exponents).
std::string js_number_to_string(double value);
// How @huggingface/jinja prints a float: integral values get ".0" ("2.0", "-0.0").
std::string float_to_output(double value);
// JSON.stringify() of a string; with `ensure_ascii`, every UTF-16 unit >= 0x7F becomes \uXXXX.
std::string json_quote(std::string_view text, bool ensure_ascii);

} // namespace slipway::engine::jinja
