// The CPU reference backend against transformers (fixtures from
// tests/engine/fixtures/make_fixtures.py), and its exactness over the paged KV cache: whole,
// chunked and token-by-token prefill, shuffled pages, batches and thread counts all give
// bitwise-identical logits.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>
#include <sstream>

#include "cpu/cpu_model_runner.h"
#include "model/model_loader.h"

namespace fs = std::filesystem;
using namespace slipway::engine;
using nlohmann::json;

namespace {

const fs::path kFixtures = SLIPWAY_ENGINE_FIXTURES;

// Logits must match transformers' fp32 logits within this fraction of the largest |logit| the
// model produces on the fixture prompts (floor 1). Measured: 1.4e-6 absolute on Qwen2 (max
// |logit| 4.4) and 1.2e-5 on Llama (61), i.e. about 3e-7 relative; transformers' own fp32 result
// is 2e-6 / 2e-5 away from its fp64 result. 3e-6 relative leaves room for another valid fp32
// summation order, and a real error (e.g. llama3 rope scaling left out: 4.96) fails by far.
constexpr double kRelTolerance = 3e-6;

json read_json(const fs::path &p) {
    std::ifstream in(p);
    std::ostringstream ss;
    ss << in.rdbuf();
    return json::parse(ss.str());
}

struct Fixture {
    std::shared_ptr<const LoadedModel> model;
    json ref;
    double tolerance = 0;
};

Fixture load_fixture(const std::string &folder, const std::string &reference) {
    Fixture f;
    auto m = load_model(kFixtures / folder);
    EXPECT_TRUE(m.ok()) << m.message();
    if (m.ok()) f.model = m.value();
    f.ref = read_json(kFixtures / (reference + ".reference.json"));
    f.tolerance = kRelTolerance * std::max(1.0, f.ref["max_abs_logit"].get<double>());
    return f;
}

std::unique_ptr<CpuModelRunner> make_runner(const Fixture &f, int32_t page_size = 4, int64_t num_pages = 96,
                                            int threads = 2) {
    CpuRunnerOptions o;
    o.page_size = page_size;
    o.num_pages = num_pages;
    o.num_threads = threads;
    auto r = CpuModelRunner::create(f.model, o);
    EXPECT_TRUE(r.ok()) << r.message();
    return r.ok() ? std::move(r).value() : nullptr;
}

std::vector<int32_t> ids_of(const json &j) { return j.get<std::vector<int32_t>>(); }

std::vector<int32_t> contiguous_pages(int64_t n, int32_t first = 0) {
    std::vector<int32_t> p(static_cast<size_t>(n));
    std::iota(p.begin(), p.end(), first);
    return p;
}

// Feeds tokens[from, from + len) of one sequence as a step; returns the last token's logits.
std::vector<float> step(ModelRunner &r, const std::vector<int32_t> &tokens, int32_t from, int32_t len,
                        const std::vector<int32_t> &pages) {
    ForwardBatch b;
    b.token_ids.assign(tokens.begin() + from, tokens.begin() + from + len);
    SequenceSlice s;
    s.query_start = 0;
    s.query_len = len;
    s.context_len = from;
    s.page_table = pages;
    b.seqs.push_back(s);
    std::vector<float> logits;
    Status st = r.forward(b, logits);
    EXPECT_TRUE(st.ok()) << st.message();
    return logits;
}

// Runs a prompt in the given chunk sizes (the last chunk takes what is left).
std::vector<float> prefill(ModelRunner &r, const std::vector<int32_t> &tokens, std::vector<int32_t> chunks,
                           const std::vector<int32_t> &pages) {
    std::vector<float> logits;
    int32_t at = 0;
    const int32_t n = static_cast<int32_t>(tokens.size());
    for (size_t i = 0; at < n; ++i) {
        const int32_t len = i < chunks.size() ? std::min(chunks[i], n - at) : n - at;
        logits = step(r, tokens, at, len, pages);
        at += len;
    }
    return logits;
}

int32_t argmax(const std::vector<float> &v) {
    return static_cast<int32_t>(std::max_element(v.begin(), v.end()) - v.begin());
}

double max_abs_diff(const std::vector<float> &a, const json &expected) {
    EXPECT_EQ(a.size(), expected.size());
    double d = 0;
    for (size_t i = 0; i < std::min(a.size(), expected.size()); ++i)
        d = std::max(d, std::abs(static_cast<double>(a[i]) - expected[i].get<double>()));
    return d;
}

bool bitwise_equal(const std::vector<float> &a, const std::vector<float> &b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

struct Case { const char *folder; const char *reference; };
void PrintTo(const Case &c, std::ostream *os) { *os << c.folder; }
const Case kCases[] = {{"qwen2-tiny-bf16", "qwen2-tiny-bf16"},
                       {"llama-tiny-fp16", "llama-tiny-fp16"},
                       {"llama-tiny-fp32-sharded", "llama-tiny-fp16"}};

class AgainstTransformers : public ::testing::TestWithParam<Case> {};

} // namespace

TEST_P(AgainstTransformers, LastPositionLogitsMatch) {
    const Fixture f = load_fixture(GetParam().folder, GetParam().reference);
    ASSERT_TRUE(f.model);
    double worst = 0;
    for (const auto &p : f.ref["prompts"]) {
        auto runner = make_runner(f);
        const auto tokens = ids_of(p["token_ids"]);
        const auto logits = prefill(*runner, tokens, {}, contiguous_pages(96));
        const double d = max_abs_diff(logits, p["last_logits"]);
        EXPECT_LE(d, f.tolerance) << p["name"];
        worst = std::max(worst, d);
    }
    std::printf("[ measured ] %s: max |logit - transformers| = %.3g (tolerance %.3g, max |logit| %.3g)\n",
                GetParam().folder, worst, f.tolerance, f.ref["max_abs_logit"].get<double>());
}

TEST_P(AgainstTransformers, EveryPositionMatchesTokenByToken) {
    const Fixture f = load_fixture(GetParam().folder, GetParam().reference);
    ASSERT_TRUE(f.model);
    for (const auto &p : f.ref["prompts"]) {
        if (!p.contains("all_logits")) continue;
        auto runner = make_runner(f);
        const auto tokens = ids_of(p["token_ids"]);
        for (int32_t i = 0; i < static_cast<int32_t>(tokens.size()); ++i) {
            const auto logits = step(*runner, tokens, i, 1, contiguous_pages(4));
            EXPECT_LE(max_abs_diff(logits, p["all_logits"][static_cast<size_t>(i)]), f.tolerance) << "position " << i;
        }
    }
}

TEST_P(AgainstTransformers, GreedyContinuationsMatch) {
    const Fixture f = load_fixture(GetParam().folder, GetParam().reference);
    ASSERT_TRUE(f.model);
    int checked = 0;
    for (const auto &p : f.ref["prompts"]) {
        if (!p.contains("greedy")) continue;
        auto runner = make_runner(f);
        auto tokens = ids_of(p["token_ids"]);
        const auto expected = ids_of(p["greedy"]["new_token_ids"]);
        const auto pages = contiguous_pages(96);
        auto logits = prefill(*runner, tokens, {}, pages);
        std::vector<int32_t> produced;
        for (size_t i = 0; i < expected.size(); ++i) {
            const int32_t next = argmax(logits);
            produced.push_back(next);
            tokens.push_back(next);
            logits = step(*runner, tokens, static_cast<int32_t>(tokens.size()) - 1, 1, pages);
        }
        EXPECT_EQ(produced, expected) << p["name"];
        ++checked;
    }
    EXPECT_EQ(checked, 3);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, AgainstTransformers, ::testing::ValuesIn(kCases),
                         [](const auto &info) {
                             std::string n = info.param.folder;
                             std::replace(n.begin(), n.end(), '-', '_');
                             return n;
                         });

TEST(CpuBackendExactness, WholeChunkedAndTokenByTokenAreBitwiseEqual) {
    for (const char *folder : {"qwen2-tiny-bf16", "llama-tiny-fp16"}) {
        const Fixture f = load_fixture(folder, folder);
        ASSERT_TRUE(f.model);
        const auto prompt = ids_of(f.ref["prompts"][3]["token_ids"]);  // "long": 71 tokens
        ASSERT_GT(prompt.size(), 60u);
        const auto pages = contiguous_pages(96);
        std::vector<std::vector<int32_t>> schedules = {{}, {5, 13, 1, 30}, {16, 16, 16}, std::vector<int32_t>(prompt.size(), 1)};
        std::vector<std::vector<float>> results;
        for (const auto &chunks : schedules) {
            auto runner = make_runner(f);
            auto tokens = prompt;
            std::vector<float> last = prefill(*runner, tokens, chunks, pages);
            std::vector<float> all = last;
            // Then decode a few tokens: the cache written by each schedule must be identical too.
            for (int i = 0; i < 4; ++i) {
                tokens.push_back(argmax(last));
                last = step(*runner, tokens, static_cast<int32_t>(tokens.size()) - 1, 1, pages);
                all.insert(all.end(), last.begin(), last.end());
            }
            results.push_back(all);
        }
        for (size_t i = 1; i < results.size(); ++i)
            EXPECT_TRUE(bitwise_equal(results[0], results[i])) << folder << ": schedule " << i << " differs";
    }
}

TEST(CpuBackendExactness, ShuffledNonContiguousPagesGiveTheSameLogits) {
    const Fixture f = load_fixture("qwen2-tiny-bf16", "qwen2-tiny-bf16");
    ASSERT_TRUE(f.model);
    const auto prompt = ids_of(f.ref["prompts"][3]["token_ids"]);
    auto contiguous = make_runner(f, 4, 64);
    const auto expected = prefill(*contiguous, prompt, {7, 9}, contiguous_pages(18));
    // 18 pages picked out of order, with gaps, from a pool of 64; page_size 4 so the 71-token
    // prompt and its chunks straddle many page boundaries.
    std::vector<int32_t> pool = contiguous_pages(64);
    std::mt19937 rng(7);
    std::shuffle(pool.begin(), pool.end(), rng);
    const std::vector<int32_t> pages(pool.begin(), pool.begin() + 18);
    auto shuffled = make_runner(f, 4, 64);
    EXPECT_TRUE(bitwise_equal(prefill(*shuffled, prompt, {7, 9}, pages), expected));
    // A different page size changes only where K/V live, not the numbers.
    auto big_pages = make_runner(f, 16, 8);
    EXPECT_TRUE(bitwise_equal(prefill(*big_pages, prompt, {7, 9}, contiguous_pages(5)), expected));
    EXPECT_LE(max_abs_diff(expected, f.ref["prompts"][3]["last_logits"]), f.tolerance);
}

TEST(CpuBackendExactness, BatchOfSequencesEqualsEachRunAlone) {
    const Fixture f = load_fixture("llama-tiny-fp16", "llama-tiny-fp16");
    ASSERT_TRUE(f.model);
    const auto a = ids_of(f.ref["prompts"][3]["token_ids"]);  // 71 tokens
    const auto b = ids_of(f.ref["prompts"][2]["token_ids"]);  // 13 tokens
    const auto c = ids_of(f.ref["prompts"][1]["token_ids"]);  // 6 tokens
    const std::vector<int32_t> pages_a = {40, 3, 17, 8, 22, 9, 31, 0, 12, 5, 27, 14, 35, 2, 19, 44, 6, 11};
    const std::vector<int32_t> pages_b = {1, 30, 4, 23};
    const std::vector<int32_t> pages_c = {47, 33};

    // Alone: a has 60 tokens cached and computes 11 more; b has 12 cached and decodes its 13th;
    // c is a fresh 6-token prompt whose logits nobody wants this step.
    auto alone = make_runner(f, 4, 48);
    prefill(*alone, std::vector<int32_t>(a.begin(), a.begin() + 60), {}, pages_a);
    const auto expect_a = step(*alone, a, 60, 11, pages_a);
    prefill(*alone, std::vector<int32_t>(b.begin(), b.begin() + 12), {}, pages_b);
    const auto expect_b = step(*alone, b, 12, 1, pages_b);
    const auto expect_c_next = [&] {
        auto r = make_runner(f, 4, 48);
        prefill(*r, c, {}, pages_c);
        std::vector<int32_t> more = c;
        more.push_back(7);
        return step(*r, more, 6, 1, pages_c);
    }();

    auto batched = make_runner(f, 4, 48);
    prefill(*batched, std::vector<int32_t>(a.begin(), a.begin() + 60), {}, pages_a);
    prefill(*batched, std::vector<int32_t>(b.begin(), b.begin() + 12), {}, pages_b);
    ForwardBatch batch;
    batch.token_ids.insert(batch.token_ids.end(), a.begin() + 60, a.end());
    batch.token_ids.push_back(b[12]);
    batch.token_ids.insert(batch.token_ids.end(), c.begin(), c.end());
    batch.seqs.push_back({0, 11, 60, pages_a, true});
    batch.seqs.push_back({11, 1, 12, pages_b, true});
    batch.seqs.push_back({12, 6, 0, pages_c, false});
    std::vector<float> logits;
    ASSERT_TRUE(batched->forward(batch, logits).ok());
    ASSERT_EQ(logits.size(), 2u * 512u);  // no row for c
    EXPECT_TRUE(bitwise_equal(std::vector<float>(logits.begin(), logits.begin() + 512), expect_a));
    EXPECT_TRUE(bitwise_equal(std::vector<float>(logits.begin() + 512, logits.end()), expect_b));
    // c's K/V were written by the batch: its next decode matches the run alone.
    std::vector<int32_t> more = c;
    more.push_back(7);
    EXPECT_TRUE(bitwise_equal(step(*batched, more, 6, 1, pages_c), expect_c_next));
}

TEST(CpuBackendExactness, ThreadCountDoesNotChangeBits) {
    const Fixture f = load_fixture("qwen2-tiny-bf16", "qwen2-tiny-bf16");
    ASSERT_TRUE(f.model);
    const auto prompt = ids_of(f.ref["prompts"][3]["token_ids"]);
    auto one = make_runner(f, 4, 32, 1);
    auto three = make_runner(f, 4, 32, 3);
    EXPECT_TRUE(bitwise_equal(prefill(*one, prompt, {20}, contiguous_pages(32)),
                              prefill(*three, prompt, {20}, contiguous_pages(32))));
}

TEST(CpuBackend, InfoDescribesThePool) {
    const Fixture f = load_fixture("llama-tiny-fp16", "llama-tiny-fp16");
    ASSERT_TRUE(f.model);
    CpuRunnerOptions o;
    o.num_pages = 10;
    o.page_size = 8;
    o.max_context_len = 100;
    auto r = CpuModelRunner::create(f.model, o);
    ASSERT_TRUE(r.ok()) << r.message();
    const RunnerInfo info = r.value()->info();
    EXPECT_EQ(info.vocab_size, 512);
    EXPECT_EQ(info.max_context_len, 100);
    EXPECT_EQ(info.page_size, 8);
    EXPECT_EQ(info.num_pages, 10);
    EXPECT_EQ(info.kv_bytes_per_token, 2 * 2 * 1 * 24 * 4);  // K+V, 2 layers, 1 kv head, head_dim 24, fp32
    o.max_context_len = 0;
    EXPECT_EQ(CpuModelRunner::create(f.model, o).value()->info().max_context_len, 512);
    o.num_pages = 0;
    auto bad = CpuModelRunner::create(f.model, o);
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.message().find("at least one page"), std::string::npos) << bad.message();
}

TEST(CpuBackend, InvalidBatchesAreErrorsNotCrashes) {
    const Fixture f = load_fixture("qwen2-tiny-bf16", "qwen2-tiny-bf16");
    ASSERT_TRUE(f.model);
    CpuRunnerOptions o;
    o.num_pages = 8;
    o.page_size = 4;
    o.max_context_len = 24;
    auto runner = std::move(CpuModelRunner::create(f.model, o)).value();
    struct Row { const char *name; ForwardBatch batch; const char *needle; };
    std::vector<Row> rows = {
        {"page out of range", {{1, 2, 3}, {{0, 3, 0, {9}, true}}}, "page id 9 is outside the KV pool [0, 8)"},
        {"negative page", {{1, 2, 3}, {{0, 3, 0, {-1}, true}}}, "page id -1 is outside"},
        {"table too short", {{1, 2, 3}, {{0, 3, 3, {0}, true}}}, "covers 4 positions but the step needs 6"},
        {"past context", {{1}, {{0, 1, 24, {0, 1, 2, 3, 4, 5, 6}, true}}}, "position 24 is past the context length 24"},
        {"token outside vocab", {{1, 512}, {{0, 2, 0, {0}, true}}}, "token id 512 at index 1 is outside the vocabulary"},
        {"empty query", {{}, {{0, 0, 0, {0}, true}}}, "query_len must be at least 1"},
        {"gap in tokens", {{1, 2, 3}, {{1, 2, 0, {0}, true}}}, "query_start is 1 but its tokens begin at 0"},
        {"too few tokens", {{1}, {{0, 2, 0, {0}, true}}}, "run past the end of token_ids"},
        {"extra tokens", {{1, 2}, {{0, 1, 0, {0}, true}}}, "token_ids holds 2 tokens but the sequences' query_len add up to 1"},
        {"two writers of one slot", {{1, 2}, {{0, 1, 0, {3}, true}, {1, 1, 0, {3}, true}}},
         "writes KV page 3 slot 0, which sequence 0 also writes"},
    };
    for (auto &row : rows) {
        std::vector<float> logits = {1.0f};
        Status s = runner->forward(row.batch, logits);
        ASSERT_FALSE(s.ok()) << row.name;
        EXPECT_NE(s.message().find(row.needle), std::string::npos) << row.name << ": " << s.message();
        EXPECT_TRUE(logits.empty()) << row.name;
    }
    // The runner still works after the rejected batches.
    std::vector<float> logits;
    ASSERT_TRUE(runner->forward({{1, 17}, {{0, 2, 0, {5}, true}}}, logits).ok());
    EXPECT_EQ(logits.size(), 512u);
    ASSERT_TRUE(runner->forward({}, logits).ok());
    EXPECT_TRUE(logits.empty());
}
