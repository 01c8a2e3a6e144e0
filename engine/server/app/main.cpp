// slipway-engine: `serve` (the default), `tokenize`, `make-model`, `bench` (CUDA builds), `bench-serving`.
//
// Serving: the HTTP port opens first (/health answers, /health_generate says 503), then the
// model loads and a one-token warm-up generation runs; after that the server is ready.
// SIGTERM/SIGINT: stop accepting connections, let in-flight requests run for
// --graceful-shutdown-timeout seconds (default 10), abort what remains (their clients get an
// error event or a 503), close every connection within 2 s more, exit 0.
#include <csignal>
#include <iostream>
#include <memory>
#include <pthread.h>
#include <string>
#include <thread>
#include <vector>

#include "server/api_server.h"
#include "server/dist_node.h"
#include "server/http_server.h"
#include "server/serve_options.h"
#include "server/serving_engine.h"
#include "tools/bench_serving.h"
#include "tools/make_model.h"
#include "text/tokenize_command.h"
#ifdef SLIPWAY_ENGINE_HAS_CUDA
#include "cuda/bench/bench.h"
#endif

namespace {

using namespace slipway::engine;

constexpr std::chrono::seconds kCloseConnectionsBound{2};

// Blocks SIGTERM/SIGINT in every thread (threads inherit the mask), so one thread can sigwait.
sigset_t block_stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::signal(SIGPIPE, SIG_IGN);  // a client that hangs up must not kill the server
    return set;
}

void note_ignored_flags(const ServeOptions &o) {
    if (o.device == "cpu" && (o.cuda_graph_max_bs > 0 || o.disable_cuda_graph))
        log_line("CUDA graph flags have no effect on the CPU backend");
    if (o.dist_timeout || !o.dist_init_addr.empty()) log_line("distributed flags have no effect on one CPU process");
    if (o.trust_remote_code) log_line("--trust-remote-code: accepted; slipway-engine never runs model code");
}

int serve(const ServeOptions &options) {
    const sigset_t stop_signals = block_stop_signals();
    std::atomic<bool> stop_requested{false};
    std::mutex stop_mutex;
    std::condition_variable stop_cv;
    std::atomic<bool> loaded{false};
    std::thread signal_thread([&] {
        int sig = 0;
        sigwait(&stop_signals, &sig);
        log_line(std::string("received ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") + ", shutting down");
        if (!loaded.load()) {
            // Nothing is in flight while the model loads: leave at once.
            std::_Exit(0);
        }
        {
            std::lock_guard lock(stop_mutex);
            stop_requested.store(true);
        }
        stop_cv.notify_all();
    });
    signal_thread.detach();

    ApiServer api(options);
    HttpServerOptions http_options;
    http_options.host = options.host;
    http_options.port = static_cast<uint16_t>(options.port);
    auto http = HttpServer::start(http_options, [&api](const HttpRequest &req, HttpExchange &ex) { api.handle(req, ex); });
    if (!http.ok()) {
        std::cerr << "slipway-engine: " << http.message() << "\n";
        return 1;
    }
    // Tests and scripts read this line to learn the port (--port 0 picks a free one).
    log_line("listening on http://" + options.host + ":" + std::to_string(http.value()->port()));
    note_ignored_flags(options);

    // --tp > 1: the NCCL id, and with --nnodes > 1 the rendezvous with every worker node and the
    // control channel (server/dist_node.h). Declared before the engine: it outlives the runner.
    std::unique_ptr<TensorParallelLeader> group;
    if (options.tp > 1 || options.nnodes > 1) {
        auto started = TensorParallelLeader::start(options, [](const std::string &line) { log_line(line); });
        if (!started.ok()) {
            std::cerr << "slipway-engine: " << started.message() << "\n";
            http.value()->close_all();
            return 1;
        }
        group = std::move(started).value();
    }
    auto engine = ServingEngine::create(options, [](const std::string &line) { log_line(line); },
                                        group ? &group->setup() : nullptr);
    if (!engine.ok()) {
        if (group) group->fail("node 0 (the leader) could not start: " + engine.message());
        std::cerr << "slipway-engine: " << engine.message() << "\n";
        http.value()->close_all();
        return 1;
    }
    if (group) group->mark_ready();
    api.set_engine(engine.value().get());
    loaded.store(true);
    const auto warmup_timeout = std::chrono::milliseconds(static_cast<int64_t>(options.watchdog_timeout * 1000));
    if (Status s = api.warm_up(warmup_timeout); !s.ok()) {
        std::cerr << "slipway-engine: " << s.message() << "\n";
        http.value()->close_all();
        return 1;
    }
    log_line("ready: serving " + options.model_name() + " on http://" + options.host + ":" +
             std::to_string(http.value()->port()));

    {
        std::unique_lock lock(stop_mutex);
        stop_cv.wait(lock, [&] { return stop_requested.load(); });
    }
    const auto grace = std::chrono::milliseconds(static_cast<int64_t>(options.graceful_shutdown_timeout * 1000));
    api.set_shutting_down();
    http.value()->stop_accepting();
    engine.value()->shutdown(grace);  // finishes or aborts every request; their threads then reply
    if (!http.value()->wait_idle(kCloseConnectionsBound)) log_line("closing connections that did not end in time");
    http.value()->close_all();
    engine.value().reset();  // a tensor-parallel runner sends the workers its Shutdown plan here
    if (group) group->shutdown(kCloseConnectionsBound);
    log_line("stopped");
    return 0;
}

} // namespace

int main(int argc, char **argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && args[0] == "make-model") {
        return run_make_model_command({args.begin() + 1, args.end()}, std::cout, std::cerr);
    }
    if (!args.empty() && args[0] == "bench-serving") {
        return run_bench_serving_command({args.begin() + 1, args.end()}, std::cout, std::cerr);
    }
    if (!args.empty() && args[0] == "tokenize") {
        return run_tokenize_command(argc - 1, argv + 1, std::cin, std::cout, std::cerr);
    }
    if (!args.empty() && args[0] == "bench") {
#ifdef SLIPWAY_ENGINE_HAS_CUDA
        return run_bench_command(argc - 1, argv + 1);
#else
        std::cerr << "slipway-engine bench: this build has no CUDA backend (it was built without a CUDA compiler); "
                     "the benchmark measures the GPU and needs a CUDA build\n";
        return 2;
#endif
    }
    if (!args.empty() && args[0] == "serve") args.erase(args.begin());
    auto command = parse_serve_args(args);
    if (!command.ok()) {
        std::cerr << "slipway-engine: " << command.message() << "\n";
        return 2;
    }
    switch (command->kind) {
    case ServeCommand::Kind::help: std::cout << serve_usage(); return 0;
    case ServeCommand::Kind::version: std::cout << "slipway-engine " << engine_version() << "\n"; return 0;
    case ServeCommand::Kind::serve: break;
    }
    // Nodes 1..N-1 of a multi-node group run no scheduler and no API: they run the leader's steps.
    if (command->options.nnodes > 1 && command->options.node_rank > 0) return run_worker_node(command->options);
    return serve(command->options);
}
