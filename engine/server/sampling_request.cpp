#include "server/sampling_request.h"

#include <algorithm>
#include <limits>
#include <set>
#include <string>

#include "server/request_fields.h"
#include "server/serving_engine.h"

namespace slipway::engine {

using nlohmann::json;

namespace {

constexpr int32_t kIntMax = std::numeric_limits<int32_t>::max();

// Sets the fields the request left unset from generation_config.json.
void apply_model_defaults(SamplingParams &p, const json &obj, const ServingEngine &engine, const char *temperature_key) {
    const SamplingDefaults &d = engine.sampling_defaults();
    if (find_field(obj, temperature_key) == nullptr && d.temperature) p.temperature = *d.temperature;
    if (find_field(obj, "top_p") == nullptr && d.top_p) p.top_p = *d.top_p;
    if (find_field(obj, "top_k") == nullptr && d.top_k) p.top_k = *d.top_k;
    if (find_field(obj, "min_p") == nullptr && d.min_p) p.min_p = *d.min_p;
    if (find_field(obj, "repetition_penalty") == nullptr && d.repetition_penalty) {
        p.repetition_penalty = *d.repetition_penalty;
    }
}

// Fields both APIs spell the same way.
void read_common(SamplingParams &p, const json &obj, const std::string &prefix) {
    if (auto v = read_number(obj, "temperature", prefix + "temperature")) p.temperature = static_cast<float>(*v);
    if (auto v = read_number(obj, "top_p", prefix + "top_p")) p.top_p = static_cast<float>(*v);
    if (auto v = read_int(obj, "top_k", prefix + "top_k")) {
        p.top_k = to_int32(*v, prefix + "top_k", -1, kIntMax);
        if (p.top_k == 0) p.top_k = -1;  // 0 means off, as in transformers
    }
    if (auto v = read_number(obj, "min_p", prefix + "min_p")) p.min_p = static_cast<float>(*v);
    if (auto v = read_number(obj, "frequency_penalty", prefix + "frequency_penalty")) {
        p.frequency_penalty = static_cast<float>(*v);
    }
    if (auto v = read_number(obj, "presence_penalty", prefix + "presence_penalty")) {
        p.presence_penalty = static_cast<float>(*v);
    }
    if (auto v = read_number(obj, "repetition_penalty", prefix + "repetition_penalty")) {
        p.repetition_penalty = static_cast<float>(*v);
    }
    if (auto v = read_bool(obj, "ignore_eos", prefix + "ignore_eos")) p.ignore_eos = *v;
    p.stop = read_string_or_list(obj, "stop", prefix + "stop");
    if (auto v = read_int_list(obj, "stop_token_ids", prefix + "stop_token_ids")) p.stop_token_ids = *v;
}

void check_n(const json &obj, const std::string &path) {
    if (auto n = read_int(obj, "n", path); n && *n != 1) {
        fail_bad_request(path + " must be 1: this server returns one choice per request (send several requests)", path);
    }
}

void set_seed(SamplingParams &p, std::optional<int64_t> seed, const std::string &path, ServingEngine &engine) {
    if (seed) {
        if (*seed < 0) fail_bad_request(path + " must be >= 0, got " + std::to_string(*seed), path);
        p.seed = static_cast<uint64_t>(*seed);
    } else {
        p.seed = engine.next_default_seed();
    }
}

} // namespace

SamplingParams openai_sampling(const json &body, OpenAiEndpoint endpoint, ServingEngine &engine, int64_t prompt_tokens) {
    SamplingParams p;
    apply_model_defaults(p, body, engine, "temperature");
    read_common(p, body, "");
    check_n(body, "n");
    if (auto best_of = read_int(body, "best_of", "best_of"); best_of && *best_of != 1) {
        fail_bad_request("best_of must be 1: this server returns one choice per request", "best_of");
    }
    if (find_field(body, "logit_bias") != nullptr) {
        fail_bad_request("logit_bias is not supported by this server; remove it", "logit_bias");
    }
    if (const json *rf = find_field(body, "response_format")) {
        if (!rf->is_object() || rf->value("type", "") != "text") {
            fail_bad_request("response_format other than {\"type\": \"text\"} (JSON mode, JSON schema) is not supported "
                             "by this server",
                             "response_format");
        }
    }
    std::optional<int64_t> max_tokens = read_int(body, "max_tokens", "max_tokens");
    if (endpoint == OpenAiEndpoint::chat) {
        if (auto v = read_int(body, "max_completion_tokens", "max_completion_tokens")) max_tokens = v;
    }
    if (max_tokens) {
        p.max_new_tokens = to_int32(*max_tokens, "max_tokens", 0, kIntMax);
    } else if (endpoint == OpenAiEndpoint::completions) {
        p.max_new_tokens = 16;  // OpenAI's default for /v1/completions
    } else {
        // Chat without max_tokens: up to the end of the context, as SGLang does.
        p.max_new_tokens = static_cast<int32_t>(std::max<int64_t>(1, engine.context_length() - prompt_tokens));
    }
    if (auto v = read_int(body, "min_tokens", "min_tokens")) p.min_new_tokens = to_int32(*v, "min_tokens", 0, kIntMax);
    set_seed(p, read_int(body, "seed", "seed"), "seed", engine);

    if (endpoint == OpenAiEndpoint::completions) {
        // logprobs: N top alternatives per token (0..20; OpenAI allows up to 5).
        if (auto v = read_int(body, "logprobs", "logprobs")) {
            p.logprobs = true;
            p.top_logprobs_num = to_int32(*v, "logprobs", 0, 20);
        }
    } else {
        if (const json *lp = find_field(body, "logprobs")) {
            if (!lp->is_boolean()) fail_bad_request("logprobs must be true or false", "logprobs");
            p.logprobs = lp->get<bool>();
        }
        if (auto v = read_int(body, "top_logprobs", "top_logprobs")) {
            if (!p.logprobs) fail_bad_request("top_logprobs needs logprobs: true", "top_logprobs");
            p.top_logprobs_num = to_int32(*v, "top_logprobs", 0, 20);
        }
    }
    return p;
}

SamplingParams sglang_sampling(const json *sp, ServingEngine &engine) {
    SamplingParams p;
    static const json empty = json::object();
    const json &obj = sp != nullptr ? *sp : empty;
    if (!obj.is_object()) fail_bad_request("sampling_params must be an object", "sampling_params");
    // Refuse what we would silently ignore: a typo must not pass as a default.
    static const std::set<std::string> known = {
        "max_new_tokens", "min_new_tokens", "temperature", "top_p", "top_k", "min_p", "frequency_penalty",
        "presence_penalty", "repetition_penalty", "ignore_eos", "stop", "stop_token_ids", "n", "sampling_seed",
        "skip_special_tokens", "spaces_between_special_tokens", "no_stop_trim", "stream_interval"};
    static const std::set<std::string> unsupported = {"regex", "json_schema", "ebnf", "structural_tag", "logit_bias",
                                                      "custom_params"};
    for (const auto &item : obj.items()) {
        if (item.value().is_null()) continue;
        if (unsupported.count(item.key())) {
            fail_bad_request("sampling_params." + item.key() + " (constrained decoding / logit bias) is not supported by "
                             "this server; remove it",
                             "sampling_params." + item.key());
        }
        if (!known.count(item.key())) {
            fail_bad_request("unknown sampling parameter sampling_params." + item.key() +
                                 " (accepted: max_new_tokens, min_new_tokens, temperature, top_p, top_k, min_p, "
                                 "frequency_penalty, presence_penalty, repetition_penalty, ignore_eos, stop, "
                                 "stop_token_ids, sampling_seed, n, skip_special_tokens)",
                             "sampling_params." + item.key());
        }
    }
    apply_model_defaults(p, obj, engine, "temperature");
    read_common(p, obj, "sampling_params.");
    check_n(obj, "sampling_params.n");
    if (auto v = read_int(obj, "max_new_tokens", "sampling_params.max_new_tokens")) {
        p.max_new_tokens = to_int32(*v, "sampling_params.max_new_tokens", 0, kIntMax);
    }
    if (auto v = read_int(obj, "min_new_tokens", "sampling_params.min_new_tokens")) {
        p.min_new_tokens = to_int32(*v, "sampling_params.min_new_tokens", 0, kIntMax);
    }
    if (auto v = read_bool(obj, "skip_special_tokens", "sampling_params.skip_special_tokens"); v && !*v) {
        fail_bad_request("sampling_params.skip_special_tokens=false is not supported: special tokens are always skipped "
                         "in text (output_ids has them all)",
                         "sampling_params.skip_special_tokens");
    }
    if (auto v = read_bool(obj, "no_stop_trim", "sampling_params.no_stop_trim"); v && *v) {
        fail_bad_request("sampling_params.no_stop_trim=true is not supported: stop strings are always trimmed",
                         "sampling_params.no_stop_trim");
    }
    read_bool(obj, "spaces_between_special_tokens", "sampling_params.spaces_between_special_tokens");
    read_int(obj, "stream_interval", "sampling_params.stream_interval");
    set_seed(p, read_int(obj, "sampling_seed", "sampling_params.sampling_seed"), "sampling_params.sampling_seed", engine);
    return p;
}

} // namespace slipway::engine
