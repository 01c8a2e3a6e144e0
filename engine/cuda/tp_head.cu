// CudaModelRunner's tensor-parallel steps (see tp_shard.h for who holds what):
//   embedding  each rank looks up the ids in its vocabulary slice (zero rows for the others'),
//              a bf16 all-reduce sums them (exact: one rank contributes each row), then fp32;
//   all-reduce after the row-parallel o_proj and down_proj, in place on the bf16 output;
//   head       each rank computes its slice of the logits. Greedy (and every CUDA graph): a
//              per-rank argmax, an all-gather of (value, id) pairs and the best pair per row,
//              lowest id on ties as the unsharded argmax. Logits / sampling: an all-gather of
//              the slices and a transpose into full [rows, vocab] rows on every rank.
// Steps of few tokens on one node take the peer-memory path instead of NCCL (peer_group.h):
// the embedding's and every row-parallel all-reduce fused with the add + RMSNorm after it
// (peer_all_reduce.cuh), and the argmax pairs read from the peers by the combining kernel.
#include <algorithm>

#include "cuda/cuda_check.h"
#include "cuda/cuda_model_runner.h"
#include "cuda/peer_all_reduce.cuh"

namespace slipway::engine::cuda {

namespace {

struct ArgmaxPair {
    float value;
    int32_t index;  // global token id; kNoIndex when the slice is empty
};
constexpr int32_t kNoIndex = 0x7fffffff;

__global__ void tp_embedding_kernel(const bf16 *__restrict__ table, const int32_t *__restrict__ ids, int hidden,
                                    int64_t vocab_begin, int64_t vocab_valid, bf16 *__restrict__ out) {
    const int t = blockIdx.x;
    const int64_t local = static_cast<int64_t>(ids[t]) - vocab_begin;
    const bool mine = local >= 0 && local < vocab_valid;
    const Bf16x8 *row = reinterpret_cast<const Bf16x8 *>(table + (mine ? local : 0) * hidden);
    Bf16x8 *dst = reinterpret_cast<Bf16x8 *>(out + static_cast<int64_t>(t) * hidden);
    const Bf16x8 zero{};
    for (int i = threadIdx.x; i < hidden / 8; i += blockDim.x) dst[i] = mine ? row[i] : zero;
}

__global__ void bf16_to_float_kernel(const bf16 *__restrict__ in, int64_t n, float *__restrict__ out) {
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x)
        out[i] = __bfloat162float(in[i]);
}

__device__ __forceinline__ bool better(float v, int32_t i, float bv, int32_t bi) {
    return bi == kNoIndex || v > bv || (v == bv && i < bi);
}

// One block per row: the largest of the first `valid` logits of the slice (lowest id on ties).
__global__ void local_argmax_kernel(const float *__restrict__ logits, int64_t stride, int64_t valid,
                                    int64_t vocab_begin, ArgmaxPair *__restrict__ out) {
    __shared__ float sv[32];
    __shared__ int32_t si[32];
    const float *row = logits + blockIdx.x * stride;
    float best = -INFINITY;
    int32_t best_i = kNoIndex;
    for (int64_t i = threadIdx.x; i < valid; i += blockDim.x) {
        const float v = row[i];
        if (better(v, static_cast<int32_t>(i), best, best_i)) {
            best = v;
            best_i = static_cast<int32_t>(i);
        }
    }
    for (int o = 16; o > 0; o >>= 1) {
        const float ov = __shfl_xor_sync(0xffffffffu, best, o);
        const int32_t oi = __shfl_xor_sync(0xffffffffu, best_i, o);
        if (oi != kNoIndex && better(ov, oi, best, best_i)) {
            best = ov;
            best_i = oi;
        }
    }
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    if (lane == 0) {
        sv[warp] = best;
        si[warp] = best_i;
    }
    __syncthreads();
    if (threadIdx.x == 0) {
        for (int w = 1; w < static_cast<int>(blockDim.x >> 5); ++w)
            if (si[w] != kNoIndex && better(sv[w], si[w], best, best_i)) {
                best = sv[w];
                best_i = si[w];
            }
        out[blockIdx.x] = ArgmaxPair{best, best_i == kNoIndex ? kNoIndex : static_cast<int32_t>(best_i + vocab_begin)};
    }
}

// pairs [world][rows]: the best over ranks (lower rank, i.e. lower id, on ties).
__global__ void combine_argmax_kernel(const ArgmaxPair *__restrict__ pairs, int rows, int world,
                                      int32_t *__restrict__ out) {
    const int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r >= rows) return;
    float best = -INFINITY;
    int32_t best_i = kNoIndex;
    for (int w = 0; w < world; ++w) {
        const ArgmaxPair p = pairs[static_cast<int64_t>(w) * rows + r];
        if (p.index != kNoIndex && better(p.value, p.index, best, best_i)) {
            best = p.value;
            best_i = p.index;
        }
    }
    out[r] = best_i == kNoIndex ? 0 : best_i;
}

// The same over the peers' buffers: rank w's pairs are buffer 1 of rank w.
__global__ void peer_combine_argmax_kernel(PeerView v, int rows, int32_t *__restrict__ out) {
    peer_barrier(v);
    const int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r >= rows) return;
    float best = -INFINITY;
    int32_t best_i = kNoIndex;
    for (int w = 0; w < v.world; ++w) {
        const ArgmaxPair *pairs = static_cast<const ArgmaxPair *>(v.buf[1][w]);
        const float value = __ldcg(&pairs[r].value);
        const int32_t index = __ldcg(&pairs[r].index);
        if (index != kNoIndex && better(value, index, best, best_i)) {
            best = value;
            best_i = index;
        }
    }
    out[r] = best_i == kNoIndex ? 0 : best_i;
}

// gathered [world][rows][slice] -> logits [rows][vocab].
__global__ void assemble_logits_kernel(const float *__restrict__ gathered, int rows, int64_t slice, int64_t vocab,
                                       float *__restrict__ logits) {
    const int r = blockIdx.x, w = blockIdx.y;
    const int64_t begin = w * slice;
    const int64_t n = vocab - begin < slice ? vocab - begin : slice;
    const float *src = gathered + (static_cast<int64_t>(w) * rows + r) * slice;
    float *dst = logits + static_cast<int64_t>(r) * vocab + begin;
    for (int64_t i = threadIdx.x; i < n; i += blockDim.x) dst[i] = src[i];
}

} // namespace

Status CudaModelRunner::ensure_tp_buffers() {
    if (shard_.world <= 1) return {};
    const size_t R = static_cast<size_t>(cap_rows_), W = static_cast<size_t>(shard_.world);
    const size_t slice = static_cast<size_t>(vocab_local_) * 4;
    auto grow = [](DeviceBuffer &b, size_t bytes) {
        return b.bytes() >= bytes ? cudaSuccess : b.allocate(bytes);
    };
    SLIPWAY_CUDA_TRY(grow(tp_logits_, R * slice));
    SLIPWAY_CUDA_TRY(grow(tp_gathered_, W * R * slice));
    SLIPWAY_CUDA_TRY(grow(tp_pairs_, R * sizeof(ArgmaxPair)));
    SLIPWAY_CUDA_TRY(grow(tp_pairs_all_, W * R * sizeof(ArgmaxPair)));
    return {};
}

Status CudaModelRunner::tp_embedding(const int32_t *ids, int tokens, bool peer) {
    if (tokens <= 0) return {};
    const int H = static_cast<int>(hidden_);
    // Peer path: the rows go to peer buffer 0, which the peers read. Else hn: free until the
    // first layer's norm writes it.
    bf16 *rows = peer ? peer_rows(0) : hn_.as<bf16>();
    tp_embedding_kernel<<<tokens, 128, 0, stream_>>>(embed_, ids, H, shard_.vocab_begin, shard_.vocab_valid, rows);
    SLIPWAY_CUDA_TRY(cudaGetLastError());
    if (peer) {  // x = the sum over ranks (exact: one rank contributes each row); hn = layer 0's norm
        SLIPWAY_CUDA_TRY(launch_peer_all_reduce_rmsnorm(PeerNorm::Init, shard_.peer, 0, nullptr, x_.as<float>(),
                                                        layers_[0].in_norm, tokens, H,
                                                        static_cast<float>(config_.rms_norm_eps), hn_.as<bf16>(),
                                                        stream_));
        return {};
    }
    const int64_t n = static_cast<int64_t>(tokens) * H;
    SLIPWAY_STATUS_TRY(shard_.comm->all_reduce_sum_bf16(rows, static_cast<size_t>(n), stream_));
    bf16_to_float_kernel<<<static_cast<unsigned>(std::min<int64_t>(4096, (n + 255) / 256)), 256, 0, stream_>>>(
        rows, n, x_.as<float>());
    SLIPWAY_CUDA_TRY(cudaGetLastError());
    return {};
}

Status CudaModelRunner::peer_add_rmsnorm(int which, const bf16 *w, int tokens) {
    SLIPWAY_CUDA_TRY(launch_peer_all_reduce_rmsnorm(PeerNorm::Add, shard_.peer, which, nullptr, x_.as<float>(), w,
                                                    tokens, static_cast<int>(hidden_),
                                                    static_cast<float>(config_.rms_norm_eps), hn_.as<bf16>(),
                                                    stream_));
    return {};
}

Status CudaModelRunner::tp_all_reduce(bf16 *buf, int tokens) {
    if (shard_.world <= 1 || tokens <= 0) return {};
    SLIPWAY_STATUS_TRY(shard_.comm->all_reduce_sum_bf16(buf, static_cast<size_t>(tokens) * static_cast<size_t>(hidden_),
                                                        stream_));
    return mark("all_reduce");
}

Status CudaModelRunner::run_head_tp(int rows, Output output) {
    const int H = static_cast<int>(hidden_);
    SLIPWAY_STATUS_TRY(gemm_.run(rows_.as<bf16>(), rows, H, lm_head_, static_cast<int>(vocab_local_), nullptr,
                                 tp_logits_.as<float>(), true, stream_));
    SLIPWAY_STATUS_TRY(mark("lm_head"));
    if (output != Output::Greedy) return gather_logits_tp(rows);
    if (step_peer_) {  // pairs into peer buffer 1 (free: see peer_group.h), combined from the peers'
        local_argmax_kernel<<<rows, 256, 0, stream_>>>(tp_logits_.as<float>(), vocab_local_, shard_.vocab_valid,
                                                       shard_.vocab_begin, reinterpret_cast<ArgmaxPair *>(peer_rows(1)));
        SLIPWAY_CUDA_TRY(cudaGetLastError());
        peer_combine_argmax_kernel<<<ceil_div(rows, 128), 128, 0, stream_>>>(shard_.peer, rows,
                                                                             out_tokens_.as<int32_t>());
        SLIPWAY_CUDA_TRY(cudaGetLastError());
        return mark("argmax");
    }
    ArgmaxPair *mine = tp_pairs_.as<ArgmaxPair>(), *all = tp_pairs_all_.as<ArgmaxPair>();
    local_argmax_kernel<<<rows, 256, 0, stream_>>>(tp_logits_.as<float>(), vocab_local_, shard_.vocab_valid,
                                                   shard_.vocab_begin, mine);
    SLIPWAY_CUDA_TRY(cudaGetLastError());
    SLIPWAY_STATUS_TRY(
        shard_.comm->all_gather_bytes(mine, all, static_cast<size_t>(rows) * sizeof(ArgmaxPair), stream_));
    combine_argmax_kernel<<<ceil_div(rows, 128), 128, 0, stream_>>>(all, rows, shard_.world,
                                                                    out_tokens_.as<int32_t>());
    SLIPWAY_CUDA_TRY(cudaGetLastError());
    return mark("argmax");
}

Status CudaModelRunner::gather_logits_tp(int rows) {
    if (rows <= 0) return {};
    SLIPWAY_STATUS_TRY(shard_.comm->all_gather_bytes(tp_logits_.get(), tp_gathered_.get(),
                                                     static_cast<size_t>(rows) * static_cast<size_t>(vocab_local_) * 4,
                                                     stream_));
    assemble_logits_kernel<<<dim3(static_cast<unsigned>(rows), static_cast<unsigned>(shard_.world)), 256, 0,
                             stream_>>>(tp_gathered_.as<float>(), rows, vocab_local_, vocab_, logits_.as<float>());
    SLIPWAY_CUDA_TRY(cudaGetLastError());
    return mark("logits_gather");
}

} // namespace slipway::engine::cuda
