#include "sizing/dtype.h"

#include "model/model_spec.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace slipway::sizing {

namespace {

std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

} // namespace

Result<WeightDtype> parseWeightDtype(std::string_view text)
{
    const std::string t = lower(text);
    if (t == "auto")
        return WeightDtype::Auto;
    if (t == "bf16" || t == "bfloat16")
        return WeightDtype::Bf16;
    if (t == "fp16" || t == "float16" || t == "half")
        return WeightDtype::Fp16;
    if (t == "fp8" || t == "fp8_e4m3" || t == "e4m3")
        return WeightDtype::Fp8;
    if (t == "int4" || t == "w4a16")
        return WeightDtype::Int4;
    return fail("unknown weight dtype '" + std::string(text) + "': use bf16, fp16, fp8, int4 or auto");
}

Result<KvDtype> parseKvDtype(std::string_view text)
{
    const std::string t = lower(text);
    if (t == "auto")
        return KvDtype::Auto;
    if (t == "bf16" || t == "bfloat16")
        return KvDtype::Bf16;
    if (t == "fp16" || t == "float16" || t == "half")
        return KvDtype::Fp16;
    if (t == "fp8" || t == "fp8_e4m3" || t == "e4m3")
        return KvDtype::Fp8;
    return fail("unknown KV cache dtype '" + std::string(text) + "': use auto, bf16, fp16 or fp8");
}

std::string_view weightDtypeName(WeightDtype d)
{
    switch (d) {
    case WeightDtype::Auto:
        return "auto";
    case WeightDtype::Bf16:
        return "bf16";
    case WeightDtype::Fp16:
        return "fp16";
    case WeightDtype::Fp8:
        return "fp8";
    case WeightDtype::Int4:
        return "int4";
    }
    return "auto";
}

std::string_view kvDtypeName(KvDtype d)
{
    switch (d) {
    case KvDtype::Auto:
        return "auto";
    case KvDtype::Bf16:
        return "bf16";
    case KvDtype::Fp16:
        return "fp16";
    case KvDtype::Fp8:
        return "fp8";
    }
    return "auto";
}

WeightDtype nativeWeightDtype(const model::ModelSpec &spec)
{
    if (spec.quantization && lower(spec.quantization->method) == "fp8")
        return WeightDtype::Fp8;
    const std::string t = lower(spec.torchDtype);
    if (t == "float16" || t == "fp16" || t == "half")
        return WeightDtype::Fp16;
    return WeightDtype::Bf16;
}

WeightDtype resolveWeightDtype(WeightDtype d, const model::ModelSpec &spec)
{
    return d == WeightDtype::Auto ? nativeWeightDtype(spec) : d;
}

KvDtype resolveKvDtype(KvDtype d, const model::ModelSpec &spec)
{
    if (d != KvDtype::Auto)
        return d;
    const std::string t = lower(spec.torchDtype);
    if (t == "float16" || t == "fp16" || t == "half")
        return KvDtype::Fp16;
    return KvDtype::Bf16; // bfloat16, and float32 configs that SGLang serves in bf16
}

int kvBytesPerElement(KvDtype resolved)
{
    return resolved == KvDtype::Fp8 ? 1 : 2;
}

} // namespace slipway::sizing
