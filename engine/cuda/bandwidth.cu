#include "cuda/bandwidth.h"

#include <algorithm>
#include <vector>

#include "cuda/cuda_check.h"
#include "cuda/device_buffer.h"

namespace slipway::engine {

namespace {

__global__ void read_kernel(const uint4 *__restrict__ p, size_t n, unsigned *__restrict__ sink) {
    unsigned acc = 0;
    const size_t stride = static_cast<size_t>(gridDim.x) * blockDim.x;
    size_t i = blockIdx.x * static_cast<size_t>(blockDim.x) + threadIdx.x;
    for (; i + 3 * stride < n; i += 4 * stride) {
        const uint4 a = __ldcs(p + i), b = __ldcs(p + i + stride), c = __ldcs(p + i + 2 * stride),
                    d = __ldcs(p + i + 3 * stride);
        acc ^= a.x ^ a.y ^ a.z ^ a.w ^ b.x ^ b.y ^ b.z ^ b.w ^ c.x ^ c.y ^ c.z ^ c.w ^ d.x ^ d.y ^ d.z ^ d.w;
    }
    for (; i < n; i += stride) {
        const uint4 a = __ldcs(p + i);
        acc ^= a.x ^ a.y ^ a.z ^ a.w;
    }
    if (acc == 0x12345678u) *sink = acc;  // keeps the loads alive
}

} // namespace

StatusOr<BandwidthResult> measure_bandwidth(int device, size_t bytes, int iters) {
    SLIPWAY_CUDA_TRY(cudaSetDevice(device));
    cudaDeviceProp prop{};
    SLIPWAY_CUDA_TRY(cudaGetDeviceProperties(&prop, device));
    cuda::DeviceBuffer a, b, sink;
    bytes &= ~size_t{15};
    SLIPWAY_CUDA_TRY(a.allocate(bytes));
    SLIPWAY_CUDA_TRY(b.allocate(bytes));
    SLIPWAY_CUDA_TRY(sink.allocate(16));
    SLIPWAY_CUDA_TRY(cudaMemset(a.get(), 1, bytes));
    cudaEvent_t e0, e1;
    SLIPWAY_CUDA_TRY(cudaEventCreate(&e0));
    SLIPWAY_CUDA_TRY(cudaEventCreate(&e1));
    auto median_ms = [&](auto &&launch) -> StatusOr<double> {
        std::vector<float> ms;
        for (int i = 0; i <= iters; ++i) {
            SLIPWAY_CUDA_TRY(cudaEventRecord(e0));
            launch();
            SLIPWAY_CUDA_TRY(cudaGetLastError());
            SLIPWAY_CUDA_TRY(cudaEventRecord(e1));
            SLIPWAY_CUDA_TRY(cudaEventSynchronize(e1));
            float t = 0;
            SLIPWAY_CUDA_TRY(cudaEventElapsedTime(&t, e0, e1));
            if (i > 0) ms.push_back(t);  // the first run is the warm-up
        }
        std::sort(ms.begin(), ms.end());
        return static_cast<double>(ms[ms.size() / 2]);
    };
    const unsigned blocks = static_cast<unsigned>(prop.multiProcessorCount) * 8;
    auto r = median_ms([&] { read_kernel<<<blocks, 512>>>(a.as<uint4>(), bytes / 16, sink.as<unsigned>()); });
    auto c = median_ms([&] { cudaMemcpyAsync(b.get(), a.get(), bytes, cudaMemcpyDeviceToDevice); });
    cudaEventDestroy(e0);
    cudaEventDestroy(e1);
    if (!r.ok()) return r.status();
    if (!c.ok()) return c.status();
    BandwidthResult out;
    out.read_gbs = static_cast<double>(bytes) / (r.value() * 1e6);
    out.copy_gbs = 2.0 * static_cast<double>(bytes) / (c.value() * 1e6);
    return out;
}

} // namespace slipway::engine
