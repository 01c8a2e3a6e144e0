#include "slipway_version.h"
#include "server/serving_engine.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "cpu/cpu_model_runner.h"
#include "model/model_loader.h"
#include "server/scheduling_defaults.h"
#ifdef SLIPWAY_ENGINE_HAS_CUDA
#include "cuda/cuda_runner.h"
#include "cuda/tp_runner.h"
#endif

namespace slipway::engine {
namespace {

// Physical memory of this machine in bytes (0 when unknown).
int64_t host_memory_bytes() {
    std::ifstream in("/proc/meminfo");
    std::string key;
    int64_t kib = 0;
    std::string unit;
    while (in >> key >> kib >> unit) {
        if (key == "MemTotal:") return kib * 1024;
    }
    return 0;
}

std::string gib(int64_t bytes) {
    std::ostringstream s;
    s.precision(2);
    s << std::fixed << static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0) << " GiB";
    return s.str();
}

// The CPU backend's KV pool in tokens. --max-total-tokens wins; else --mem-fraction-static of
// the host's memory minus the weights (widened to fp32); without either, a quarter of the host's
// memory, capped at 16 full contexts (a CPU serves few sequences at once).
StatusOr<int64_t> cpu_pool_tokens(const ServeOptions &o, const LoadedModel &model, int64_t context_len) {
    if (o.max_total_tokens > 0) return o.max_total_tokens;
    int64_t weight_bytes = 0;
    for (const auto &[name, view] : model.weights->tensors()) weight_bytes += view.numel() * 4;
    const int64_t per_token = cpu_kv_bytes_per_token(model.config);
    const int64_t host = host_memory_bytes();
    if (host <= 0) {
        return Status::error("cannot read this machine's memory size from /proc/meminfo; set --max-total-tokens");
    }
    const double fraction = o.mem_fraction_static.value_or(0.25);
    const int64_t budget = static_cast<int64_t>(fraction * static_cast<double>(host)) - weight_bytes;
    if (budget < per_token * 2) {
        return Status::error("--mem-fraction-static " + std::to_string(fraction) + " of " + gib(host) +
                             " leaves no room for the KV cache after the weights (" + gib(weight_bytes) +
                             " in fp32); raise --mem-fraction-static or set --max-total-tokens");
    }
    int64_t tokens = budget / per_token;
    if (!o.mem_fraction_static) tokens = std::min(tokens, context_len * 16);
    return tokens;
}

// SGLang's default --mem-fraction-static for one GPU (server_args.py: 0.88 at tp 1; larger tp
// sizes reserve more for communication buffers, which one process here does not need).
constexpr double kCudaDefaultMemFraction = 0.88;

// --random-weights draws the same weights on every start (bench's default seed); with --tp each
// rank draws its shard of the same TP 1 model.
constexpr uint64_t kRandomWeightsSeed = 1;

// The runner for --device: the CPU backend, or the CUDA backend where this build has it. The
// CUDA runner sizes its KV pool as SGLang does: weights + activations + pool within
// --mem-fraction-static of the GPU's memory (or exactly --max-total-tokens when given), captures
// the decode graphs up to --cuda-graph-max-bs, and only then returns, so /health_generate turns
// 200 after capture.
StatusOr<std::unique_ptr<ModelRunner>> make_runner(const ServeOptions &options,
                                                   std::shared_ptr<const LoadedModel> model, int64_t ctx,
                                                   const std::function<void(const std::string &)> &log,
                                                   const dist::TensorParallelSetup *tp) {
    if (options.device == "cuda") {
#ifdef SLIPWAY_ENGINE_HAS_CUDA
        const CudaRunnerOptions ro = cuda_runner_options(options, ctx);
        if (tp != nullptr && tp->layout.world_size > 1) {
            log("CUDA backend, " + tp->layout.describe() + ": loading this node's shards, joining NCCL, sizing the "
                "KV pool (--mem-fraction-static " + std::to_string(ro.mem_fraction_static) + ")");
            const CudaTpOptions to{tp->layout, tp->nccl_id, ro};
            auto runner = options.random_weights
                              ? create_cuda_tp_runner_random(model->config, to, kRandomWeightsSeed, tp->remote_sink)
                              : create_cuda_tp_runner(std::move(model), to, tp->remote_sink);
            if (!runner.ok()) return runner.status();
            log(runner.value()->report().summary());
            return std::unique_ptr<ModelRunner>(std::move(runner).value());
        }
        log(std::string("CUDA backend: ") + (options.random_weights ? "drawing random weights" : "uploading weights") +
            ", sizing the KV pool (--mem-fraction-static " + std::to_string(ro.mem_fraction_static) +
            ") and capturing decode graphs");
        auto runner = options.random_weights ? create_cuda_runner_random(model->config, ro, kRandomWeightsSeed)
                                             : create_cuda_runner(std::move(model), ro);
        if (!runner.ok()) return runner.status();
        log(runner.value()->report().summary());
        return std::unique_ptr<ModelRunner>(std::move(runner).value());
#else
        (void)model;
        (void)ctx;
        (void)log;
        (void)tp;
        return Status::error("--device cuda: this build of slipway-engine has no CUDA backend (it was built "
                             "without a CUDA compiler); run with --device cpu (exact but slow) or use a CUDA build");
#endif
    }
    auto pool_tokens = cpu_pool_tokens(options, *model, ctx);
    if (!pool_tokens.ok()) return pool_tokens.status();
    CpuRunnerOptions runner_options;
    runner_options.page_size = options.page_size;
    runner_options.num_pages = (pool_tokens.value() + options.page_size - 1) / options.page_size;
    runner_options.num_threads = options.threads;
    runner_options.max_context_len = ctx;
    auto runner = CpuModelRunner::create(std::move(model), runner_options);
    if (!runner.ok()) return runner.status();
    return std::unique_ptr<ModelRunner>(std::move(runner).value());
}

// Memory of the device the runner computes on (per GPU), 0 when unknown or the CPU.
int64_t device_memory_bytes(const ModelRunner &runner) {
#ifdef SLIPWAY_ENGINE_HAS_CUDA
    if (const auto *cuda = dynamic_cast<const CudaRunner *>(&runner)) return cuda->report().total_memory_bytes;
#endif
    (void)runner;
    return 0;
}

} // namespace

#ifdef SLIPWAY_ENGINE_HAS_CUDA
CudaRunnerOptions cuda_runner_options(const ServeOptions &options, int64_t ctx) {
    CudaRunnerOptions ro;
    ro.mem_fraction_static = options.mem_fraction_static.value_or(kCudaDefaultMemFraction);
    ro.page_size = options.page_size;
    ro.cuda_graph_max_bs = options.cuda_graph_max_bs;
    ro.disable_cuda_graph = options.disable_cuda_graph;
    ro.max_context_len = ctx;
    if (options.max_total_tokens > 0) ro.num_pages = (options.max_total_tokens + options.page_size - 1) / options.page_size;
    if (options.chunked_prefill_size > 0)
        ro.max_tokens_per_step = std::max(ro.max_tokens_per_step, options.chunked_prefill_size);
    return ro;
}
#endif

const char *engine_version() {
    return SLIPWAY_VERSION_FULL; // project version + git describe, shared by every Slipway binary
}

ServingEngine::~ServingEngine() {
    if (scheduler_) scheduler_->shutdown(std::chrono::milliseconds(0));
}

StatusOr<std::unique_ptr<ServingEngine>> ServingEngine::create(const ServeOptions &options,
                                                               const std::function<void(const std::string &)> &log,
                                                               const dist::TensorParallelSetup *tp) {
#ifndef SLIPWAY_ENGINE_HAS_CUDA
    if (options.device == "cuda") {
        return Status::error("--device cuda: this build of slipway-engine has no CUDA backend (it was built "
                             "without a CUDA compiler); run with --device cpu (exact but slow) or use a CUDA build");
    }
#endif
    // --tp / --nnodes > 1 run through a tensor-parallel group (server/dist_node.h) that made `tp`.
    if (options.dp != 1 || ((options.tp != 1 || options.nnodes != 1) && tp == nullptr)) {
        return Status::error("--tp " + std::to_string(options.tp) + " --dp " + std::to_string(options.dp) +
                             " --nnodes " + std::to_string(options.nnodes) + ": the " + options.device +
                             " backend runs one model replica on one device in one process; use --tp 1 --dp 1 --nnodes 1");
    }
    std::unique_ptr<ServingEngine> engine(new ServingEngine());
    engine->options_ = options;

    // Worker nodes read their shards from the folder, so random weights stay on one node.
    if (options.random_weights && (options.device != "cuda" || options.nnodes != 1)) {
        return Status::error("--random-weights is a benchmark mode of the CUDA backend on one node: use it with "
                             "--device cuda --nnodes 1 (any --tp), or drop it to serve the folder's safetensors");
    }
    auto model = options.random_weights ? load_model_shape(options.model_path) : load_model(options.model_path);
    if (!model.ok()) return model.status();
    engine->model_ = model.value();
    const ModelConfig &config = engine->model_->config;
    engine->architecture_ = config.architecture_name;
    log("loaded " + options.model_path + " (" + config.architecture_name + ", " + std::to_string(config.num_layers) +
        " layers, hidden " + std::to_string(config.hidden_size) + ", vocab " + std::to_string(config.vocab_size) + ")");

    const std::string tokenizer_dir = options.tokenizer_path.empty() ? options.model_path : options.tokenizer_path;
    auto tokenizer = Tokenizer::load(tokenizer_dir);
    if (!tokenizer.ok()) return tokenizer.status();
    engine->tokenizer_ = std::move(tokenizer).value();
    if (engine->tokenizer_.vocab_size() > config.vocab_size) {
        return Status::error(tokenizer_dir + "/tokenizer.json has ids up to " +
                             std::to_string(engine->tokenizer_.vocab_size() - 1) + " but config.json's vocab_size is " +
                             std::to_string(config.vocab_size) + "; the tokenizer does not belong to this model");
    }
    // A model without a chat template still serves completions; chat requests get a 400 that
    // says why. A template that exists but does not parse stops the start-up.
    auto source = read_chat_template(tokenizer_dir);
    if (source.ok()) {
        auto tmpl = ChatTemplate::parse(source->source);
        if (!tmpl.ok()) return Status::error(tokenizer_dir + ": the chat template does not parse: " + tmpl.message());
        engine->chat_template_.emplace(std::move(tmpl).value());
        engine->template_bos_ = source->bos_token;
        engine->template_eos_ = source->eos_token;
    } else {
        engine->chat_template_error_ = source.message();
        log("chat disabled: " + source.message());
    }

    const int64_t model_ctx = config.max_position_embeddings;
    const int64_t ctx = options.context_length > 0 ? options.context_length : model_ctx;
    if (options.context_length > model_ctx) {
        return Status::error("--context-length " + std::to_string(options.context_length) + " exceeds the model's " +
                             std::to_string(model_ctx) + " positions (config.json max_position_embeddings); lower it");
    }
    auto runner = make_runner(options, engine->model_, ctx, log, tp);
    if (!runner.ok()) return runner.status();
    engine->runner_ = std::move(runner).value();

    SchedulerConfig sc;
    sc.max_running_requests = options.max_running_requests;
    sc.chunked_prefill_size = options.chunked_prefill_size != 0
                                  ? options.chunked_prefill_size
                                  : default_chunked_prefill_size(options.device, device_memory_bytes(*engine->runner_));
    sc.enable_mixed_chunk = options.enable_mixed_chunk;
    sc.num_continuous_decode_steps = options.num_continuous_decode_steps;
    sc.overlap_schedule = !options.disable_overlap_schedule;
    sc.max_prefill_tokens = options.max_prefill_tokens;
    sc.context_length = options.context_length;
    sc.disable_radix_cache = options.disable_radix_cache;
    std::vector<int32_t> eos = engine->tokenizer_.eos_token_ids();
    for (int64_t id : engine->model_->generation.eos_token_ids) {
        if (std::find(eos.begin(), eos.end(), id) == eos.end()) eos.push_back(static_cast<int32_t>(id));
    }
    for (int64_t id : config.eos_token_ids) {
        if (std::find(eos.begin(), eos.end(), id) == eos.end()) eos.push_back(static_cast<int32_t>(id));
    }
    sc.eos_token_ids = eos;
    const Tokenizer tok = engine->tokenizer_;  // shares the tables
    sc.decode = [tok](const std::vector<int32_t> &ids) { return tok.decode(ids, true); };
    auto scheduler = Scheduler::create(*engine->runner_, std::move(sc));
    if (!scheduler.ok()) return scheduler.status();
    engine->scheduler_ = std::move(scheduler).value();

    const GenerationDefaults &g = engine->model_->generation;
    if (g.temperature) engine->defaults_.temperature = static_cast<float>(*g.temperature);
    if (g.top_p) engine->defaults_.top_p = static_cast<float>(*g.top_p);
    if (g.top_k) engine->defaults_.top_k = static_cast<int32_t>(*g.top_k);
    if (g.min_p) engine->defaults_.min_p = static_cast<float>(*g.min_p);
    if (g.repetition_penalty) engine->defaults_.repetition_penalty = static_cast<float>(*g.repetition_penalty);

    log("scheduling: " + describe_schedule(engine->scheduler_->config(), engine->scheduler_->overlap()));
    const RunnerInfo info = engine->scheduler_->runner_info();
    log("KV cache: " + std::to_string(info.num_pages * info.page_size) + " tokens (" +
        std::to_string(info.num_pages) + " pages of " + std::to_string(info.page_size) + ", " +
        gib(info.num_pages * info.page_size * info.kv_bytes_per_token) +
        (info.kv_devices > 1 ? " over " + std::to_string(info.kv_devices) + " GPUs" : std::string()) +
        "), context length " +
        std::to_string(engine->scheduler_->context_length()) + ", max running requests " +
        std::to_string(engine->scheduler_->max_running_requests()));
    return engine;
}

int64_t ServingEngine::kv_pool_tokens() const {
    const RunnerInfo &info = scheduler_->runner_info();
    return info.num_pages * info.page_size;
}

std::optional<uint64_t> ServingEngine::next_default_seed() {
    if (!options_.random_seed) return std::nullopt;
    // splitmix64 of (seed, counter): distinct, reproducible seeds for one server run.
    uint64_t z = *options_.random_seed + 0x9E3779B97F4A7C15ull * (seed_counter_.fetch_add(1) + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void ServingEngine::shutdown(std::chrono::milliseconds grace) {
    if (scheduler_) scheduler_->shutdown(grace);
}

} // namespace slipway::engine
