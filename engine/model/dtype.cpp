#include "model/dtype.h"

#include <array>
#include <cstring>

namespace slipway::engine {

namespace {
struct DTypeRow { DType dtype; std::string_view name; size_t size; };
constexpr std::array<DTypeRow, 12> kDTypes{{
    {DType::F32, "F32", 4}, {DType::F16, "F16", 2}, {DType::BF16, "BF16", 2}, {DType::F64, "F64", 8},
    {DType::I64, "I64", 8}, {DType::I32, "I32", 4}, {DType::I16, "I16", 2}, {DType::I8, "I8", 1},
    {DType::U8, "U8", 1}, {DType::Bool, "BOOL", 1}, {DType::F8E4M3, "F8_E4M3", 1}, {DType::F8E5M2, "F8_E5M2", 1},
}};
} // namespace

DType parse_dtype(std::string_view name) {
    for (const auto &row : kDTypes)
        if (row.name == name) return row.dtype;
    return DType::Unknown;
}

std::string_view dtype_name(DType dtype) {
    for (const auto &row : kDTypes)
        if (row.dtype == dtype) return row.name;
    return "unknown";
}

size_t dtype_size(DType dtype) {
    for (const auto &row : kDTypes)
        if (row.dtype == dtype) return row.size;
    return 0;
}

bool is_supported_weight_dtype(DType dtype) {
    return dtype == DType::F32 || dtype == DType::F16 || dtype == DType::BF16;
}

float bf16_to_float(uint16_t bits) {
    const uint32_t wide = static_cast<uint32_t>(bits) << 16;
    float out;
    std::memcpy(&out, &wide, sizeof out);
    return out;
}

float fp16_to_float(uint16_t bits) {
    const uint32_t sign = static_cast<uint32_t>(bits & 0x8000u) << 16;
    uint32_t exponent = (bits >> 10) & 0x1fu;
    uint32_t mantissa = bits & 0x3ffu;
    uint32_t wide;
    if (exponent == 0x1f) {            // inf / nan
        wide = sign | 0x7f800000u | (mantissa << 13);
    } else if (exponent != 0) {        // normal
        wide = sign | ((exponent + 112u) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {        // signed zero
        wide = sign;
    } else {                           // subnormal: normalise into fp32's range
        exponent = 113;
        while ((mantissa & 0x400u) == 0) { mantissa <<= 1; --exponent; }
        wide = sign | (exponent << 23) | ((mantissa & 0x3ffu) << 13);
    }
    float out;
    std::memcpy(&out, &wide, sizeof out);
    return out;
}

bool convert_to_f32(DType dtype, const std::byte *src, size_t count, float *dst) {
    switch (dtype) {
    case DType::F32:
        std::memcpy(dst, src, count * sizeof(float));
        return true;
    case DType::BF16:
    case DType::F16:
        for (size_t i = 0; i < count; ++i) {
            uint16_t bits;
            std::memcpy(&bits, src + 2 * i, 2);  // safetensors is little-endian, as is every target
            dst[i] = dtype == DType::BF16 ? bf16_to_float(bits) : fp16_to_float(bits);
        }
        return true;
    default:
        return false;
    }
}

} // namespace slipway::engine
