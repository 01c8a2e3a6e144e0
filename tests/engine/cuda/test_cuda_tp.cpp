// Tensor parallelism on the CUDA backend (engine/cuda/tp_runner.h) against TP 1 on the same
// GPU code: the tiny fixtures (the Llama ones have 1 KV head, so TP 2 replicates it; Qwen2 has
// 2, so TP 4 does), a small random-weight shape and the 7B shape with random weights, whose
// shards are drawn from the TP 1 model.
//
// Tolerance: logits within 2% of the fixture's largest |logit| (max(1, ...)) of TP 1's. TP
// differs from TP 1 only in rounding: each rank's o_proj / down_proj partial is rounded to bf16
// and the all-reduce sums in bf16. Greedy continuations must equal TP 1's token for token,
// except at a near-tie of TP 1's own logits (its logit gap to TP's pick within the tolerance),
// after which that sequence is not compared further; the count of exact sequences is printed.
//
// Needs 2 GPUs (4 for the TP 4 cases); skips otherwise. NCCL_NVLS_ENABLE=0 is set unless the
// environment sets it.
#include <cuda_runtime.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>
#include <sstream>
#include <thread>

#include "cuda/cuda_runner.h"
#include "cuda_test_support.h"
#include "cuda/tp_runner.h"
#include "cuda/tp_shard.h"
#include "model/model_loader.h"

namespace fs = std::filesystem;
using namespace slipway::engine;
using nlohmann::json;

namespace {

const fs::path kFixtures = SLIPWAY_ENGINE_FIXTURES;
constexpr double kRelTolerance = 0.02;
constexpr uint64_t kSeed = 4242;

// NVLS (NVLink multicast) must stay off on the test machines; set before any NCCL call.
const bool kNvlsOff = [] { return setenv("NCCL_NVLS_ENABLE", "0", 0) == 0; }();

using cuda::test::gpu_count;

#define REQUIRE_GPUS(n)                                                                                   \
    do {                                                                                                  \
        const int have_ = gpu_count();                                                                    \
        if (have_ < (n))                                                                                  \
            GTEST_SKIP() << "tensor parallelism over " << (n) << " GPUs needs " << (n) << " GPUs; " << have_ \
                         << " visible";                                                                   \
    } while (0)

json read_json(const fs::path &p) {
    std::ifstream in(p);
    std::ostringstream ss;
    ss << in.rdbuf();
    return json::parse(ss.str());
}

CudaRunnerOptions runner_options(bool graphs, int device = 0) {
    CudaRunnerOptions o;
    o.device = device;
    o.page_size = 4;
    o.num_pages = 512;
    o.cuda_graph_max_bs = 8;
    o.disable_cuda_graph = !graphs;
    o.max_tokens_per_step = 256;
    return o;
}

dist::ParallelLayout one_node(int tp) {
    dist::ParallelLayout l;
    l.world_size = tp;
    l.gpus_per_node = tp;
    return l;
}

// tp 1: the plain runner; else the TP runner on GPUs 0..tp-1. `random` when model is null.
std::unique_ptr<CudaRunner> make(const std::shared_ptr<const LoadedModel> &model, const ModelConfig *random, int tp,
                                 bool graphs = true) {
    EXPECT_TRUE(kNvlsOff);
    StatusOr<std::unique_ptr<CudaRunner>> r = Status::error("not made");
    if (tp == 1) {
        r = model ? create_cuda_runner(model, runner_options(graphs))
                  : create_cuda_runner_random(*random, runner_options(graphs), kSeed);
    } else {
        auto id = cuda_nccl_unique_id();
        EXPECT_TRUE(id.ok()) << id.message();
        if (!id.ok()) return nullptr;
        CudaTpOptions o;
        o.layout = one_node(tp);
        o.nccl_id = id.value();
        o.runner = runner_options(graphs);
        r = model ? create_cuda_tp_runner(model, o, {}) : create_cuda_tp_runner_random(*random, o, kSeed, {});
    }
    EXPECT_TRUE(r.ok()) << r.message();
    return r.ok() ? std::move(r).value() : nullptr;
}

std::vector<int32_t> page_range(int64_t n, int64_t first) {
    std::vector<int32_t> p(static_cast<size_t>(n));
    std::iota(p.begin(), p.end(), static_cast<int32_t>(first));
    return p;
}

ForwardBatch one_seq(const std::vector<int32_t> &tokens, int32_t from, int32_t len, const std::vector<int32_t> &pt) {
    ForwardBatch b;
    b.token_ids.assign(tokens.begin() + from, tokens.begin() + from + len);
    SequenceSlice s;
    s.query_len = len;
    s.context_len = from;
    s.page_table = pt;
    b.seqs.push_back(s);
    return b;
}

std::vector<float> logits_of(ModelRunner &r, const ForwardBatch &b) {
    std::vector<float> logits;
    Status st = r.forward(b, logits);
    EXPECT_TRUE(st.ok()) << st.message();
    return logits;
}

double max_abs(const std::vector<float> &v) {
    double m = 0;
    for (float x : v) m = std::max(m, std::abs(static_cast<double>(x)));
    return m;
}

double max_abs_diff(const std::vector<float> &a, const std::vector<float> &b) {
    EXPECT_EQ(a.size(), b.size());
    double d = 0;
    for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) d = std::max(d, std::abs(static_cast<double>(a[i]) - b[i]));
    return d;
}

int32_t argmax(const std::vector<float> &v, size_t row = 0, size_t vocab = 0) {
    if (vocab == 0) vocab = v.size();
    const auto begin = v.begin() + static_cast<ptrdiff_t>(row * vocab);
    return static_cast<int32_t>(std::max_element(begin, begin + static_cast<ptrdiff_t>(vocab)) - begin);
}

// Whether TP's token may differ from TP 1's here: TP 1's own logits nearly tie the two.
bool near_tie(const std::vector<float> &tp1_logits, int32_t tp1_token, int32_t tp_token, double tolerance) {
    return tp1_logits[static_cast<size_t>(tp1_token)] - tp1_logits[static_cast<size_t>(tp_token)] <= tolerance;
}

// `len` token ids drawn uniformly from the vocabulary.
std::vector<int32_t> random_prompt(std::mt19937 &rng, int64_t vocab, size_t len) {
    std::uniform_int_distribution<int32_t> tok(0, static_cast<int32_t>(vocab - 1));
    std::vector<int32_t> prompt(len);
    for (int32_t &t : prompt) t = tok(rng);
    return prompt;
}

// `rel` of the largest |logit| `reference` gives for prompt's prefill (pages 400-447).
double tolerance_for(CudaRunner &reference, const std::vector<int32_t> &prompt, double rel) {
    const std::vector<float> probe =
        logits_of(reference, one_seq(prompt, 0, static_cast<int32_t>(prompt.size()), page_range(48, 400)));
    return rel * std::max(1e-3, max_abs(probe));
}

struct Measured {
    double worst_diff = 0;
    int exact = 0, compared = 0;
};

// Prefill `prompt` on both runners, then decode greedily `steps` tokens with forward() on both,
// comparing logits every step; then the same with forward_greedy() on TP (other pages).
void compare_sequence(CudaRunner &tp1, CudaRunner &tp, const std::vector<int32_t> &prompt, int steps, int64_t first_page,
                      double tolerance, Measured &m, const std::string &what) {
    const auto pt = page_range(48, first_page), pt_greedy = page_range(48, first_page + 48);
    std::vector<int32_t> seq = prompt;
    const auto n = static_cast<int32_t>(prompt.size());
    std::vector<float> a = logits_of(tp1, one_seq(seq, 0, n, pt)), b = logits_of(tp, one_seq(seq, 0, n, pt));
    ASSERT_FALSE(a.empty());
    bool exact = true;
    for (int i = 0;; ++i) {
        const double d = max_abs_diff(a, b);
        m.worst_diff = std::max(m.worst_diff, d);
        EXPECT_LE(d, tolerance) << what << " step " << i;
        const int32_t ta = argmax(a), tb = argmax(b);
        if (ta != tb) {
            EXPECT_TRUE(near_tie(a, ta, tb, tolerance)) << what << " step " << i << ": TP picked " << tb << ", TP 1 " << ta;
            exact = false;
            break;
        }
        if (i == steps) break;
        seq.push_back(ta);
        const auto at = static_cast<int32_t>(seq.size()) - 1;
        a = logits_of(tp1, one_seq(seq, at, 1, pt));
        b = logits_of(tp, one_seq(seq, at, 1, pt));
    }
    // forward_greedy (the greedy head: per-rank argmax + gather) must pick the tokens forward's
    // logits picked, as far as they were compared exactly.
    // (seq holds the prompt and the tokens both runners agreed on.)
    std::vector<int32_t> g = prompt, out;
    for (size_t at = 0; g.size() < seq.size();) {
        const auto len = static_cast<int32_t>(g.size() - at);
        Status st = tp.forward_greedy(one_seq(g, static_cast<int32_t>(at), len, pt_greedy), out);
        ASSERT_TRUE(st.ok()) << st.message();
        ASSERT_EQ(out.size(), 1u);
        EXPECT_EQ(out[0], seq[g.size()]) << what << " forward_greedy at position " << g.size();
        at = g.size();
        g.push_back(seq[g.size()]);
    }
    m.exact += exact ? 1 : 0;
    ++m.compared;
}

struct FixtureCase {
    const char *folder;
    const char *reference;
    int tp;
};
void PrintTo(const FixtureCase &c, std::ostream *os) { *os << c.folder << " tp " << c.tp; }

const FixtureCase kFixtureCases[] = {
    {"qwen2-tiny-bf16", "qwen2-tiny-bf16", 2},          {"llama-tiny-fp16", "llama-tiny-fp16", 2},
    {"llama-tiny-fp32-sharded", "llama-tiny-fp16", 2},  {"qwen2-tiny-bf16", "qwen2-tiny-bf16", 4},
    {"llama-tiny-fp16", "llama-tiny-fp16", 4},
};

class TpFixture : public ::testing::TestWithParam<FixtureCase> {};

// A Qwen2-like random shape: 8 heads over 2 KV heads (TP 4 replicates them) and a vocabulary
// that does not divide by 2 or 4 (the last rank's slice is padded).
ModelConfig random_shape() {
    ModelConfig c;
    c.architecture_name = "Qwen2ForCausalLM";
    c.architecture = Architecture::Qwen2;
    c.vocab_size = 1001;
    c.hidden_size = 256;
    c.intermediate_size = 640;
    c.num_layers = 3;
    c.num_heads = 8;
    c.num_kv_heads = 2;
    c.head_dim = 32;
    c.max_position_embeddings = 1024;
    c.rms_norm_eps = 1e-6;
    c.qkv_bias = true;
    c.tie_word_embeddings = false;
    return c;
}

} // namespace

TEST_P(TpFixture, LogitsAndGreedyContinuationsMatchTp1) {
    const FixtureCase &fc = GetParam();
    REQUIRE_GPUS(fc.tp);
    auto loaded = load_model(kFixtures / fc.folder);
    ASSERT_TRUE(loaded.ok()) << loaded.message();
    const auto model = loaded.value();
    const json ref = read_json(kFixtures / (std::string(fc.reference) + ".reference.json"));
    const double tolerance = kRelTolerance * std::max(1.0, ref["max_abs_logit"].get<double>());
    auto tp1 = make(model, nullptr, 1), tp = make(model, nullptr, fc.tp);
    ASSERT_TRUE(tp1 && tp);
    EXPECT_EQ(tp->info().vocab_size, tp1->info().vocab_size);
    EXPECT_EQ(tp->info().num_pages, tp1->info().num_pages);
    Measured m;
    int64_t first_page = 0;
    for (const auto &p : ref["prompts"]) {
        const int steps = p.contains("greedy") ? static_cast<int>(p["greedy"]["new_token_ids"].size()) : 4;
        compare_sequence(*tp1, *tp, p["token_ids"].get<std::vector<int32_t>>(), steps, first_page, tolerance, m,
                         p["name"].get<std::string>());
        first_page += 96;
    }
    std::printf("[ measured ] %s tp %d: max |logit - TP 1| = %.3g (tolerance %.3g); %d of %d greedy sequences "
                "equal TP 1 token for token\n",
                fc.folder, fc.tp, m.worst_diff, tolerance, m.exact, m.compared);
}

TEST_P(TpFixture, BatchedDecodeWithAndWithoutGraphsAndDeviceSampling) {
    const FixtureCase &fc = GetParam();
    REQUIRE_GPUS(fc.tp);
    auto loaded = load_model(kFixtures / fc.folder);
    ASSERT_TRUE(loaded.ok()) << loaded.message();
    const auto model = loaded.value();
    const json ref = read_json(kFixtures / (std::string(fc.reference) + ".reference.json"));
    const double tolerance = kRelTolerance * std::max(1.0, ref["max_abs_logit"].get<double>());
    auto tp1 = make(model, nullptr, 1), graphs = make(model, nullptr, fc.tp, true),
         eager = make(model, nullptr, fc.tp, false);
    ASSERT_TRUE(tp1 && graphs && eager);
    const size_t V = static_cast<size_t>(model->config.vocab_size);
    // Three sequences prefilled together (ragged), then decoded together: batch 3 pads to graph 4.
    std::vector<std::vector<int32_t>> seqs;
    for (int i = 1; i <= 3; ++i) seqs.push_back(ref["prompts"][i]["token_ids"].get<std::vector<int32_t>>());
    ForwardBatch pre;
    for (size_t i = 0; i < seqs.size(); ++i) {
        SequenceSlice s;
        s.query_start = static_cast<int32_t>(pre.token_ids.size());
        s.query_len = static_cast<int32_t>(seqs[i].size());
        s.page_table = page_range(40, static_cast<int64_t>(i) * 40);
        pre.seqs.push_back(s);
        pre.token_ids.insert(pre.token_ids.end(), seqs[i].begin(), seqs[i].end());
    }
    const std::vector<float> l1 = logits_of(*tp1, pre), lg = logits_of(*graphs, pre), le = logits_of(*eager, pre);
    EXPECT_LE(max_abs_diff(lg, l1), tolerance);
    // The same eager prefill on the same shards (GEMM autotuning may pick other kernels: fp32 rounding).
    EXPECT_LE(max_abs_diff(lg, le), 1e-3 * std::max(1.0, ref["max_abs_logit"].get<double>()));
    std::vector<bool> live(seqs.size(), true);
    std::vector<float> last = l1;
    for (int step = 0; step < 6; ++step) {
        ForwardBatch d;
        std::vector<DeviceSampling> sampling;
        for (size_t i = 0; i < seqs.size(); ++i) {
            SequenceSlice s;
            s.query_start = static_cast<int32_t>(i);
            s.query_len = 1;
            s.context_len = static_cast<int32_t>(seqs[i].size());
            s.page_table = page_range(40, static_cast<int64_t>(i) * 40);
            const int32_t next = argmax(last, i, V);
            seqs[i].push_back(next);
            d.seqs.push_back(s);
            d.token_ids.push_back(next);
            DeviceSampling ds;
            ds.temperature = i == 1 ? 0.7f : 0.0f;
            ds.top_k = 1;  // with top_k 1 every row is the argmax, whatever the temperature
            sampling.push_back(ds);
        }
        std::vector<int32_t> tg, te, ts;
        const std::vector<float> ref_logits = logits_of(*tp1, d);
        ASSERT_TRUE(graphs->forward_greedy(d, tg).ok());
        ASSERT_TRUE(eager->forward_greedy(d, te).ok());
        // The graph runner again, through forward() (logits gathered after the graph), would
        // write the same KV; forward_sample on the eager runner likewise.
        const std::vector<float> lgd = logits_of(*graphs, d);
        Status st = eager->forward_sample(d, sampling, ts);
        ASSERT_TRUE(st.ok()) << st.message();
        EXPECT_LE(max_abs_diff(lgd, ref_logits), tolerance) << "step " << step;
        for (size_t i = 0; i < seqs.size(); ++i) {
            if (!live[i]) continue;
            const int32_t want = argmax(ref_logits, i, V);
            const std::vector<float> row(ref_logits.begin() + static_cast<ptrdiff_t>(i * V),
                                         ref_logits.begin() + static_cast<ptrdiff_t>((i + 1) * V));
            EXPECT_EQ(tg[i], argmax(lgd, i, V)) << "greedy head vs gathered logits, seq " << i << " step " << step;
            EXPECT_EQ(te[i], ts[i]) << "eager greedy vs eager sampling (top_k 1), seq " << i << " step " << step;
            for (int32_t got : {tg[i], te[i]})
                if (got != want) {
                    EXPECT_TRUE(near_tie(row, want, got, tolerance)) << "seq " << i << " step " << step;
                    live[i] = false;
                }
        }
        last = ref_logits;
    }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, TpFixture, ::testing::ValuesIn(kFixtureCases), [](const auto &info) {
    std::string n = std::string(info.param.folder) + "_tp" + std::to_string(info.param.tp);
    std::replace(n.begin(), n.end(), '-', '_');
    return n;
});

class TpRandomShape : public ::testing::TestWithParam<int> {};

TEST_P(TpRandomShape, ShardsOfTheTp1RandomModelComputeTheSameFunction) {
    const int tp = GetParam();
    REQUIRE_GPUS(tp);
    const ModelConfig c = random_shape();
    auto tp1 = make(nullptr, &c, 1), tpn = make(nullptr, &c, tp);
    ASSERT_TRUE(tp1 && tpn);
    std::mt19937 rng(11);
    Measured m;
    for (int s = 0; s < 3; ++s) {
        const auto prompt = random_prompt(rng, c.vocab_size, static_cast<size_t>(20 + 30 * s));
        compare_sequence(*tp1, *tpn, prompt, 10, static_cast<int64_t>(s) * 96,
                         tolerance_for(*tp1, prompt, kRelTolerance), m, "random prompt " + std::to_string(s));
    }
    std::printf("[ measured ] random shape tp %d: max |logit - TP 1| = %.3g; %d of %d greedy sequences equal\n", tp,
                m.worst_diff, m.exact, m.compared);
}

INSTANTIATE_TEST_SUITE_P(Tp, TpRandomShape, ::testing::Values(2, 4),
                         [](const auto &info) { return "tp" + std::to_string(info.param); });

// The same on the full DeepSeek-R1-Distill-Qwen-7B shape (the benchmark's config: 28 layers,
// hidden 3584, 28/4 heads, FFN 18944, vocabulary 152064) with random weights: the decode GEMV
// shapes, the peer all-reduce and the vocabulary-parallel head as they run in the benchmarks.
// Tolerance: 152,064 logits rather than the fixtures' ~1,000, and random (untrained) weights
// through which a rounding difference grows layer by layer (TP rounds each rank's o_proj and
// down_proj partial to bf16, and its GEMVs may sum in another order than TP 1's). The bounds are
// set from what 2 x H200 measured, with a margin, not derived: the 7B shape cut to 2 layers,
// every logit within 2 % of the largest |logit| and a relative RMS difference over the vocabulary
// within 2 % (measured: largest difference 0.063, relative RMS 1.0 %); the full 28 layers within
// 6 % on both measures (measured: 0.24 against a largest |logit| of 5.0-5.6, i.e. about 4.5 %,
// and 3.9 %, already at the prefill and not growing over the decode steps). A sharding
// error (a head, a bias or a vocabulary slice in the wrong place) moves logits by tens of percent.
// Greedy tokens as for the fixtures.
class TpSevenBShape : public ::testing::TestWithParam<int> {};

TEST_P(TpSevenBShape, ShardsOfTheTp1RandomModelComputeTheSameFunction) {
    const int tp = GetParam();
    REQUIRE_GPUS(tp);
    auto config = load_model_config(fs::path(SLIPWAY_SOURCE_DIR) / "engine/cuda/bench/configs/r1-distill-qwen-7b.json");
    ASSERT_TRUE(config.ok()) << config.message();
    for (const int layers : {2, 28}) {
        ModelConfig c = config.value();
        c.num_layers = layers;
        const double max_rel = layers == 2 ? kRelTolerance : 0.06, rms_bound = layers == 2 ? 0.02 : 0.06;
        auto tp1 = make(nullptr, &c, 1), tpn = make(nullptr, &c, tp);
        ASSERT_TRUE(tp1 && tpn);
        std::mt19937 rng(13);
        Measured m;
        double worst_rms = 0, largest = 0;
        for (int s = 0; s < 3; ++s) {
            const auto prompt = random_prompt(rng, c.vocab_size, static_cast<size_t>(17 + 60 * s));
            const auto n = static_cast<int32_t>(prompt.size());
            const std::vector<float> a = logits_of(*tp1, one_seq(prompt, 0, n, page_range(48, 400))),
                                     b = logits_of(*tpn, one_seq(prompt, 0, n, page_range(48, 400)));
            ASSERT_EQ(a.size(), b.size());
            double num = 0, den = 0;
            for (size_t i = 0; i < a.size(); ++i) {
                num += (static_cast<double>(a[i]) - b[i]) * (static_cast<double>(a[i]) - b[i]);
                den += static_cast<double>(a[i]) * a[i];
            }
            const double rms = std::sqrt(num / std::max(den, 1e-30));
            worst_rms = std::max(worst_rms, rms);
            const std::string what = std::to_string(layers) + "-layer 7B-shape prompt " + std::to_string(s);
            EXPECT_LE(rms, rms_bound) << what;
            largest = std::max(largest, max_abs(a));
            const double tolerance = max_rel * std::max(1e-3, max_abs(a));
            compare_sequence(*tp1, *tpn, prompt, 8, static_cast<int64_t>(s) * 96, tolerance, m, what);
        }
        std::printf("[ measured ] R1-Distill-Qwen-7B shape, %d layers, random weights, tp %d: max |logit - TP 1| = "
                    "%.3g (largest |logit| %.3g), relative RMS %.3g; %d of %d greedy sequences equal\n",
                    layers, tp, m.worst_diff, largest, worst_rms, m.exact, m.compared);
    }
}

INSTANTIATE_TEST_SUITE_P(Tp, TpSevenBShape, ::testing::Values(2, 4),
                         [](const auto &info) { return "tp" + std::to_string(info.param); });

// One node's ranks sum small steps through peer memory (engine/cuda/peer_group.h), fused with
// the add + RMSNorm; SLIPWAY_PEER_ALL_REDUCE=0 leaves every all-reduce to NCCL. Both must compute
// the same function (both round the fp32 sum to bf16; NCCL's order of summation inside a rank
// may differ) and pick the same greedy tokens, through graphs and eagerly; a step above the peer buffers' rows falls back
// to NCCL inside the peer-enabled runner.
TEST(TpPeerAllReduce, MatchesTheNcclPathAndFallsBackAboveItsRows) {
    REQUIRE_GPUS(2);
    const ModelConfig c = random_shape();
    ASSERT_EQ(unsetenv("SLIPWAY_PEER_ALL_REDUCE"), 0);
    auto peer = make(nullptr, &c, 2), peer_eager = make(nullptr, &c, 2, false);
    ASSERT_EQ(setenv("SLIPWAY_PEER_ALL_REDUCE", "pull", 1), 0);
    auto pull = make(nullptr, &c, 2);
    ASSERT_EQ(setenv("SLIPWAY_PEER_ALL_REDUCE", "0", 1), 0);
    auto nccl = make(nullptr, &c, 2);
    ASSERT_EQ(unsetenv("SLIPWAY_PEER_ALL_REDUCE"), 0);
    ASSERT_TRUE(peer && peer_eager && pull && nccl);
    EXPECT_NE(peer->report().device_name.find("peer memory (push) up to 512 tokens"), std::string::npos)
        << peer->report().device_name;
    EXPECT_NE(pull->report().device_name.find("peer memory (pull) up to 512 tokens"), std::string::npos)
        << pull->report().device_name;
    EXPECT_NE(nccl->report().device_name.find("NCCL (SLIPWAY_PEER_ALL_REDUCE=0)"), std::string::npos)
        << nccl->report().device_name;
    std::mt19937 rng(5);
    Measured m;
    for (int s = 0; s < 2; ++s) {
        const auto prompt = random_prompt(rng, c.vocab_size, static_cast<size_t>(25 + 40 * s));
        const double tolerance = tolerance_for(*nccl, prompt, kRelTolerance);
        compare_sequence(*nccl, *peer, prompt, 10, static_cast<int64_t>(s) * 96, tolerance, m,
                         "peer (graphs) prompt " + std::to_string(s));
        compare_sequence(*nccl, *peer_eager, prompt, 6, static_cast<int64_t>(s) * 96, tolerance, m,
                         "peer (eager) prompt " + std::to_string(s));
        compare_sequence(*nccl, *pull, prompt, 6, static_cast<int64_t>(s) * 96, tolerance, m,
                         "peer pull (graphs) prompt " + std::to_string(s));
    }
    // 600 tokens in one step: more than the peer buffers hold, so NCCL carries this one.
    const auto longp = random_prompt(rng, c.vocab_size, 600);
    const auto pt = page_range(150, 200);
    const std::vector<float> a = logits_of(*nccl, one_seq(longp, 0, 600, pt)),
                             b = logits_of(*peer, one_seq(longp, 0, 600, pt));
    const double tolerance = kRelTolerance * std::max(1e-3, max_abs(a));
    EXPECT_LE(max_abs_diff(a, b), tolerance);
    std::printf("[ measured ] peer all-reduce vs NCCL (random shape, tp 2): max |logit diff| = %.3g; %d of %d greedy "
                "sequences equal; 600-token step (NCCL fallback) %.3g\n",
                m.worst_diff, m.exact, m.compared, max_abs_diff(a, b));
}

// Two "nodes" in one process: node 0 (the leader, GPU 0) ships each plan through remote_sink
// to node 1 (a CudaTpWorker on GPU 1, its own thread), as engine/dist's control channel does
// between machines.
// Disabled: on an H200 x2 host this in-process variant (leader and "worker node" as two threads
// of one process, each its own NCCL communicator of one rank) runs its first 26 plans correctly
// (forward and forward_greedy, prefill and 12 decode steps each) and then hangs in the 27th, the
// first forward_sample; neither NCCL_RUNTIME_CONNECT=0 nor allocating the sampler's buffers
// before the first step (now done in ensure_capacity) changes that. Node 1 finishes that plan
// (so every collective of the step completed on both GPUs) while node 0 never returns from its
// forward_sample: the hang is local to node 0's rank, whose GPU also holds this test's TP 1
// runner (fourth session; node 1 prints each plan's result below). The same path across two real processes
// (tests/engine/dist/test_dist_gpu_nodes, worker first, NCCL over sockets, completions at
// temperature 0) passes on the same machine, and one node's ranks as threads (the tests above)
// pass forward_sample too. Run it with --gtest_also_run_disabled_tests to investigate.
TEST(TpTwoNodes, DISABLED_LeaderShipsPlansToAWorkerNode) {
    REQUIRE_GPUS(2);
    auto loaded = load_model(kFixtures / "qwen2-tiny-bf16");
    ASSERT_TRUE(loaded.ok()) << loaded.message();
    const auto model = loaded.value();
    auto id = cuda_nccl_unique_id();
    ASSERT_TRUE(id.ok()) << id.message();
    ASSERT_EQ(id->size(), 128u);

    // Node 1's state lives on the heap: if the leader cannot start, node 1 stays blocked in
    // NCCL's rendezvous and its thread is detached.
    struct Node1 {
        std::mutex mu;
        std::condition_variable cv;
        std::deque<dist::StepPlan> queue;
        std::vector<dist::StepKind> kinds;
        Status status;
        std::unique_ptr<CudaTpWorker> worker;
    };
    auto n1 = std::make_shared<Node1>();
    std::thread node1([n1, model, nccl_id = id.value()] {
        CudaTpOptions o;
        o.layout.world_size = 2;
        o.layout.nnodes = 2;
        o.layout.node_rank = 1;
        o.layout.gpus_per_node = 1;
        o.nccl_id = nccl_id;
        o.runner = runner_options(true, 1);  // both "nodes" share this host: node 1 takes GPU 1
        auto w = create_cuda_tp_worker(model, o);
        if (!w.ok()) {
            n1->status = w.status();
            return;
        }
        n1->worker = std::move(w).value();
        for (;;) {
            std::unique_lock lock(n1->mu);
            n1->cv.wait(lock, [&] { return !n1->queue.empty(); });
            dist::StepPlan plan = std::move(n1->queue.front());
            n1->queue.pop_front();
            lock.unlock();
            n1->kinds.push_back(plan.kind);
            Status st = n1->worker->execute(plan);
            std::fprintf(stderr, "[two nodes] node 1 step %llu: %s\n", static_cast<unsigned long long>(plan.step),
                         st.ok() ? "ok" : st.message().c_str());
            if (!st.ok()) {
                n1->status = st;
                return;
            }
            if (plan.kind == dist::StepKind::Shutdown) return;
        }
    });
    CudaTpOptions o;
    o.layout.world_size = 2;
    o.layout.nnodes = 2;
    o.layout.node_rank = 0;
    o.layout.gpus_per_node = 1;
    o.nccl_id = id.value();
    o.runner = runner_options(true, 0);
    auto leader = create_cuda_tp_runner(model, o, [n1](const dist::StepPlan &plan) -> Status {
        {
            std::lock_guard lock(n1->mu);
            n1->queue.push_back(plan);
        }
        n1->cv.notify_one();
        return {};
    });
    if (!leader.ok()) {
        node1.detach();
        FAIL() << leader.message();
    }
    auto tp1 = make(model, nullptr, 1);
    ASSERT_TRUE(tp1);
    const json ref = read_json(kFixtures / "qwen2-tiny-bf16.reference.json");
    const double tolerance = kRelTolerance * std::max(1.0, ref["max_abs_logit"].get<double>());
    Measured m;
    compare_sequence(*tp1, *leader.value(), ref["prompts"][2]["token_ids"].get<std::vector<int32_t>>(), 12, 0,
                     tolerance, m, "two nodes");
    // The sampling path ships its parameters too.
    std::vector<int32_t> out;
    std::vector<DeviceSampling> greedy(1);
    greedy[0].temperature = 0.0f;
    const auto prompt = ref["prompts"][3]["token_ids"].get<std::vector<int32_t>>();
    Status st = leader.value()->forward_sample(one_seq(prompt, 0, static_cast<int32_t>(prompt.size()),
                                                       page_range(48, 300)), greedy, out);
    ASSERT_TRUE(st.ok()) << st.message();
    leader.value().reset();  // sends Shutdown
    node1.join();
    EXPECT_TRUE(n1->status.ok()) << n1->status.message();
    ASSERT_FALSE(n1->kinds.empty());
    EXPECT_EQ(n1->kinds.back(), dist::StepKind::Shutdown);
    EXPECT_NE(std::find(n1->kinds.begin(), n1->kinds.end(), dist::StepKind::ForwardSample), n1->kinds.end());
    // A plan out of order is refused.
    if (n1->worker) {
        dist::StepPlan stale;
        stale.step = 1;
        Status late = n1->worker->execute(stale);
        EXPECT_FALSE(late.ok());
        EXPECT_NE(late.message().find("out of step"), std::string::npos) << late.message();
    }
    std::printf("[ measured ] two nodes (1 GPU each): max |logit - TP 1| = %.3g; %d of %d greedy sequences equal\n",
                m.worst_diff, m.exact, m.compared);
}
