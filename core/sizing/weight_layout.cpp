#include "sizing/weight_layout.h"

#include "model/model_spec.h"
#include "sizing/format.h"

#include <algorithm>
#include <cmath>

namespace slipway::sizing {

namespace {

struct LayoutBuilder {
    std::vector<TensorGroup> groups;
    bool mtp = false; // groups added now belong to the MTP layers

    TensorGroup &add(std::string name, TensorRole role, int64_t rows, int64_t cols, int64_t count,
                     Sharding sharding, int64_t unit = 1, bool quantisable = false)
    {
        TensorGroup g;
        g.name = std::move(name);
        g.role = role;
        g.rows = rows;
        g.cols = cols;
        g.count = count;
        g.sharding = sharding;
        g.unit = unit;
        g.quantisable = quantisable;
        g.mtp = mtp;
        groups.push_back(std::move(g));
        return groups.back();
    }
    void vector(std::string name, TensorRole role, int64_t length, int64_t count,
                Sharding sharding = Sharding::Replicated, int64_t unit = 1)
    {
        add(std::move(name), role, length, 1, count, sharding, unit);
    }
    void linear(std::string name, TensorRole role, int64_t out, int64_t in, int64_t count,
                Sharding sharding, int64_t unit = 1)
    {
        add(std::move(name), role, out, in, count, sharding, unit, true);
    }
};

// Grouped-query attention of Qwen2 and Llama: q/k/v column-parallel by head, o row-parallel.
void addGqaAttention(LayoutBuilder &b, const model::ModelSpec &s, const std::string &prefix, int64_t layers)
{
    const int64_t h = s.hiddenSize;
    const int64_t hd = s.headDim;
    const int64_t q = s.numAttentionHeads * hd;
    const int64_t kv = s.numKeyValueHeads * hd;
    b.linear(prefix + "self_attn.q_proj.weight", TensorRole::Attention, q, h, layers, Sharding::Column, hd);
    b.linear(prefix + "self_attn.k_proj.weight", TensorRole::Attention, kv, h, layers, Sharding::Column, hd);
    b.linear(prefix + "self_attn.v_proj.weight", TensorRole::Attention, kv, h, layers, Sharding::Column, hd);
    b.linear(prefix + "self_attn.o_proj.weight", TensorRole::Attention, h, q, layers, Sharding::Row, hd);
    if (s.attentionBias) {
        b.vector(prefix + "self_attn.q_proj.bias", TensorRole::Bias, q, layers, Sharding::Column, hd);
        b.vector(prefix + "self_attn.k_proj.bias", TensorRole::Bias, kv, layers, Sharding::Column, hd);
        b.vector(prefix + "self_attn.v_proj.bias", TensorRole::Bias, kv, layers, Sharding::Column, hd);
    }
    if (s.attentionOutputBias)
        b.vector(prefix + "self_attn.o_proj.bias", TensorRole::Bias, h, layers);
}

// DeepSeek-V3's multi-head latent attention. SGLang keeps the down-projections (q_a, kv_a)
// replicated and splits q_b, kv_b by head (column) and o_proj by head (row).
void addMlaAttention(LayoutBuilder &b, const model::ModelSpec &s, const std::string &prefix, int64_t layers)
{
    const model::MlaSpec &m = *s.mla;
    const int64_t h = s.hiddenSize;
    const int64_t heads = s.numAttentionHeads;
    const int64_t qkHead = m.qkNopeHeadDim + m.qkRopeHeadDim;
    if (m.qLoraRank > 0) {
        b.linear(prefix + "self_attn.q_a_proj.weight", TensorRole::Attention, m.qLoraRank, h, layers,
                 Sharding::Replicated);
        b.vector(prefix + "self_attn.q_a_layernorm.weight", TensorRole::Norm, m.qLoraRank, layers);
        b.linear(prefix + "self_attn.q_b_proj.weight", TensorRole::Attention, heads * qkHead, m.qLoraRank,
                 layers, Sharding::Column, qkHead);
    } else {
        b.linear(prefix + "self_attn.q_proj.weight", TensorRole::Attention, heads * qkHead, h, layers,
                 Sharding::Column, qkHead);
    }
    b.linear(prefix + "self_attn.kv_a_proj_with_mqa.weight", TensorRole::Attention,
             m.kvLoraRank + m.qkRopeHeadDim, h, layers, Sharding::Replicated);
    b.vector(prefix + "self_attn.kv_a_layernorm.weight", TensorRole::Norm, m.kvLoraRank, layers);
    b.linear(prefix + "self_attn.kv_b_proj.weight", TensorRole::Attention,
             heads * (m.qkNopeHeadDim + m.vHeadDim), m.kvLoraRank, layers, Sharding::Column,
             m.qkNopeHeadDim + m.vHeadDim);
    b.linear(prefix + "self_attn.o_proj.weight", TensorRole::Attention, h, heads * m.vHeadDim, layers,
             Sharding::Row, m.vHeadDim);
}

void addDenseMlp(LayoutBuilder &b, const model::ModelSpec &s, const std::string &prefix, int64_t layers)
{
    const int64_t h = s.hiddenSize;
    const int64_t inter = s.intermediateSize;
    b.linear(prefix + "mlp.gate_proj.weight", TensorRole::Mlp, inter, h, layers, Sharding::Column);
    b.linear(prefix + "mlp.up_proj.weight", TensorRole::Mlp, inter, h, layers, Sharding::Column);
    b.linear(prefix + "mlp.down_proj.weight", TensorRole::Mlp, h, inter, layers, Sharding::Row);
    if (s.mlpBias) {
        b.vector(prefix + "mlp.gate_proj.bias", TensorRole::Bias, inter, layers, Sharding::Column);
        b.vector(prefix + "mlp.up_proj.bias", TensorRole::Bias, inter, layers, Sharding::Column);
        b.vector(prefix + "mlp.down_proj.bias", TensorRole::Bias, h, layers);
    }
}

// DeepSeek-V3's MoE block under SGLang's default tensor-parallel MoE (no expert parallelism):
// every expert is split across the ranks like a dense MLP; the router is replicated.
void addMoe(LayoutBuilder &b, const model::ModelSpec &s, const std::string &prefix, int64_t layers)
{
    const model::MoeSpec &m = *s.moe;
    const int64_t h = s.hiddenSize;
    const int64_t inter = m.expertIntermediateSize;
    b.add(prefix + "mlp.gate.weight", TensorRole::Router, m.routedExperts, h, layers, Sharding::Replicated);
    b.vector(prefix + "mlp.gate.e_score_correction_bias", TensorRole::Router, m.routedExperts, layers);
    b.groups.back().fp32 = true;
    const int64_t experts = layers * m.routedExperts;
    const double share = m.routedExperts > 0
                             ? static_cast<double>(m.expertsPerToken) / static_cast<double>(m.routedExperts)
                             : 1.0;
    b.linear(prefix + "mlp.experts.*.gate_proj.weight", TensorRole::Expert, inter, h, experts, Sharding::Column);
    b.groups.back().readShare = share;
    b.linear(prefix + "mlp.experts.*.up_proj.weight", TensorRole::Expert, inter, h, experts, Sharding::Column);
    b.groups.back().readShare = share;
    b.linear(prefix + "mlp.experts.*.down_proj.weight", TensorRole::Expert, h, inter, experts, Sharding::Row);
    b.groups.back().readShare = share;
    if (m.sharedExperts > 0) {
        const int64_t shared = inter * m.sharedExperts; // one MLP n_shared_experts times as wide
        b.linear(prefix + "mlp.shared_experts.gate_proj.weight", TensorRole::SharedExpert, shared, h, layers,
                 Sharding::Column);
        b.linear(prefix + "mlp.shared_experts.up_proj.weight", TensorRole::SharedExpert, shared, h, layers,
                 Sharding::Column);
        b.linear(prefix + "mlp.shared_experts.down_proj.weight", TensorRole::SharedExpert, h, shared, layers,
                 Sharding::Row);
    }
}

// Decoder layers [first, last): attention and norms for all, then dense and MoE MLPs by count.
void addDecoderLayers(LayoutBuilder &b, const model::ModelSpec &s, int64_t first, int64_t last)
{
    const int64_t layers = last - first;
    if (layers <= 0)
        return;
    const std::string prefix = b.mtp ? "mtp.layers.*." : "layers.*.";
    b.vector(prefix + "input_layernorm.weight", TensorRole::Norm, s.hiddenSize, layers);
    b.vector(prefix + "post_attention_layernorm.weight", TensorRole::Norm, s.hiddenSize, layers);
    if (s.mla)
        addMlaAttention(b, s, prefix, layers);
    else
        addGqaAttention(b, s, prefix, layers);
    int64_t moeLayers = 0;
    for (int64_t layer = first; layer < last; ++layer) {
        if (model::isMoeLayer(s, layer))
            ++moeLayers;
    }
    if (layers - moeLayers > 0)
        addDenseMlp(b, s, prefix, layers - moeLayers);
    if (moeLayers > 0)
        addMoe(b, s, prefix, moeLayers);
}

int64_t elementBytesTimes2(const TensorGroup &g) // bytes of a non-quantised element, doubled
{
    return g.fp32 ? 8 : 4;
}

} // namespace

WeightLayout buildWeightLayout(const model::ModelSpec &s)
{
    LayoutBuilder b;
    const int64_t h = s.hiddenSize;
    b.add("embed_tokens.weight", TensorRole::Embedding, s.vocabSize, h, 1, Sharding::VocabParallel);
    b.groups.back().readShare = s.vocabSize > 0 ? 1.0 / static_cast<double>(s.vocabSize) : 0.0;
    addDecoderLayers(b, s, 0, s.numLayers);
    b.vector("norm.weight", TensorRole::Norm, h, 1);
    if (!s.tieWordEmbeddings)
        b.add("lm_head.weight", TensorRole::Head, s.vocabSize, h, 1, Sharding::VocabParallel);

    // DeepSeek-V3's MTP layers as the checkpoint stores them: a decoder layer, enorm, hnorm,
    // eh_proj (bf16, not block-quantised), shared_head.norm, and copies of embed_tokens and head.
    if (s.mtpLayers > 0) {
        b.mtp = true;
        addDecoderLayers(b, s, s.numLayers, s.numLayers + s.mtpLayers);
        b.vector("mtp.enorm.weight", TensorRole::Mtp, h, s.mtpLayers);
        b.vector("mtp.hnorm.weight", TensorRole::Mtp, h, s.mtpLayers);
        b.add("mtp.eh_proj.weight", TensorRole::Mtp, h, 2 * h, s.mtpLayers, Sharding::Replicated);
        b.vector("mtp.shared_head.norm.weight", TensorRole::Mtp, h, s.mtpLayers);
        b.add("mtp.embed_tokens.weight", TensorRole::Mtp, s.vocabSize, h, s.mtpLayers, Sharding::VocabParallel);
        b.add("mtp.shared_head.head.weight", TensorRole::Mtp, s.vocabSize, h, s.mtpLayers, Sharding::VocabParallel);
    }
    return WeightLayout{std::move(b.groups)};
}

int64_t layoutParameterCount(const WeightLayout &layout, bool includeMtp)
{
    int64_t n = 0;
    for (const TensorGroup &g : layout.groups) {
        if (includeMtp || !g.mtp)
            n += g.elements();
    }
    return n;
}

int64_t rowsPerRank(const TensorGroup &g, int tp)
{
    switch (g.sharding) {
    case Sharding::Column:
        return ceilDiv(g.rows / g.unit, tp) * g.unit;
    case Sharding::VocabParallel:
        return ceilDiv(g.rows, tp);
    case Sharding::Replicated:
    case Sharding::Row:
        return g.rows;
    }
    return g.rows;
}

int64_t colsPerRank(const TensorGroup &g, int tp)
{
    if (g.sharding == Sharding::Row)
        return ceilDiv(g.cols / g.unit, tp) * g.unit;
    return g.cols;
}

namespace {

void accumulate(WeightBytes &out, const TensorGroup &g, WeightDtype dtype, int tp)
{
    const int64_t rows = rowsPerRank(g, tp);
    const int64_t cols = colsPerRank(g, tp);
    const int64_t elements = rows * cols * g.count;
    if (g.quantisable && dtype == WeightDtype::Fp8) {
        const int64_t scales = ceilDiv(rows, kQuantBlock) * ceilDiv(cols, kQuantBlock) * g.count;
        out.quantisedParams += elements;
        out.scaleCount += scales;
        out.totalBytes += elements + scales * 4;
    } else if (g.quantisable && dtype == WeightDtype::Int4) {
        const int64_t scales = rows * ceilDiv(cols, kQuantBlock) * g.count;
        out.quantisedParams += elements;
        out.scaleCount += scales;
        out.totalBytes += ceilDiv(rows * cols, 2) * g.count + scales * 2;
    } else if (g.fp32) {
        out.fp32Params += elements;
        out.totalBytes += elements * 4;
    } else {
        out.wideParams += elements;
        out.totalBytes += elements * 2;
    }
}

} // namespace

WeightBytes weightBytes(const WeightLayout &layout, WeightDtype dtype, int tp, bool includeMtp)
{
    WeightBytes out;
    for (const TensorGroup &g : layout.groups) {
        if (includeMtp || !g.mtp)
            accumulate(out, g, dtype, tp);
    }
    return out;
}

RankBytes rankBytes(const WeightLayout &layout, WeightDtype dtype, int tp)
{
    RankBytes out;
    for (const TensorGroup &g : layout.groups) {
        if (g.mtp)
            continue;
        WeightBytes one;
        accumulate(one, g, dtype, tp);
        switch (g.sharding) {
        case Sharding::Column:
        case Sharding::Row:
            out.sharded += one.totalBytes;
            break;
        case Sharding::VocabParallel:
            out.vocabParallel += one.totalBytes;
            break;
        case Sharding::Replicated:
            out.replicated += one.totalBytes;
            break;
        }
    }
    return out;
}

double readBytesPerToken(const WeightLayout &layout, WeightDtype dtype, int tp, int64_t sequences)
{
    double bytes = 0;
    for (const TensorGroup &g : layout.groups) {
        if (g.mtp)
            continue;
        WeightBytes one;
        accumulate(one, g, dtype, tp);
        if (g.role == TensorRole::Embedding) {
            // One row per sequence, at most the rows this rank holds.
            const int64_t rows = std::min<int64_t>(sequences, rowsPerRank(g, tp));
            bytes += static_cast<double>(rows * g.cols * elementBytesTimes2(g) / 2);
        } else if (g.role == TensorRole::Expert) {
            const double touched = 1.0 - std::pow(1.0 - g.readShare, static_cast<double>(sequences));
            bytes += static_cast<double>(one.totalBytes) * touched;
        } else {
            bytes += static_cast<double>(one.totalBytes);
        }
    }
    return bytes;
}

int64_t activeParameterCount(const WeightLayout &layout)
{
    double n = 0;
    for (const TensorGroup &g : layout.groups) {
        if (g.mtp)
            continue;
        if (g.role == TensorRole::Embedding)
            n += static_cast<double>(g.cols); // one row
        else
            n += static_cast<double>(g.elements()) * g.readShare;
    }
    return static_cast<int64_t>(std::llround(n));
}

} // namespace slipway::sizing
