// The bytes between nodes: frames (length, type, CRC), the step-plan codec (round trips,
// page-table references to the previous plan, corrupt and truncated input), Hello and Ack.
#include <gtest/gtest.h>

#include <random>

#include "dist/channel_core.h"
#include "dist/handshake.h"
#include "dist/step_plan_codec.h"
#include "dist/wire_format.h"

namespace slipway::engine::dist {
namespace {

bool same_plan(const StepPlan &a, const StepPlan &b) {
    if (a.step != b.step || a.kind != b.kind || a.batch.token_ids != b.batch.token_ids) return false;
    if (a.batch.seqs.size() != b.batch.seqs.size() || a.sampling.size() != b.sampling.size()) return false;
    for (size_t i = 0; i < a.batch.seqs.size(); ++i) {
        const auto &x = a.batch.seqs[i];
        const auto &y = b.batch.seqs[i];
        if (x.query_start != y.query_start || x.query_len != y.query_len || x.context_len != y.context_len ||
            x.need_logits != y.need_logits || x.page_table != y.page_table)
            return false;
    }
    for (size_t i = 0; i < a.sampling.size(); ++i) {
        const auto &x = a.sampling[i];
        const auto &y = b.sampling[i];
        if (x.temperature != y.temperature || x.top_k != y.top_k || x.top_p != y.top_p || x.min_p != y.min_p ||
            x.repetition_penalty != y.repetition_penalty || x.frequency_penalty != y.frequency_penalty ||
            x.presence_penalty != y.presence_penalty || x.uniform != y.uniform || x.penalty_ids != y.penalty_ids ||
            x.penalty_counts != y.penalty_counts || x.masked_ids != y.masked_ids)
            return false;
    }
    return true;
}

StepPlan decode_plan(uint64_t step, int nseq, int ctx, int page_base) {
    StepPlan p;
    p.step = step;
    p.kind = StepKind::ForwardGreedy;
    for (int s = 0; s < nseq; ++s) {
        SequenceSlice slice;
        slice.query_start = s;
        slice.query_len = 1;
        slice.context_len = ctx;
        for (int i = 0; i <= ctx; ++i) slice.page_table.push_back(page_base + s * 100000 + i);
        p.batch.seqs.push_back(slice);
        p.batch.token_ids.push_back(1000 + s);
    }
    return p;
}

TEST(DistWire, FrameRoundTripAndChecks) {
    const std::string frame = encode_frame(FrameType::Plan, "hello plan");
    auto parsed = parse_frame(frame);
    ASSERT_TRUE(parsed.ok()) << parsed.message();
    EXPECT_EQ(parsed->type, FrameType::Plan);
    EXPECT_EQ(parsed->payload, "hello plan");

    auto truncated = parse_frame(frame.substr(0, frame.size() - 3));
    ASSERT_FALSE(truncated.ok());
    EXPECT_NE(truncated.message().find("truncated Plan frame"), std::string::npos) << truncated.message();

    auto short_header = parse_frame(frame.substr(0, 5));
    ASSERT_FALSE(short_header.ok());
    EXPECT_NE(short_header.message().find("truncated frame"), std::string::npos);

    std::string flipped = frame;
    flipped[kFrameHeaderBytes + 2] ^= 0x10;
    auto corrupt = parse_frame(flipped);
    ASSERT_FALSE(corrupt.ok());
    EXPECT_NE(corrupt.message().find("CRC-32"), std::string::npos) << corrupt.message();

    std::string bad_type = frame;
    bad_type[4] = 42;
    auto alien = parse_frame(bad_type);
    ASSERT_FALSE(alien.ok());
    EXPECT_NE(alien.message().find("not a slipway-engine frame"), std::string::npos);

    std::string huge = frame;
    huge[3] = 0x7F;  // length ~2 GB
    auto too_big = parse_frame(huge);
    ASSERT_FALSE(too_big.ok());
    EXPECT_NE(too_big.message().find("exceeds the limit"), std::string::npos);

    std::string other_version = frame;
    other_version[5] = 9;
    auto versioned = parse_frame(other_version);
    ASSERT_FALSE(versioned.ok());
    EXPECT_NE(versioned.message().find("frame format version 9"), std::string::npos);
}

TEST(DistWire, Crc32MatchesTheStandardCheckValue) {
    EXPECT_EQ(crc32("123456789"), 0xCBF43926u);  // the CRC-32/ISO-HDLC check value
}

TEST(DistWire, VarintsRoundTripAtTheEdges) {
    ByteWriter w;
    const std::vector<int64_t> values = {0, 1, -1, 63, -64, 64, 127, 128, INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN};
    for (int64_t v : values) w.svarint(v);
    w.varint(UINT64_MAX);
    ByteReader r(w.bytes());
    for (int64_t v : values) EXPECT_EQ(r.svarint("v"), v);
    EXPECT_EQ(r.varint("max"), UINT64_MAX);
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(r.at_end());

    ByteReader bad(std::string(11, '\xFF'));
    bad.varint("an overlong varint");
    EXPECT_FALSE(bad.ok());
}

TEST(DistPlanCodec, RoundTripsEveryKindWithSamplingAndEmptyBatches) {
    StepPlanEncoder enc;
    StepPlanDecoder dec;
    std::vector<StepPlan> plans;

    StepPlan empty;  // an empty batch
    empty.step = 1;
    empty.kind = StepKind::Forward;
    plans.push_back(empty);

    StepPlan prefill;
    prefill.step = 2;
    prefill.kind = StepKind::Forward;
    prefill.batch.token_ids = {151643, 0, 7, 151935, -1};  // odd ids survive as they are
    SequenceSlice a;
    a.query_start = 0;
    a.query_len = 3;
    a.context_len = 0;
    a.page_table = {5, 6, 7};
    a.need_logits = false;
    SequenceSlice b;
    b.query_start = 3;
    b.query_len = 2;
    b.context_len = 17;
    b.page_table = {900, 2, 901, 40000000, 0};
    prefill.batch.seqs = {a, b};
    plans.push_back(prefill);

    StepPlan sample;
    sample.step = 5;  // gaps are fine; order is what matters
    sample.kind = StepKind::ForwardSample;
    sample.batch.token_ids = {11, 12};
    a.need_logits = true;
    a.query_len = 1;
    a.context_len = 3;
    a.page_table.push_back(8);
    b.query_start = 1;
    b.query_len = 1;
    b.need_logits = false;  // no sampling entry for this one
    sample.batch.seqs = {a, b};
    DeviceSampling d;
    d.temperature = 0.6f;
    d.top_k = 20;
    d.top_p = 0.95f;
    d.min_p = 0.05f;
    d.repetition_penalty = 1.1f;
    d.frequency_penalty = -0.5f;
    d.presence_penalty = 0.25f;
    d.uniform = 0.123456789012345678;
    d.penalty_ids = {1, 5, 151000};
    d.penalty_counts = {3, 0, 1};
    d.masked_ids = {151643};
    sample.sampling = {d};
    plans.push_back(sample);

    StepPlan no_lists = sample;  // sampling entry with empty vectors
    no_lists.step = 6;
    no_lists.sampling[0].penalty_ids.clear();
    no_lists.sampling[0].penalty_counts.clear();
    no_lists.sampling[0].masked_ids.clear();
    plans.push_back(no_lists);

    StepPlan greedy = decode_plan(7, 3, 40, 10);
    plans.push_back(greedy);

    StepPlan stop;
    stop.step = 8;
    stop.kind = StepKind::Shutdown;
    plans.push_back(stop);

    for (const StepPlan &p : plans) {
        auto bytes = enc.encode(p);
        ASSERT_TRUE(bytes.ok()) << bytes.message();
        auto back = dec.decode(bytes.value());
        ASSERT_TRUE(back.ok()) << "step " << p.step << ": " << back.message();
        EXPECT_TRUE(same_plan(p, back.value())) << "step " << p.step << " changed in transit";
    }
}

TEST(DistPlanCodec, DecodeStepsSendOnlyNewPagesAndSurviveReordering) {
    StepPlanEncoder enc;
    StepPlanDecoder dec;
    // 64 sequences x 4096 pages: the whole tables are ~1 MB of ids.
    StepPlan first = decode_plan(1, 64, 4095, 0);
    auto b1 = enc.encode(first);
    ASSERT_TRUE(b1.ok());
    ASSERT_TRUE(dec.decode(b1.value()).ok());

    StepPlan next = decode_plan(2, 64, 4096, 0);  // one more page each
    auto b2 = enc.encode(next);
    ASSERT_TRUE(b2.ok());
    EXPECT_LT(b2->size(), 64u * 16) << "a decode step should send a few bytes per sequence, not its page table";
    auto d2 = dec.decode(b2.value());
    ASSERT_TRUE(d2.ok()) << d2.message();
    EXPECT_TRUE(same_plan(next, d2.value()));

    // A finished request leaves: the others shift position and are found by their first page.
    StepPlan shifted = decode_plan(3, 64, 4097, 0);
    shifted.batch.seqs.erase(shifted.batch.seqs.begin());
    shifted.batch.token_ids.erase(shifted.batch.token_ids.begin());
    for (auto &s : shifted.batch.seqs) s.query_start -= 1;
    auto b3 = enc.encode(shifted);
    ASSERT_TRUE(b3.ok());
    EXPECT_LT(b3->size(), 64u * 16);
    auto d3 = dec.decode(b3.value());
    ASSERT_TRUE(d3.ok()) << d3.message();
    EXPECT_TRUE(same_plan(shifted, d3.value()));

    // Random tables with shared prefixes (radix cache) and rewritten tails.
    std::mt19937 rng(5);
    StepPlan prev = shifted;
    for (uint64_t step = 4; step < 40; ++step) {
        StepPlan p = prev;
        p.step = step;
        for (auto &s : p.batch.seqs) {
            const int action = static_cast<int>(rng() % 4);
            if (action == 0 && !s.page_table.empty()) s.page_table.resize(rng() % s.page_table.size());
            if (action == 1) s.page_table.push_back(static_cast<int32_t>(rng() % 100000));
            if (action == 2 && !s.page_table.empty()) s.page_table[rng() % s.page_table.size()] = -7;
        }
        if (step % 5 == 0) std::shuffle(p.batch.seqs.begin(), p.batch.seqs.end(), rng);
        auto bytes = enc.encode(p);
        ASSERT_TRUE(bytes.ok());
        auto back = dec.decode(bytes.value());
        ASSERT_TRUE(back.ok()) << back.message();
        ASSERT_TRUE(same_plan(p, back.value())) << "step " << step;
        prev = p;
    }
}

TEST(DistPlanCodec, RejectsCorruptTruncatedAndInconsistentPlans) {
    StepPlanEncoder enc;
    StepPlan p = decode_plan(1, 2, 3, 0);
    p.kind = StepKind::ForwardSample;
    p.sampling.resize(2);
    p.sampling[0].penalty_ids = {1, 2, 3};
    auto bytes = enc.encode(p);
    ASSERT_TRUE(bytes.ok());

    // Every truncation fails with a message, and leaves the decoder able to read the whole plan.
    StepPlanDecoder dec;
    for (size_t n = 0; n < bytes->size(); ++n) {
        auto cut = dec.decode(std::string_view(bytes.value()).substr(0, n));
        ASSERT_FALSE(cut.ok()) << "a plan cut at " << n << " bytes was accepted";
        EXPECT_FALSE(cut.message().empty());
    }
    ASSERT_TRUE(dec.decode(bytes.value()).ok());

    StepPlanDecoder dec2;
    auto extra = dec2.decode(bytes.value() + "xy");
    ASSERT_FALSE(extra.ok());
    EXPECT_NE(extra.message().find("2 bytes left over"), std::string::npos) << extra.message();

    std::string bad_kind = bytes.value();
    bad_kind[8] = 9;
    auto k = StepPlanDecoder().decode(bad_kind);
    ASSERT_FALSE(k.ok());
    EXPECT_NE(k.message().find("unknown kind 9"), std::string::npos);

    // A huge corrupt count is caught before any allocation.
    ByteWriter w;
    w.u64(1);
    w.u8(1);
    w.varint(uint64_t{1} << 40);
    auto huge = StepPlanDecoder().decode(w.bytes());
    ASSERT_FALSE(huge.ok());
    EXPECT_NE(huge.message().find("corrupt count of token ids"), std::string::npos) << huge.message();

    // Out of order.
    StepPlanDecoder dec3;
    ASSERT_TRUE(dec3.decode(bytes.value()).ok());
    auto again = dec3.decode(bytes.value());
    ASSERT_FALSE(again.ok());
    EXPECT_NE(again.message().find("out of order"), std::string::npos);

    // A reference to the previous plan when the decoder has none (a frame from another stream).
    StepPlanEncoder enc4;
    ASSERT_TRUE(enc4.encode(decode_plan(1, 1, 5, 0)).ok());
    auto second = enc4.encode(decode_plan(2, 1, 6, 0));
    ASSERT_TRUE(second.ok());
    auto dangling = StepPlanDecoder().decode(second.value());
    ASSERT_FALSE(dangling.ok());
    EXPECT_NE(dangling.message().find("of the previous plan"), std::string::npos) << dangling.message();

    // Sampling entries must match the kind.
    StepPlan wrong = decode_plan(10, 2, 1, 0);
    wrong.kind = StepKind::ForwardSample;
    wrong.sampling.resize(1);
    auto w1 = StepPlanEncoder().encode(wrong);
    ASSERT_FALSE(w1.ok());
    EXPECT_NE(w1.message().find("1 sampling entries for 2 sequences"), std::string::npos) << w1.message();
    wrong.kind = StepKind::Forward;
    auto w2 = StepPlanEncoder().encode(wrong);
    ASSERT_FALSE(w2.ok());
    EXPECT_NE(w2.message().find("only ForwardSample"), std::string::npos);

    // Steps must increase on the sending side too.
    StepPlanEncoder enc5;
    ASSERT_TRUE(enc5.encode(decode_plan(3, 1, 1, 0)).ok());
    auto back = enc5.encode(decode_plan(3, 1, 1, 0));
    ASSERT_FALSE(back.ok());
    EXPECT_NE(back.message().find("must increase"), std::string::npos);
}

TEST(DistHandshake, HelloRoundTripsAndNamesDifferences) {
    Hello h;
    h.slipway_version = "0.3.0+g0.3.0-12-gabc";
    h.node_rank = 1;
    h.flags.entries = {{"--tp", "4"}, {"--nnodes", "2"}, {"--page-size", "16"}};
    h.model = make_model_fingerprint({{"architectures", "Qwen2ForCausalLM"}, {"hidden_size", "3584"}},
                                     {{"model.layers.0.mlp.up_proj.weight", "BF16", {18944, 3584}},
                                      {"lm_head.weight", "BF16", {152064, 3584}}});
    auto back = decode_hello(encode_hello(h));
    ASSERT_TRUE(back.ok()) << back.message();
    EXPECT_EQ(back->slipway_version, h.slipway_version);
    EXPECT_EQ(back->node_rank, 1);
    EXPECT_EQ(back->flags, h.flags);
    EXPECT_EQ(back->model.hash, h.model.hash);
    EXPECT_EQ(back->model.tensors, h.model.tensors);
    EXPECT_EQ(back->model.config, h.model.config);

    Hello leader = h;
    leader.node_rank = 0;
    EXPECT_EQ(describe_hello_mismatch(h, leader), "");

    leader.slipway_version = "0.3.0+g0.3.0-10-gdef";
    EXPECT_NE(describe_hello_mismatch(h, leader)
                  .find("node 1 runs slipway 0.3.0+g0.3.0-12-gabc, node 0 runs 0.3.0+g0.3.0-10-gdef"),
              std::string::npos);
    leader.slipway_version = h.slipway_version;

    leader.flags.entries[2].second = "1";
    const std::string flags = describe_hello_mismatch(h, leader);
    EXPECT_NE(flags.find("--page-size: node 1 has 16, node 0 has 1"), std::string::npos) << flags;
    leader.flags = h.flags;

    leader.model = make_model_fingerprint({{"architectures", "Qwen2ForCausalLM"}, {"hidden_size", "3584"}},
                                          {{"model.layers.0.mlp.up_proj.weight", "BF16", {18944, 4096}},
                                           {"lm_head.weight", "BF16", {152064, 3584}}});
    const std::string model = describe_hello_mismatch(h, leader);
    EXPECT_NE(model.find("node 1 has tensor model.layers.0.mlp.up_proj.weight BF16 [18944, 3584], node 0 BF16 [18944, "
                         "4096]"),
              std::string::npos)
        << model;

    // Another protocol version: both slipway versions still come through.
    Hello future = h;
    future.protocol_version = 2;
    future.slipway_version = "0.4.0";
    auto f = decode_hello(encode_hello(future));
    ASSERT_TRUE(f.ok());
    const std::string proto = describe_hello_mismatch(f.value(), leader);
    EXPECT_NE(proto.find("slipway 0.4.0 (protocol 2)"), std::string::npos) << proto;

    auto alien = decode_hello("GET / HTTP/1.1\r\n");
    ASSERT_FALSE(alien.ok());
    EXPECT_NE(alien.message().find("not a slipway-engine"), std::string::npos);
    const std::string full = encode_hello(h);
    auto cut = decode_hello(std::string_view(full).substr(0, full.size() - 4));
    EXPECT_FALSE(cut.ok());
}

TEST(DistHandshake, AckRoundTrip) {
    auto ok = decode_ack(encode_ack(42, Status()));
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(ok->step, 42u);
    EXPECT_TRUE(ok->ok);
    auto bad = decode_ack(encode_ack(43, Status::error("CUDA error: out of memory")));
    ASSERT_TRUE(bad.ok());
    EXPECT_FALSE(bad->ok);
    EXPECT_EQ(bad->message, "CUDA error: out of memory");
    EXPECT_FALSE(decode_ack("abc").ok());
}

} // namespace
} // namespace slipway::engine::dist
