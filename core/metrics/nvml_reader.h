#pragma once
// GPU figures of this machine from NVML (libnvidia-ml, shipped with the NVIDIA driver), loaded at
// run time with dlopen: the console has no link-time dependency on the driver and runs unchanged
// on machines without a GPU, where open() fails with a message saying so.
//
// Thread-safety: open() from any thread; one NvmlReader is used by one thread at a time (the
// Metrics panel's worker). NVML itself is initialised per reader and shut down by its destructor.
#include "common/result.h"
#include "metrics/gpu_readings.h"

#include <memory>
#include <string>
#include <vector>

namespace slipway::metrics {

// The driver's library as NVML documents it (the unversioned .so comes only with dev packages).
inline constexpr const char *kNvmlLibrary = "libnvidia-ml.so.1";

class NvmlReader final {
public:
    // Loads `library` (a file name searched as dlopen does, or a path) and calls nvmlInit_v2.
    // Fails with "no NVIDIA driver: …" when the library is absent or lacks NVML's functions, and
    // with NVML's own reason when initialisation fails (driver/library version mismatch, …).
    static Result<std::unique_ptr<NvmlReader>> open(const std::string &library = kNvmlLibrary);
    ~NvmlReader();
    NvmlReader(const NvmlReader &) = delete;
    NvmlReader &operator=(const NvmlReader &) = delete;

    // One reading per GPU, by index: name, UUID, utilisation (%), memory used/free (MiB), power
    // (W) and temperature (°C). A figure NVML cannot give for a device (not supported) stays
    // unset; a device that cannot be opened at all fails the call.
    Result<std::vector<GpuReading>> read() const;

    const std::string &driverVersion() const { return m_driverVersion; }

private:
    struct Api;
    NvmlReader(void *handle, std::unique_ptr<Api> api);

    void *m_handle;
    std::unique_ptr<Api> m_api;
    std::string m_driverVersion;
};

} // namespace slipway::metrics
