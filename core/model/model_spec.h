#pragma once
// ModelSpec: what Slipway knows about a model, read from a Hugging Face config.json (and, when a
// model folder is given, the exact tensor bytes from its safetensors headers).
// Value type; no I/O happens here. Loading lives in model_loader.h, the catalog in catalog.h.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace slipway::model {

enum class Architecture { Qwen2, Llama, DeepseekV3 };

// Llama 3 style rope scaling ("rope_type": "llama3"), or another type we carry through by name.
struct RopeScaling {
    std::string type;                          // "llama3", "yarn", "linear", ...
    double factor = 1.0;
    double lowFreqFactor = 1.0;                // llama3
    double highFreqFactor = 4.0;               // llama3
    int64_t originalMaxPositionEmbeddings = 0; // llama3 / yarn
};

// Multi-head latent attention (DeepSeek-V3).
struct MlaSpec {
    int64_t qLoraRank = 0;     // 0 means q is projected directly (no q LoRA)
    int64_t kvLoraRank = 0;
    int64_t qkNopeHeadDim = 0;
    int64_t qkRopeHeadDim = 0;
    int64_t vHeadDim = 0;
};

// Mixture of experts (DeepSeek-V3).
struct MoeSpec {
    int64_t routedExperts = 0;       // n_routed_experts
    int64_t sharedExperts = 0;       // n_shared_experts
    int64_t expertsPerToken = 0;     // num_experts_per_tok
    int64_t expertIntermediateSize = 0; // moe_intermediate_size
    int64_t firstDenseLayers = 0;    // first_k_dense_replace
    int64_t layerFrequency = 1;      // moe_layer_freq
};

// quantization_config of an already-quantised checkpoint (V3's FP8 blocks).
struct QuantizationSpec {
    std::string method;      // "fp8"
    std::string format;      // "e4m3"
    int64_t blockRows = 0;   // weight_block_size[0]
    int64_t blockCols = 0;   // weight_block_size[1]
};

// Exact sizes from safetensors headers (only headers are read).
struct WeightsInfo {
    int64_t totalBytes = 0;
    int64_t tensorCount = 0;
    int64_t parameterCount = 0;                 // sum of element counts
    std::map<std::string, int64_t> bytesByDtype; // "BF16" -> bytes, "F8_E4M3" -> bytes, ...
    int fileCount = 0;
    int64_t bytesRead = 0;                      // bytes read from disk: headers and the shard index only
};

struct ModelSpec {
    std::string id;               // Hugging Face id ("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B") or a path
    std::string displayName;      // "DeepSeek-R1-Distill-Qwen-7B"
    Architecture architecture = Architecture::Llama;
    std::string architectureName; // as in config.json: "Qwen2ForCausalLM", ...
    std::string torchDtype;       // "bfloat16", ...

    int64_t hiddenSize = 0;
    int64_t numLayers = 0;
    int64_t numAttentionHeads = 0;
    int64_t numKeyValueHeads = 0; // for MLA: equals numAttentionHeads (no KV heads to split)
    int64_t headDim = 0;          // hidden / heads unless config says otherwise; for MLA the
                                  // query/key head width, qk_nope_head_dim + qk_rope_head_dim
    int64_t intermediateSize = 0; // dense MLP
    int64_t vocabSize = 0;
    int64_t maxPositionEmbeddings = 0;
    double ropeTheta = 10000.0;
    double rmsNormEps = 1e-6;
    bool tieWordEmbeddings = false;
    bool attentionBias = false;   // Qwen2: q/k/v carry a bias
    bool attentionOutputBias = false; // Llama's attention_bias also puts a bias on o_proj
    bool mlpBias = false;

    std::optional<RopeScaling> ropeScaling;
    std::optional<MlaSpec> mla;
    std::optional<MoeSpec> moe;
    std::optional<QuantizationSpec> quantization;
    int64_t mtpLayers = 0;        // num_nextn_predict_layers (V3: 1)

    std::optional<WeightsInfo> weights; // present when read from a folder with safetensors

    bool isMla() const { return mla.has_value(); }
    bool isMoe() const { return moe.has_value(); }
};

const char *architectureName(Architecture a);

// True when decoder layer `layer` (0-based; MTP layers follow the main ones) uses the MoE block:
// DeepSeek-V3 replaces the dense MLP from first_k_dense_replace on, every moe_layer_freq layers.
bool isMoeLayer(const ModelSpec &spec, int64_t layer);

// Parameter counts computed from the config alone (no files needed).
// mainParameterCount excludes the MTP layers; mtpParameterCount is those layers alone, counted
// as the checkpoint holds them (DeepSeek-V3's layer 61 carries its own copies of embed_tokens and
// the output head, and Hugging Face's 685 B total counts them).
int64_t mainParameterCount(const ModelSpec &spec);
int64_t mtpParameterCount(const ModelSpec &spec);

// Parameters read per decoded token: every weight except the embedding table (one row is read)
// and, for MoE, only the active experts. Used for the decode ceiling.
int64_t activeParameterCountPerToken(const ModelSpec &spec);

} // namespace slipway::model
