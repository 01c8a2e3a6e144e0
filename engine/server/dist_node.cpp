#include "server/dist_node.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <pthread.h>
#include <thread>

#include "dist/model_fingerprint.h"
#include "dist/rendezvous.h"
#include "server/api_server.h"
#include "server/http_server.h"
#include "server/serving_engine.h"
#ifdef SLIPWAY_ENGINE_HAS_CUDA
#include "cuda/tp_runner.h"
#include "model/model_loader.h"
#endif

namespace slipway::engine {
namespace {

std::chrono::milliseconds seconds(double s) { return std::chrono::milliseconds(static_cast<int64_t>(s * 1000.0)); }

std::chrono::milliseconds dist_timeout(const ServeOptions &o) {
    return o.dist_timeout ? std::chrono::milliseconds(int64_t{*o.dist_timeout} * 1000)
                          : std::chrono::duration_cast<std::chrono::milliseconds>(dist::kDefaultDistTimeout);
}

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

StatusOr<dist::Hello> own_hello(const ServeOptions &options, int node_rank) {
    auto model = dist::fingerprint_model(options.model_path);
    if (!model.ok()) return model.status();
    dist::Hello h;
    h.slipway_version = engine_version();
    h.node_rank = node_rank;
    h.flags = dist_flag_set(options);
    h.model = std::move(model).value();
    return h;
}

StatusOr<dist::RendezvousOptions> rendezvous_options(const ServeOptions &options) {
    dist::RendezvousOptions r;
    if (Status s = dist::split_host_port(options.dist_init_addr, r.host, r.port); !s.ok()) return s;
    r.timeout = dist_timeout(options);
    r.log = [](const std::string &line) { log_line(line); };
    return r;
}

} // namespace

dist::FlagSet dist_flag_set(const ServeOptions &o) {
    dist::FlagSet f;
    f.entries = {
        {"--tp", std::to_string(o.tp)},
        {"--nnodes", std::to_string(o.nnodes)},
        {"--device", o.device},
        {"--page-size", std::to_string(o.page_size)},
        {"--context-length", o.context_length > 0 ? std::to_string(o.context_length) : "the model's"},
        {"--max-total-tokens", o.max_total_tokens > 0 ? std::to_string(o.max_total_tokens) : "derived"},
        {"--mem-fraction-static", o.mem_fraction_static ? number(*o.mem_fraction_static) : "default"},
        {"--chunked-prefill-size", std::to_string(o.chunked_prefill_size)},
        {"--cuda-graph-max-bs", o.cuda_graph_max_bs > 0 ? std::to_string(o.cuda_graph_max_bs) : "derived"},
        {"--disable-cuda-graph", o.disable_cuda_graph ? "true" : "false"},
        {"--dist-timeout", o.dist_timeout ? std::to_string(*o.dist_timeout) : "default"},
        {"--dist-heartbeat-timeout", number(o.dist_heartbeat_timeout)},
        {"--dist-step-timeout", number(o.dist_step_timeout)},
    };
    return f;
}

dist::ChannelOptions dist_channel_options(const ServeOptions &o) {
    dist::ChannelOptions c;
    c.heartbeat_timeout = seconds(o.dist_heartbeat_timeout);
    c.heartbeat_interval = std::min(std::chrono::milliseconds(1000), c.heartbeat_timeout / 3);
    c.step_timeout = seconds(o.dist_step_timeout);
    c.ready_timeout = dist_timeout(o);
    c.log = [](const std::string &line) { log_line(line); };
    return c;
}

Status check_tensor_parallel_support(const ServeOptions &o) {
    if (!build_has_cuda() || o.device != "cuda") {
        return Status::error("--tp " + std::to_string(o.tp) + (o.nnodes > 1 ? " --nnodes " + std::to_string(o.nnodes) : "") +
                             ": tensor parallelism needs the CUDA backend (--device cuda)" +
                             (build_has_cuda() ? "" : ", and this build of slipway-engine has none"));
    }
    return {};
}

TensorParallelLeader::~TensorParallelLeader() = default;

StatusOr<std::unique_ptr<TensorParallelLeader>> TensorParallelLeader::start(
    const ServeOptions &options, const std::function<void(const std::string &)> &log, IdSource make_id) {
    auto layout = dist::ParallelLayout::from_flags(options.tp, options.nnodes, options.node_rank);
    if (!layout.ok()) return layout.status();
    if (!make_id) {
#ifdef SLIPWAY_ENGINE_HAS_CUDA
        if (Status s = check_tensor_parallel_support(options); !s.ok()) return s;
        log("tensor parallelism over NCCL " + cuda_nccl_version() + " (NCCL_* environment variables apply, e.g. "
            "NCCL_SOCKET_IFNAME, NCCL_IB_GID_INDEX; NCCL_DEBUG=INFO logs the transports chosen)");
        make_id = [] { return cuda_nccl_unique_id(); };
#else
        return check_tensor_parallel_support(options);
#endif
    }
    log(layout->describe());
    std::unique_ptr<TensorParallelLeader> leader(new TensorParallelLeader());
    leader->setup_.layout = layout.value();
    auto id = make_id();
    if (!id.ok()) return Status::error("creating the NCCL unique id: " + id.message());
    leader->setup_.nccl_id = std::move(id).value();
    if (!layout->multi_node()) return leader;

    auto hello = own_hello(options, 0);
    if (!hello.ok()) return hello.status();
    auto ro = rendezvous_options(options);
    if (!ro.ok()) return ro.status();
    log("model fingerprint: " + hello->model.summary());
    auto listener = dist::RendezvousLeader::listen(ro.value());
    if (!listener.ok()) return listener.status();
    auto links = listener.value()->gather(hello.value(), layout.value(), leader->setup_.nccl_id);
    if (!links.ok()) return links.status();
    std::string joined;
    for (const auto &l : links.value()) joined += (joined.empty() ? "" : ", ") + dist::node_label(layout.value(), l.node_rank) + " at " + l.address;
    log("tensor-parallel group formed: " + joined);
    leader->channel_ = dist::LeaderChannel::start(layout.value(), std::move(links).value(), dist_channel_options(options));
    dist::LeaderChannel *channel = leader->channel_.get();
    leader->setup_.remote_sink = [channel](const dist::StepPlan &plan) { return channel->broadcast(plan); };
    return leader;
}

void TensorParallelLeader::mark_ready() {
    if (channel_) channel_->mark_ready();
}

void TensorParallelLeader::fail(const std::string &message) {
    if (channel_) channel_->fail(message);
}

void TensorParallelLeader::shutdown(std::chrono::milliseconds grace) {
    if (channel_) (void)channel_->shutdown(grace);
}

int run_worker_node(const ServeOptions &options, const WorkerExecutorFactory &make_executor) {
    // SIGTERM/SIGINT (the group is being deleted): leave at once; a rank may sit in a collective.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    std::thread([stop_signals] {
        int sig = 0;
        sigwait(&stop_signals, &sig);
        log_line(std::string("received ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") + ", leaving the group");
        std::fflush(nullptr);
        std::_Exit(0);
    }).detach();

    auto layout = dist::ParallelLayout::from_flags(options.tp, options.nnodes, options.node_rank);
    if (!layout.ok()) {
        std::cerr << "slipway-engine: " << layout.message() << "\n";
        return 2;
    }
    std::atomic<dist::WorkerChannel *> channel{nullptr};
    auto ro = rendezvous_options(options);
    if (!ro.ok()) {
        std::cerr << "slipway-engine: " << ro.message() << "\n";
        return 2;
    }
    const std::string leader_address = options.dist_init_addr;

    auto health = [&](const HttpRequest &req, HttpExchange &ex) {
        if (req.path != "/health" && req.path != "/health_generate") {
            nlohmann::json err = {{"error",
                                   {{"message", "this is node " + std::to_string(options.node_rank) +
                                                    " of a tensor-parallel group; the API is served by node 0 "
                                                    "(the leader, " + leader_address + "'s host)"},
                                    {"type", "not_found"},
                                    {"code", 404}}}};
            ex.respond(404, "application/json", err.dump());
            return;
        }
        nlohmann::json j = {{"node_rank", options.node_rank}, {"leader", leader_address}};
        dist::WorkerChannel *ch = channel.load();
        bool alive = false, serving = false;
        if (ch == nullptr) {
            j["status"] = "waiting_for_leader";
            j["leader_connected"] = false;
            j["serving"] = false;
        } else {
            const dist::WorkerHealth h = ch->health();
            alive = h.leader_connected;
            serving = h.serving;
            j["status"] = !h.failure.empty() ? "failed" : serving ? "serving" : alive ? "loading" : "stopped";
            j["ranks"] = h.ranks;
            j["leader_connected"] = h.leader_connected;
            j["serving"] = h.serving;
            j["last_step"] = h.last_step;
            j["seconds_since_last_step"] = h.seconds_since_last_step < 0 ? nlohmann::json(nullptr)
                                                                         : nlohmann::json(h.seconds_since_last_step);
            j["executing_step"] = h.executing_step;
            if (!h.failure.empty()) j["failure"] = h.failure;
        }
        const bool ok = req.path == "/health" ? alive : serving;
        ex.respond(ok ? 200 : 503, "application/json", j.dump());
    };
    HttpServerOptions http_options;
    http_options.host = options.host;
    http_options.port = static_cast<uint16_t>(options.port);
    auto http = HttpServer::start(http_options, health);
    if (!http.ok()) {
        std::cerr << "slipway-engine: " << http.message() << "\n";
        return 1;
    }
    log_line("listening on http://" + options.host + ":" + std::to_string(http.value()->port()) +
             " (worker node: /health and /health_generate only)");
    log_line(layout->describe());

    auto hello = own_hello(options, options.node_rank);
    if (!hello.ok()) {
        std::cerr << "slipway-engine: " << hello.message() << "\n";
        return 1;
    }
    log_line("model fingerprint: " + hello->model.summary());
    auto join = dist::rendezvous_worker(ro.value(), hello.value());
    if (!join.ok()) {
        std::cerr << "slipway-engine: " << join.message() << "\n";
        return 1;
    }
    const std::string nccl_id = join->blob;
    auto owned = dist::WorkerChannel::start(layout.value(), std::move(join).value(), dist_channel_options(options));
    channel.store(owned.get());

    auto executor = make_executor(options, layout.value(), nccl_id);
    if (!executor.ok()) {
        owned->fail(dist::node_label(layout.value(), options.node_rank) + " could not start its ranks: " +
                    executor.message());
        return 1;  // reached only when the failure path does not end the process (tests)
    }
    log_line("ready: " + dist::node_label(layout.value(), options.node_rank) + " runs the leader's steps");
    const Status result = owned->run(executor.value());
    if (!result.ok()) return 1;
    http.value()->stop_accepting();
    http.value()->close_all();
    channel.store(nullptr);
    owned.reset();
    log_line("stopped");
    return 0;
}

int run_worker_node(const ServeOptions &options) {
    if (Status s = check_tensor_parallel_support(options); !s.ok()) {
        std::cerr << "slipway-engine: " << s.message() << "\n";
        return 2;
    }
#ifdef SLIPWAY_ENGINE_HAS_CUDA
    log_line("tensor parallelism over NCCL " + cuda_nccl_version() +
             " (NCCL_* environment variables apply; NCCL_DEBUG=INFO logs the transports chosen)");
    return run_worker_node(options, [](const ServeOptions &o, const dist::ParallelLayout &layout,
                                       const std::string &nccl_id) -> StatusOr<WorkerExecutor> {
        auto model = load_model(o.model_path);
        if (!model.ok()) return model.status();
        const int64_t model_ctx = model.value()->config.max_position_embeddings;
        if (o.context_length > model_ctx) {
            return Status::error("--context-length " + std::to_string(o.context_length) + " exceeds the model's " +
                                 std::to_string(model_ctx) + " positions (config.json max_position_embeddings)");
        }
        const int64_t ctx = o.context_length > 0 ? o.context_length : model_ctx;
        log_line("loaded " + o.model_path + "; loading this node's shards and joining NCCL");
        auto worker = create_cuda_tp_worker(model.value(), CudaTpOptions{layout, nccl_id, cuda_runner_options(o, ctx)});
        if (!worker.ok()) return worker.status();
        std::shared_ptr<CudaTpWorker> shared = std::move(worker).value();
        log_line("CUDA backend ready: " + shared->summary());
        return WorkerExecutor([shared](const dist::StepPlan &plan) { return shared->execute(plan); });
    });
#else
    return 2;
#endif
}

} // namespace slipway::engine
