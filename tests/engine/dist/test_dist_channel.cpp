// The control channel in one process: a leader and worker nodes on loopback, failures recorded
// instead of ending the process.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "dist/control_channel.h"
#include "dist_test_support.h"

namespace slipway::engine::dist {
namespace {

using namespace std::chrono_literals;
using test::LogRecorder;

struct Group {
    int tp = 0, nnodes = 0;
    std::vector<PeerLink> links;    // the leader's
    std::vector<WorkerJoin> joins;  // the workers', index node_rank - 1
};

Group form_group(int tp, int nnodes) {
    Group g;
    g.tp = tp;
    g.nnodes = nnodes;
    RendezvousOptions o;
    o.host = "127.0.0.1";
    o.timeout = 10s;
    o.retry_interval = 50ms;
    auto leader = RendezvousLeader::listen(o);
    EXPECT_TRUE(leader.ok());
    o.port = leader.value()->port();
    std::vector<std::future<StatusOr<WorkerJoin>>> workers;
    for (int n = 1; n < nnodes; ++n) {
        workers.push_back(std::async(std::launch::async, [o, n, nnodes] {
            Hello h = test::make_hello(n);
            h.flags.entries[1].second = std::to_string(nnodes);
            return rendezvous_worker(o, h);
        }));
    }
    Hello own = test::make_hello(0);
    own.flags.entries[1].second = std::to_string(nnodes);
    auto links = leader.value()->gather(own, ParallelLayout::from_flags(tp, nnodes, 0).value(), "nccl-id");
    EXPECT_TRUE(links.ok()) << links.message();
    g.links = std::move(links).value();
    for (auto &w : workers) {
        auto j = w.get();
        EXPECT_TRUE(j.ok()) << j.message();
        g.joins.push_back(std::move(j).value());
    }
    return g;
}

// Records the failure line instead of exiting.
struct FailureRecorder {
    std::mutex mutex;
    std::condition_variable cv;
    std::vector<std::string> lines;
    std::function<void(const std::string &)> callback() {
        return [this](const std::string &line) {
            {
                std::lock_guard lock(mutex);
                lines.push_back(line);
            }
            cv.notify_all();
        };
    }
    // The first failure line, waiting up to `timeout`; empty if none came.
    std::string wait(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex);
        cv.wait_for(lock, timeout, [&] { return !lines.empty(); });
        return lines.empty() ? "" : lines.front();
    }
    size_t count() {
        std::lock_guard lock(mutex);
        return lines.size();
    }
};

ChannelOptions channel_options(FailureRecorder &failures, std::chrono::milliseconds heartbeat_timeout = 2s,
                               std::chrono::milliseconds step_timeout = 5s) {
    ChannelOptions o;
    o.heartbeat_interval = 100ms;
    o.heartbeat_timeout = heartbeat_timeout;
    o.step_timeout = step_timeout;
    o.on_failure = failures.callback();
    return o;
}

StepPlan plan_at(uint64_t step) {
    StepPlan p;
    p.step = step;
    p.kind = step % 3 == 0 ? StepKind::ForwardSample : (step % 3 == 1 ? StepKind::Forward : StepKind::ForwardGreedy);
    SequenceSlice s;
    s.query_start = 0;
    s.query_len = 1;
    s.context_len = static_cast<int32_t>(step);
    for (uint64_t i = 0; i <= step; ++i) s.page_table.push_back(static_cast<int32_t>(i));
    p.batch.seqs.push_back(s);
    p.batch.token_ids.push_back(static_cast<int32_t>(step * 7));
    if (p.kind == StepKind::ForwardSample) {
        DeviceSampling d;
        d.uniform = 0.5;
        d.penalty_ids = {static_cast<int32_t>(step)};
        p.sampling.push_back(d);
    }
    return p;
}

TEST(DistChannel, PlansArriveInOrderAndAreAcked) {
    Group g = form_group(3, 3);
    FailureRecorder failures;
    auto leader = LeaderChannel::start(ParallelLayout::from_flags(3, 3, 0).value(), std::move(g.links),
                                       channel_options(failures));
    std::vector<std::unique_ptr<WorkerChannel>> workers;
    std::vector<std::vector<StepPlan>> seen(2);
    std::vector<std::future<Status>> loops;
    for (int n = 1; n <= 2; ++n) {
        workers.push_back(WorkerChannel::start(ParallelLayout::from_flags(3, 3, n).value(), std::move(g.joins[n - 1]),
                                               channel_options(failures)));
        EXPECT_TRUE(workers.back()->health().leader_connected);
        EXPECT_FALSE(workers.back()->health().serving);
        loops.push_back(std::async(std::launch::async, [&, n] {
            return workers[static_cast<size_t>(n - 1)]->run([&, n](const StepPlan &p) {
                seen[static_cast<size_t>(n - 1)].push_back(p);
                return Status();
            });
        }));
    }
    for (uint64_t step = 1; step <= 60; ++step) ASSERT_TRUE(leader->broadcast(plan_at(step)).ok());
    ASSERT_TRUE(leader->wait_acks(60, 5s).ok());
    for (const PeerHealth &p : leader->peers()) {
        EXPECT_TRUE(p.connected);
        EXPECT_EQ(p.last_acked_step, 60u);
    }
    const WorkerHealth h = workers[0]->health();
    EXPECT_TRUE(h.serving);
    EXPECT_EQ(h.last_step, 60u);
    EXPECT_GE(h.seconds_since_last_step, 0.0);
    EXPECT_EQ(h.ranks, "1");

    ASSERT_TRUE(leader->shutdown(3s).ok());
    for (auto &l : loops) EXPECT_TRUE(l.get().ok());
    for (const auto &plans : seen) {
        ASSERT_EQ(plans.size(), 61u);
        for (uint64_t step = 1; step <= 60; ++step) {
            const StepPlan &p = plans[step - 1];
            const StepPlan want = plan_at(step);
            EXPECT_EQ(p.step, step);
            EXPECT_EQ(p.kind, want.kind);
            EXPECT_EQ(p.batch.seqs[0].page_table, want.batch.seqs[0].page_table);
            EXPECT_EQ(p.sampling.size(), want.sampling.size());
        }
        EXPECT_EQ(plans.back().kind, StepKind::Shutdown);
    }
    std::this_thread::sleep_for(300ms);  // closures after the shutdown are not failures
    EXPECT_EQ(failures.count(), 0u);
    workers.clear();
}

TEST(DistChannel, WorkerExecutorErrorStopsBothSidesNamingTheNode) {
    Group g = form_group(4, 2);
    FailureRecorder leader_failures, worker_failures;
    auto leader = LeaderChannel::start(ParallelLayout::from_flags(4, 2, 0).value(), std::move(g.links),
                                       channel_options(leader_failures));
    auto worker = WorkerChannel::start(ParallelLayout::from_flags(4, 2, 1).value(), std::move(g.joins[0]),
                                       channel_options(worker_failures));
    auto loop = std::async(std::launch::async, [&] {
        return worker->run([](const StepPlan &p) {
            return p.step == 3 ? Status::error("CUDA error 700 in all_reduce") : Status();
        });
    });
    for (uint64_t step = 1; step <= 3; ++step) ASSERT_TRUE(leader->broadcast(plan_at(step)).ok());
    const std::string on_leader = leader_failures.wait(3s);
    EXPECT_NE(on_leader.find("node 1 (ranks 2-3) failed step 3: CUDA error 700 in all_reduce"), std::string::npos)
        << on_leader;
    EXPECT_NE(on_leader.find("exiting so LeaderWorkerSet restarts the group"), std::string::npos);
    const std::string on_worker = worker_failures.wait(3s);
    EXPECT_NE(on_worker.find("node 1 (ranks 2-3) failed step 3 (ForwardSample): CUDA error 700"), std::string::npos)
        << on_worker;
    auto result = loop.get();
    EXPECT_FALSE(result.ok());
    EXPECT_FALSE(worker->health().leader_connected);
    EXPECT_FALSE(leader->broadcast(plan_at(4)).ok());
    EXPECT_EQ(leader_failures.count(), 1u);  // one line, once
}

TEST(DistChannel, AStepStuckOnAWorkerTripsTheStepBoundOnBothSides) {
    Group g = form_group(2, 2);
    FailureRecorder leader_failures, worker_failures;
    // The leader's own bound is longer here, so the worker's watchdog is the one that trips (with
    // equal bounds either may be first; both name node 1 and step 2).
    auto leader = LeaderChannel::start(ParallelLayout::from_flags(2, 2, 0).value(), std::move(g.links),
                                       channel_options(leader_failures, 2s, 1500ms));
    auto worker = WorkerChannel::start(ParallelLayout::from_flags(2, 2, 1).value(), std::move(g.joins[0]),
                                       channel_options(worker_failures, 2s, 600ms));
    std::atomic<bool> release{false};
    auto loop = std::async(std::launch::async, [&] {
        return worker->run([&](const StepPlan &p) {
            // A hung collective: step 2 never finishes on its own.
            while (p.step == 2 && !release.load()) std::this_thread::sleep_for(10ms);
            return Status();
        });
    });
    const auto start = Clock::now();
    ASSERT_TRUE(leader->broadcast(plan_at(1)).ok());
    ASSERT_TRUE(leader->broadcast(plan_at(2)).ok());
    const std::string on_worker = worker_failures.wait(3s);
    const std::string on_leader = leader_failures.wait(3s);
    EXPECT_LT(Clock::now() - start, 2500ms);
    EXPECT_EQ(worker->health().executing_step, 2u);
    release.store(true);
    EXPECT_NE(on_worker.find("this node, node 1 (rank 1), has been running step 2 for"), std::string::npos) << on_worker;
    EXPECT_NE(on_worker.find("--dist-step-timeout 0.6 s"), std::string::npos) << on_worker;
    EXPECT_NE(on_leader.find("node 1 (rank 1) reported a failure: this node, node 1 (rank 1), has been running step 2"),
              std::string::npos)
        << on_leader;
    EXPECT_FALSE(loop.get().ok());
}

TEST(DistChannel, TheLeaderBoundsHowLongAWorkerMayTakeForAStep) {
    Group g = form_group(4, 2);
    FailureRecorder leader_failures, worker_failures;
    auto leader = LeaderChannel::start(ParallelLayout::from_flags(4, 2, 0).value(), std::move(g.links),
                                       channel_options(leader_failures, 2s, 600ms));
    auto worker = WorkerChannel::start(ParallelLayout::from_flags(4, 2, 1).value(), std::move(g.joins[0]),
                                       channel_options(worker_failures, 2s, 10s));
    std::atomic<bool> release{false};
    auto loop = std::async(std::launch::async, [&] {
        return worker->run([&](const StepPlan &p) {
            while (p.step == 3 && !release.load()) std::this_thread::sleep_for(10ms);
            return Status();
        });
    });
    for (uint64_t step = 1; step <= 3; ++step) ASSERT_TRUE(leader->broadcast(plan_at(step)).ok());
    const std::string on_leader = leader_failures.wait(3s);
    release.store(true);
    EXPECT_NE(on_leader.find("node 1 (ranks 2-3) has not finished step 3 after"), std::string::npos) << on_leader;
    EXPECT_NE(on_leader.find("(--dist-step-timeout 0.6 s): a collective is hung"), std::string::npos) << on_leader;
    const std::string on_worker = worker_failures.wait(3s);
    EXPECT_NE(on_worker.find("node 0 (ranks 0-1, the leader) reported a failure: node 1 (ranks 2-3) has not finished step 3"),
              std::string::npos)
        << on_worker;
    EXPECT_FALSE(loop.get().ok());
}

TEST(DistChannel, SilentPeersTripTheHeartbeatBound) {
    // A worker that joined but never speaks again (hung hard): the leader gives up on it.
    {
        Group g = form_group(2, 2);
        FailureRecorder failures;
        const auto start = Clock::now();
        auto leader = LeaderChannel::start(ParallelLayout::from_flags(2, 2, 0).value(), std::move(g.links),
                                           channel_options(failures, 700ms));
        const std::string line = failures.wait(3s);
        EXPECT_NE(line.find("node 1 (rank 1) stopped answering: nothing heard for"), std::string::npos) << line;
        EXPECT_NE(line.find("(--dist-heartbeat-timeout 0.7 s)"), std::string::npos) << line;
        EXPECT_GE(Clock::now() - start, 700ms);
        EXPECT_LT(Clock::now() - start, 2s);
    }
    // A leader that never speaks: the worker gives up on it.
    {
        Group g = form_group(2, 2);
        FailureRecorder failures;
        auto worker = WorkerChannel::start(ParallelLayout::from_flags(2, 2, 1).value(), std::move(g.joins[0]),
                                           channel_options(failures, 700ms));
        const std::string line = failures.wait(3s);
        EXPECT_NE(line.find("node 0 (rank 0, the leader) stopped answering: nothing heard for"), std::string::npos) << line;
        EXPECT_FALSE(worker->health().leader_connected);
    }
}

TEST(DistChannel, AClosedConnectionIsNoticedAtOnce) {
    // The leader process vanishes (no Shutdown plan): the worker stops with a line naming it.
    {
        Group g = form_group(2, 2);
        FailureRecorder failures;
        auto worker = WorkerChannel::start(ParallelLayout::from_flags(2, 2, 1).value(), std::move(g.joins[0]),
                                           channel_options(failures));
        const auto start = Clock::now();
        g.links.clear();  // closes the leader's end
        const std::string line = failures.wait(2s);
        EXPECT_EQ(line, "node 0 (rank 0, the leader) stopped answering: connection closed; exiting so LeaderWorkerSet "
                        "restarts the group");
        EXPECT_LT(Clock::now() - start, 1s);
    }
    // A worker vanishes: the leader stops.
    {
        Group g = form_group(2, 2);
        FailureRecorder failures;
        auto leader = LeaderChannel::start(ParallelLayout::from_flags(2, 2, 0).value(), std::move(g.links),
                                           channel_options(failures));
        g.joins.clear();
        const std::string line = failures.wait(2s);
        EXPECT_EQ(line, "node 1 (rank 1) stopped answering: connection closed; exiting so LeaderWorkerSet restarts the group");
    }
}

TEST(DistChannel, ALeaderFailureReachesEveryWorker) {
    // Node 2 dies; the leader stops and tells node 1 why before closing.
    Group g = form_group(3, 3);
    FailureRecorder leader_failures, w1_failures;
    auto leader = LeaderChannel::start(ParallelLayout::from_flags(3, 3, 0).value(), std::move(g.links),
                                       channel_options(leader_failures));
    auto w1 = WorkerChannel::start(ParallelLayout::from_flags(3, 3, 1).value(), std::move(g.joins[0]),
                                   channel_options(w1_failures));
    g.joins[1].socket.close();  // node 2 vanishes
    const std::string on_leader = leader_failures.wait(2s);
    EXPECT_NE(on_leader.find("node 2 (rank 2) stopped answering: connection closed"), std::string::npos) << on_leader;
    const std::string on_w1 = w1_failures.wait(2s);
    EXPECT_NE(on_w1.find("node 0 (rank 0, the leader) reported a failure: node 2 (rank 2) stopped answering"),
              std::string::npos)
        << on_w1;
}

TEST(DistChannel, AWorkerStillLoadingIsNotStalledButMustBecomeReady) {
    // The leader's first step goes out while the worker still loads its shard: the step bound
    // starts only when the worker is ready.
    {
        Group g = form_group(2, 2);
        FailureRecorder failures;
        auto leader = LeaderChannel::start(ParallelLayout::from_flags(2, 2, 0).value(), std::move(g.links),
                                           channel_options(failures, 2s, 500ms));
        auto worker = WorkerChannel::start(ParallelLayout::from_flags(2, 2, 1).value(), std::move(g.joins[0]),
                                           channel_options(failures, 2s, 500ms));
        ASSERT_TRUE(leader->broadcast(plan_at(1)).ok());
        std::this_thread::sleep_for(1200ms);  // "loading"
        EXPECT_EQ(failures.count(), 0u) << failures.wait(0ms);
        auto loop = std::async(std::launch::async, [&] { return worker->run([](const StepPlan &) { return Status(); }); });
        EXPECT_TRUE(leader->wait_acks(1, 2s).ok());
        EXPECT_TRUE(leader->shutdown(2s).ok());
        EXPECT_TRUE(loop.get().ok());
        EXPECT_EQ(failures.count(), 0u);
    }
    // A ready worker waits for a leader that never finishes loading at most --dist-timeout.
    {
        Group g = form_group(2, 2);
        FailureRecorder leader_failures, worker_failures;
        ChannelOptions o = channel_options(worker_failures);
        o.ready_timeout = 700ms;
        auto leader = LeaderChannel::start(ParallelLayout::from_flags(2, 2, 0).value(), std::move(g.links),
                                           channel_options(leader_failures));
        auto worker = WorkerChannel::start(ParallelLayout::from_flags(2, 2, 1).value(), std::move(g.joins[0]), o);
        const auto start = Clock::now();
        auto loop = std::async(std::launch::async, [&] { return worker->run([](const StepPlan &) { return Status(); }); });
        const std::string line = worker_failures.wait(3s);
        EXPECT_NE(line.find("node 0 (rank 0, the leader) has not finished loading the model and joining the group"),
                  std::string::npos)
            << line;
        EXPECT_NE(line.find("(--dist-timeout 0.7 s)"), std::string::npos) << line;
        EXPECT_GE(Clock::now() - start, 700ms);
        EXPECT_FALSE(loop.get().ok());
    }
}

} // namespace
} // namespace slipway::engine::dist
