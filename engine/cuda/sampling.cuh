#pragma once
// Logits processing and sampling on the GPU, the same pipeline as runtime/sampler.h:
// (1) penalties on raw logits (repetition over prompt + output; frequency and presence over
// output counts) and masks (-inf for EOS/stop below min_new_tokens), (2) temperature, greedy
// below 1e-6 (argmax, lowest id on ties), (3) softmax, (4) top-k, top-p (SGLang: drop a token
// when the mass before it already exceeds top_p) and min-p on the same probabilities,
// (5) one uniform number per row (drawn on the host from the request's seeded RNG, so results
// do not depend on the batch) picks by inverse CDF over kept tokens in token-id order.
// Tokens tied exactly at the top-k / top-p threshold are all kept (the CPU keeps the lower ids).
#include "cuda/cuda_common.cuh"

namespace slipway::engine::cuda {

struct SampleRowParams {
    float temperature = 1.0f;
    int32_t top_k = -1;   // <= 0: off
    float top_p = 1.0f;
    float min_p = 0.0f;
    float repetition_penalty = 1.0f;
    float frequency_penalty = 0.0f;
    float presence_penalty = 0.0f;
    float uniform = 0.0f;  // in [0, 1)
};

// Penalty entries of row r: [indptr[r], indptr[r + 1]) of ids (unique per row), counts
// (occurrences in the output so far) and flags (kSeen: in prompt or output, kMasked: -inf).
constexpr int32_t kPenaltySeen = 1;
constexpr int32_t kPenaltyMasked = 2;
cudaError_t launch_apply_penalties(float *logits, int rows, int vocab, const SampleRowParams *params,
                                   const int32_t *indptr, const int32_t *ids, const int32_t *counts,
                                   const int32_t *flags, cudaStream_t stream);

// out[r] = argmax of logits row r (lowest id on ties).
cudaError_t launch_argmax(const float *logits, int rows, int vocab, int32_t *out, cudaStream_t stream);

// Steps 2-5 on penalised logits; overwrites the rows with their probabilities.
cudaError_t launch_sample(float *logits, int rows, int vocab, const SampleRowParams *params, int32_t *out,
                          cudaStream_t stream);

} // namespace slipway::engine::cuda
