#include "cuda/rope.cuh"

#include "cuda/pdl.cuh"

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

namespace {

constexpr int kRopeKvThreads = 128;
constexpr int kRopeHeadsPerThread = 4;  // heads sharing one sincosf per thread

// Grid: x = token, y = blocks over the token's items. Items [0, half * groups) rotate pair i of
// heads [g * G, g * G + G) (i fastest, so a warp reads contiguous halves of a head); the items
// after them copy the token's v heads into the cache, 8 bf16 at a time when kVec.
template <int G, bool kVec>
__global__ void __launch_bounds__(kRopeKvThreads)
    rope_kv_write_kernel(bf16 *__restrict__ qkv, int64_t row_stride, const int32_t *__restrict__ positions,
                         const float *__restrict__ inv_freq, const int64_t *__restrict__ slot_mapping, int num_heads,
                         int num_kv_heads, int head_dim, bf16 *__restrict__ k_cache, bf16 *__restrict__ v_cache) {
    pdl_trigger();
    const int t = blockIdx.x;
    const int half = head_dim / 2, heads = num_heads + num_kv_heads;
    const int rot_items = half * ((heads + G - 1) / G);
    const int64_t kv_dim = static_cast<int64_t>(num_kv_heads) * head_dim;
    const int idx = blockIdx.y * blockDim.x + threadIdx.x;
    const float inv = idx < rot_items ? inv_freq[idx % half] : 0.0f;  // immutable: read before the wait
    pdl_wait();
    bf16 *row = qkv + static_cast<int64_t>(t) * row_stride;
    const int64_t slot = slot_mapping[t];
    if (idx < rot_items) {
        const int i = idx % half, h0 = (idx / half) * G;
        float s, c;
        sincosf(static_cast<float>(positions[t]) * inv, &s, &c);
        float x1[G], x2[G];
#pragma unroll
        for (int j = 0; j < G; ++j) {
            const bf16 *head = row + static_cast<int64_t>(h0 + j) * head_dim;
            x1[j] = h0 + j < heads ? __bfloat162float(head[i]) : 0.0f;
            x2[j] = h0 + j < heads ? __bfloat162float(head[i + half]) : 0.0f;
        }
#pragma unroll
        for (int j = 0; j < G; ++j) {
            const int h = h0 + j;
            if (h >= heads) break;
            const bf16 y1 = __float2bfloat16(x1[j] * c - x2[j] * s);
            const bf16 y2 = __float2bfloat16(x2[j] * c + x1[j] * s);
            bf16 *head = row + static_cast<int64_t>(h) * head_dim;
            head[i] = y1;
            head[i + half] = y2;
            if (h >= num_heads) {
                bf16 *kd = k_cache + slot * kv_dim + static_cast<int64_t>(h - num_heads) * head_dim;
                kd[i] = y1;
                kd[i + half] = y2;
            }
        }
        return;
    }
    const int64_t vi = idx - rot_items;
    const bf16 *vs = row + static_cast<int64_t>(heads) * head_dim;
    bf16 *vd = v_cache + slot * kv_dim;
    if constexpr (kVec) {
        if (vi < kv_dim / 8)
            reinterpret_cast<uint4 *>(vd)[vi] = reinterpret_cast<const uint4 *>(vs)[vi];
    } else {
        if (vi < kv_dim) vd[vi] = vs[vi];
    }
}

} // namespace

cudaError_t launch_rope_kv_write(bf16 *qkv, int64_t row_stride, const int32_t *positions, const float *inv_freq,
                                 const int64_t *slot_mapping, int tokens, int num_heads, int num_kv_heads,
                                 int head_dim, bf16 *k_cache, bf16 *v_cache, cudaStream_t stream) {
    if (tokens <= 0) return cudaSuccess;
    if (head_dim <= 0 || head_dim % 2 != 0 || num_heads <= 0 || num_kv_heads <= 0 || tokens > 0x7fffffff ||
        row_stride < static_cast<int64_t>(num_heads + 2 * num_kv_heads) * head_dim)
        return cudaErrorInvalidValue;
    constexpr int G = kRopeHeadsPerThread;
    const int64_t kv_dim = static_cast<int64_t>(num_kv_heads) * head_dim;
    const int64_t v_col = static_cast<int64_t>(num_heads + num_kv_heads) * head_dim;
    const bool vec = kv_dim % 8 == 0 && row_stride % 8 == 0 && v_col % 8 == 0 &&
                     reinterpret_cast<uintptr_t>(qkv) % 16 == 0 && reinterpret_cast<uintptr_t>(v_cache) % 16 == 0;
    const int64_t items = static_cast<int64_t>(head_dim / 2) * ((num_heads + num_kv_heads + G - 1) / G) +
                          (vec ? kv_dim / 8 : kv_dim);
    const dim3 grid(static_cast<unsigned>(tokens), ceil_div(items, kRopeKvThreads));
    if (grid.y > 65535) return cudaErrorInvalidValue;
    if (vec)
        return launch_pdl(rope_kv_write_kernel<G, true>, grid, dim3(kRopeKvThreads), 0, stream, qkv, row_stride,
                          positions, inv_freq, slot_mapping, num_heads, num_kv_heads, head_dim, k_cache, v_cache);
    return launch_pdl(rope_kv_write_kernel<G, false>, grid, dim3(kRopeKvThreads), 0, stream, qkv, row_stride,
                      positions, inv_freq, slot_mapping, num_heads, num_kv_heads, head_dim, k_cache, v_cache);
}

} // namespace slipway::engine::cuda
