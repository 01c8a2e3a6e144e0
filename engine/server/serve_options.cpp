#include "server/serve_options.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <string_view>

#include "dist/parallel_layout.h"

namespace slipway::engine {
namespace {

// One flag: its names, whether it takes a value, and how to apply it.
struct Flag {
    std::vector<std::string_view> names;  // the first is the canonical one
    bool takes_value = true;
    std::string_view value_help;          // "INT", "PATH", ...
    std::string_view help;
    std::function<Status(ServeOptions &, const std::string &name, const std::string &value)> apply;
};

Status bad_value(const std::string &name, const std::string &value, std::string_view accepted) {
    return Status::error("invalid value '" + value + "' for " + name + ": expected " + std::string(accepted));
}

template <typename Int>
Status parse_int(const std::string &name, const std::string &value, Int min, Int max, Int &out,
                 std::string_view accepted) {
    Int v{};
    const char *end = value.data() + value.size();
    auto [ptr, ec] = std::from_chars(value.data(), end, v);
    if (value.empty() || ec != std::errc() || ptr != end || v < min || v > max) {
        return bad_value(name, value, accepted);
    }
    out = v;
    return {};
}

Status parse_double(const std::string &name, const std::string &value, double min, double max, double &out,
                    std::string_view accepted) {
    if (value.empty()) return bad_value(name, value, accepted);
    char *end = nullptr;
    errno = 0;
    const double v = std::strtod(value.c_str(), &end);
    if (errno != 0 || end != value.c_str() + value.size() || !std::isfinite(v) || v < min || v > max) {
        return bad_value(name, value, accepted);
    }
    out = v;
    return {};
}

Status non_empty(const std::string &name, const std::string &value, std::string &out) {
    if (value.empty()) return Status::error(name + " needs a non-empty value");
    out = value;
    return {};
}

using Opt = ServeOptions;
using Name = const std::string &;
using Value = const std::string &;

std::vector<Flag> build_flags() {
    std::vector<Flag> f;
    auto text = [&f](std::vector<std::string_view> names, std::string_view vhelp, std::string_view help,
                     std::string Opt::*member) {
        f.push_back({std::move(names), true, vhelp, help,
                     [member](Opt &o, Name n, Value v) { return non_empty(n, v, o.*member); }});
    };
    auto int32 = [&f](std::vector<std::string_view> names, std::string_view help, int32_t Opt::*member, int32_t min,
                      int32_t max, std::string_view accepted) {
        f.push_back({std::move(names), true, "INT", help, [=](Opt &o, Name n, Value v) {
                         return parse_int<int32_t>(n, v, min, max, o.*member, accepted);
                     }});
    };
    auto boolean = [&f](std::vector<std::string_view> names, std::string_view help, bool Opt::*member) {
        f.push_back({std::move(names), false, "", help, [member](Opt &o, Name, Value) {
                         o.*member = true;
                         return Status();
                     }});
    };

    text({"--model-path", "--model"}, "PATH", "Hugging Face model folder (config.json, *.safetensors, tokenizer)",
         &Opt::model_path);
    text({"--tokenizer-path"}, "PATH", "folder with tokenizer.json (default: --model-path)", &Opt::tokenizer_path);
    text({"--served-model-name"}, "NAME", "model name in the API (default: --model-path)", &Opt::served_model_name);
    f.push_back({{"--device"}, true, "cpu|cuda", "compute device (default: cuda where built with it, else cpu)",
                 [](Opt &o, Name n, Value v) {
                     if (v != "cpu" && v != "cuda") return bad_value(n, v, "one of: cpu, cuda");
                     o.device = v;
                     return Status();
                 }});
    int32({"--threads"}, "CPU compute threads (default: every core)", &Opt::threads, 1, 4096, "an integer in 1..4096");
    int32({"--tp", "--tp-size", "--tensor-parallel-size"}, "tensor-parallel size (GPUs per model replica)", &Opt::tp,
          1, 1024, "an integer >= 1");
    int32({"--dp", "--dp-size", "--data-parallel-size"}, "data-parallel replicas", &Opt::dp, 1, 1024,
          "an integer >= 1");
    f.push_back({{"--mem-fraction-static"}, true, "FLOAT",
                 "share of device memory for the weights plus the KV pool (default: derived)",
                 [](Opt &o, Name n, Value v) {
                     double d = 0;
                     if (Status s = parse_double(n, v, 0.0, 1.0, d, "a number in (0, 1]"); !s.ok()) return s;
                     if (d <= 0.0) return bad_value(n, v, "a number in (0, 1]");
                     o.mem_fraction_static = d;
                     return Status();
                 }});
    f.push_back({{"--max-total-tokens"}, true, "INT", "KV pool size in tokens (default: derived from memory)",
                 [](Opt &o, Name n, Value v) {
                     return parse_int<int64_t>(n, v, 1, int64_t{1} << 40, o.max_total_tokens, "an integer >= 1");
                 }});
    int32({"--max-running-requests"}, "requests computed at once; the rest wait in FIFO order (default: derived)",
          &Opt::max_running_requests, 1, 1 << 20, "an integer >= 1");
    int32({"--max-prefill-tokens"}, "prompt tokens computed in one step over all requests (default 16384)",
          &Opt::max_prefill_tokens, 1, 1 << 30, "an integer >= 1");
    f.push_back({{"--chunked-prefill-size"}, true, "INT",
                 "prompt tokens computed per step over all requests; longer prompts are split over steps; -1 "
                 "disables (default: by device memory, 8192 on an 80-141 GB GPU, 2048 on the CPU)",
                 [](Opt &o, Name n, Value v) {
                     int32_t c = 0;
                     if (Status s = parse_int<int32_t>(n, v, -1, 1 << 30, c, "-1 or an integer >= 1"); !s.ok()) return s;
                     if (c == 0) return bad_value(n, v, "-1 (no chunking) or an integer >= 1");
                     o.chunked_prefill_size = c;
                     return Status();
                 }});
    boolean({"--enable-mixed-chunk"},
            "put running decodes into every prefill step (default: prefill and decode steps alternate)",
            &Opt::enable_mixed_chunk);
    int32({"--num-continuous-decode-steps"}, "decode steps after each prefill step while requests decode (default 1)",
          &Opt::num_continuous_decode_steps, 1, 1 << 20, "an integer >= 1");
    boolean({"--disable-overlap-schedule"}, "do not plan the next step while the device runs the current one",
            &Opt::disable_overlap_schedule);
    int32({"--page-size"}, "tokens per KV page (default 1)", &Opt::page_size, 1, 4096, "an integer in 1..4096");
    f.push_back({{"--context-length"}, true, "INT", "prompt + output limit (default: the model's)",
                 [](Opt &o, Name n, Value v) {
                     return parse_int<int64_t>(n, v, 1, int64_t{1} << 40, o.context_length, "an integer >= 1");
                 }});
    int32({"--cuda-graph-max-bs", "--torch-compile-max-bs"}, "largest batch captured in a CUDA graph (GPU only)",
          &Opt::cuda_graph_max_bs, 1, 1 << 20, "an integer >= 1");
    boolean({"--disable-cuda-graph"}, "run decode without CUDA graphs (GPU only)", &Opt::disable_cuda_graph);
    boolean({"--disable-radix-cache"}, "no prefix sharing between requests", &Opt::disable_radix_cache);
    boolean({"--random-weights"},
            "benchmarks: draw random weights of config.json's shape on the GPU instead of reading safetensors "
            "(--device cuda on one node, any --tp; the folder needs config.json and a tokenizer only; replies are "
            "noise)",
            &Opt::random_weights);
    f.push_back({{"--dist-init-addr", "--nccl-init-addr"}, true, "HOST:PORT",
                 "rendezvous address of a multi-node group", [](Opt &o, Name n, Value v) {
                     const auto colon = v.rfind(':');
                     int32_t port = 0;
                     if (colon == std::string::npos || colon == 0 ||
                         !parse_int<int32_t>(n, v.substr(colon + 1), 1, 65535, port, "").ok()) {
                         return bad_value(n, v, "HOST:PORT, e.g. 10.0.0.1:20000");
                     }
                     o.dist_init_addr = v;
                     return Status();
                 }});
    int32({"--nnodes"}, "nodes in the group (default 1)", &Opt::nnodes, 1, 4096, "an integer >= 1");
    int32({"--node-rank"}, "this node's rank in the group (default 0)", &Opt::node_rank, 0, 4095,
          "an integer >= 0");
    f.push_back({{"--dist-timeout"}, true, "SECONDS",
                 "multi-node start-up bound: rendezvous at --dist-init-addr, and ready nodes waiting for the "
                 "others to load (default 600)",
                 [](Opt &o, Name n, Value v) {
                     int32_t t = 0;
                     if (Status s = parse_int<int32_t>(n, v, 1, 1 << 30, t, "a whole number of seconds >= 1"); !s.ok())
                         return s;
                     o.dist_timeout = t;
                     return Status();
                 }});
    f.push_back({{"--dist-heartbeat-timeout"}, true, "SECONDS",
                 "multi-node: a node that sends nothing (heartbeats go every second) for this long is dead, and "
                 "every node exits non-zero so LeaderWorkerSet restarts the group (default 5)",
                 [](Opt &o, Name n, Value v) {
                     return parse_double(n, v, 0.5, 3600.0, o.dist_heartbeat_timeout, "a number of seconds in 0.5..3600");
                 }});
    f.push_back({{"--dist-step-timeout"}, true, "SECONDS",
                 "multi-node: a step still running on any node after this long means a hung collective; every "
                 "node exits non-zero (default 60)",
                 [](Opt &o, Name n, Value v) {
                     return parse_double(n, v, 0.5, 86400.0, o.dist_step_timeout, "a number of seconds in 0.5..86400");
                 }});
    f.push_back({{"--watchdog-timeout"}, true, "SECONDS", "a step longer than this ends the server (default 300)",
                 [](Opt &o, Name n, Value v) {
                     return parse_double(n, v, 1e-3, 1e9, o.watchdog_timeout, "a number of seconds > 0");
                 }});
    boolean({"--trust-remote-code"}, "accepted for SGLang compatibility (no Python code is ever run)",
            &Opt::trust_remote_code);
    text({"--host"}, "ADDR", "address to listen on (default 127.0.0.1)", &Opt::host);
    int32({"--port"}, "port to listen on (default 30000; 0: any free port)", &Opt::port, 0, 65535,
          "a port number in 0..65535");
    text({"--api-key"}, "KEY", "require `Authorization: Bearer KEY` (health and metrics stay open)", &Opt::api_key);
    boolean({"--enable-metrics"}, "serve Prometheus metrics at /metrics", &Opt::enable_metrics);
    f.push_back({{"--reasoning-parser"}, true, "deepseek-r1",
                 "split <think>...</think> into reasoning_content in chat responses",
                 [](Opt &o, Name n, Value v) {
                     if (v != "deepseek-r1") return bad_value(n, v, "deepseek-r1");
                     o.reasoning_parser = v;
                     return Status();
                 }});
    boolean({"--log-requests"}, "log every request (method, path, status, tokens, time)", &Opt::log_requests);
    f.push_back({{"--graceful-shutdown-timeout"}, true, "SECONDS",
                 "on SIGTERM, how long in-flight requests may run before they are aborted (default 10)",
                 [](Opt &o, Name n, Value v) {
                     return parse_double(n, v, 0.0, 3600.0, o.graceful_shutdown_timeout, "a number of seconds in 0..3600");
                 }});
    f.push_back({{"--random-seed"}, true, "INT", "seed of the requests that bring none (default: random)",
                 [](Opt &o, Name n, Value v) {
                     uint64_t s = 0;
                     if (Status st = parse_int<uint64_t>(n, v, 0, UINT64_MAX, s, "an integer >= 0"); !st.ok()) return st;
                     o.random_seed = s;
                     return Status();
                 }});
    return f;
}

const std::vector<Flag> &flags() {
    static const std::vector<Flag> table = build_flags();
    return table;
}

const Flag *find_flag(std::string_view name) {
    for (const Flag &flag : flags()) {
        for (std::string_view n : flag.names) {
            if (n == name) return &flag;
        }
    }
    return nullptr;
}

Status validate(ServeOptions &o) {
    if (o.model_path.empty()) {
        return Status::error("--model-path is required: the folder holding config.json, *.safetensors and tokenizer.json");
    }
    if (o.device.empty()) o.device = build_has_cuda() ? "cuda" : "cpu";
    if (o.node_rank >= o.nnodes) {
        return Status::error("--node-rank " + std::to_string(o.node_rank) + " must be below --nnodes " +
                             std::to_string(o.nnodes));
    }
    if (auto layout = dist::ParallelLayout::from_flags(o.tp, o.nnodes, o.node_rank); !layout.ok()) {
        return layout.status();
    }
    if (o.nnodes > 1 && o.dist_init_addr.empty()) {
        return Status::error("--nnodes " + std::to_string(o.nnodes) +
                             " needs --dist-init-addr HOST:PORT (the rank-0 node's rendezvous address)");
    }
    return {};
}

} // namespace

bool build_has_cuda() {
#ifdef SLIPWAY_ENGINE_HAS_CUDA
    return true;
#else
    return false;
#endif
}

StatusOr<ServeCommand> parse_serve_args(const std::vector<std::string> &args) {
    ServeCommand cmd;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string &arg = args[i];
        if (arg == "--help" || arg == "-h") {
            cmd.kind = ServeCommand::Kind::help;
            return cmd;
        }
        if (arg == "--version") {
            cmd.kind = ServeCommand::Kind::version;
            return cmd;
        }
        if (arg.rfind("--", 0) != 0) {
            return Status::error("unexpected argument '" + arg + "': flags start with -- (see --help)");
        }
        const auto eq = arg.find('=');
        const std::string name = arg.substr(0, eq);
        const Flag *flag = find_flag(name);
        if (flag == nullptr) {
            return Status::error("unknown flag " + name + " (see slipway-engine --help for the flags it accepts)");
        }
        std::string value;
        if (flag->takes_value) {
            if (eq != std::string::npos) {
                value = arg.substr(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args[++i];
            } else {
                return Status::error(name + " needs a value (" + std::string(flag->value_help) + ")");
            }
        } else if (eq != std::string::npos) {
            const std::string v = arg.substr(eq + 1);
            if (v == "false" || v == "0") continue;  // --flag=false: keep the default (off)
            if (v != "true" && v != "1") {
                return Status::error(name + " is a switch: give it alone, or as " + name + "=true / " + name + "=false");
            }
        }
        if (Status s = flag->apply(cmd.options, name, value); !s.ok()) return s;
    }
    if (Status s = validate(cmd.options); !s.ok()) return s;
    return cmd;
}

std::string serve_usage() {
    std::string out =
        "Usage: slipway-engine [serve] --model-path DIR [flags]\n"
        "       slipway-engine tokenize --model-path DIR [--chat]\n"
        "       slipway-engine make-model --config CONFIG.json --tokenizer-from DIR --out DIR [--seed N] "
        "[--dtype bf16|fp16|fp32]\n"
        "       slipway-engine --version\n\n"
        "Serves a Hugging Face model over the OpenAI API (/v1/completions, /v1/chat/completions, /v1/models)\n"
        "and SGLang's (/generate, /get_model_info, /health, /health_generate, /metrics). The flags are\n"
        "SGLang's, with the same meanings and defaults. Flags take `--flag VALUE` or `--flag=VALUE`.\n\n"
        "Serve flags:\n";
    for (const Flag &flag : flags()) {
        std::string line = "  ";
        for (size_t i = 0; i < flag.names.size(); ++i) {
            if (i > 0) line += ", ";
            line += flag.names[i];
        }
        if (flag.takes_value) line += " " + std::string(flag.value_help);
        if (line.size() < 34) line.resize(34, ' ');
        else line += "\n" + std::string(34, ' ');
        out += line + std::string(flag.help) + "\n";
    }
    out += "  --help                          this text\n"
           "  --version                       print the version\n";
    return out;
}

} // namespace slipway::engine
