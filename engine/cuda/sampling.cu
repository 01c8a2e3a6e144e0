#include "cuda/sampling.cuh"

namespace slipway::engine::cuda {

namespace {

constexpr int kThreads = 1024;

__global__ void penalties_kernel(float *__restrict__ logits, int vocab, const SampleRowParams *__restrict__ params,
                                 const int32_t *__restrict__ indptr, const int32_t *__restrict__ ids,
                                 const int32_t *__restrict__ counts, const int32_t *__restrict__ flags) {
    const int r = blockIdx.x;
    const SampleRowParams p = params[r];
    float *row = logits + static_cast<int64_t>(r) * vocab;
    for (int i = indptr[r] + threadIdx.x; i < indptr[r + 1]; i += blockDim.x) {
        const int id = ids[i];
        if (id < 0 || id >= vocab) continue;
        float v = row[id];
        if ((flags[i] & kPenaltySeen) && p.repetition_penalty != 1.0f)
            v = v > 0.0f ? v / p.repetition_penalty : v * p.repetition_penalty;
        if (counts[i] > 0) v -= p.frequency_penalty * static_cast<float>(counts[i]) + p.presence_penalty;
        if (flags[i] & kPenaltyMasked) v = -INFINITY;
        row[id] = v;
    }
}

// Block-wide argmax with lowest index on ties; every thread gets the index.
__device__ int block_argmax(float v, int idx, float *sv, int *si) {
    for (int o = 16; o > 0; o >>= 1) {
        const float ov = __shfl_xor_sync(0xffffffffu, v, o);
        const int oi = __shfl_xor_sync(0xffffffffu, idx, o);
        if (ov > v || (ov == v && oi < idx)) { v = ov; idx = oi; }
    }
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    __syncthreads();
    if (lane == 0) { sv[warp] = v; si[warp] = idx; }
    __syncthreads();
    if (warp == 0) {
        v = lane < (blockDim.x >> 5) ? sv[lane] : -INFINITY;
        idx = lane < (blockDim.x >> 5) ? si[lane] : 0x7fffffff;
        for (int o = 16; o > 0; o >>= 1) {
            const float ov = __shfl_xor_sync(0xffffffffu, v, o);
            const int oi = __shfl_xor_sync(0xffffffffu, idx, o);
            if (ov > v || (ov == v && oi < idx)) { v = ov; idx = oi; }
        }
        if (lane == 0) si[0] = idx;
    }
    __syncthreads();
    const int result = si[0];
    __syncthreads();
    return result;
}

__device__ int row_argmax(const float *row, int vocab, float *sv, int *si) {
    float best = -INFINITY;
    int best_i = 0x7fffffff;
    for (int i = threadIdx.x; i < vocab; i += blockDim.x) {
        const float v = row[i];
        if (v > best || best_i == 0x7fffffff) { best = v; best_i = i; }
    }
    const int r = block_argmax(best, best_i, sv, si);
    return r == 0x7fffffff ? 0 : r;
}

__global__ void argmax_kernel(const float *__restrict__ logits, int vocab, int32_t *__restrict__ out) {
    __shared__ float sv[32];
    __shared__ int si[32];
    const int r = row_argmax(logits + static_cast<int64_t>(blockIdx.x) * vocab, vocab, sv, si);
    if (threadIdx.x == 0) out[blockIdx.x] = r;
}

__global__ void __launch_bounds__(kThreads) sample_kernel(float *__restrict__ logits, int vocab,
                                                          const SampleRowParams *__restrict__ params,
                                                          int32_t *__restrict__ out) {
    __shared__ float sv[32];
    __shared__ int si[32];
    __shared__ float scratch[32];
    __shared__ int result;
    const int r = blockIdx.x;
    const SampleRowParams p = params[r];
    float *row = logits + static_cast<int64_t>(r) * vocab;
    if (p.temperature < 1e-6f) {
        const int a = row_argmax(row, vocab, sv, si);
        if (threadIdx.x == 0) out[r] = a;
        return;
    }
    // Softmax of logits / temperature, written in place.
    const float inv_t = 1.0f / p.temperature;
    float mx = -INFINITY;
    for (int i = threadIdx.x; i < vocab; i += blockDim.x) mx = fmaxf(mx, row[i] * inv_t);
    mx = block_max(mx, scratch);
    float sum = 0.0f;
    for (int i = threadIdx.x; i < vocab; i += blockDim.x) {
        const float e = expf(row[i] * inv_t - mx);
        row[i] = e;
        sum += e;
    }
    sum = block_sum(sum, scratch);
    const float inv_sum = 1.0f / sum;
    float pmax = 0.0f;
    for (int i = threadIdx.x; i < vocab; i += blockDim.x) {
        row[i] *= inv_sum;
        pmax = fmaxf(pmax, row[i]);
    }
    pmax = block_max(pmax, scratch);
    // Threshold: the smallest v with count(p > v) < top_k and mass(p > v) <= top_p, found by
    // bisection on the float's bits (monotone for v >= 0); kept tokens are those with p >= v.
    const bool use_k = p.top_k > 0 && p.top_k < vocab, use_p = p.top_p < 1.0f;
    float threshold = 0.0f;
    if (use_k || use_p) {
        uint32_t lo = 0, hi = __float_as_uint(pmax);  // pred(hi) holds: nothing is above pmax
        while (lo < hi) {
            const uint32_t mid = lo + (hi - lo) / 2;
            const float v = __uint_as_float(mid);
            float cnt = 0.0f, mass = 0.0f;
            for (int i = threadIdx.x; i < vocab; i += blockDim.x) {
                const float q = row[i];
                if (q > v) { cnt += 1.0f; mass += q; }
            }
            cnt = block_sum(cnt, scratch);
            mass = block_sum(mass, scratch);
            const bool ok = (!use_k || cnt < static_cast<float>(p.top_k)) && (!use_p || mass <= p.top_p);
            if (ok) hi = mid;
            else lo = mid + 1;
        }
        threshold = __uint_as_float(lo);
    }
    if (p.min_p > 0.0f) threshold = fmaxf(threshold, p.min_p * pmax);
    // Inverse CDF in token-id order: each thread owns a contiguous chunk of ids.
    const int chunk = (vocab + blockDim.x - 1) / blockDim.x;
    const int begin = min(vocab, static_cast<int>(threadIdx.x) * chunk), end = min(vocab, begin + chunk);
    float local = 0.0f;
    int last_kept = -1;
    for (int i = begin; i < end; ++i) {
        const float q = row[i];
        if (q >= threshold && q > 0.0f) { local += q; last_kept = i; }
    }
    // Exclusive prefix of `local` over threads.
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    float incl = local;
    for (int o = 1; o < 32; o <<= 1) {
        const float t = __shfl_up_sync(0xffffffffu, incl, o);
        if (lane >= o) incl += t;
    }
    __shared__ float warp_tot[32];
    __shared__ int last_any;
    if (threadIdx.x == 0) { result = 0x7fffffff; last_any = -1; }
    if (lane == 31) warp_tot[warp] = incl;
    __syncthreads();
    if (warp == 0) {
        float w = lane < (blockDim.x >> 5) ? warp_tot[lane] : 0.0f;
        for (int o = 1; o < 32; o <<= 1) {
            const float t = __shfl_up_sync(0xffffffffu, w, o);
            if (lane >= o) w += t;
        }
        warp_tot[lane] = w;  // inclusive over warps
    }
    __syncthreads();
    const float total = warp_tot[(blockDim.x >> 5) - 1];
    const float prefix = (warp > 0 ? warp_tot[warp - 1] : 0.0f) + incl - local;
    if (last_kept >= 0) atomicMax(&last_any, last_kept);
    const float target = p.uniform * total;
    if (local > 0.0f && target >= prefix && target < prefix + local) {
        float c = prefix;
        int pick = last_kept;
        for (int i = begin; i < end; ++i) {
            const float q = row[i];
            if (!(q >= threshold && q > 0.0f)) continue;
            c += q;
            if (target < c) { pick = i; break; }
        }
        atomicMin(&result, pick);
    }
    __syncthreads();
    if (threadIdx.x == 0) out[r] = result != 0x7fffffff ? result : (last_any >= 0 ? last_any : 0);
}

} // namespace

cudaError_t launch_apply_penalties(float *logits, int rows, int vocab, const SampleRowParams *params,
                                   const int32_t *indptr, const int32_t *ids, const int32_t *counts,
                                   const int32_t *flags, cudaStream_t stream) {
    if (rows <= 0) return cudaSuccess;
    if (vocab <= 0) return cudaErrorInvalidValue;
    penalties_kernel<<<rows, 256, 0, stream>>>(logits, vocab, params, indptr, ids, counts, flags);
    return cudaGetLastError();
}

cudaError_t launch_argmax(const float *logits, int rows, int vocab, int32_t *out, cudaStream_t stream) {
    if (rows <= 0) return cudaSuccess;
    if (vocab <= 0) return cudaErrorInvalidValue;
    argmax_kernel<<<rows, 1024, 0, stream>>>(logits, vocab, out);
    return cudaGetLastError();
}

cudaError_t launch_sample(float *logits, int rows, int vocab, const SampleRowParams *params, int32_t *out,
                          cudaStream_t stream) {
    if (rows <= 0) return cudaSuccess;
    if (vocab <= 0) return cudaErrorInvalidValue;
    sample_kernel<<<rows, kThreads, 0, stream>>>(logits, vocab, params, out);
    return cudaGetLastError();
}

} // namespace slipway::engine::cuda
