#pragma once
// Serve-flag defaults that depend on the device, as SGLang derives them
// (python/sglang/srt/server_args.py), and the one-line description of the scheduling policy for
// the start-up log.
//
// Thread-safety: pure functions.
#include <cstdint>
#include <string>

#include "runtime/scheduler_config.h"

namespace slipway::engine {

// --chunked-prefill-size when the flag is not given. GPUs by memory, as SGLang: < 35 GiB 2048
// (A10, L40, 4090), < 60 GiB 4096 (A100 40 GB), < 160 GiB 8192 (H100, H200, H20, A100 80 GB),
// else 16384 (B200, MI300). device_memory_bytes <= 0 (unknown) on a GPU: 4096, SGLang's value
// when it cannot read the memory. The CPU backend: 2048 (it computes a prompt token at a time
// per thread, so smaller steps keep decodes moving; SGLang's CPU device does not use this table).
int32_t default_chunked_prefill_size(const std::string &device, int64_t device_memory_bytes);

// "chunked prefill 8192 tokens/step (max prefill 16384), prefill and decode steps alternate
// (1 decode step after each prefill), overlap on".
std::string describe_schedule(const SchedulerConfig &config, bool overlap);

} // namespace slipway::engine
