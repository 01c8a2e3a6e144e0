#pragma once
// GPU figures from DCGM exporter samples (its /metrics, or an instant query through Prometheus
// turned into samples by toSamples()): one reading per GPU, with the workload it serves.
#include "metrics/exposition.h"

#include <optional>
#include <string>
#include <vector>

namespace slipway::metrics {

struct GpuReading {
    std::string hostname;      // Hostname label (the node)
    std::string gpu;           // index on the node
    std::string uuid;
    std::string modelName;     // e.g. "NVIDIA H100 80GB HBM3"
    std::string pod;           // the workload using the GPU: exported_pod, else pod ("" if idle;
                               // the exporter's own pod, named *dcgm-exporter*, is not a workload)
    std::string namespaceName;
    std::string container;
    std::optional<double> utilizationPercent; // DCGM_FI_DEV_GPU_UTIL
    std::optional<double> memoryUsedMiB;      // DCGM_FI_DEV_FB_USED
    std::optional<double> memoryFreeMiB;      // DCGM_FI_DEV_FB_FREE
    std::optional<double> powerWatts;         // DCGM_FI_DEV_POWER_USAGE
    std::optional<double> temperatureC;       // DCGM_FI_DEV_GPU_TEMP
    std::optional<double> smClockMHz;         // DCGM_FI_DEV_SM_CLOCK

    // used + free, when both are known.
    std::optional<double> memoryTotalMiB() const;
};

// One reading per (Hostname, UUID or gpu index), in input order of first appearance.
std::vector<GpuReading> gpuReadings(const std::vector<Sample> &samples);

} // namespace slipway::metrics
