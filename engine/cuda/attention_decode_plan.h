#pragma once
// How many ways decode attention splits each sequence's KV range (split-KV), chosen on the host.
// Plain C++: callable from the runner and from tests without a GPU.
#include <cstdint>

namespace slipway::engine::cuda {

// The largest num_splits decode_attention_splits() returns.
constexpr int kMaxDecodeSplits = 32;

// The split count for a decode step of `batch` sequences: enough blocks (batch x KV-head groups x
// splits) to give every one of `sm_count` SMs a full set of resident blocks, and no more splits
// than the longest sequence has 64-key tiles when `max_len` (> 0) is known. With max_len = 0 (a
// CUDA graph serving any length) the count depends on the batch and the shape only. Splits cover
// whole tiles, so splits past a short sequence's end cost one empty block each.
int decode_attention_splits(int batch, int num_heads, int num_kv_heads, int head_dim, int sm_count, int64_t max_len);

} // namespace slipway::engine::cuda
