#pragma once
// Device memory bandwidth as the benchmark's ceiling: a read-only streaming kernel (16-byte
// loads, what a decode step's weight reads look like) and a device-to-device copy. GB/s = 1e9
// bytes per second; the copy counts bytes read plus bytes written. Median of `iters` timed runs
// after one warm-up, timed with CUDA events. Header free of CUDA types.
#include <cstddef>

#include "slipway/engine/status.h"

namespace slipway::engine {

struct BandwidthResult {
    double read_gbs = 0;
    double copy_gbs = 0;
};

StatusOr<BandwidthResult> measure_bandwidth(int device, size_t bytes, int iters);

} // namespace slipway::engine
