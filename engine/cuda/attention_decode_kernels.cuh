#pragma once
// The two decode attention kernels behind launch_decode_attention() (attention.cuh):
//   mma  — tensor cores (mma.sync m16n8k16, bf16 in, fp32 accumulate), K/V tiles staged in shared
//          memory with cp.async; head_dim 64 or 128 on sm_80+ (attention_decode_mma.cu).
//   simt — CUDA cores, any head_dim that is a multiple of 8 up to 256 (attention_decode_simt.cu).
// Both launch one grid for all (split, KV-head group, sequence) blocks and write, per sequence b
// and query head h:
//   num_splits == 1: out[b][h][head_dim] as bf16, normalized.
//   num_splits > 1:  partial (fp32): o [batch][heads][splits][head_dim], unnormalized, then
//                    (m, l) pairs [batch][heads][splits] (running max in log2 units, sum of
//                    exp2(score - m)); an empty split writes m = -inf, l = 0, o = 0.
// The merge of splits is launch_decode_attention()'s (attention_decode.cu).
#include "cuda/attention.cuh"

namespace slipway::engine::cuda {

// Whether the mma kernel serves this shape on the current device.
bool decode_mma_supported(const PagedKv &kv);
cudaError_t launch_decode_mma(const PagedKv &kv, const bf16 *q, int64_t qkv_stride, const int32_t *seq_lens,
                              int batch, int num_splits, float *partial, bf16 *out, cudaStream_t stream);
cudaError_t launch_decode_simt(const PagedKv &kv, const bf16 *q, int64_t qkv_stride, const int32_t *seq_lens,
                               int batch, int num_splits, float *partial, bf16 *out, cudaStream_t stream);

} // namespace slipway::engine::cuda
