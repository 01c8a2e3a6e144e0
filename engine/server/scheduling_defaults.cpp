#include "server/scheduling_defaults.h"

namespace slipway::engine {

int32_t default_chunked_prefill_size(const std::string &device, int64_t device_memory_bytes) {
    if (device != "cuda") return 2048;
    if (device_memory_bytes <= 0) return 4096;
    constexpr int64_t gib = int64_t{1} << 30;
    if (device_memory_bytes < 35 * gib) return 2048;
    if (device_memory_bytes < 60 * gib) return 4096;
    if (device_memory_bytes < 160 * gib) return 8192;
    return 16384;
}

std::string describe_schedule(const SchedulerConfig &config, bool overlap) {
    std::string s = config.chunked_prefill_size > 0
                        ? "chunked prefill " + std::to_string(config.chunked_prefill_size) + " tokens/step"
                        : std::string("chunked prefill off");
    s += " (max prefill " + std::to_string(config.max_prefill_tokens) + "), ";
    if (config.enable_mixed_chunk) {
        s += "mixed prefill+decode steps";
    } else {
        s += "prefill and decode steps alternate (" + std::to_string(config.num_continuous_decode_steps) +
             " decode step" + (config.num_continuous_decode_steps == 1 ? "" : "s") + " after each prefill)";
    }
    s += overlap ? ", overlap on" : ", overlap off";
    return s;
}

} // namespace slipway::engine
