// Parameter counts from a config alone. Each count follows the tensors a Hugging Face checkpoint
// of that architecture holds, so that it matches the figure the model page shows.
#include "model/model_spec.h"

namespace slipway::model {

namespace {

// q/k/v/o of grouped-query attention (Qwen2, Llama) or the projections of MLA (DeepSeek-V3).
int64_t attentionParameters(const ModelSpec &s)
{
    const int64_t h = s.hiddenSize;
    if (s.mla) {
        const MlaSpec &m = *s.mla;
        const int64_t heads = s.numAttentionHeads;
        const int64_t qkHeadDim = m.qkNopeHeadDim + m.qkRopeHeadDim;
        int64_t n = 0;
        if (m.qLoraRank > 0) {
            n += h * m.qLoraRank;                   // q_a_proj
            n += m.qLoraRank;                       // q_a_layernorm
            n += m.qLoraRank * heads * qkHeadDim;   // q_b_proj
        } else {
            n += h * heads * qkHeadDim;             // q_proj
        }
        n += h * (m.kvLoraRank + m.qkRopeHeadDim);                  // kv_a_proj_with_mqa
        n += m.kvLoraRank;                                          // kv_a_layernorm
        n += m.kvLoraRank * heads * (m.qkNopeHeadDim + m.vHeadDim); // kv_b_proj
        n += heads * m.vHeadDim * h;                                // o_proj
        return n;
    }
    const int64_t qWidth = s.numAttentionHeads * s.headDim;
    const int64_t kvWidth = s.numKeyValueHeads * s.headDim;
    int64_t n = h * qWidth + 2 * h * kvWidth + qWidth * h;
    if (s.attentionBias)
        n += qWidth + 2 * kvWidth;
    if (s.attentionOutputBias)
        n += h;
    return n;
}

// gate_proj, up_proj, down_proj of a SiLU-gated MLP.
int64_t gatedMlpParameters(int64_t hidden, int64_t intermediate, bool bias)
{
    int64_t n = 3 * hidden * intermediate;
    if (bias)
        n += 2 * intermediate + hidden;
    return n;
}

int64_t expertParameters(const ModelSpec &s)
{
    return gatedMlpParameters(s.hiddenSize, s.moe->expertIntermediateSize, false);
}

// DeepSeek-V3's MoE block: the router (gate.weight and gate.e_score_correction_bias), every
// routed expert and the shared experts (one MLP n_shared_experts times as wide).
int64_t moeParameters(const ModelSpec &s)
{
    const MoeSpec &m = *s.moe;
    const int64_t router = m.routedExperts * s.hiddenSize + m.routedExperts;
    return router + (m.routedExperts + m.sharedExperts) * expertParameters(s);
}

int64_t decoderLayerParameters(const ModelSpec &s, int64_t layer)
{
    const int64_t norms = 2 * s.hiddenSize; // input_layernorm, post_attention_layernorm
    const int64_t mlp = isMoeLayer(s, layer) ? moeParameters(s)
                                             : gatedMlpParameters(s.hiddenSize, s.intermediateSize, s.mlpBias);
    return attentionParameters(s) + norms + mlp;
}

int64_t embeddingParameters(const ModelSpec &s)
{
    return s.vocabSize * s.hiddenSize;
}

} // namespace

const char *architectureName(Architecture a)
{
    switch (a) {
    case Architecture::Qwen2:
        return "Qwen2ForCausalLM";
    case Architecture::Llama:
        return "LlamaForCausalLM";
    case Architecture::DeepseekV3:
        return "DeepseekV3ForCausalLM";
    }
    return "unknown";
}

bool isMoeLayer(const ModelSpec &spec, int64_t layer)
{
    if (!spec.moe || spec.moe->routedExperts <= 0)
        return false;
    const int64_t frequency = spec.moe->layerFrequency > 0 ? spec.moe->layerFrequency : 1;
    return layer >= spec.moe->firstDenseLayers && layer % frequency == 0;
}

int64_t mainParameterCount(const ModelSpec &spec)
{
    int64_t n = embeddingParameters(spec); // embed_tokens
    if (!spec.tieWordEmbeddings)
        n += embeddingParameters(spec);    // lm_head
    for (int64_t layer = 0; layer < spec.numLayers; ++layer)
        n += decoderLayerParameters(spec, layer);
    n += spec.hiddenSize;                  // final norm
    return n;
}

int64_t mtpParameterCount(const ModelSpec &spec)
{
    const int64_t h = spec.hiddenSize;
    int64_t n = 0;
    for (int64_t k = 0; k < spec.mtpLayers; ++k) {
        n += decoderLayerParameters(spec, spec.numLayers + k);
        n += 2 * h;                        // enorm, hnorm
        n += 2 * h * h;                    // eh_proj: concat(h, h) -> h, no bias
        n += h;                            // shared_head.norm
        n += 2 * embeddingParameters(spec); // embed_tokens and shared_head.head, stored again
    }
    return n;
}

int64_t activeParameterCountPerToken(const ModelSpec &spec)
{
    int64_t n = mainParameterCount(spec);
    // A lookup reads one row of embed_tokens; a tied table is read in full anyway as the head.
    if (!spec.tieWordEmbeddings)
        n -= embeddingParameters(spec) - spec.hiddenSize;
    if (spec.moe) {
        const int64_t idle = spec.moe->routedExperts - spec.moe->expertsPerToken;
        for (int64_t layer = 0; layer < spec.numLayers; ++layer) {
            if (isMoeLayer(spec, layer))
                n -= idle * expertParameters(spec);
        }
    }
    return n;
}

} // namespace slipway::model
