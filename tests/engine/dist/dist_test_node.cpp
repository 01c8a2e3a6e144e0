// A node of a tensor-parallel group without a GPU, for the process-level failure tests: the real
// worker path of slipway-engine (run_worker_node: /health, rendezvous, control channel, watchdog)
// with an executor that only records each plan, and a leader (TensorParallelLeader) that
// broadcasts a plan every 20 ms in place of the scheduler.
//
//   dist_test_node worker SERVE-FLAGS...      runs until the leader's Shutdown (exit 0) or a failure
//   dist_test_node leader[=STEPS] SERVE-FLAGS... broadcasts forever, or STEPS plans then shuts down
#include <chrono>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "server/api_server.h"
#include "server/dist_node.h"

using namespace slipway::engine;

namespace {

int run_leader(const ServeOptions &options, long steps) {
    auto group = TensorParallelLeader::start(options, [](const std::string &line) { log_line(line); },
                                             [] { return StatusOr<std::string>(std::string(128, '\x5a')); });
    if (!group.ok()) {
        std::cerr << "dist_test_node: " << group.message() << "\n";
        return 1;
    }
    group.value()->mark_ready();
    const auto &sink = group.value()->setup().remote_sink;
    for (long step = 1; steps < 0 || step <= steps; ++step) {
        dist::StepPlan plan;
        plan.step = static_cast<uint64_t>(step);
        plan.kind = dist::StepKind::ForwardGreedy;
        plan.batch.token_ids = {static_cast<int32_t>(step)};
        SequenceSlice s;
        s.query_len = 1;
        s.context_len = static_cast<int32_t>(step);
        for (long p = 0; p <= step; ++p) s.page_table.push_back(static_cast<int32_t>(p));
        plan.batch.seqs.push_back(s);
        if (Status st = sink(plan); !st.ok()) {
            std::cerr << "dist_test_node: " << st.message() << "\n";
            return 1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    group.value()->shutdown(std::chrono::seconds(3));
    log_line("leader done");
    return 0;
}

} // namespace

int main(int argc, char **argv) {
    if (argc < 2) {
        std::cerr << "usage: dist_test_node worker|leader[=STEPS] SERVE-FLAGS...\n";
        return 2;
    }
    const std::string role = argv[1];
    auto command = parse_serve_args(std::vector<std::string>(argv + 2, argv + argc));
    if (!command.ok()) {
        std::cerr << "dist_test_node: " << command.message() << "\n";
        return 2;
    }
    const ServeOptions &options = command->options;
    if (role == "worker") {
        return run_worker_node(options, [](const ServeOptions &, const dist::ParallelLayout &layout,
                                           const std::string &nccl_id) -> StatusOr<WorkerExecutor> {
            if (nccl_id != std::string(128, '\x5a')) return Status::error("the NCCL id did not arrive intact");
            log_line("executor up on " + layout.describe());
            return WorkerExecutor([](const dist::StepPlan &plan) {
                if (plan.batch.seqs.size() == 1 && plan.batch.seqs[0].page_table.size() != plan.step + 1) {
                    return Status::error("step " + std::to_string(plan.step) + " arrived with a wrong page table");
                }
                return Status();
            });
        });
    }
    if (role.rfind("leader", 0) == 0) {
        const long steps = role.size() > 7 ? std::stol(role.substr(7)) : -1;
        return run_leader(options, steps);
    }
    std::cerr << "dist_test_node: unknown role " << role << "\n";
    return 2;
}
