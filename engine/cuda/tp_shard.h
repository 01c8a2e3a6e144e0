#pragma once
// What one tensor-parallel rank holds of the model (Megatron-style sharding), and the
// collectives its CudaModelRunner calls. Free of NCCL: the collectives are an interface that
// nccl_collectives.cpp implements, so the model runner compiles with or without NCCL.
//
// Rank r of `world`:
//   q heads        [r * H/world, (r+1) * H/world)                      (column-parallel q)
//   kv heads       world <= KV: [r * KV/world, (r+1) * KV/world)      (column-parallel k, v)
//                  world >  KV: the one head r * KV / world, replicated over world / KV ranks
//   intermediate   [r * I/world, (r+1) * I/world) of gate and of up   (column-parallel),
//                  the same columns of down                            (row-parallel)
//   o_proj         columns of its q heads                               (row-parallel)
//   vocabulary     [r * Vl, min(V, (r+1) * Vl)), Vl = ceil(V / world): embedding rows (masked
//                  lookup + all-reduce) and lm_head rows (logits gathered); rows past V are zero
//   norms          replicated; o/down biases only on rank 0 (added once before the all-reduce)
#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>

#include "cuda/peer_group.h"
#include "model/model_config.h"
#include "slipway/engine/status.h"

namespace slipway::engine::cuda {

// The collectives of one rank's communicator. Every rank of the group calls them in the same
// order; the stream-ordered ones are capturable in a CUDA graph and never sync the host.
class TpCollectives {
public:
    virtual ~TpCollectives() = default;
    // In place: buf[i] = sum over ranks of buf[i], `count` bf16 elements.
    virtual Status all_reduce_sum_bf16(void *buf, size_t count, cudaStream_t stream) = 0;
    // recv = concatenation over ranks (rank order) of each rank's `bytes` at send.
    virtual Status all_gather_bytes(const void *send, void *recv, size_t bytes, cudaStream_t stream) = 0;
    // value = min over ranks of value; blocks the host (set-up only: the KV pool size).
    virtual Status all_reduce_min_host(int64_t &value, cudaStream_t stream) = 0;
};

struct TpShard {
    int rank = 0;
    int world = 1;
    TpCollectives *comm = nullptr;  // null when world == 1
    PeerView peer;                  // world 0 unless the node's ranks share peer memory (one node)
    ModelConfig global;             // the unsharded model
    int64_t q_head_begin = 0, local_q_heads = 0;
    int64_t kv_head_begin = 0, local_kv_heads = 0;
    int64_t inter_begin = 0, local_inter = 0;
    int64_t vocab_begin = 0;
    int64_t vocab_local = 0;  // rows of this rank's embedding / lm_head slice (same on every rank)
    int64_t vocab_valid = 0;  // of which real tokens (the last rank's slice may be shorter)
};

// Checks that `global` divides over `world` ranks (heads, KV heads, intermediate size, GEMM
// alignment); each failure says which dimension and which --tp values would work.
StatusOr<TpShard> make_tp_shard(const ModelConfig &global, int rank, int world);

// The config one rank's runner computes with: its heads, KV heads and intermediate size; the
// vocabulary stays the full one (token ids and logits are global).
ModelConfig local_config(const TpShard &shard);

} // namespace slipway::engine::cuda
