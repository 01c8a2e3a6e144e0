#pragma once
// `slipway-engine bench` / slipway-engine-bench: measures the CUDA backend on a config.json with
// random weights (no download): weights bytes, bytes read per decode step, the GPU's measured
// read bandwidth, the resulting ceiling in tokens/s, achieved decode tokens/s per batch size,
// prefill tokens/s and time to first token. Prints a table and writes JSON (--json FILE).
namespace slipway::engine {

// argv[0] is the program (or subcommand) name. Returns the process exit code.
int run_bench_command(int argc, char **argv);

} // namespace slipway::engine
