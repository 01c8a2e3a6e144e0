// Decode attention on CUDA cores: the fallback of launch_decode_attention() for head dims the
// tensor-core kernel does not serve (any multiple of 8 up to 256). Output contract in
// attention_decode_kernels.cuh.
#include "cuda/attention_decode_kernels.cuh"

namespace slipway::engine::cuda {

namespace {

constexpr int kWarps = 4;
constexpr int kMaxGroup = 8;  // query heads per block
constexpr float kLog2e = 1.4426950408889634f;

// LPT lanes cover one key's head_dim (8 dims each, LPT a power of two), so a warp scores
// 32 / LPT keys at once. Each key-lane group keeps its own online-softmax state; groups, warps
// and splits are merged at the end.
template <int LPT>
__global__ void __launch_bounds__(kWarps * 32) decode_kernel(PagedKv kv, const bf16 *__restrict__ q,
                                                             int64_t qkv_stride, const int32_t *__restrict__ seq_lens,
                                                             int num_splits, float *__restrict__ partial,
                                                             bf16 *__restrict__ out) {
    constexpr int kTpw = 32 / LPT;  // keys per warp step
    const int split = blockIdx.x, b = blockIdx.z;
    const int group = kv.num_heads / kv.num_kv_heads;
    const int chunks = (group + kMaxGroup - 1) / kMaxGroup;
    const int kvh = blockIdx.y / chunks, chunk = blockIdx.y % chunks;
    const int h0 = kvh * group + chunk * kMaxGroup;
    const int ng = min(kMaxGroup, group - chunk * kMaxGroup);
    const int hd = kv.head_dim, kv_dim = kv.num_kv_heads * hd;
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    const int ts = lane / LPT, dl = lane % LPT;
    const int d0 = dl * 8;
    const bool dim_ok = d0 < hd;

    const int len = seq_lens[b];
    const int per = (len + num_splits - 1) / num_splits;
    const int begin = split * per, end = min(len, begin + per);

    float qr[kMaxGroup][8];
    const bf16 *qrow = q + static_cast<int64_t>(b) * qkv_stride;
#pragma unroll
    for (int g = 0; g < kMaxGroup; ++g) {
        if (g < ng && dim_ok) {
            const Bf16x8 v = *reinterpret_cast<const Bf16x8 *>(qrow + (h0 + g) * hd + d0);
            bf16x8_to_float(v, qr[g]);
#pragma unroll
            for (int i = 0; i < 8; ++i) qr[g][i] *= kv.scale * kLog2e;
        } else {
#pragma unroll
            for (int i = 0; i < 8; ++i) qr[g][i] = 0.0f;
        }
    }
    float m[kMaxGroup], l[kMaxGroup], o[kMaxGroup][8];
#pragma unroll
    for (int g = 0; g < kMaxGroup; ++g) {
        m[g] = -INFINITY;
        l[g] = 0.0f;
#pragma unroll
        for (int i = 0; i < 8; ++i) o[g][i] = 0.0f;
    }
    const int32_t *pages = kv.kv_indices + kv.kv_indptr[b];
    // The loop bound is uniform over the warp (shuffles below need every lane); lanes past the
    // end score nothing.
    for (int tb = begin + warp * kTpw; tb < end; tb += kWarps * kTpw) {
        const int t = tb + ts;
        const bool valid = t < end;
        float kf[8], vf[8];
        if (valid && dim_ok) {
            const int64_t slot = static_cast<int64_t>(pages[t / kv.page_size]) * kv.page_size + t % kv.page_size;
            const int64_t off = slot * kv_dim + kvh * hd + d0;
            bf16x8_to_float(*reinterpret_cast<const Bf16x8 *>(kv.k_cache + off), kf);
            bf16x8_to_float(*reinterpret_cast<const Bf16x8 *>(kv.v_cache + off), vf);
        } else {
#pragma unroll
            for (int i = 0; i < 8; ++i) kf[i] = vf[i] = 0.0f;
        }
#pragma unroll
        for (int g = 0; g < kMaxGroup; ++g) {
            if (g >= ng) break;
            float s = 0.0f;
#pragma unroll
            for (int i = 0; i < 8; ++i) s += qr[g][i] * kf[i];
#pragma unroll
            for (int o2 = LPT / 2; o2 > 0; o2 >>= 1) s += __shfl_xor_sync(0xffffffffu, s, o2, LPT);
            if (valid) {
                const float mn = fmaxf(m[g], s);
                const float alpha = exp2f(m[g] - mn), p = exp2f(s - mn);
                m[g] = mn;
                l[g] = l[g] * alpha + p;
#pragma unroll
                for (int i = 0; i < 8; ++i) o[g][i] = o[g][i] * alpha + p * vf[i];
            }
        }
    }
    // Merge the key-lane groups of the warp (lanes with equal dl), then the warps.
#pragma unroll
    for (int g = 0; g < kMaxGroup; ++g) {
        if (g >= ng) break;
#pragma unroll
        for (int off = LPT; off < 32; off <<= 1) {
            const float mo = __shfl_xor_sync(0xffffffffu, m[g], off);
            const float lo = __shfl_xor_sync(0xffffffffu, l[g], off);
            const float mn = fmaxf(m[g], mo);
            const float a = mn == -INFINITY ? 0.0f : exp2f(m[g] - mn);
            const float c = mn == -INFINITY ? 0.0f : exp2f(mo - mn);
            l[g] = l[g] * a + lo * c;
#pragma unroll
            for (int i = 0; i < 8; ++i) {
                const float oo = __shfl_xor_sync(0xffffffffu, o[g][i], off);
                o[g][i] = o[g][i] * a + oo * c;
            }
            m[g] = mn;
        }
    }
    __shared__ float sm_m[kWarps][kMaxGroup], sm_l[kWarps][kMaxGroup];
    __shared__ float sm_o[kWarps][kMaxGroup][256];
    if (ts == 0) {
        for (int g = 0; g < ng; ++g) {
            if (dl == 0) {
                sm_m[warp][g] = m[g];
                sm_l[warp][g] = l[g];
            }
            if (dim_ok)
#pragma unroll
                for (int i = 0; i < 8; ++i) sm_o[warp][g][d0 + i] = o[g][i];
        }
    }
    __syncthreads();
    for (int idx = threadIdx.x; idx < ng * hd; idx += blockDim.x) {
        const int g = idx / hd, d = idx % hd;
        float mx = -INFINITY;
        for (int w = 0; w < kWarps; ++w) mx = fmaxf(mx, sm_m[w][g]);
        float lsum = 0.0f, acc = 0.0f;
        if (mx != -INFINITY) {
            for (int w = 0; w < kWarps; ++w) {
                const float a = exp2f(sm_m[w][g] - mx);
                lsum += sm_l[w][g] * a;
                acc += sm_o[w][g][d] * a;
            }
        }
        const int h = h0 + g;
        if (num_splits == 1) {
            out[(static_cast<int64_t>(b) * kv.num_heads + h) * hd + d] = __float2bfloat16(lsum > 0.0f ? acc / lsum : 0.0f);
        } else {
            // partial layout: o [batch][heads][splits][hd], then m and l [batch][heads][splits].
            const int64_t bhs = (static_cast<int64_t>(b) * kv.num_heads + h) * num_splits + split;
            partial[bhs * hd + d] = acc;
            if (d == 0) {
                const int64_t stats = static_cast<int64_t>(gridDim.z) * kv.num_heads * num_splits * hd;
                partial[stats + 2 * bhs] = mx;
                partial[stats + 2 * bhs + 1] = lsum;
            }
        }
    }
}

} // namespace

cudaError_t launch_decode_simt(const PagedKv &kv, const bf16 *q, int64_t qkv_stride, const int32_t *seq_lens,
                               int batch, int num_splits, float *partial, bf16 *out, cudaStream_t stream) {
    const int group = kv.num_heads / kv.num_kv_heads;
    const int chunks = (group + kMaxGroup - 1) / kMaxGroup;
    const dim3 grid(num_splits, kv.num_kv_heads * chunks, batch);
    const int lanes = kv.head_dim / 8;
    if (lanes <= 1) decode_kernel<1><<<grid, kWarps * 32, 0, stream>>>(kv, q, qkv_stride, seq_lens, num_splits, partial, out);
    else if (lanes <= 2) decode_kernel<2><<<grid, kWarps * 32, 0, stream>>>(kv, q, qkv_stride, seq_lens, num_splits, partial, out);
    else if (lanes <= 4) decode_kernel<4><<<grid, kWarps * 32, 0, stream>>>(kv, q, qkv_stride, seq_lens, num_splits, partial, out);
    else if (lanes <= 8) decode_kernel<8><<<grid, kWarps * 32, 0, stream>>>(kv, q, qkv_stride, seq_lens, num_splits, partial, out);
    else if (lanes <= 16) decode_kernel<16><<<grid, kWarps * 32, 0, stream>>>(kv, q, qkv_stride, seq_lens, num_splits, partial, out);
    else decode_kernel<32><<<grid, kWarps * 32, 0, stream>>>(kv, q, qkv_stride, seq_lens, num_splits, partial, out);
    return cudaGetLastError();
}

} // namespace slipway::engine::cuda
