#include "metrics/gpu_readings.h"

#include <map>

namespace slipway::metrics {

namespace {

std::string label(const Labels &labels, std::string_view name)
{
    const auto v = labelValue(labels, name);
    return v ? std::string(*v) : std::string();
}

std::optional<double> *field(GpuReading &r, std::string_view metric)
{
    if (metric == "DCGM_FI_DEV_GPU_UTIL")
        return &r.utilizationPercent;
    if (metric == "DCGM_FI_DEV_FB_USED")
        return &r.memoryUsedMiB;
    if (metric == "DCGM_FI_DEV_FB_FREE")
        return &r.memoryFreeMiB;
    if (metric == "DCGM_FI_DEV_POWER_USAGE")
        return &r.powerWatts;
    if (metric == "DCGM_FI_DEV_GPU_TEMP")
        return &r.temperatureC;
    if (metric == "DCGM_FI_DEV_SM_CLOCK")
        return &r.smClockMHz;
    return nullptr;
}

} // namespace

std::optional<double> GpuReading::memoryTotalMiB() const
{
    if (memoryUsedMiB && memoryFreeMiB)
        return *memoryUsedMiB + *memoryFreeMiB;
    return std::nullopt;
}

std::vector<GpuReading> gpuReadings(const std::vector<Sample> &samples)
{
    std::vector<GpuReading> out;
    std::map<std::pair<std::string, std::string>, std::size_t> index;
    for (const Sample &s : samples) {
        if (!s.name.starts_with("DCGM_FI_"))
            continue;
        const std::string uuid = label(s.labels, "UUID");
        const std::string gpu = label(s.labels, "gpu");
        const std::string host = label(s.labels, "Hostname");
        const auto key = std::make_pair(host, uuid.empty() ? "#" + gpu : uuid);
        auto it = index.find(key);
        if (it == index.end()) {
            it = index.emplace(key, out.size()).first;
            GpuReading r;
            r.hostname = host;
            r.gpu = gpu;
            r.uuid = uuid;
            r.modelName = label(s.labels, "modelName");
            out.push_back(std::move(r));
        }
        GpuReading &reading = out[it->second];
        // The workload labels are present only while a pod holds the GPU; keep the first seen.
        // Without exported_* labels, `pod` may be the exporter's own pod (a Prometheus target
        // label on an idle GPU's series): that is not a workload.
        const std::string pod = podOf(s.labels);
        if (reading.pod.empty() && !pod.empty() && pod.find("dcgm-exporter") == std::string::npos) {
            reading.pod = pod;
            reading.namespaceName = namespaceOf(s.labels);
            reading.container = containerOf(s.labels);
        }
        if (auto *f = field(reading, s.name))
            *f = s.value;
    }
    return out;
}

} // namespace slipway::metrics
