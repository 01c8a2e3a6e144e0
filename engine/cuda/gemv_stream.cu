// Launchers of the streamed GEMV (gemv_stream_kernel.cuh): the plain and the gated form, each in
// kGemvStreamVariants shapes (consumer warps x stages a warp x shared-memory budget) for the tuner.
#include <array>
#include <atomic>

#include "cuda/gemm.cuh"
#include "cuda/gemv_stream_kernel.cuh"

namespace slipway::engine::cuda {

namespace {

struct StreamShape {
    int warps;       // consumer warps (kWarps)
    int depth;       // stages a warp owns
    int budget_kib;  // shared memory of the ring
    const char *name;
};

constexpr std::array<StreamShape, kGemvStreamVariants> kShapes = {{
    {8, 2, 192, "streamed, 8 warps x 2 stages, 192 KiB"},
    {8, 3, 192, "streamed, 8 warps x 3 stages, 192 KiB"},
    {8, 4, 192, "streamed, 8 warps x 4 stages, 192 KiB"},
    {16, 2, 192, "streamed, 16 warps x 2 stages, 192 KiB"},
    {4, 4, 192, "streamed, 4 warps x 4 stages, 192 KiB"},
    {8, 2, 96, "streamed, 8 warps x 2 stages, 96 KiB"},
}};

constexpr int kMaxDevices = 64;

struct DeviceInfo {
    int sms = 0;
    bool sm90 = false;
};

// Per device, looked up once (the ranks of a node share the process).
StatusOr<DeviceInfo> device_info() {
    static std::array<std::atomic<int>, kMaxDevices> sms{};  // 0 unknown, -1 pre-sm_90, else the SM count
    int device = 0;
    if (cudaError_t e = cudaGetDevice(&device); e != cudaSuccess) return Status::error(cudaGetErrorString(e));
    if (device < 0 || device >= kMaxDevices) return DeviceInfo{};
    int known = sms[static_cast<size_t>(device)].load(std::memory_order_relaxed);
    if (known == 0) {
        int major = 0, count = 0;
        if (cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device) != cudaSuccess ||
            cudaDeviceGetAttribute(&count, cudaDevAttrMultiProcessorCount, device) != cudaSuccess)
            return Status::error("device attributes");
        known = major >= 9 ? count : -1;
        sms[static_cast<size_t>(device)].store(known, std::memory_order_relaxed);
    }
    return DeviceInfo{known > 0 ? known : 0, known > 0};
}

using Allowed = std::array<std::atomic<int>, kMaxDevices>;  // per device: the limit set so far

// Raises the kernel's dynamic shared-memory limit on this device when `allowed` (the kernel's
// own record: every instantiation has the same function type) says it is lower (a host-side
// attribute, so it is set before any launch, including those captured into graphs).
template <typename Kernel>
cudaError_t allow_shared(Kernel kernel, int bytes, Allowed &allowed) {
    int device = 0;
    if (cudaError_t e = cudaGetDevice(&device); e != cudaSuccess) return e;
    if (device < 0 || device >= kMaxDevices) return cudaErrorInvalidDevice;
    std::atomic<int> &slot = allowed[static_cast<size_t>(device)];
    if (slot.load(std::memory_order_relaxed) >= bytes) return cudaSuccess;
    if (cudaError_t e = cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, bytes); e != cudaSuccess)
        return e;
    slot.store(bytes, std::memory_order_relaxed);
    return cudaSuccess;
}

template <int M, int kWarps, bool kFp32Out, bool kGated>
cudaError_t launch_warps(const bf16 *x, int k, const bf16 *w, int n, const bf16 *bias, void *y,
                         const StreamShape &shape, int sms, cudaStream_t stream) {
    constexpr int pieces = kGated ? 2 : 1;
    const int stage_max = shape.budget_kib * 1024 / (kWarps * shape.depth);
    const int kc_max = stage_max / (pieces * 2) / 8 * 8;
    if (kc_max < 8 || kWarps * shape.depth > kStreamMaxStages) return cudaErrorNotSupported;
    const int chunks = static_cast<int>(ceil_div(k, kc_max));
    StreamPlan plan;
    plan.kc = static_cast<int>(ceil_div(ceil_div(k, chunks), 8)) * 8;
    plan.depth = shape.depth;
    const int smem = kWarps * shape.depth * pieces * plan.kc * 2;
    // Rings of half the size fit two CTAs on a SM.
    const int per_sm = std::max(1, 192 / shape.budget_kib);
    const dim3 grid(static_cast<unsigned>(std::min(sms * per_sm, n))), block(kWarps * 32);
    auto kernel = gemv_stream_kernel<M, kWarps, kFp32Out, kGated>;
    static Allowed allowed{};
    if (cudaError_t e = allow_shared(kernel, smem, allowed); e != cudaSuccess) return e;
    return launch_pdl(kernel, grid, block, static_cast<size_t>(smem), stream, x, k, w, n, bias, y, plan);
}

template <int M, bool kFp32Out, bool kGated>
cudaError_t launch_m(const bf16 *x, int k, const bf16 *w, int n, const bf16 *bias, void *y, const StreamShape &shape,
                     int sms, cudaStream_t stream) {
    switch (shape.warps) {
    case 4: return launch_warps<M, 4, kFp32Out, kGated>(x, k, w, n, bias, y, shape, sms, stream);
    case 8: return launch_warps<M, 8, kFp32Out, kGated>(x, k, w, n, bias, y, shape, sms, stream);
    default: return launch_warps<M, 16, kFp32Out, kGated>(x, k, w, n, bias, y, shape, sms, stream);
    }
}

template <bool kFp32Out, bool kGated>
cudaError_t launch_any(const bf16 *x, int m, int k, const bf16 *w, int n, const bf16 *bias, void *y,
                       cudaStream_t stream, int variant) {
    if (m <= 0 || n <= 0) return cudaSuccess;
    if (m > kGemvStreamMaxRows || variant < 0 || variant >= kGemvStreamVariants || k <= 0 || k % 8 != 0 ||
        reinterpret_cast<uintptr_t>(x) % 16 != 0 || reinterpret_cast<uintptr_t>(w) % 16 != 0)
        return cudaErrorNotSupported;
    auto info = device_info();
    if (!info.ok()) return cudaErrorUnknown;
    if (!info.value().sm90) return cudaErrorNotSupported;
    const StreamShape &shape = kShapes[static_cast<size_t>(variant)];
    const int sms = info.value().sms;
    switch (m) {
    case 1: return launch_m<1, kFp32Out, kGated>(x, k, w, n, bias, y, shape, sms, stream);
    case 2: return launch_m<2, kFp32Out, kGated>(x, k, w, n, bias, y, shape, sms, stream);
    case 3: return launch_m<3, kFp32Out, kGated>(x, k, w, n, bias, y, shape, sms, stream);
    default: return launch_m<4, kFp32Out, kGated>(x, k, w, n, bias, y, shape, sms, stream);
    }
}

} // namespace

const char *gemv_stream_variant_name(int variant) {
    return variant >= 0 && variant < kGemvStreamVariants ? kShapes[static_cast<size_t>(variant)].name : "?";
}

cudaError_t launch_gemv_stream(const bf16 *x, int m, int k, const bf16 *w, int n, const bf16 *bias, void *y,
                               bool y_fp32, cudaStream_t stream, int variant) {
    if (y_fp32) return launch_any<true, false>(x, m, k, w, n, bias, y, stream, variant);
    return launch_any<false, false>(x, m, k, w, n, bias, y, stream, variant);
}

cudaError_t launch_gated_gemv_stream(const bf16 *x, int m, int k, const bf16 *w, int n, const bf16 *bias, bf16 *act,
                                     cudaStream_t stream, int variant) {
    return launch_any<false, true>(x, m, k, w, n, bias, act, stream, variant);
}

} // namespace slipway::engine::cuda
