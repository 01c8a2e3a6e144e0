#include "cuda/embedding.cuh"

namespace slipway::engine::cuda {

static __global__ void embedding_kernel(const bf16 *__restrict__ table, const int32_t *__restrict__ ids, int hidden,
                                        float *__restrict__ out) {
    const int t = blockIdx.x;
    const bf16 *row = table + static_cast<int64_t>(ids[t]) * hidden;
    float *dst = out + static_cast<int64_t>(t) * hidden;
    for (int i = threadIdx.x; i < hidden; i += blockDim.x) dst[i] = __bfloat162float(row[i]);
}

cudaError_t launch_embedding(const bf16 *table, const int32_t *ids, int tokens, int hidden, float *out,
                             cudaStream_t stream) {
    if (tokens <= 0) return cudaSuccess;
    if (hidden <= 0) return cudaErrorInvalidValue;
    embedding_kernel<<<tokens, 256, 0, stream>>>(table, ids, hidden, out);
    return cudaGetLastError();
}

} // namespace slipway::engine::cuda
