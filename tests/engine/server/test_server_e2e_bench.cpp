// `slipway-engine bench-serving` end to end against the tiny CPU model: a closed-loop run, greedy
// and sampled (--temperature / --top-p), completes every request and writes its JSON summary;
// bad values are refused with the option named and nothing measured.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "engine_process.h"

namespace slipway::test {
namespace {

struct CommandRun {
    int code = -1;
    std::string output;
};

// Runs `slipway-engine bench-serving ARGS` and returns its exit code and stdout + stderr.
CommandRun bench_serving(const std::string &args) {
    CommandRun r;
    FILE *pipe = ::popen(("'" + engine_binary() + "' bench-serving " + args + " 2>&1").c_str(), "r");
    if (pipe == nullptr) return r;
    char buf[4096];
    while (const size_t n = std::fread(buf, 1, sizeof buf, pipe)) r.output.append(buf, n);
    const int status = ::pclose(pipe);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

TEST(ServerBench, GreedyAndSampledRunsCompleteAndWriteTheirSummary) {
    EngineProcess engine({});
    ASSERT_TRUE(engine.wait_ready(std::chrono::seconds(60))) << engine.log();
    const std::string url = "--url http://127.0.0.1:" + std::to_string(engine.port());
    const std::string json_path = "/tmp/slipway-bench-serving-" + std::to_string(::getpid()) + ".json";
    for (const std::string sampling : {"", "--temperature 0.8 --top-p 0.9"}) {
        SCOPED_TRACE(sampling.empty() ? "greedy" : sampling);
        const CommandRun r = bench_serving(url + " --num-requests 6 --input-len-range 4:12 --output-len-range 3:6 "
                                          "--concurrency 3 " + sampling + " --json " + json_path);
        ASSERT_EQ(r.code, 0) << r.output << "\n--- engine:\n" << engine.log();
        EXPECT_NE(r.output.find("Output token throughput (tok/s):"), std::string::npos) << r.output;
        std::ifstream in(json_path);
        const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
        ASSERT_FALSE(j.is_discarded()) << "unreadable " << json_path;
        EXPECT_EQ(j["completed"], 6);
        EXPECT_EQ(j["failed"], 0);
        EXPECT_EQ(j["temperature"].get<double>(), sampling.empty() ? 0.0 : 0.8);
        EXPECT_EQ(j["top_p"].get<double>(), sampling.empty() ? 1.0 : 0.9);
        // ignore_eos: every request generates exactly its drawn length, 3-6 tokens each.
        EXPECT_GE(j["total_output_tokens"].get<int>(), 18);
        EXPECT_LE(j["total_output_tokens"].get<int>(), 36);
        std::remove(json_path.c_str());
    }
}

TEST(ServerBench, BadValuesAreRefusedWithTheOptionNamed) {
    // No server is needed: the options are checked before anything is sent.
    const std::string base = "--url http://127.0.0.1:1 --num-requests 2 --concurrency 1 ";
    struct Case {
        std::string args, says;
    } cases[] = {
        {base + "--temperature -0.5", "--temperature must be >= 0"},
        {base + "--top-p 0", "--top-p in (0, 1]"},
        {base + "--top-p 1.5", "--top-p in (0, 1]"},
        {base + "--temperature warm", "invalid value 'warm' for --temperature (a number)"},
        {base + "--input-len-range 9:3", "ranges are LO:HI"},
    };
    for (const Case &c : cases) {
        SCOPED_TRACE(c.args);
        const CommandRun r = bench_serving(c.args);
        EXPECT_EQ(r.code, 2) << r.output;
        EXPECT_NE(r.output.find(c.says), std::string::npos) << r.output;
        EXPECT_EQ(r.output.find("Serving Benchmark Result"), std::string::npos) << r.output;
    }
}

} // namespace
} // namespace slipway::test
