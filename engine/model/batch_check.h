#pragma once
// The checks every ModelRunner makes of a ForwardBatch before computing it (the contract in
// slipway/engine/model_runner.h): sequences' query tokens concatenated in order, positions within
// the context and covered by the page table, page ids inside the pool, no KV slot written by two
// sequences in one step, token ids inside the vocabulary. Shared by the CPU and CUDA backends so
// both refuse the same batches with the same messages.
#include <cstdint>
#include <vector>

#include "slipway/engine/model_runner.h"

namespace slipway::engine {

// OK, or the first problem found. When slot_of_token is given, it receives, for each query token,
// the KV slot (page * page_size + offset) the token's K/V go to.
Status check_forward_batch(const ForwardBatch &batch, const RunnerInfo &info, std::vector<int64_t> *slot_of_token);

} // namespace slipway::engine
