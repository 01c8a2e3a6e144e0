// slipway-engine-bench: decode / prefill throughput of the CUDA backend (see bench.h).
#include "cuda/bench/bench.h"

int main(int argc, char **argv) { return slipway::engine::run_bench_command(argc, argv); }
