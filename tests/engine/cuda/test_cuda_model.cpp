// The CUDA backend on the tiny fixtures against transformers' fp32 references and the CPU
// backend. The CUDA graph runs bf16 weights and activations, so logits are compared within a
// tolerance: 4% of the largest |logit| of the fixture (measured values are printed), and greedy
// continuations must equal the reference except where the reference's own top-2 gap is below
// that tolerance (a bf16 near-tie), after which the sequences are not compared further.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>

#include "cpu/cpu_model_runner.h"
#include "cuda/cuda_runner.h"
#include "model/model_loader.h"

namespace fs = std::filesystem;
using namespace slipway::engine;
using nlohmann::json;

namespace {

const fs::path kFixtures = SLIPWAY_ENGINE_FIXTURES;
constexpr double kRelTolerance = 0.04;

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

std::unique_ptr<CudaRunner> make_runner(const Fixture &f, bool graphs = true, int32_t page_size = 4) {
    CudaRunnerOptions o;
    o.page_size = page_size;
    o.num_pages = 256;
    o.cuda_graph_max_bs = 8;
    o.disable_cuda_graph = !graphs;
    o.max_tokens_per_step = 256;
    auto r = create_cuda_runner(f.model, o);
    EXPECT_TRUE(r.ok()) << r.message();
    return r.ok() ? std::move(r).value() : nullptr;
}

std::vector<int32_t> ids_of(const json &j) { return j.get<std::vector<int32_t>>(); }
std::vector<int32_t> pages(int64_t n, int32_t first = 0) {
    std::vector<int32_t> p(static_cast<size_t>(n));
    std::iota(p.begin(), p.end(), first);
    return p;
}

std::vector<float> step(ModelRunner &r, const std::vector<int32_t> &tokens, int32_t from, int32_t len,
                        const std::vector<int32_t> &pt) {
    ForwardBatch b;
    b.token_ids.assign(tokens.begin() + from, tokens.begin() + from + len);
    SequenceSlice s;
    s.query_len = len;
    s.context_len = from;
    s.page_table = pt;
    b.seqs.push_back(s);
    std::vector<float> logits;
    Status st = r.forward(b, logits);
    EXPECT_TRUE(st.ok()) << st.message();
    return logits;
}

double max_abs_diff(const std::vector<float> &a, const std::vector<float> &b) {
    EXPECT_EQ(a.size(), b.size());
    double d = 0;
    for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) d = std::max(d, std::abs(static_cast<double>(a[i]) - b[i]));
    return d;
}

int32_t argmax(const std::vector<float> &v) { return static_cast<int32_t>(std::max_element(v.begin(), v.end()) - v.begin()); }
double top2_gap(std::vector<float> v) {
    std::partial_sort(v.begin(), v.begin() + 2, v.end(), std::greater<float>());
    return v[0] - v[1];
}

struct Case { const char *folder; const char *reference; };
void PrintTo(const Case &c, std::ostream *os) { *os << c.folder; }
const Case kCases[] = {{"qwen2-tiny-bf16", "qwen2-tiny-bf16"}, {"llama-tiny-fp16", "llama-tiny-fp16"}};

class CudaVsReferences : public ::testing::TestWithParam<Case> {};

} // namespace

TEST_P(CudaVsReferences, PromptLogitsMatchTransformersAndCpu) {
    const Fixture f = load_fixture(GetParam().folder, GetParam().reference);
    ASSERT_TRUE(f.model);
    CpuRunnerOptions co;
    co.num_pages = 96;
    co.page_size = 4;
    co.num_threads = 2;
    auto cpu = CpuModelRunner::create(f.model, co);
    ASSERT_TRUE(cpu.ok()) << cpu.message();
    double worst = 0;
    for (const auto &p : f.ref["prompts"]) {
        auto gpu = make_runner(f);
        ASSERT_TRUE(gpu);
        const auto tokens = ids_of(p["token_ids"]);
        const auto n = static_cast<int32_t>(tokens.size());
        const auto logits = step(*gpu, tokens, 0, n, pages(96));
        const auto expected = p["last_logits"].get<std::vector<float>>();
        const auto cpu_logits = step(*cpu.value(), tokens, 0, n, pages(96));
        const double d = max_abs_diff(logits, expected);
        EXPECT_LE(d, f.tolerance) << p["name"];
        EXPECT_LE(max_abs_diff(logits, cpu_logits), f.tolerance) << p["name"];
        if (top2_gap(expected) > 2 * d) EXPECT_EQ(argmax(logits), argmax(expected)) << p["name"];
        worst = std::max(worst, d);
    }
    std::printf("[ measured ] %s: max |logit - transformers| = %.3g (tolerance %.3g, max |logit| %.3g)\n",
                GetParam().folder, worst, f.tolerance, f.ref["max_abs_logit"].get<double>());
}

TEST_P(CudaVsReferences, GreedyContinuationsMatch) {
    const Fixture f = load_fixture(GetParam().folder, GetParam().reference);
    ASSERT_TRUE(f.model);
    int checked = 0, exact = 0;
    for (const auto &p : f.ref["prompts"]) {
        if (!p.contains("greedy")) continue;
        for (bool graphs : {true, false}) {
            auto gpu = make_runner(f, graphs);
            ASSERT_TRUE(gpu);
            auto tokens = ids_of(p["token_ids"]);
            const auto expected = ids_of(p["greedy"]["new_token_ids"]);
            const auto pt = pages(96);
            auto logits = step(*gpu, tokens, 0, static_cast<int32_t>(tokens.size()), pt);
            bool all = true;
            for (size_t i = 0; i < expected.size(); ++i) {
                const int32_t next = argmax(logits);
                if (next != expected[i]) {
                    // Allowed only at a near-tie of this model's own logits.
                    std::vector<float> sorted = logits;
                    std::partial_sort(sorted.begin(), sorted.begin() + 2, sorted.end(), std::greater<float>());
                    EXPECT_LE(sorted[0] - logits[static_cast<size_t>(expected[i])], f.tolerance)
                        << p["name"] << " step " << i << (graphs ? " (graphs)" : "");
                    all = false;
                    break;
                }
                tokens.push_back(next);
                logits = step(*gpu, tokens, static_cast<int32_t>(tokens.size()) - 1, 1, pt);
            }
            exact += all ? 1 : 0;
            ++checked;
        }
    }
    std::printf("[ measured ] %s: %d of %d greedy continuations equal transformers token for token\n",
                GetParam().folder, exact, checked);
    EXPECT_EQ(checked, 6);
}

TEST_P(CudaVsReferences, GraphAndEagerDecodeAgreeInABatch) {
    const Fixture f = load_fixture(GetParam().folder, GetParam().reference);
    ASSERT_TRUE(f.model);
    auto with = make_runner(f, true), without = make_runner(f, false);
    ASSERT_TRUE(with && without);
    // Three sequences prefilled together (ragged), then decoded together: batch 3 pads to graph 4.
    const auto a = ids_of(f.ref["prompts"][1]["token_ids"]), b = ids_of(f.ref["prompts"][2]["token_ids"]),
               c = ids_of(f.ref["prompts"][3]["token_ids"]);
    std::vector<std::vector<int32_t>> seqs{a, b, c};
    ForwardBatch pre;
    for (size_t i = 0; i < seqs.size(); ++i) {
        SequenceSlice s;
        s.query_start = static_cast<int32_t>(pre.token_ids.size());
        s.query_len = static_cast<int32_t>(seqs[i].size());
        s.page_table = pages(40, static_cast<int32_t>(i * 40));
        pre.seqs.push_back(s);
        pre.token_ids.insert(pre.token_ids.end(), seqs[i].begin(), seqs[i].end());
    }
    std::vector<float> l1, l2;
    ASSERT_TRUE(with->forward(pre, l1).ok());
    ASSERT_TRUE(without->forward(pre, l2).ok());
    EXPECT_EQ(l1, l2);  // same eager path: bitwise
    for (int stepn = 0; stepn < 6; ++stepn) {
        ForwardBatch d;
        for (size_t i = 0; i < seqs.size(); ++i) {
            const int32_t next = argmax(std::vector<float>(l1.begin() + static_cast<ptrdiff_t>(i * f.model->config.vocab_size),
                                                           l1.begin() + static_cast<ptrdiff_t>((i + 1) * f.model->config.vocab_size)));
            SequenceSlice s;
            s.query_start = static_cast<int32_t>(i);
            s.query_len = 1;
            s.context_len = static_cast<int32_t>(seqs[i].size());
            s.page_table = pages(40, static_cast<int32_t>(i * 40));
            seqs[i].push_back(next);
            d.seqs.push_back(s);
            d.token_ids.push_back(next);
        }
        ASSERT_TRUE(with->forward(d, l1).ok());
        ASSERT_TRUE(without->forward(d, l2).ok());
        // Split-KV counts differ between the padded graph and the eager launch: fp32 rounding only.
        EXPECT_LE(max_abs_diff(l1, l2), 1e-3 * std::max(1.0, f.ref["max_abs_logit"].get<double>())) << "step " << stepn;
    }
}

TEST_P(CudaVsReferences, DeviceSamplingGreedyEqualsArgmaxAndRejectsBadRows) {
    const Fixture f = load_fixture(GetParam().folder, GetParam().reference);
    ASSERT_TRUE(f.model);
    auto r1 = make_runner(f), r2 = make_runner(f);
    const auto tokens = ids_of(f.ref["prompts"][3]["token_ids"]);
    ForwardBatch b;
    SequenceSlice s;
    s.query_len = static_cast<int32_t>(tokens.size());
    s.page_table = pages(40);
    b.seqs.push_back(s);
    b.token_ids = tokens;
    std::vector<float> logits;
    ASSERT_TRUE(r1->forward(b, logits).ok());
    std::vector<DeviceSampling> greedy(1);
    greedy[0].temperature = 0.0f;
    std::vector<int32_t> out;
    Status st = r2->forward_sample(b, greedy, out);
    ASSERT_TRUE(st.ok()) << st.message();
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0], argmax(logits));
    EXPECT_FALSE(r2->forward_sample(b, {}, out).ok());
    // A page outside the pool is an error, not a crash.
    b.seqs[0].page_table[0] = 100000;
    EXPECT_FALSE(r1->forward(b, logits).ok());
}

INSTANTIATE_TEST_SUITE_P(Fixtures, CudaVsReferences, ::testing::ValuesIn(kCases), [](const auto &info) {
    std::string n = info.param.folder;
    std::replace(n.begin(), n.end(), '-', '_');
    return n;
});
