#pragma once
// Scheduler settings, named after the SGLang flags they come from.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace slipway::engine {

// Turns token ids into text (the tokenizer's decode, special tokens skipped). Called only on the
// scheduler loop thread, on a window of a request's output ids; must be pure.
using DecodeFn = std::function<std::string(const std::vector<int32_t> &ids)>;

struct SchedulerConfig {
    // --max-running-requests: requests decoding or prefilling at once; the rest wait in FIFO
    // order. 0: derived from the KV pool (total tokens / 8, at least 1, at most 1024).
    int32_t max_running_requests = 0;
    // --chunked-prefill-size: the most prompt tokens one request computes in one step; a longer
    // prompt is split over several steps. <= 0 disables chunking (a prompt goes in one step).
    int32_t chunked_prefill_size = 8192;
    // --max-prefill-tokens: prefill tokens of all requests in one step (a single prompt larger
    // than this still gets in alone when chunking is off).
    int32_t max_prefill_tokens = 16384;
    // --context-length: prompt + output limit; 0 = the runner's max_context_len.
    int64_t context_length = 0;
    // --disable-radix-cache: no prefix sharing; pages go back to the free list when a request ends.
    bool disable_radix_cache = false;
    // generation_config.json eos_token_id(s): end a request unless ignore_eos.
    std::vector<int32_t> eos_token_ids;
    // Needed for text output and stop strings; without it StepOutput::text stays empty and a
    // request with stop strings is rejected.
    DecodeFn decode;
    // Window of the gen_throughput gauge.
    double throughput_window_seconds = 5.0;
};

} // namespace slipway::engine
