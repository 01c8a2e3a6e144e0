#pragma once
// Unicode Normalization Form C over code points (the "NFC" normalizer of tokenizer.json).
// Tables come from gen/gen_normalization_tables.mjs (Node's String.prototype.normalize), so the
// result agrees with the JavaScript oracle; Hangul is composed algorithmically. Thread-safe.
#include <cstddef>
#include <cstdint>
#include <string>

namespace slipway::engine {

std::u32string nfc(std::u32string_view text);
std::u32string nfd(std::u32string_view text);
std::uint8_t canonical_combining_class(char32_t cp);

namespace unicode_data {
struct CombiningClassRun {
    char32_t first;
    char32_t last;
    std::uint8_t combining_class;
};
struct Decomposition {
    char32_t code_point;
    std::uint16_t offset;
    std::uint8_t length;
};
struct Composition {
    char32_t first;
    char32_t second;
    char32_t composite;
};
extern const CombiningClassRun kCombiningClassRuns[];
extern const std::size_t kCombiningClassRunCount;
extern const Decomposition kDecompositions[];
extern const std::size_t kDecompositionCount;
extern const char32_t kDecompositionParts[];
extern const Composition kCompositions[];
extern const std::size_t kCompositionCount;
} // namespace unicode_data

} // namespace slipway::engine
