#include "runtime/sampler.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>

namespace slipway::engine {

void apply_penalties(std::span<float> logits, const SamplingParams &params,
                     std::span<const int32_t> prompt_ids, std::span<const int32_t> output_ids) {
    const auto vocab = static_cast<int64_t>(logits.size());
    auto in_vocab = [vocab](int32_t id) { return id >= 0 && id < vocab; };
    if (params.repetition_penalty != 1.0f) {
        std::vector<bool> seen(logits.size(), false);
        for (auto ids : {prompt_ids, output_ids}) {
            for (int32_t id : ids) {
                if (in_vocab(id)) seen[static_cast<size_t>(id)] = true;
            }
        }
        for (size_t i = 0; i < logits.size(); ++i) {
            if (!seen[i]) continue;
            logits[i] = logits[i] > 0.0f ? logits[i] / params.repetition_penalty
                                         : logits[i] * params.repetition_penalty;
        }
    }
    if (params.frequency_penalty != 0.0f || params.presence_penalty != 0.0f) {
        std::unordered_map<int32_t, int32_t> counts;
        for (int32_t id : output_ids) {
            if (in_vocab(id)) ++counts[id];
        }
        for (const auto &[id, count] : counts) {
            logits[static_cast<size_t>(id)] -=
                params.frequency_penalty * static_cast<float>(count) + params.presence_penalty;
        }
    }
}

std::vector<float> log_softmax(std::span<const float> logits) {
    float max = -std::numeric_limits<float>::infinity();
    for (float v : logits) max = std::max(max, v);
    double sum = 0.0;
    for (float v : logits) sum += std::exp(static_cast<double>(v) - max);
    const double log_z = static_cast<double>(max) + std::log(sum);
    std::vector<float> out(logits.size());
    for (size_t i = 0; i < logits.size(); ++i) {
        out[i] = static_cast<float>(static_cast<double>(logits[i]) - log_z);
    }
    return out;
}

std::vector<float> truncated_probs(std::span<const float> scaled_logits, const SamplingParams &params) {
    const size_t vocab = scaled_logits.size();
    std::vector<float> probs(vocab);
    {
        float max = -std::numeric_limits<float>::infinity();
        for (float v : scaled_logits) max = std::max(max, v);
        double sum = 0.0;
        for (size_t i = 0; i < vocab; ++i) {
            const double e = std::exp(static_cast<double>(scaled_logits[i]) - max);
            probs[i] = static_cast<float>(e);
            sum += e;
        }
        for (float &p : probs) p = static_cast<float>(p / sum);
    }
    const bool use_top_k = params.top_k > 0 && static_cast<size_t>(params.top_k) < vocab;
    const bool use_top_p = params.top_p < 1.0f;
    const bool use_min_p = params.min_p > 0.0f;
    if (!use_top_k && !use_top_p && !use_min_p) {
        return probs;
    }
    // Sorted order: probability descending, then token id ascending (deterministic ties).
    std::vector<int32_t> order(vocab);
    std::iota(order.begin(), order.end(), 0);
    auto by_prob = [&probs](int32_t a, int32_t b) {
        const float pa = probs[static_cast<size_t>(a)];
        const float pb = probs[static_cast<size_t>(b)];
        return pa != pb ? pa > pb : a < b;
    };
    size_t considered = vocab;
    if (use_top_k && !use_top_p) {
        considered = static_cast<size_t>(params.top_k);
        std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(considered), order.end(), by_prob);
    } else {
        std::sort(order.begin(), order.end(), by_prob);
    }
    const float max_prob = probs[static_cast<size_t>(order[0])];
    std::vector<bool> keep(vocab, false);
    double exclusive_cumsum = 0.0;
    for (size_t rank = 0; rank < considered; ++rank) {
        const size_t id = static_cast<size_t>(order[rank]);
        const float p = probs[id];
        bool kept = true;
        if (use_top_k && rank >= static_cast<size_t>(params.top_k)) kept = false;
        // SGLang: drop when the mass before this token already exceeds top_p.
        if (use_top_p && exclusive_cumsum > static_cast<double>(params.top_p)) kept = false;
        if (use_min_p && p < max_prob * params.min_p) kept = false;
        keep[id] = kept;
        exclusive_cumsum += p;
    }
    double kept_mass = 0.0;
    for (size_t i = 0; i < vocab; ++i) {
        if (keep[i]) kept_mass += probs[i];
    }
    for (size_t i = 0; i < vocab; ++i) {
        probs[i] = keep[i] ? static_cast<float>(probs[i] / kept_mass) : 0.0f;
    }
    return probs;
}

namespace {

int32_t argmax(std::span<const float> values) {
    int32_t best = 0;
    for (size_t i = 1; i < values.size(); ++i) {
        if (values[i] > values[static_cast<size_t>(best)]) best = static_cast<int32_t>(i);
    }
    return best;
}

// Inverse CDF over the kept tokens in token id order: one uniform draw, reproducible.
int32_t draw(const std::vector<float> &probs, double u) {
    double total = 0.0;
    int32_t last = -1;
    for (size_t i = 0; i < probs.size(); ++i) {
        if (probs[i] > 0.0f) {
            total += probs[i];
            last = static_cast<int32_t>(i);
        }
    }
    const double target = u * total;
    double cumsum = 0.0;
    for (size_t i = 0; i < probs.size(); ++i) {
        if (probs[i] <= 0.0f) continue;
        cumsum += probs[i];
        if (target < cumsum) return static_cast<int32_t>(i);
    }
    return last < 0 ? 0 : last;
}

TokenLogprob logprob_of(std::span<const float> scaled_logits, int32_t token, int32_t top_n) {
    const std::vector<float> lp = log_softmax(scaled_logits);
    TokenLogprob out;
    out.token_id = token;
    out.logprob = lp[static_cast<size_t>(token)];
    if (top_n > 0) {
        std::vector<int32_t> order(lp.size());
        std::iota(order.begin(), order.end(), 0);
        const auto n = std::min<size_t>(static_cast<size_t>(top_n), lp.size());
        std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(),
                          [&lp](int32_t a, int32_t b) {
                              const float la = lp[static_cast<size_t>(a)];
                              const float lb = lp[static_cast<size_t>(b)];
                              return la != lb ? la > lb : a < b;
                          });
        for (size_t i = 0; i < n; ++i) {
            out.top.push_back({order[i], lp[static_cast<size_t>(order[i])]});
        }
    }
    return out;
}

} // namespace

SampleResult sample_token(std::span<float> logits, const SamplingParams &params,
                          std::span<const int32_t> prompt_ids, std::span<const int32_t> output_ids,
                          std::span<const int32_t> masked, RequestRng &rng) {
    apply_penalties(logits, params, prompt_ids, output_ids);
    for (int32_t id : masked) {
        if (id >= 0 && static_cast<size_t>(id) < logits.size()) {
            logits[static_cast<size_t>(id)] = -std::numeric_limits<float>::infinity();
        }
    }
    SampleResult result;
    if (params.greedy()) {
        result.token_id = argmax(logits);
    } else {
        for (float &v : logits) v /= params.temperature;
        result.token_id = draw(truncated_probs(logits, params), rng.uniform());
    }
    if (params.logprobs || params.top_logprobs_num > 0) {
        result.logprob = logprob_of(logits, result.token_id, params.top_logprobs_num);
    }
    return result;
}

int32_t sample_row(std::span<float> logits, const DeviceSampling &row) {
    const auto vocab = static_cast<int64_t>(logits.size());
    auto in_vocab = [vocab](int32_t id) { return id >= 0 && id < vocab; };
    // Penalties in apply_penalties' order: repetition over every id seen, then frequency and
    // presence over the ids generated at least once.
    if (row.repetition_penalty != 1.0f) {
        for (int32_t id : row.penalty_ids) {
            if (!in_vocab(id)) continue;
            float &v = logits[static_cast<size_t>(id)];
            v = v > 0.0f ? v / row.repetition_penalty : v * row.repetition_penalty;
        }
    }
    if (row.frequency_penalty != 0.0f || row.presence_penalty != 0.0f) {
        for (size_t i = 0; i < row.penalty_ids.size() && i < row.penalty_counts.size(); ++i) {
            const int32_t id = row.penalty_ids[i];
            const int32_t count = row.penalty_counts[i];
            if (!in_vocab(id) || count <= 0) continue;
            logits[static_cast<size_t>(id)] -=
                row.frequency_penalty * static_cast<float>(count) + row.presence_penalty;
        }
    }
    for (int32_t id : row.masked_ids) {
        if (in_vocab(id)) logits[static_cast<size_t>(id)] = -std::numeric_limits<float>::infinity();
    }
    if (row.temperature < 1e-6f) return argmax(logits);
    for (float &v : logits) v /= row.temperature;
    SamplingParams truncation;
    truncation.top_k = row.top_k;
    truncation.top_p = row.top_p;
    truncation.min_p = row.min_p;
    return draw(truncated_probs(logits, truncation), row.uniform);
}

} // namespace slipway::engine
