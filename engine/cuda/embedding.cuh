#pragma once
// Embedding gather: out[t, :] = float(table[ids[t], :]) — the fp32 residual stream's start.
#include "cuda/cuda_common.cuh"

namespace slipway::engine::cuda {

// table [vocab, hidden] bf16; ids [tokens] (checked on the host to lie in [0, vocab)).
cudaError_t launch_embedding(const bf16 *table, const int32_t *ids, int tokens, int hidden, float *out,
                             cudaStream_t stream);

} // namespace slipway::engine::cuda
