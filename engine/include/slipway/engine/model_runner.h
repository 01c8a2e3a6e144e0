#pragma once
// The contract between the runtime (scheduler, KV page allocator, sampler) and a backend that
// runs the model graph (cpu/ now, cuda/ later).
//
// The runtime owns the *ids* of KV pages (allocation, prefix sharing, eviction); the runner owns
// their *storage*. A page holds page_size() consecutive token positions of one sequence for
// every layer (K and V). Position p of a sequence lives in page page_table[p / page_size] at
// slot p % page_size.
#include <cstdint>
#include <vector>

#include "slipway/engine/status.h"

namespace slipway::engine {

// One sequence's part of a forward step.
struct SequenceSlice {
    int32_t query_start = 0;  // offset of this sequence's first query token in ForwardBatch::token_ids
    int32_t query_len = 0;    // tokens computed this step: a prefill chunk, or 1 when decoding
    int32_t context_len = 0;  // tokens already in the KV cache before this step (cached prefix,
                              // earlier chunks, generated tokens); query token i sits at
                              // position context_len + i
    std::vector<int32_t> page_table; // pages covering positions [0, context_len + query_len)
    bool need_logits = true;  // produce logits for this sequence's last query token
};

struct ForwardBatch {
    std::vector<int32_t> token_ids;    // every sequence's query tokens, concatenated
    std::vector<SequenceSlice> seqs;
};

struct RunnerInfo {
    int64_t vocab_size = 0;
    int64_t max_context_len = 0;  // the model's positions (or --context-length when smaller)
    int32_t page_size = 1;
    int64_t num_pages = 0;        // KV pool capacity in pages
    int64_t kv_bytes_per_token = 0;  // over every GPU that holds a share of the pool
    int32_t kv_devices = 1;          // GPUs the pool is spread over (the tensor-parallel group)
};

// Thread-safety: a runner is used by one thread at a time (the scheduler loop).
class ModelRunner {
public:
    virtual ~ModelRunner() = default;
    virtual RunnerInfo info() const = 0;

    // Computes the batch: writes K/V of every query token into its page slot, then returns
    // fp32 logits, one row of info().vocab_size per sequence whose need_logits is set, in the
    // order of batch.seqs. An invalid batch (page out of range, positions past the table) is an
    // error, never a crash.
    virtual Status forward(const ForwardBatch &batch, std::vector<float> &logits) = 0;
};

} // namespace slipway::engine
