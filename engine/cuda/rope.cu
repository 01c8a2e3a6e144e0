#include "cuda/rope.cuh"

namespace slipway::engine::cuda {

static __global__ void rope_kernel(bf16 *__restrict__ qkv, int64_t row_stride, const int32_t *__restrict__ positions,
                                   const float *__restrict__ inv_freq, int heads_total, int head_dim) {
    const int t = blockIdx.x;
    const int half = head_dim / 2;
    const float pos = static_cast<float>(positions[t]);
    bf16 *row = qkv + static_cast<int64_t>(t) * row_stride;
    // q heads then k heads are contiguous: heads_total = num_heads + num_kv_heads.
    for (int idx = threadIdx.x; idx < heads_total * half; idx += blockDim.x) {
        const int h = idx / half, i = idx % half;
        float s, c;
        sincosf(pos * inv_freq[i], &s, &c);
        bf16 *head = row + static_cast<int64_t>(h) * head_dim;
        const float x1 = __bfloat162float(head[i]), x2 = __bfloat162float(head[i + half]);
        head[i] = __float2bfloat16(x1 * c - x2 * s);
        head[i + half] = __float2bfloat16(x2 * c + x1 * s);
    }
}

cudaError_t launch_rope(bf16 *qkv, int64_t row_stride, const int32_t *positions, const float *inv_freq, int tokens,
                        int num_heads, int num_kv_heads, int head_dim, cudaStream_t stream) {
    if (tokens <= 0) return cudaSuccess;
    if (head_dim <= 0 || head_dim % 2 != 0 || num_heads <= 0 || num_kv_heads < 0) return cudaErrorInvalidValue;
    rope_kernel<<<tokens, 128, 0, stream>>>(qkv, row_stride, positions, inv_freq, num_heads + num_kv_heads, head_dim);
    return cudaGetLastError();
}

} // namespace slipway::engine::cuda
