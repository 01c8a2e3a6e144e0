#pragma once
// Programmatic dependent launch (PDL, sm_90+): a kernel launched with launch_pdl() may start
// while the kernel before it in the stream is still finishing. Such a kernel must call
// pdl_wait() before it reads anything an earlier kernel wrote and before its first global
// write; only immutable data (weights) may be read before it. pdl_trigger() lets the next
// kernel start early (its blocks then wait in pdl_wait()). Stream capture turns the launch into
// a programmatic graph edge, so graphs keep the overlap.
//
// SLIPWAY_PDL=0 in the environment launches every kernel normally (the device-side calls are
// then no-ops): an A/B switch and a way out should a driver reject the attribute.
// Device code only: include from .cu files.
#include <cuda_runtime.h>

#include <cstdlib>
#include <cstring>

namespace slipway::engine::cuda {

__device__ __forceinline__ void pdl_wait() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    asm volatile("griddepcontrol.wait;" ::: "memory");
#endif
}

__device__ __forceinline__ void pdl_trigger() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    asm volatile("griddepcontrol.launch_dependents;" ::: "memory");
#endif
}

inline bool pdl_enabled() {
    static const bool on = [] {
        const char *env = std::getenv("SLIPWAY_PDL");
        return env == nullptr || std::strcmp(env, "0") != 0;
    }();
    return on;
}

// kernel<<<grid, block, smem, stream>>>(args...) with the PDL attribute when enabled.
template <typename... Params, typename... Args>
cudaError_t launch_pdl(void (*kernel)(Params...), dim3 grid, dim3 block, size_t smem, cudaStream_t stream,
                       Args &&...args) {
    cudaLaunchConfig_t cfg{};
    cfg.gridDim = grid;
    cfg.blockDim = block;
    cfg.dynamicSmemBytes = smem;
    cfg.stream = stream;
    cudaLaunchAttribute attr[1];
    attr[0].id = cudaLaunchAttributeProgrammaticStreamSerialization;
    attr[0].val.programmaticStreamSerializationAllowed = 1;
    cfg.attrs = attr;
    cfg.numAttrs = pdl_enabled() ? 1 : 0;
    return cudaLaunchKernelEx(&cfg, kernel, static_cast<Params>(args)...);
}

} // namespace slipway::engine::cuda
