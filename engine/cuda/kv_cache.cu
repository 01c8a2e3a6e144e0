#include "cuda/kv_cache.cuh"

namespace slipway::engine::cuda {

static __global__ void kv_write_kernel(const bf16 *__restrict__ qkv, int64_t row_stride, int64_t k_col, int64_t v_col,
                                       const int64_t *__restrict__ slot_mapping, int kv_dim, bf16 *__restrict__ k_cache,
                                       bf16 *__restrict__ v_cache) {
    const int t = blockIdx.x;
    const bf16 *row = qkv + static_cast<int64_t>(t) * row_stride;
    const int64_t slot = slot_mapping[t];
    bf16 *kd = k_cache + slot * kv_dim;
    bf16 *vd = v_cache + slot * kv_dim;
    for (int i = threadIdx.x; i < kv_dim; i += blockDim.x) {
        kd[i] = row[k_col + i];
        vd[i] = row[v_col + i];
    }
}

cudaError_t launch_kv_write(const bf16 *qkv, int64_t row_stride, int64_t k_col, int64_t v_col,
                            const int64_t *slot_mapping, int tokens, int kv_dim, bf16 *k_cache, bf16 *v_cache,
                            cudaStream_t stream) {
    if (tokens <= 0) return cudaSuccess;
    if (kv_dim <= 0) return cudaErrorInvalidValue;
    kv_write_kernel<<<tokens, 128, 0, stream>>>(qkv, row_stride, k_col, v_col, slot_mapping, kv_dim, k_cache, v_cache);
    return cudaGetLastError();
}

} // namespace slipway::engine::cuda
