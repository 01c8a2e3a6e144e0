#include "sizing/gpu_catalog.h"

#include "sizing/format.h"
#include "sizing/sizing_messages.h"

#include <resources.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>

namespace slipway::sizing {

namespace {

std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

GpuArch parseArch(const std::string &text)
{
    if (text == "ampere")
        return GpuArch::Ampere;
    if (text == "ada")
        return GpuArch::Ada;
    if (text == "hopper")
        return GpuArch::Hopper;
    if (text == "blackwell")
        return GpuArch::Blackwell;
    return GpuArch::Unknown;
}

// The catalog is compiled in; a malformed file is a build defect, reported loudly once.
std::vector<GpuSpec> loadCatalog()
{
    const auto doc = nlohmann::json::parse(resources::gpuCatalogJson());
    std::vector<GpuSpec> gpus;
    for (const auto &entry : doc.at("gpus")) {
        GpuSpec gpu;
        gpu.name = entry.at("name").get<std::string>();
        gpu.aliases = entry.value("aliases", std::vector<std::string>{});
        gpu.product = entry.value("product", gpu.name);
        const double gb = entry.at("memory_gb").get<double>();
        gpu.memoryBytes = static_cast<int64_t>(std::llround(gb * 1e9));
        gpu.memorySource = formatNumber(gb) + " GB × 10^9";
        gpu.bandwidthBytesPerS = entry.at("bandwidth_tbps").get<double>() * 1e12;
        gpu.bf16Tflops = entry.value("bf16_tflops", 0.0);
        gpu.fp8 = entry.value("fp8", false);
        gpu.arch = parseArch(entry.value("arch", std::string()));
        gpus.push_back(std::move(gpu));
    }
    if (gpus.empty())
        throw std::logic_error("resources/catalog/gpus.json lists no GPUs");
    return gpus;
}

} // namespace

const std::vector<GpuSpec> &gpuCatalog()
{
    static const std::vector<GpuSpec> catalog = loadCatalog();
    return catalog;
}

std::string gpuNamesText()
{
    std::string text;
    for (const GpuSpec &gpu : gpuCatalog()) {
        if (!text.empty())
            text += ", ";
        text += gpu.name;
    }
    return text;
}

Result<GpuSpec> findGpu(std::string_view name)
{
    const std::string wanted = lower(name);
    for (const GpuSpec &gpu : gpuCatalog()) {
        if (lower(gpu.name) == wanted)
            return gpu;
        for (const std::string &alias : gpu.aliases) {
            if (lower(alias) == wanted)
                return gpu;
        }
    }
    return fail(msg::kGpuUnknown, {std::string(name), gpuNamesText()});
}

GpuSpec customGpu(double memoryGiB, double bandwidthTBps)
{
    GpuSpec gpu;
    gpu.name = "custom";
    gpu.product = "custom GPU (" + formatNumber(memoryGiB) + " GiB)";
    gpu.memoryBytes = static_cast<int64_t>(std::llround(memoryGiB * 1073741824.0));
    gpu.memorySource = formatNumber(memoryGiB) + " GiB × 2^30";
    gpu.bandwidthBytesPerS = bandwidthTBps > 0 ? bandwidthTBps * 1e12 : 0.0;
    gpu.fp8 = false;
    gpu.arch = GpuArch::Unknown;
    gpu.custom = true;
    return gpu;
}

std::string_view gpuArchName(GpuArch arch)
{
    switch (arch) {
    case GpuArch::Unknown:
        return "unknown";
    case GpuArch::Ampere:
        return "Ampere";
    case GpuArch::Ada:
        return "Ada";
    case GpuArch::Hopper:
        return "Hopper";
    case GpuArch::Blackwell:
        return "Blackwell";
    }
    return "unknown";
}

} // namespace slipway::sizing
