#pragma once
// The command line of `slipway-engine [serve]`: SGLang's flags with SGLang's meanings and
// defaults (python/sglang/srt/server_args.py), plus the engine's own (--device, --threads,
// --max-total-tokens, --graceful-shutdown-timeout). Parsing accepts `--flag value` and
// `--flag=value`; an unknown flag or a bad value is an error that names the flag and what it
// accepts.
//
// Thread-safety: plain values and pure functions.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "slipway/engine/status.h"

namespace slipway::engine {

struct ServeOptions {
    std::string model_path;              // --model-path (required)
    std::string tokenizer_path;          // --tokenizer-path (default: the model folder)
    std::string served_model_name;       // --served-model-name (default: the model path)
    std::string device;                  // --device cpu|cuda (default: cuda where built with it, else cpu)
    int32_t threads = 0;                 // --threads: CPU compute threads (0: every core)

    int32_t tp = 1;                      // --tp / --tp-size
    int32_t dp = 1;                      // --dp / --dp-size
    std::optional<double> mem_fraction_static;  // --mem-fraction-static (share of device memory for
                                                // weights + KV pool); unset: derived
    int64_t max_total_tokens = 0;        // --max-total-tokens: KV pool size in tokens (0: derived)
    int32_t max_running_requests = 0;    // --max-running-requests (0: derived from the KV pool)
    int32_t max_prefill_tokens = 16384;  // --max-prefill-tokens
    int32_t chunked_prefill_size = 0;    // --chunked-prefill-size: prefill tokens per step (-1 disables
                                         // chunking; 0 = unset: derived from the device, see
                                         // server/scheduling_defaults.h)
    bool enable_mixed_chunk = false;     // --enable-mixed-chunk: decodes ride along in prefill steps
    int32_t num_continuous_decode_steps = 1; // --num-continuous-decode-steps: decode steps after each
                                             // prefill step (alternating policy)
    bool disable_overlap_schedule = false;   // --disable-overlap-schedule: no host/device overlap
    int32_t page_size = 1;               // --page-size
    int64_t context_length = 0;          // --context-length (0: the model's)
    int32_t cuda_graph_max_bs = 0;       // --cuda-graph-max-bs / --torch-compile-max-bs (0: derived)
    bool disable_cuda_graph = false;     // --disable-cuda-graph
    bool disable_radix_cache = false;    // --disable-radix-cache
    bool random_weights = false;         // --random-weights: benchmarks, weights drawn on the GPU

    std::string dist_init_addr;          // --dist-init-addr HOST:PORT
    int32_t nnodes = 1;                  // --nnodes
    int32_t node_rank = 0;               // --node-rank
    std::optional<int32_t> dist_timeout; // --dist-timeout seconds: rendezvous, and how long ready nodes
                                         // wait for the others to load (unset: 600, torch's NCCL default)
    double dist_heartbeat_timeout = 5;   // --dist-heartbeat-timeout seconds: a node silent this long is dead
    double dist_step_timeout = 60;       // --dist-step-timeout seconds: a step (collective) running this
                                         // long on any node is hung; the group exits
    double watchdog_timeout = 300;       // --watchdog-timeout seconds
    bool trust_remote_code = false;      // --trust-remote-code

    std::string host = "127.0.0.1";      // --host
    int32_t port = 30000;                // --port (0: any free port, printed at start)
    std::string api_key;                 // --api-key
    bool enable_metrics = false;         // --enable-metrics
    std::string reasoning_parser;        // --reasoning-parser (deepseek-r1)
    bool log_requests = false;           // --log-requests
    double graceful_shutdown_timeout = 10; // --graceful-shutdown-timeout seconds (SIGTERM bound)
    std::optional<uint64_t> random_seed; // --random-seed: seed of requests that give none

    // The name /v1/models reports and requests must use.
    std::string model_name() const { return served_model_name.empty() ? model_path : served_model_name; }
};

// What the command line asked for.
struct ServeCommand {
    enum class Kind { serve, help, version };
    Kind kind = Kind::serve;
    ServeOptions options;
};

// Parses the serve flags (argv without the program name and subcommand). Errors name the flag.
StatusOr<ServeCommand> parse_serve_args(const std::vector<std::string> &args);

// `--help` text of the serve command.
std::string serve_usage();

// Whether this build has a CUDA backend.
bool build_has_cuda();

} // namespace slipway::engine
