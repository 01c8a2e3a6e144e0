#pragma once
// Sampling on the CPU: the reference the GPU sampler will be tested against.
//
// Order, as SGLang: (1) penalties on the raw logits (repetition over prompt + output, frequency
// and presence over output), (2) min_new_tokens masks EOS/stop tokens to -inf, (3) divide by the
// temperature (greedy: argmax of the penalised logits), (4) softmax, (5) top-k, top-p and min-p
// masks computed together on the same sorted probabilities, (6) renormalise and draw one uniform
// number from the request's own RNG (inverse CDF over the kept tokens in token id order).
//
// Logprobs (SGLang's default): log-softmax after steps 1-3, before truncation by top-k/p/min-p;
// for greedy requests with temperature 1.
//
// Thread-safety: pure functions; a RequestRng belongs to one request.
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "runtime/device_sampling.h"
#include "runtime/request.h"
#include "runtime/sampling_params.h"

namespace slipway::engine {

// Per-request generator: seeded from SamplingParams::seed when given, so the draws depend only
// on the request, never on the batch around it. A uniform double is built from the top 53 bits,
// which makes draws identical across standard libraries.
class RequestRng final {
public:
    explicit RequestRng(uint64_t seed) : engine_(seed) {}
    double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

private:
    std::mt19937_64 engine_;
};

// Step 1, in place. counts over output tokens; repetition over prompt and output.
void apply_penalties(std::span<float> logits, const SamplingParams &params,
                     std::span<const int32_t> prompt_ids, std::span<const int32_t> output_ids);

// Steps 4-5: probabilities after temperature (already applied to logits), with the truncated
// tokens set to 0 and the rest renormalised to sum to 1.
std::vector<float> truncated_probs(std::span<const float> scaled_logits, const SamplingParams &params);

// log-softmax of logits (double accumulation).
std::vector<float> log_softmax(std::span<const float> logits);

struct SampleResult {
    int32_t token_id = 0;
    TokenLogprob logprob;  // filled when params.logprobs or top_logprobs_num > 0
};

// The whole pipeline for one request's logits row. `masked` lists token ids forbidden this step
// (EOS/stop tokens while below min_new_tokens). The logits row is modified.
SampleResult sample_token(std::span<float> logits, const SamplingParams &params,
                          std::span<const int32_t> prompt_ids, std::span<const int32_t> output_ids,
                          std::span<const int32_t> masked, RequestRng &rng);

// The same pipeline driven by a DeviceSampling row (what a device sampler receives): penalties
// from penalty_ids / penalty_counts, masked_ids, and the row's uniform draw instead of an RNG.
// For equal inputs it picks the same token as sample_token; runners without device sampling
// use it to implement DeviceSampler on the host (runtime/host_sampling_runner.h).
int32_t sample_row(std::span<float> logits, const DeviceSampling &row);

} // namespace slipway::engine
