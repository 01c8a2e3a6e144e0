#pragma once
// What the single-GPU and the tensor-parallel weight loaders share: rounding host fp16/fp32
// weights to bf16, and the random weights of benchmarks, drawn per element from a counter hash
// so that any rank can draw exactly its block of the TP 1 tensor.
#include <cstdint>
#include <cstring>

#include "cuda/cuda_common.cuh"

namespace slipway::engine::cuda {

// Round to nearest even; NaN stays NaN.
inline uint16_t float_to_bf16_bits(float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    if ((u & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((u >> 16) | 0x40);
    u += 0x7fffu + ((u >> 16) & 1u);
    return static_cast<uint16_t>(u >> 16);
}

// Element i of a tensor drawn with `seed`: uniform in [offset - scale, offset + scale).
__device__ __forceinline__ bf16 random_weight(uint64_t seed, int64_t i, float scale, float offset) {
    uint64_t z = seed + 0x9e3779b97f4a7c15ull * static_cast<uint64_t>(i + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    const float u = static_cast<float>(z >> 40) * (1.0f / 16777216.0f);  // [0, 1)
    return __float2bfloat16(offset + scale * (2.0f * u - 1.0f));
}

} // namespace slipway::engine::cuda
