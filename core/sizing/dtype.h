#pragma once
// Data types the calculator understands, for weights and for the KV cache.
#include "common/result.h"

#include <string_view>

namespace slipway::model {
struct ModelSpec;
}

namespace slipway::sizing {

// How the weights sit in GPU memory.
//   Bf16, Fp16: 2 bytes a parameter.
//   Fp8: e4m3, 1 byte a parameter for the linear layers of the decoder, plus one fp32 scale per
//        128 × 128 block of each such matrix (DeepSeek-V3's published layout; SGLang uses the
//        same blocks for --quantization fp8). Embeddings, head, norms, biases and the MoE router
//        stay bf16.
//   Int4: symmetric, groups of 128 along each linear layer's input dimension, one bf16 scale per
//        group and no zero point (0.5 byte a parameter + 2 bytes per 128 parameters). Same parts
//        stay bf16 as for Fp8. Needs a pre-quantised (AWQ/GPTQ-style) checkpoint.
//   Auto: the checkpoint's own type (V3/R1: Fp8; the distills: Bf16).
enum class WeightDtype { Auto, Bf16, Fp16, Fp8, Int4 };

// Element type of the KV cache. Auto is the model's activation type (torch_dtype), as SGLang's
// --kv-cache-dtype auto; V3's FP8 checkpoint still computes, and caches, in bf16.
enum class KvDtype { Auto, Bf16, Fp16, Fp8 };

inline constexpr int kQuantBlock = 128; // fp8 block edge and int4 group length

Result<WeightDtype> parseWeightDtype(std::string_view text); // bf16|fp16|fp8|int4|auto
Result<KvDtype> parseKvDtype(std::string_view text);         // auto|bf16|fp16|fp8 (fp8_e4m3 too)
std::string_view weightDtypeName(WeightDtype d);
std::string_view kvDtypeName(KvDtype d);

// The checkpoint's own weight type: Fp8 when config.json carries an fp8 quantization_config,
// Fp16 for torch_dtype float16, Bf16 otherwise.
WeightDtype nativeWeightDtype(const model::ModelSpec &spec);
// Auto resolved against the model; never returns Auto.
WeightDtype resolveWeightDtype(WeightDtype d, const model::ModelSpec &spec);
KvDtype resolveKvDtype(KvDtype d, const model::ModelSpec &spec);
int kvBytesPerElement(KvDtype resolved);

} // namespace slipway::sizing
