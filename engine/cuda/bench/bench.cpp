#include "cuda/bench/bench.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "cuda/bandwidth.h"
#include "cuda/cuda_runner.h"
#include "cuda/nccl_group.h"
#include "cuda/peer_timing.h"
#include "cuda/tp_runner.h"
#include "model/model_config.h"

namespace slipway::engine {

namespace {

using Clock = std::chrono::steady_clock;

struct BenchOptions {
    std::string config;
    bool random_weights = false;
    std::vector<int> batches{1, 8, 32, 64, 128, 256};
    std::vector<int> prompts{1024, 4096};
    int ctx = 1024;
    int steps = 64;
    bool profile = false;
    bool show_tuning = false;
    double mem_fraction = 0.85;
    int page_size = 16;
    int graph_max_bs = 256;
    bool disable_graph = false;
    int tp = 1;
    double temperature = 0;  // > 0: decode steps sample (forward_sample) instead of greedy
    double top_p = 1;
    std::string json_path;
};

const char *kUsage =
    "usage: slipway-engine bench --config PATH/config.json --random-weights [options]\n"
    "  --batches 1,8,32,64,128,256   decode batch sizes\n"
    "  --ctx N                       context length of each sequence when decode timing starts (1024)\n"
    "  --steps N                     timed decode steps per batch size (64)\n"
    "  --prompts 1024,4096           prefill prompt lengths (time to first token)\n"
    "  --mem-fraction-static F       (0.85)   --page-size N (16)\n"
    "  --cuda-graph-max-bs N (256)   --disable-cuda-graph\n"
    "  --tp N                        tensor parallelism over N local GPUs (1); also times the\n"
    "                                all-reduce of hidden_size x batch bf16 alone\n"
    "  --json FILE                   also write the results as JSON\n"
    "  --profile                     also time each op of one decode step per batch size (CUDA events)\n"
    "  --show-tuning                 print the GEMM kernel autotuning picked for each decode shape\n"
    "  --temperature T [--top-p P]   decode steps sample (penalties + top-p sampler) instead of greedy\n";

std::vector<int> parse_list(const std::string &s) {
    std::vector<int> out;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ',')) out.push_back(std::stoi(item));
    return out;
}

bool parse(int argc, char **argv, BenchOptions &o, std::string &error) {
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&](std::string &v) {
            if (i + 1 >= argc) { error = a + " needs a value"; return false; }
            v = argv[++i];
            return true;
        };
        std::string v;
        try {
            if (a == "--config") { if (!next(o.config)) return false; }
            else if (a == "--random-weights") o.random_weights = true;
            else if (a == "--batches") { if (!next(v)) return false; o.batches = parse_list(v); }
            else if (a == "--prompts") { if (!next(v)) return false; o.prompts = parse_list(v); }
            else if (a == "--ctx") { if (!next(v)) return false; o.ctx = std::stoi(v); }
            else if (a == "--steps") { if (!next(v)) return false; o.steps = std::stoi(v); }
            else if (a == "--mem-fraction-static") { if (!next(v)) return false; o.mem_fraction = std::stod(v); }
            else if (a == "--page-size") { if (!next(v)) return false; o.page_size = std::stoi(v); }
            else if (a == "--cuda-graph-max-bs") { if (!next(v)) return false; o.graph_max_bs = std::stoi(v); }
            else if (a == "--disable-cuda-graph") o.disable_graph = true;
            else if (a == "--tp") { if (!next(v)) return false; o.tp = std::stoi(v); }
            else if (a == "--profile") o.profile = true;
            else if (a == "--temperature") { if (!next(v)) return false; o.temperature = std::stod(v); }
            else if (a == "--top-p") { if (!next(v)) return false; o.top_p = std::stod(v); }
            else if (a == "--show-tuning") o.show_tuning = true;
            else if (a == "--json") { if (!next(o.json_path)) return false; }
            else if (a == "--help" || a == "-h") { error.clear(); return false; }
            else { error = "unknown option " + a; return false; }
        } catch (const std::exception &) {
            error = a + ": '" + v + "' is not a number (or list of numbers)";
            return false;
        }
    }
    if (o.config.empty()) { error = "--config is required"; return false; }
    if (!o.random_weights) {
        error = "only --random-weights is supported: the benchmark measures speed, not output quality";
        return false;
    }
    if (o.ctx < 1 || o.steps < 1) { error = "--ctx and --steps must be at least 1"; return false; }
    if (o.tp < 1) { error = "--tp must be at least 1"; return false; }
    if (!(o.temperature >= 0) || !(o.top_p > 0 && o.top_p <= 1)) {
        error = "--temperature must be >= 0 (0: greedy) and --top-p in (0, 1]";
        return false;
    }
    return true;
}

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// The all-reduce after each row-parallel layer, alone: hidden_size x batch bf16 over o.tp GPUs,
// in a CUDA graph (as decode runs it) and eagerly; 2 per layer + 1 (embedding) per decode step.
bool time_all_reduce(const BenchOptions &o, const ModelConfig &c, nlohmann::json &out) {
    std::vector<size_t> sizes;
    for (int b : o.batches) sizes.push_back(static_cast<size_t>(b) * static_cast<size_t>(c.hidden_size));
    auto t = cuda::time_nccl_all_reduce(o.tp, sizes, 200);
    if (!t.ok()) {
        std::fprintf(stderr, "all-reduce timing: %s\n", t.message().c_str());
        return false;
    }
    const int64_t per_step = 2 * c.num_layers + 1;
    std::printf("NCCL %s all-reduce, tp %d, bf16 in place (%lld per decode step):\n", cuda_nccl_version().c_str(),
                o.tp, static_cast<long long>(per_step));
    std::printf("%6s %10s %10s %10s %16s\n", "batch", "KiB", "graph us", "eager us", "per step ms (graph)");
    for (size_t i = 0; i < t->size(); ++i) {
        const cuda::AllReduceTiming &r = t.value()[i];
        std::printf("%6d %10.1f %10.2f %10.2f %16.3f\n", o.batches[i], r.elements * 2 / 1024.0, r.graph_us, r.eager_us,
                    r.graph_us * static_cast<double>(per_step) / 1e3);
        out.push_back({{"batch", o.batches[i]}, {"bytes", r.elements * 2}, {"graph_us", r.graph_us},
                       {"eager_us", r.eager_us}, {"per_step_ms", r.graph_us * static_cast<double>(per_step) / 1e3}});
    }
    // The peer-memory path the runner takes on one node (SLIPWAY_PEER_ALL_REDUCE=0 turns it off).
    std::vector<int> rows;
    for (int b : o.batches) rows.push_back(b);
    auto p = cuda::time_peer_all_reduce(o.tp, static_cast<int>(c.hidden_size), rows, 200);
    if (!p.ok()) {
        std::printf("peer all-reduce: not timed (%s)\n\n", p.message().c_str());
        return true;
    }
    std::printf("\npeer-memory all-reduce fused with add + RMSNorm, tp %d (graph):\n", o.tp);
    std::printf("%6s %10s %10s %18s %16s\n", "batch", "push us", "pull us", "add+norm alone us", "per step ms");
    for (size_t i = 0; i < p->size(); ++i) {
        const cuda::PeerAllReduceTiming &r = p.value()[i];
        std::printf("%6d %10.2f %10.2f %18.2f %16.3f\n", r.rows, r.fused_us, r.pull_us, r.norm_only_us,
                    r.fused_us * static_cast<double>(per_step) / 1e3);
        out[i]["peer_fused_us"] = r.fused_us;
        out[i]["peer_pull_us"] = r.pull_us;
        out[i]["add_rmsnorm_alone_us"] = r.norm_only_us;
    }
    std::printf("\n");
    return true;
}

} // namespace

int run_bench_command(int argc, char **argv) {
    BenchOptions o;
    std::string error;
    if (!parse(argc, argv, o, error)) {
        if (!error.empty()) std::fprintf(stderr, "%s: %s\n", argv[0], error.c_str());
        std::fputs(kUsage, error.empty() ? stdout : stderr);
        return error.empty() ? 0 : 2;
    }
    std::string config_path = o.config;
    if (config_path.size() < 5 || config_path.substr(config_path.size() - 5) != ".json") config_path += "/config.json";
    auto config = load_model_config(config_path);
    if (!config.ok()) {
        std::fprintf(stderr, "%s\n", config.message().c_str());
        return 1;
    }
    const ModelConfig &c = config.value();

    auto bw = measure_bandwidth(0, size_t{4} << 30, 20);
    if (!bw.ok()) {
        std::fprintf(stderr, "bandwidth: %s\n", bw.message().c_str());
        return 1;
    }
    const int max_prompt = o.prompts.empty() ? 0 : *std::max_element(o.prompts.begin(), o.prompts.end());
    CudaRunnerOptions ro;
    ro.mem_fraction_static = o.mem_fraction;
    ro.page_size = o.page_size;
    ro.cuda_graph_max_bs = o.graph_max_bs;
    ro.disable_cuda_graph = o.disable_graph;
    ro.max_context_len = std::max<int64_t>(o.ctx + o.steps + 8, max_prompt + 8);
    ro.max_tokens_per_step = std::max(8192, max_prompt);
    nlohmann::json all_reduce = nlohmann::json::array();
    if (o.tp > 1) {
        setenv("NCCL_NVLS_ENABLE", "0", 0);  // NVLink multicast stays off unless the environment says otherwise
        if (!time_all_reduce(o, c, all_reduce)) return 1;
    }
    const auto t_create = Clock::now();
    StatusOr<std::unique_ptr<CudaRunner>> runner_or = Status::error("no runner");
    if (o.tp == 1) {
        runner_or = create_cuda_runner_random(c, ro, 1234);
    } else {
        auto id = cuda_nccl_unique_id();
        if (!id.ok()) {
            std::fprintf(stderr, "%s\n", id.message().c_str());
            return 1;
        }
        CudaTpOptions to;
        to.layout.world_size = o.tp;
        to.layout.gpus_per_node = o.tp;
        to.nccl_id = id.value();
        to.runner = ro;
        runner_or = create_cuda_tp_runner_random(c, to, 1234, {});
    }
    if (!runner_or.ok()) {
        std::fprintf(stderr, "%s\n", runner_or.message().c_str());
        return 1;
    }
    CudaRunner &runner = *runner_or.value();
    const double create_s = seconds_since(t_create);
    const CudaRunnerReport &rep = runner.report();
    std::printf("%s\n(start-up %.1f s)\n", rep.summary().c_str(), create_s);
    if (o.show_tuning)
        for (const std::string &line : rep.gemm_tuning) std::printf("  tuned %s\n", line.c_str());

    const double bw_bytes = bw->read_gbs * 1e9;
    const int ps = o.page_size;
    std::mt19937 rng(7);
    std::uniform_int_distribution<int32_t> tok(0, static_cast<int32_t>(c.vocab_size - 1));
    nlohmann::json out;
    out["device"] = rep.device_name;
    out["config"] = o.config;
    out["shape"] = {{"hidden", c.hidden_size}, {"layers", c.num_layers}, {"heads", c.num_heads},
                    {"kv_heads", c.num_kv_heads}, {"intermediate", c.intermediate_size}, {"vocab", c.vocab_size}};
    out["weights_bytes"] = rep.weights_bytes;
    out["decode_weight_read_bytes"] = rep.decode_read_bytes;
    out["kv_bytes_per_token"] = rep.kv_bytes_per_token;
    out["kv_pool_tokens"] = rep.kv_pool_tokens;
    out["read_bandwidth_gbs"] = bw->read_gbs;
    out["copy_bandwidth_gbs"] = bw->copy_gbs;
    out["cuda_graphs"] = !o.disable_graph;
    out["decode_context"] = o.ctx;
    out["tp"] = o.tp;
    if (o.tp > 1) out["all_reduce"] = all_reduce;

    std::printf("\nGPU read bandwidth %.0f GB/s (copy %.0f GB/s read+write)\n", bw->read_gbs, bw->copy_gbs);
    std::printf("weights %.2f GB; a decode step reads %.2f GB of weights + %lld B of KV per context token\n",
                rep.weights_bytes / 1e9, rep.decode_read_bytes / 1e9, static_cast<long long>(rep.kv_bytes_per_token));
    if (o.temperature > 0)
        std::printf("\ndecode steps sample: temperature %g, top-p %g (penalties + sampler after the logits)",
                    o.temperature, o.top_p);
    std::printf("\n%6s %10s %12s %12s %12s %8s\n", "batch", "step ms", "tok/s", "ceiling", "of ceiling", "GB/s");
    nlohmann::json decode = nlohmann::json::array();
    for (int B : o.batches) {
        const int64_t len = o.ctx + o.steps + 4;
        const int64_t pages_per = (len + ps - 1) / ps;
        if (B * pages_per > rep.num_pages) {
            std::printf("%6d  skipped: needs %lld KV pages, the pool has %lld\n", B,
                        static_cast<long long>(B * pages_per), static_cast<long long>(rep.num_pages));
            continue;
        }
        ForwardBatch batch;
        batch.seqs.resize(static_cast<size_t>(B));
        for (int i = 0; i < B; ++i) {
            SequenceSlice &s = batch.seqs[static_cast<size_t>(i)];
            s.query_start = i;
            s.query_len = 1;
            s.context_len = o.ctx;  // the cache holds o.ctx earlier positions (their content is irrelevant here)
            s.page_table.resize(static_cast<size_t>(pages_per));
            for (int64_t p = 0; p < pages_per; ++p) s.page_table[static_cast<size_t>(p)] = static_cast<int32_t>(i * pages_per + p);
            batch.token_ids.push_back(tok(rng));
        }
        std::vector<int32_t> next;
        std::vector<DeviceSampling> sampling;
        std::uniform_real_distribution<double> draw(0.0, 1.0);
        auto step = [&]() -> bool {
            Status st;
            if (o.temperature > 0) {
                sampling.assign(static_cast<size_t>(B), DeviceSampling{});
                for (DeviceSampling &d : sampling) {
                    d.temperature = static_cast<float>(o.temperature);
                    d.top_p = static_cast<float>(o.top_p);
                    d.uniform = draw(rng);
                }
                st = runner.forward_sample(batch, sampling, next);
            } else {
                st = runner.forward_greedy(batch, next);
            }
            if (!st.ok()) { std::fprintf(stderr, "decode batch %d: %s\n", B, st.message().c_str()); return false; }
            for (int i = 0; i < B; ++i) {
                batch.token_ids[static_cast<size_t>(i)] = next[static_cast<size_t>(i)];
                ++batch.seqs[static_cast<size_t>(i)].context_len;
            }
            return true;
        };
        bool ok = true;
        for (int w = 0; w < 3 && ok; ++w) ok = step();
        const auto t0 = Clock::now();
        for (int s = 0; s < o.steps && ok; ++s) ok = step();
        if (!ok) return 1;
        const double t = seconds_since(t0);
        const double step_s = t / o.steps;
        const double avg_ctx = o.ctx + 3 + o.steps / 2.0 + 1;
        const double bytes = static_cast<double>(rep.decode_read_bytes) + B * avg_ctx * rep.kv_bytes_per_token;
        const double ceiling = B * bw_bytes / bytes;
        const double tps = B / step_s;
        std::printf("%6d %10.3f %12.1f %12.1f %11.1f%% %8.0f\n", B, step_s * 1e3, tps, ceiling, 100 * tps / ceiling,
                    bytes / step_s / 1e9);
        nlohmann::json row = {{"batch", B}, {"step_ms", step_s * 1e3}, {"tokens_per_s", tps}, {"ceiling_tokens_per_s", ceiling},
                              {"bytes_per_step", bytes}, {"fraction_of_ceiling", tps / ceiling}};
        if (o.profile) {
            auto prof = runner.profile_decode_step(batch);
            if (!prof.ok()) {
                std::fprintf(stderr, "profile batch %d: %s\n", B, prof.message().c_str());
                return 1;
            }
            nlohmann::json pj = nlohmann::json::array();
            std::string line = "         profile (eager, ms):";
            for (const OpProfile &p : prof.value()) {
                char buf[96];
                std::snprintf(buf, sizeof buf, " %s %.3f", p.op.c_str(), p.ms);
                line += buf;
                pj.push_back({{"op", p.op}, {"ms", p.ms}, {"count", p.count}});
            }
            std::printf("%s\n", line.c_str());
            row["profile"] = pj;
        }
        decode.push_back(row);
    }
    out["decode"] = decode;
    out["decode_sampling"] = {{"temperature", o.temperature}, {"top_p", o.top_p}};

    std::printf("\n%8s %10s %14s\n", "prompt", "TTFT ms", "prefill tok/s");
    nlohmann::json prefill = nlohmann::json::array();
    for (int P : o.prompts) {
        const int64_t pages = (P + ps - 1) / ps;
        if (pages > rep.num_pages || P > ro.max_context_len) continue;
        ForwardBatch batch;
        SequenceSlice s;
        s.query_len = P;
        s.page_table.resize(static_cast<size_t>(pages));
        for (int64_t p = 0; p < pages; ++p) s.page_table[static_cast<size_t>(p)] = static_cast<int32_t>(p);
        batch.seqs.push_back(s);
        for (int i = 0; i < P; ++i) batch.token_ids.push_back(tok(rng));
        std::vector<int32_t> next;
        std::vector<double> times;
        for (int r = 0; r < 6; ++r) {
            const auto t0 = Clock::now();
            Status st = runner.forward_greedy(batch, next);
            if (!st.ok()) { std::fprintf(stderr, "prefill %d: %s\n", P, st.message().c_str()); return 1; }
            if (r > 0) times.push_back(seconds_since(t0));  // the first is the warm-up
        }
        std::sort(times.begin(), times.end());
        const double ttft = times[times.size() / 2];
        std::printf("%8d %10.2f %14.0f\n", P, ttft * 1e3, P / ttft);
        prefill.push_back({{"prompt_tokens", P}, {"ttft_ms", ttft * 1e3}, {"tokens_per_s", P / ttft}});
    }
    out["prefill"] = prefill;
    if (!o.json_path.empty()) {
        std::ofstream f(o.json_path);
        f << out.dump(2) << "\n";
        if (!f) {
            std::fprintf(stderr, "cannot write %s\n", o.json_path.c_str());
            return 1;
        }
    }
    return 0;
}

} // namespace slipway::engine
