// Rendezvous at --dist-init-addr: leader and workers as threads on loopback.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "dist/rendezvous.h"
#include "dist_test_support.h"

namespace slipway::engine::dist {
namespace {

using namespace std::chrono_literals;
using test::LogRecorder;
using test::make_hello;

ParallelLayout layout(int tp, int nnodes, int node_rank = 0) { return ParallelLayout::from_flags(tp, nnodes, node_rank).value(); }

RendezvousOptions options(uint16_t port, std::chrono::milliseconds timeout, LogRecorder *log = nullptr) {
    RendezvousOptions o;
    o.host = "127.0.0.1";
    o.port = port;
    o.timeout = timeout;
    o.retry_interval = 50ms;
    o.log_interval = 300ms;
    if (log != nullptr) o.log = [log](const std::string &l) { (*log)(l); };
    return o;
}

std::string nccl_like_blob() {
    std::string blob(128, '\0');
    for (size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<char>((i * 37) & 0xFF);
    return blob;
}

Hello hello_for(int node_rank, int nnodes) {
    Hello h = make_hello(node_rank);
    h.flags.entries[1].second = std::to_string(nnodes);
    return h;
}

TEST(DistRendezvous, LeaderAndTwoWorkersFormAGroupAndShareTheBlob) {
    LogRecorder log;
    auto leader = RendezvousLeader::listen(options(0, 10s, &log));
    ASSERT_TRUE(leader.ok()) << leader.message();
    const uint16_t port = leader.value()->port();
    auto w1 = std::async(std::launch::async, [&] { return rendezvous_worker(options(port, 10s), hello_for(1, 3)); });
    auto w2 = std::async(std::launch::async, [&] { return rendezvous_worker(options(port, 10s), hello_for(2, 3)); });
    const std::string blob = nccl_like_blob();
    auto links = leader.value()->gather(hello_for(0, 3), layout(3, 3), blob);
    ASSERT_TRUE(links.ok()) << links.message();
    ASSERT_EQ(links->size(), 2u);
    EXPECT_EQ(links.value()[0].node_rank, 1);
    EXPECT_EQ(links.value()[1].node_rank, 2);
    EXPECT_NE(links.value()[0].address.find("127.0.0.1:"), std::string::npos) << links.value()[0].address;
    auto j1 = w1.get();
    auto j2 = w2.get();
    ASSERT_TRUE(j1.ok()) << j1.message();
    ASSERT_TRUE(j2.ok()) << j2.message();
    EXPECT_EQ(j1->blob, blob);  // 128 bytes with NULs survive
    EXPECT_EQ(j2->blob, blob);
    EXPECT_TRUE(log.contains("group complete, 3 nodes")) << log.all();
}

TEST(DistRendezvous, WorkerStartedBeforeTheLeaderRetriesUntilItComes) {
    const uint16_t port = test::free_port();
    ASSERT_NE(port, 0);
    LogRecorder worker_log;
    auto worker = std::async(std::launch::async, [&] {
        return rendezvous_worker(options(port, 10s, &worker_log), hello_for(1, 2));
    });
    std::this_thread::sleep_for(700ms);  // the worker meets "connection refused" meanwhile
    auto leader = RendezvousLeader::listen(options(port, 10s));
    ASSERT_TRUE(leader.ok()) << leader.message();
    auto links = leader.value()->gather(hello_for(0, 2), layout(2, 2), "id");
    ASSERT_TRUE(links.ok()) << links.message();
    auto joined = worker.get();
    ASSERT_TRUE(joined.ok()) << joined.message();
    EXPECT_EQ(joined->blob, "id");
    EXPECT_TRUE(worker_log.contains("waiting for the leader at 127.0.0.1:" + std::to_string(port))) << worker_log.all();
    EXPECT_TRUE(worker_log.contains("Connection refused")) << worker_log.all();
}

struct MismatchCase {
    const char *name;
    Hello worker;
    const char *expected;
};

TEST(DistRendezvous, MismatchesStopBothSidesWithTheSameMessage) {
    Hello version = make_hello(1, "0.3.0-12-gabc");
    Hello flags = make_hello(1);
    flags.flags.entries[2].second = "16";
    Hello model = make_hello(1);
    model.model = make_model_fingerprint(model.model.config, {{"model.embed_tokens.weight", "BF16", {512, 64}},
                                                              {"model.layers.0.mlp.up_proj.weight", "BF16", {96, 64}}});
    Hello out_of_range = make_hello(5);
    const MismatchCase cases[] = {
        {"version", version, "node 1 runs slipway 0.3.0-12-gabc, node 0 runs 0.3.0-10-gdef"},
        {"flags", flags, "--page-size: node 1 has 16, node 0 has 1"},
        {"model", model, "node 1 has tensor model.layers.0.mlp.up_proj.weight BF16 [96, 64], node 0 BF16 [128, 64]"},
        {"node rank", out_of_range, "node rank 5 (from 127.0.0.1:"},
    };
    for (const MismatchCase &c : cases) {
        SCOPED_TRACE(c.name);
        auto leader = RendezvousLeader::listen(options(0, 5s));
        ASSERT_TRUE(leader.ok());
        const uint16_t port = leader.value()->port();
        Hello w = c.worker;
        if (std::string(c.name) != "version") w.slipway_version = "0.3.0-10-gdef";
        auto worker = std::async(std::launch::async, [&] { return rendezvous_worker(options(port, 5s), w); });
        auto links = leader.value()->gather(make_hello(0, "0.3.0-10-gdef"), layout(2, 2), "id");
        ASSERT_FALSE(links.ok());
        EXPECT_NE(links.message().find(c.expected), std::string::npos) << links.message();
        auto joined = worker.get();
        ASSERT_FALSE(joined.ok());
        EXPECT_NE(joined.message().find(c.expected), std::string::npos) << joined.message();
        EXPECT_NE(joined.message().find("refused node"), std::string::npos) << joined.message();
    }
}

TEST(DistRendezvous, DuplicateNodeRankIsRefusedToEveryone) {
    auto leader = RendezvousLeader::listen(options(0, 5s));
    ASSERT_TRUE(leader.ok());
    const uint16_t port = leader.value()->port();
    auto first = std::async(std::launch::async, [&] { return rendezvous_worker(options(port, 5s), hello_for(1, 3)); });
    std::this_thread::sleep_for(300ms);
    auto second = std::async(std::launch::async, [&] { return rendezvous_worker(options(port, 5s), hello_for(1, 3)); });
    auto links = leader.value()->gather(hello_for(0, 3), layout(3, 3), "id");
    ASSERT_FALSE(links.ok());
    EXPECT_NE(links.message().find("two nodes claim --node-rank 1"), std::string::npos) << links.message();
    for (auto *f : {&first, &second}) {
        auto r = f->get();
        ASSERT_FALSE(r.ok());
        EXPECT_NE(r.message().find("two nodes claim --node-rank 1"), std::string::npos) << r.message();
    }
}

TEST(DistRendezvous, WorkerGivesUpWhenTheLeaderNeverComes) {
    const uint16_t port = test::free_port();
    const auto start = Clock::now();
    auto r = rendezvous_worker(options(port, 1500ms), hello_for(1, 2));
    const auto took = Clock::now() - start;
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.message().find("rendezvous timed out: node 1 could not join the leader at 127.0.0.1:" + std::to_string(port) +
                               " within --dist-timeout 1.5 s"),
              std::string::npos)
        << r.message();
    EXPECT_NE(r.message().find("Connection refused"), std::string::npos) << r.message();
    EXPECT_GE(took, 1400ms);
    EXPECT_LT(took, 4s);

    // A name that never resolves (the leader's Service not there yet) is retried the same way.
    RendezvousOptions dns = options(port, 800ms);
    dns.host = "leader.no-such-domain.invalid";
    auto unresolved = rendezvous_worker(dns, hello_for(1, 2));
    ASSERT_FALSE(unresolved.ok());
    EXPECT_NE(unresolved.message().find("cannot resolve leader.no-such-domain.invalid"), std::string::npos)
        << unresolved.message();
}

TEST(DistRendezvous, LeaderTimesOutNamingTheMissingNodes) {
    auto leader = RendezvousLeader::listen(options(0, 1500ms));
    ASSERT_TRUE(leader.ok());
    const uint16_t port = leader.value()->port();
    auto worker = std::async(std::launch::async, [&] { return rendezvous_worker(options(port, 5s), hello_for(2, 4)); });
    auto links = leader.value()->gather(hello_for(0, 4), layout(4, 4), "id");
    ASSERT_FALSE(links.ok());
    EXPECT_NE(links.message().find("node(s) 1, 3 of --nnodes 4 never joined"), std::string::npos) << links.message();
    auto r = worker.get();
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.message().find("node(s) 1, 3 of --nnodes 4 never joined"), std::string::npos) << r.message();
}

TEST(DistRendezvous, StrangersOnThePortAreIgnored) {
    LogRecorder log;
    auto leader = RendezvousLeader::listen(options(0, 5s, &log));
    ASSERT_TRUE(leader.ok());
    const uint16_t port = leader.value()->port();
    auto stranger = connect_tcp("127.0.0.1", port, 1s);
    ASSERT_TRUE(stranger.ok());
    ASSERT_TRUE(send_all(stranger.value(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n", Clock::now() + 1s).ok());
    auto worker = std::async(std::launch::async, [&] { return rendezvous_worker(options(port, 5s), hello_for(1, 2)); });
    auto links = leader.value()->gather(hello_for(0, 2), layout(2, 2), "id");
    ASSERT_TRUE(links.ok()) << links.message();
    EXPECT_TRUE(worker.get().ok());
    EXPECT_TRUE(log.contains("ignoring a connection from 127.0.0.1:")) << log.all();
}

} // namespace
} // namespace slipway::engine::dist
