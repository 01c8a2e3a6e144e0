#pragma once
// The GPU catalog (resources/catalog/gpus.json) and custom GPUs.
//
// Memory convention: a catalog GPU's memory is the datasheet figure taken literally in bytes,
// memory_gb × 10^9 (an "80 GB" H100 is 80,000,000,000 B = 74.5 GiB). The cards report a little
// more (an H100 80GB shows 81,559 MiB in nvidia-smi), so catalog figures err on the safe side.
// A custom GPU is given in GiB (2^30 bytes), the unit nvidia-smi and DCGM report, and converted to
// bytes exactly. Every byte figure the calculator prints is plain bytes; "GB" means 10^9 B and
// "GiB" 2^30 B wherever either appears.
#include "common/result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace slipway::sizing {

enum class GpuArch { Unknown, Ampere, Ada, Hopper, Blackwell };

struct GpuSpec {
    std::string name;                 // catalog name ("H100") or "custom"
    std::vector<std::string> aliases;
    std::string product;              // "NVIDIA H100 80GB HBM3"
    int64_t memoryBytes = 0;
    double bandwidthBytesPerS = 0;    // 0: unknown (custom GPU without a figure)
    double bf16Tflops = 0;
    bool fp8 = false;                 // has FP8 tensor cores (Ada, Hopper, Blackwell)
    GpuArch arch = GpuArch::Unknown;
    bool custom = false;
    std::string memorySource;         // how memoryBytes was derived, for formulas: "80 GB × 10^9"
};

// Every catalog GPU, in catalog order.
const std::vector<GpuSpec> &gpuCatalog();
// The catalog names, comma-separated, for messages and help text.
std::string gpuNamesText();
// Case-insensitive lookup over names and aliases ("h100", "a100-80g", "4090").
// Unknown names fail with a message that lists the valid ones.
Result<GpuSpec> findGpu(std::string_view name);
// A GPU known only by its memory (GiB, as nvidia-smi shows it); bandwidth in TB/s (10^12 B/s) is
// optional: without it no decode ceiling is computed. Architecture unknown: no fp8 or MLA checks.
GpuSpec customGpu(double memoryGiB, double bandwidthTBps = 0.0);
std::string_view gpuArchName(GpuArch arch);

} // namespace slipway::sizing
