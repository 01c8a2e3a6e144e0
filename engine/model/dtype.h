#pragma once
// Element types of safetensors tensors and their conversion to fp32.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace slipway::engine {

enum class DType { F32, F16, BF16, F64, I64, I32, I16, I8, U8, Bool, F8E4M3, F8E5M2, Unknown };

// The safetensors spelling ("BF16"); Unknown for anything else.
DType parse_dtype(std::string_view name);
std::string_view dtype_name(DType dtype);
// Bytes per element; 0 for Unknown.
size_t dtype_size(DType dtype);
// The types a model's weights may have: F32, F16, BF16.
bool is_supported_weight_dtype(DType dtype);

float bf16_to_float(uint16_t bits);
float fp16_to_float(uint16_t bits);

// Widens `count` elements of a supported weight dtype at `src` (any alignment) into `dst`.
// Exact: every bf16/fp16 value is representable in fp32. Returns false (writing nothing) for a
// dtype that is not a supported weight dtype.
bool convert_to_f32(DType dtype, const std::byte *src, size_t count, float *dst);

} // namespace slipway::engine
