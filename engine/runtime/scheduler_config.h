#pragma once
// Scheduler settings, named after the SGLang flags they come from.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace slipway::engine {

// Turns token ids into text (the tokenizer's decode, special tokens skipped). Called on the
// scheduler's output thread (and on the loop thread for requests with stop strings), on a window
// of a request's output ids; must be pure and safe to call from two threads at once.
using DecodeFn = std::function<std::string(const std::vector<int32_t> &ids)>;

struct SchedulerConfig {
    // --max-running-requests: requests decoding or prefilling at once; the rest wait in FIFO
    // order. 0: derived from the KV pool (total tokens / 8, at least 1, at most 1024).
    int32_t max_running_requests = 0;
    // --chunked-prefill-size: the prefill token budget of one step. Prompt tokens computed in one
    // step, over all requests, stay within min(chunked_prefill_size, max_prefill_tokens); a
    // longer prompt is split over several steps (one partly computed prompt at a time, SGLang's
    // chunked request). With enable_mixed_chunk the step's decode tokens count against it too.
    // <= 0 disables chunking: a prompt goes in one step (alone when it exceeds
    // max_prefill_tokens). The server derives the default from the device (SGLang's table).
    int32_t chunked_prefill_size = 8192;
    // --max-prefill-tokens: prefill tokens of all requests in one step (a single prompt larger
    // than this still gets in alone when chunking is off).
    int32_t max_prefill_tokens = 16384;
    // --enable-mixed-chunk: whether one step may carry prompt chunks and decode tokens together.
    //  * false (SGLang's default): a step is either a prefill step (chunks of prompts, within the
    //    budget) or a decode step (one token for every decoding request). Decode steps keep the
    //    decode-only fast path (CUDA graphs, the split-KV decode kernel); prefill steps read the
    //    weights once for many prompt tokens. Unlike SGLang, whose prefill batches always go
    //    first, a prefill step is followed by at least num_continuous_decode_steps decode steps
    //    while requests are decoding, so a burst of long prompts cannot stall them: decoding
    //    requests get a token at least every (1 + num_continuous_decode_steps) steps, and
    //    waiting prompts at most num_continuous_decode_steps steps after the previous chunk.
    //  * true: every step carries every decoding request plus prompt chunks up to the budget
    //    (reduced by the decode tokens, as SGLang's PrefillAdder does, but never below a quarter
    //    of it so prompts keep moving). Decodes get a token every step; the weights are read once
    //    for both; on a backend whose mixed steps lose the decode fast path this costs more.
    bool enable_mixed_chunk = false;
    // --num-continuous-decode-steps: decode steps after each prefill step while requests are
    // decoding (>= 1); larger values favour inter-token latency and throughput over
    // time-to-first-token. Ignored with enable_mixed_chunk.
    int32_t num_continuous_decode_steps = 1;
    // Overlap scheduling (SGLang's default; --disable-overlap-schedule turns it off): while the
    // device runs step n, the loop processes step n-1's tokens and plans and launches step n+1
    // (runtime/device_sampling.h). Used with a runner whose DeviceSampler launches
    // asynchronously, or with a runner without device sampling (the CPU backend), whose steps
    // then run on a worker thread with host sampling (runtime/host_sampling_runner.h). Outputs
    // are the same as without it; a request that stops on EOS or a stop string costs one extra
    // step of compute whose token is dropped.
    bool overlap_schedule = true;
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
