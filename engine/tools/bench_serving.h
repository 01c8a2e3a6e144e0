#pragma once
// `slipway-engine bench-serving`: a load generator against a running server's HTTP API, like
// SGLang's bench_serving with its random dataset: N requests of random token ids with input and
// output lengths uniform in the given ranges, streamed through POST /generate (ignore_eos, so
// each request produces exactly its output length), at a fixed concurrency or a Poisson rate.
// Reports output tokens/s, request throughput, TTFT and inter-token latency (p50/p99, mean) as
// a table and as JSON.
#include <iosfwd>
#include <string>
#include <vector>

namespace slipway::engine {

int run_bench_serving_command(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);

} // namespace slipway::engine
