#include "model/config_parser.h"

#include "model/model_messages.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace slipway::model {

namespace {

using nlohmann::json;

// Thrown inside this file only; parseConfigJson turns it into an Error.
class ConfigError : public std::runtime_error {
public:
    explicit ConfigError(Message message) : std::runtime_error(message.english), m_message(std::move(message)) {}
    const Message &message() const { return m_message; }

private:
    Message m_message;
};

// A message whose %1 is the file and whose other arguments are plain text.
[[noreturn]] void throwAbout(const std::string &source, const MessageTemplate &t, std::vector<std::string> args = {})
{
    args.insert(args.begin(), source);
    throw ConfigError(makeMessage(t, std::move(args)));
}

constexpr Architecture kArchitectures[] = {Architecture::Qwen2, Architecture::Llama, Architecture::DeepseekV3};

// A short, quoted rendering of a JSON value for messages: `"4096" (a string)`, `-1`, `null`.
Message describe(const json &value)
{
    std::string text = value.dump();
    if (text.size() > 48)
        text = text.substr(0, 45) + "...";
    if (value.is_string())
        return makeMessage(msg::kValueString, {text});
    if (value.is_boolean())
        return makeMessage(msg::kValueBoolean, {text});
    if (value.is_array())
        return makeMessage(msg::kValueList, {text});
    if (value.is_object())
        return makeMessage(msg::kValueObject, {text});
    return literalMessage(text);
}

// Typed access to the fields of one JSON object, with messages that name the file and the field
// path ("rope_scaling.factor") and say what is expected.
class Fields {
public:
    Fields(const json &object, std::string source, std::string prefix, std::string owner)
        : m_object(object), m_source(std::move(source)), m_prefix(std::move(prefix)), m_owner(std::move(owner))
    {
    }

    // Present and not null (Hugging Face writes null for "not used").
    bool has(const char *key) const
    {
        const auto it = m_object.find(key);
        return it != m_object.end() && !it->is_null();
    }

    int64_t requiredPositive(const char *key) const
    {
        if (!has(key))
            missing(key);
        return integer(key, 1);
    }
    int64_t optionalPositive(const char *key, int64_t fallback) const
    {
        return has(key) ? integer(key, 1) : fallback;
    }
    int64_t optionalNonNegative(const char *key, int64_t fallback) const
    {
        return has(key) ? integer(key, 0) : fallback;
    }

    double requiredPositiveNumber(const char *key) const
    {
        if (!has(key))
            missing(key);
        return number(key);
    }
    double optionalPositiveNumber(const char *key, double fallback) const
    {
        return has(key) ? number(key) : fallback;
    }

    bool optionalBool(const char *key, bool fallback) const
    {
        if (!has(key))
            return fallback;
        const json &v = m_object.at(key);
        if (!v.is_boolean())
            wrong(key, v, msg::kExpectBool);
        return v.get<bool>();
    }

    std::string optionalString(const char *key, std::string fallback) const
    {
        if (!has(key))
            return fallback;
        const json &v = m_object.at(key);
        if (!v.is_string())
            wrong(key, v, msg::kExpectText);
        return v.get<std::string>();
    }

    // An object-valued field, or nullptr when absent or null.
    const json *optionalObject(const char *key) const
    {
        if (!has(key))
            return nullptr;
        const json &v = m_object.at(key);
        if (!v.is_object())
            wrong(key, v, msg::kExpectObject);
        return &v;
    }

    const json *optionalArray(const char *key) const
    {
        if (!has(key))
            return nullptr;
        const json &v = m_object.at(key);
        if (!v.is_array())
            wrong(key, v, msg::kExpectList);
        return &v;
    }

    std::string path(const char *key) const { return m_prefix + key; }

    // `t` with %1 the file and %2 … the arguments.
    [[noreturn]] void fail(const MessageTemplate &t, std::vector<std::string> args = {}) const
    {
        throwAbout(m_source, t, std::move(args));
    }

    [[noreturn]] void wrong(const char *key, const json &value, const MessageTemplate &expected) const
    {
        throw ConfigError(makeNestedMessage(msg::kConfigWrongValue, {literalMessage(m_source), literalMessage(path(key)),
                                                                     describe(value), makeMessage(expected)}));
    }

private:
    [[noreturn]] void missing(const char *key) const { fail(msg::kConfigMissingField, {path(key), m_owner}); }

    int64_t integer(const char *key, int64_t minimum) const
    {
        const json &v = m_object.at(key);
        const MessageTemplate &expected = minimum > 0 ? msg::kExpectPositiveInteger : msg::kExpectNonNegativeInteger;
        int64_t result = 0;
        if (v.is_number_integer()) {
            if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max()))
                wrong(key, v, expected);
            result = v.get<int64_t>();
        } else if (v.is_number_float()) {
            const double d = v.get<double>();
            if (std::floor(d) != d || std::fabs(d) > 9.0e15)
                wrong(key, v, expected);
            result = static_cast<int64_t>(d);
        } else if (v.is_string()) {
            wrong(key, v, minimum > 0 ? msg::kExpectPositiveIntegerUnquoted : msg::kExpectNonNegativeIntegerUnquoted);
        } else {
            wrong(key, v, expected);
        }
        if (result < minimum)
            wrong(key, v, expected);
        return result;
    }

    double number(const char *key) const
    {
        const json &v = m_object.at(key);
        if (!v.is_number())
            wrong(key, v, v.is_string() ? msg::kExpectPositiveNumberUnquoted : msg::kExpectPositiveNumber);
        const double d = v.get<double>();
        if (!(d > 0) || !std::isfinite(d))
            wrong(key, v, msg::kExpectPositiveNumber);
        return d;
    }

    const json &m_object;
    std::string m_source;
    std::string m_prefix;
    std::string m_owner;
};

std::string lastPathComponent(std::string id)
{
    while (id.size() > 1 && (id.back() == '/' || id.back() == '\\'))
        id.pop_back();
    const auto slash = id.find_last_of("/\\");
    return slash == std::string::npos ? id : id.substr(slash + 1);
}

Architecture pickArchitecture(const Fields &fields)
{
    if (const json *list = fields.optionalArray("architectures")) {
        for (const json &name : *list) {
            if (!name.is_string())
                fields.wrong("architectures", *list, msg::kExpectClassNames);
            for (Architecture a : kArchitectures) {
                if (name.get<std::string>() == architectureName(a))
                    return a;
            }
        }
        fields.fail(msg::kConfigArchitectures, {list->dump(), supportedArchitecturesText()});
    }
    // Some configs omit architectures; model_type names the family just as well.
    const std::string modelType = fields.optionalString("model_type", "");
    if (modelType == "qwen2")
        return Architecture::Qwen2;
    if (modelType == "llama")
        return Architecture::Llama;
    if (modelType == "deepseek_v3")
        return Architecture::DeepseekV3;
    if (!modelType.empty())
        fields.fail(msg::kConfigModelType, {modelType, supportedArchitecturesText()});
    fields.fail(msg::kConfigNoArchitecture, {supportedArchitecturesText()});
}

// Rope scaling parameters from transformers 4.x `rope_scaling` or 5.x `rope_parameters`; both use
// the same keys. Returns nothing for the plain ("default") rope.
std::optional<RopeScaling> readRopeScaling(const Fields &scaling)
{
    RopeScaling r;
    r.type = scaling.optionalString("rope_type", "");
    if (r.type.empty())
        r.type = scaling.optionalString("type", "");
    if (r.type.empty())
        scaling.fail(msg::kConfigRopeType, {scaling.path("rope_type")});
    if (r.type == "default")
        return std::nullopt;
    if (r.type == "llama3") {
        r.factor = scaling.requiredPositiveNumber("factor");
        r.lowFreqFactor = scaling.requiredPositiveNumber("low_freq_factor");
        r.highFreqFactor = scaling.requiredPositiveNumber("high_freq_factor");
        r.originalMaxPositionEmbeddings = scaling.requiredPositive("original_max_position_embeddings");
        if (r.highFreqFactor <= r.lowFreqFactor)
            scaling.fail(msg::kConfigHighFreqFactor, {scaling.path("high_freq_factor"), std::to_string(r.highFreqFactor),
                                                      std::to_string(r.lowFreqFactor)});
    } else if (r.type == "linear" || r.type == "dynamic" || r.type == "yarn") {
        r.factor = scaling.requiredPositiveNumber("factor");
        r.originalMaxPositionEmbeddings = scaling.optionalPositive("original_max_position_embeddings", 0);
    } else {
        // Carried through by name; other code decides whether it can serve it.
        r.factor = scaling.optionalPositiveNumber("factor", 1.0);
        r.originalMaxPositionEmbeddings = scaling.optionalPositive("original_max_position_embeddings", 0);
    }
    return r;
}

void readRope(const Fields &fields, const std::string &source, const std::string &owner,
              ModelSpec &spec)
{
    spec.ropeTheta = fields.optionalPositiveNumber("rope_theta", 10000.0);
    if (const json *params = fields.optionalObject("rope_parameters")) {
        // transformers 5.x: rope_theta moved inside rope_parameters.
        const Fields p(*params, source, "rope_parameters.", owner);
        spec.ropeTheta = p.optionalPositiveNumber("rope_theta", spec.ropeTheta);
        spec.ropeScaling = readRopeScaling(p);
        return;
    }
    if (const json *scaling = fields.optionalObject("rope_scaling"))
        spec.ropeScaling = readRopeScaling(Fields(*scaling, source, "rope_scaling.", owner));
}

void readDeepseekV3(const Fields &fields, const std::string &source, ModelSpec &spec)
{
    MlaSpec mla;
    mla.qLoraRank = fields.optionalNonNegative("q_lora_rank", 0);
    mla.kvLoraRank = fields.requiredPositive("kv_lora_rank");
    mla.qkNopeHeadDim = fields.requiredPositive("qk_nope_head_dim");
    mla.qkRopeHeadDim = fields.requiredPositive("qk_rope_head_dim");
    mla.vHeadDim = fields.requiredPositive("v_head_dim");
    spec.mla = mla;
    spec.numKeyValueHeads = spec.numAttentionHeads; // MLA: no KV heads to share
    spec.headDim = mla.qkNopeHeadDim + mla.qkRopeHeadDim;

    MoeSpec moe;
    moe.routedExperts = fields.requiredPositive("n_routed_experts");
    moe.sharedExperts = fields.optionalNonNegative("n_shared_experts", 0);
    moe.expertsPerToken = fields.requiredPositive("num_experts_per_tok");
    moe.expertIntermediateSize = fields.requiredPositive("moe_intermediate_size");
    moe.firstDenseLayers = fields.optionalNonNegative("first_k_dense_replace", 0);
    moe.layerFrequency = fields.optionalPositive("moe_layer_freq", 1);
    if (moe.expertsPerToken > moe.routedExperts)
        fields.fail(msg::kConfigExpertsPerToken,
                    {std::to_string(moe.expertsPerToken), std::to_string(moe.routedExperts)});
    spec.moe = moe;
    spec.mtpLayers = fields.optionalNonNegative("num_nextn_predict_layers", 0);

    if (const json *q = fields.optionalObject("quantization_config")) {
        const Fields qf(*q, source, "quantization_config.", "quantization_config");
        QuantizationSpec quant;
        if (!qf.has("quant_method"))
            qf.fail(msg::kConfigQuantMethod);
        quant.method = qf.optionalString("quant_method", "");
        quant.format = qf.optionalString("fmt", "");
        if (const json *block = qf.optionalArray("weight_block_size")) {
            const bool twoPositive = block->size() == 2 && (*block)[0].is_number_integer() &&
                                     (*block)[1].is_number_integer() && (*block)[0].get<int64_t>() > 0 &&
                                     (*block)[1].get<int64_t>() > 0;
            if (!twoPositive)
                qf.wrong("weight_block_size", *block, msg::kExpectBlockSize);
            quant.blockRows = (*block)[0].get<int64_t>();
            quant.blockCols = (*block)[1].get<int64_t>();
        }
        spec.quantization = quant;
    }
}

ModelSpec parse(std::string_view text, std::string id, const std::string &source)
{
    json root;
    try {
        root = json::parse(text);
    } catch (const json::parse_error &e) {
        std::string what = e.what();
        if (const auto close = what.find("] "); what.rfind("[json.exception", 0) == 0 && close != std::string::npos)
            what = what.substr(close + 2);
        throwAbout(source, msg::kConfigNotJson, {what});
    }
    if (!root.is_object())
        throw ConfigError(makeNestedMessage(msg::kConfigNotObject, {literalMessage(source), describe(root)}));

    const Fields top(root, source, "", "model");
    ModelSpec spec;
    spec.architecture = pickArchitecture(top);
    spec.architectureName = architectureName(spec.architecture);
    const std::string owner = spec.architectureName;
    const Fields fields(root, source, "", owner);

    spec.displayName = lastPathComponent(id);
    spec.id = std::move(id);
    spec.torchDtype = fields.optionalString("torch_dtype", "");
    if (spec.torchDtype.empty())
        spec.torchDtype = fields.optionalString("dtype", ""); // transformers 5.x

    spec.hiddenSize = fields.requiredPositive("hidden_size");
    spec.numLayers = fields.requiredPositive("num_hidden_layers");
    spec.numAttentionHeads = fields.requiredPositive("num_attention_heads");
    spec.intermediateSize = fields.requiredPositive("intermediate_size");
    spec.vocabSize = fields.requiredPositive("vocab_size");
    spec.maxPositionEmbeddings = fields.requiredPositive("max_position_embeddings");
    spec.rmsNormEps = fields.optionalPositiveNumber("rms_norm_eps", 1e-6);
    spec.tieWordEmbeddings = fields.optionalBool("tie_word_embeddings", false);
    readRope(fields, source, owner, spec);

    if (spec.architecture == Architecture::DeepseekV3) {
        readDeepseekV3(fields, source, spec);
        return spec;
    }

    spec.numKeyValueHeads = fields.optionalPositive("num_key_value_heads", spec.numAttentionHeads);
    if (spec.numAttentionHeads % spec.numKeyValueHeads != 0)
        fields.fail(msg::kConfigHeadsKvHeads,
                    {std::to_string(spec.numAttentionHeads), std::to_string(spec.numKeyValueHeads)});
    if (fields.has("head_dim")) {
        spec.headDim = fields.optionalPositive("head_dim", 0);
    } else {
        if (spec.hiddenSize % spec.numAttentionHeads != 0)
            fields.fail(msg::kConfigHiddenHeads, {std::to_string(spec.hiddenSize), std::to_string(spec.numAttentionHeads)});
        spec.headDim = spec.hiddenSize / spec.numAttentionHeads;
    }

    if (spec.architecture == Architecture::Qwen2) {
        spec.attentionBias = true; // Qwen2 always has q/k/v biases, never an o_proj bias
    } else {
        const bool bias = fields.optionalBool("attention_bias", false);
        spec.attentionBias = bias;
        spec.attentionOutputBias = bias;
        spec.mlpBias = fields.optionalBool("mlp_bias", false);
    }
    return spec;
}

} // namespace

std::string supportedArchitecturesText()
{
    std::string text;
    for (Architecture a : kArchitectures) {
        if (!text.empty())
            text += ", ";
        text += architectureName(a);
    }
    return text;
}

Result<ModelSpec> parseConfigJson(std::string_view json, std::string id, std::string_view sourceName)
{
    try {
        return parse(json, std::move(id), std::string(sourceName));
    } catch (const ConfigError &e) {
        return fail(e.message());
    } catch (const nlohmann::json::exception &e) {
        return fail(msg::kConfigUnexpected, {std::string(sourceName), e.what()});
    }
}

} // namespace slipway::model
