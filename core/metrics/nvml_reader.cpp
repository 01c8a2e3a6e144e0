#include "metrics/nvml_reader.h"

#include <dlfcn.h>

#include <array>

namespace slipway::metrics {

namespace {

// The few NVML declarations used here, as NVML's API reference documents them (nvml.h is not
// required to build). nvmlReturn_t is an int-sized enum; 0 is NVML_SUCCESS.
using NvmlReturn = int;
using NvmlDevice = struct NvmlDeviceOpaque *;
constexpr NvmlReturn kNvmlSuccess = 0;
constexpr int kNvmlTemperatureGpu = 0; // NVML_TEMPERATURE_GPU
constexpr unsigned kNameLength = 96;   // NVML_DEVICE_NAME_V2_BUFFER_SIZE
constexpr unsigned kUuidLength = 96;   // NVML_DEVICE_UUID_V2_BUFFER_SIZE
constexpr unsigned kVersionLength = 80; // NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE

struct NvmlUtilization {
    unsigned int gpu;    // percent of time a kernel ran over the last sample period
    unsigned int memory; // percent of time device memory was read or written
};

struct NvmlMemory {
    unsigned long long total; // bytes
    unsigned long long free;
    unsigned long long used;
};

constexpr double kMiB = 1024.0 * 1024.0;

} // namespace

struct NvmlReader::Api {
    NvmlReturn (*init)() = nullptr;
    NvmlReturn (*shutdown)() = nullptr;
    const char *(*errorString)(NvmlReturn) = nullptr;
    NvmlReturn (*deviceCount)(unsigned int *) = nullptr;
    NvmlReturn (*handleByIndex)(unsigned int, NvmlDevice *) = nullptr;
    NvmlReturn (*name)(NvmlDevice, char *, unsigned int) = nullptr;
    NvmlReturn (*uuid)(NvmlDevice, char *, unsigned int) = nullptr;
    NvmlReturn (*utilization)(NvmlDevice, NvmlUtilization *) = nullptr;
    NvmlReturn (*memory)(NvmlDevice, NvmlMemory *) = nullptr;
    NvmlReturn (*power)(NvmlDevice, unsigned int *) = nullptr;       // milliwatts
    NvmlReturn (*temperature)(NvmlDevice, int, unsigned int *) = nullptr; // degrees C
    NvmlReturn (*driverVersion)(char *, unsigned int) = nullptr;     // optional

    std::string describe(NvmlReturn code) const {
        const char *text = errorString ? errorString(code) : nullptr;
        return text ? std::string(text) : "NVML error " + std::to_string(code);
    }
};

namespace {

template <typename Function>
bool resolve(void *handle, const char *symbol, Function &out, std::string &missing) {
    out = reinterpret_cast<Function>(dlsym(handle, symbol));
    if (!out) missing += missing.empty() ? symbol : std::string(", ") + symbol;
    return out != nullptr;
}

} // namespace

Result<std::unique_ptr<NvmlReader>> NvmlReader::open(const std::string &library) {
    dlerror();
    void *handle = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *why = dlerror();
        return fail("no NVIDIA driver: " + library + " could not be loaded (" + (why ? why : "unknown reason") +
                    "). GPU figures need the NVIDIA driver on this machine; on a cluster they come from "
                    "the DCGM exporter instead.");
    }
    auto api = std::make_unique<Api>();
    std::string missing;
    resolve(handle, "nvmlInit_v2", api->init, missing);
    resolve(handle, "nvmlShutdown", api->shutdown, missing);
    resolve(handle, "nvmlErrorString", api->errorString, missing);
    resolve(handle, "nvmlDeviceGetCount_v2", api->deviceCount, missing);
    resolve(handle, "nvmlDeviceGetHandleByIndex_v2", api->handleByIndex, missing);
    resolve(handle, "nvmlDeviceGetName", api->name, missing);
    resolve(handle, "nvmlDeviceGetUUID", api->uuid, missing);
    resolve(handle, "nvmlDeviceGetUtilizationRates", api->utilization, missing);
    resolve(handle, "nvmlDeviceGetMemoryInfo", api->memory, missing);
    resolve(handle, "nvmlDeviceGetPowerUsage", api->power, missing);
    resolve(handle, "nvmlDeviceGetTemperature", api->temperature, missing);
    if (!missing.empty()) {
        dlclose(handle);
        return fail("no NVIDIA driver: " + library + " lacks NVML functions (" + missing +
                    "); the NVIDIA driver installed is too old or the file is not NVML.");
    }
    std::string ignored;
    resolve(handle, "nvmlSystemGetDriverVersion", api->driverVersion, ignored);
    if (const NvmlReturn code = api->init(); code != kNvmlSuccess) {
        const std::string reason = api->describe(code);
        dlclose(handle);
        return fail("NVML could not start: " + reason + ". Check that the NVIDIA driver is loaded (nvidia-smi).");
    }
    return std::unique_ptr<NvmlReader>(new NvmlReader(handle, std::move(api)));
}

NvmlReader::NvmlReader(void *handle, std::unique_ptr<Api> api) : m_handle(handle), m_api(std::move(api)) {
    if (m_api->driverVersion) {
        std::array<char, kVersionLength> version{};
        if (m_api->driverVersion(version.data(), kVersionLength) == kNvmlSuccess) m_driverVersion = version.data();
    }
}

NvmlReader::~NvmlReader() {
    m_api->shutdown();
    dlclose(m_handle);
}

Result<std::vector<GpuReading>> NvmlReader::read() const {
    unsigned int count = 0;
    if (const NvmlReturn code = m_api->deviceCount(&count); code != kNvmlSuccess)
        return fail("NVML could not count the GPUs: " + m_api->describe(code));
    std::vector<GpuReading> readings;
    readings.reserve(count);
    for (unsigned int i = 0; i < count; ++i) {
        NvmlDevice device = nullptr;
        if (const NvmlReturn code = m_api->handleByIndex(i, &device); code != kNvmlSuccess)
            return fail("NVML could not open GPU " + std::to_string(i) + ": " + m_api->describe(code));
        GpuReading r;
        r.gpu = std::to_string(i);
        std::array<char, kNameLength> name{};
        if (m_api->name(device, name.data(), kNameLength) == kNvmlSuccess) r.modelName = name.data();
        std::array<char, kUuidLength> uuid{};
        if (m_api->uuid(device, uuid.data(), kUuidLength) == kNvmlSuccess) r.uuid = uuid.data();
        NvmlUtilization utilization{};
        if (m_api->utilization(device, &utilization) == kNvmlSuccess) r.utilizationPercent = utilization.gpu;
        NvmlMemory memory{};
        if (m_api->memory(device, &memory) == kNvmlSuccess) {
            r.memoryUsedMiB = static_cast<double>(memory.used) / kMiB;
            r.memoryFreeMiB = static_cast<double>(memory.free) / kMiB;
        }
        unsigned int milliwatts = 0;
        if (m_api->power(device, &milliwatts) == kNvmlSuccess) r.powerWatts = milliwatts / 1000.0;
        unsigned int celsius = 0;
        if (m_api->temperature(device, kNvmlTemperatureGpu, &celsius) == kNvmlSuccess) r.temperatureC = celsius;
        readings.push_back(std::move(r));
    }
    return readings;
}

} // namespace slipway::metrics
