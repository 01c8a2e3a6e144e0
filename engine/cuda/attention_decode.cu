// Decode attention: see attention.cuh. This file picks the kernel (attention_decode_kernels.cuh),
// merges split-KV partials, and holds the host-side split policy (attention_decode_plan.h).
#include <algorithm>
#include <cstdlib>

#include "cuda/attention_decode_kernels.cuh"
#include "cuda/attention_decode_plan.h"
#include "cuda/pdl.cuh"

namespace slipway::engine::cuda {

namespace {

// One block per (sequence, query head); the partial layout is attention_decode_kernels.cuh's.
__global__ void merge_splits_kernel(const float *__restrict__ partial, int batch, int num_heads, int head_dim,
                                    int num_splits, bf16 *__restrict__ out) {
    pdl_trigger();  // the o_proj GEMV after it may start fetching its weights
    pdl_wait();     // the split kernel's partials are complete
    const int bh = blockIdx.x;  // b * num_heads + h
    const int64_t stats = static_cast<int64_t>(batch) * num_heads * num_splits * head_dim;
    const float *st = partial + stats + 2 * static_cast<int64_t>(bh) * num_splits;
    float mx = -INFINITY;
    for (int s = 0; s < num_splits; ++s) mx = fmaxf(mx, st[2 * s]);
    for (int d = threadIdx.x; d < head_dim; d += blockDim.x) {
        float lsum = 0.0f, acc = 0.0f;
        if (mx != -INFINITY) {
            for (int s = 0; s < num_splits; ++s) {
                const float a = exp2f(st[2 * s] - mx);
                lsum += st[2 * s + 1] * a;
                acc += partial[(static_cast<int64_t>(bh) * num_splits + s) * head_dim + d] * a;
            }
        }
        out[static_cast<int64_t>(bh) * head_dim + d] = __float2bfloat16(lsum > 0.0f ? acc / lsum : 0.0f);
    }
}

} // namespace

size_t decode_partial_floats(int batch, int num_heads, int head_dim, int num_splits) {
    if (num_splits <= 1) return 0;
    return static_cast<size_t>(batch) * num_heads * num_splits * (head_dim + 2);
}

int decode_attention_splits(int batch, int num_heads, int num_kv_heads, int head_dim, int sm_count, int64_t max_len) {
    if (batch <= 0 || num_kv_heads <= 0 || num_heads < num_kv_heads) return 1;
    const int group = num_heads / num_kv_heads;
    const bool mma = head_dim == 64 || head_dim == 128;
    // Query heads per block and blocks resident per SM on an H100: the mma kernel keeps 2 stages
    // of 64-key K and V tiles in shared memory (68 KiB at head_dim 128, 36 KiB at 64, of 227 KiB)
    // and uses 158 / 93 registers a thread (3 / 5 blocks of 128 threads); the CUDA-core kernel is
    // small and wants ~8 blocks to cover memory latency.
    const int rows = mma ? 16 : 8;
    const int resident = !mma ? 8 : head_dim == 128 ? 3 : 5;
    const int64_t blocks = static_cast<int64_t>(batch) * num_kv_heads * ((group + rows - 1) / rows);
    const int64_t slots = static_cast<int64_t>(std::max(sm_count, 1)) * resident;
    // Half a set of resident blocks already streams KV at full bandwidth: measured on an H100 (7B
    // shape, ctx 1024), batch 64 (256 blocks for 396 slots) ran 7.60 ms a step unsplit against
    // 7.71-7.77 ms with 2-4 splits, whose merge pass and wave tails cost more than they gain.
    int64_t splits = 2 * blocks >= slots ? 1 : (slots + blocks - 1) / blocks;
    // SLIPWAY_DECODE_SPLITS=N forces N splits (benchmarks sweep it; still capped below). Read
    // once: this runs for every eager decode step.
    static const int forced = [] {
        const char *v = std::getenv("SLIPWAY_DECODE_SPLITS");
        return v != nullptr ? std::atoi(v) : 0;
    }();
    if (forced > 0) splits = forced;
    splits = std::min<int64_t>(splits, kMaxDecodeSplits);
    if (max_len > 0) splits = std::min<int64_t>(splits, std::max<int64_t>(1, (max_len + 63) / 64));
    return static_cast<int>(splits);
}

cudaError_t launch_decode_attention(const PagedKv &kv, const bf16 *q, int64_t qkv_stride, const int32_t *seq_lens,
                                    int batch, int num_splits, float *partial, bf16 *out, cudaStream_t stream) {
    if (batch <= 0) return cudaSuccess;
    if (kv.head_dim <= 0 || kv.head_dim % 8 != 0 || kv.head_dim > 256 || kv.num_kv_heads <= 0 ||
        kv.num_heads % kv.num_kv_heads != 0 || num_splits < 1 || batch > 65535 || kv.page_size <= 0)
        return cudaErrorInvalidValue;
    if (num_splits > 1 && partial == nullptr) return cudaErrorInvalidValue;
    const cudaError_t e = decode_mma_supported(kv)
                              ? launch_decode_mma(kv, q, qkv_stride, seq_lens, batch, num_splits, partial, out, stream)
                              : launch_decode_simt(kv, q, qkv_stride, seq_lens, batch, num_splits, partial, out, stream);
    if (e != cudaSuccess) return e;
    if (num_splits > 1) {
        const int threads = (kv.head_dim + 31) / 32 * 32;
        return launch_pdl(merge_splits_kernel, dim3(static_cast<unsigned>(batch * kv.num_heads)),
                          dim3(static_cast<unsigned>(threads)), 0, stream, partial, batch, kv.num_heads, kv.head_dim,
                          num_splits, out);
    }
    return cudaSuccess;
}

} // namespace slipway::engine::cuda
