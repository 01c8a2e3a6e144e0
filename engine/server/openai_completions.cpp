// GET /v1/models and POST /v1/completions (OpenAI's legacy text completions).
#include <nlohmann/json.hpp>

#include "server/endpoints.h"
#include "server/generation.h"
#include "server/openai_format.h"
#include "server/output_accumulator.h"
#include "server/request_fields.h"
#include "server/sampling_request.h"
#include "server/serving_engine.h"

namespace slipway::engine {

using nlohmann::json;

namespace {

// `prompt`: a string, a list of token ids, or a one-element list of either.
std::vector<int32_t> completion_prompt(const json &body, const Tokenizer &tokenizer) {
    const json *p = find_field(body, "prompt");
    if (p == nullptr) fail_bad_request("prompt is required: a string or a list of token ids", "prompt");
    if (p->is_string()) return tokenizer.encode(p->get<std::string>(), true);
    if (!p->is_array()) {
        fail_bad_request("prompt must be a string or a list of token ids, got " + std::string(p->type_name()), "prompt");
    }
    if (p->empty()) fail_bad_request("prompt is an empty list; send text or at least one token id", "prompt");
    const json &first = p->front();
    if (first.is_string() || first.is_array()) {
        if (p->size() != 1) {
            fail_bad_request("prompt holds " + std::to_string(p->size()) +
                                 " prompts; this server takes one prompt per request (send several requests)",
                             "prompt");
        }
        if (first.is_string()) return tokenizer.encode(first.get<std::string>(), true);
        return to_int_list(first, "prompt[0]");
    }
    return to_int_list(*p, "prompt");
}

} // namespace

void handle_models(EndpointContext &ctx, ServingEngine &engine) {
    const json model = {{"id", ctx.options.model_name()},
                        {"object", "model"},
                        {"created", unix_time()},
                        {"owned_by", "slipway"},
                        {"root", ctx.options.model_path},
                        {"max_model_len", engine.context_length()}};
    respond_json(ctx.exchange, 200, dump_json({{"object", "list"}, {"data", json::array({model})}}));
}

void handle_completions(EndpointContext &ctx, ServingEngine &engine) {
    const json body = parse_body(ctx.request.body);
    const auto model = read_string(body, "model", "model");
    check_model_name(model ? &*model : nullptr, ctx.options);
    if (read_bool(body, "echo", "echo").value_or(false)) {
        fail_bad_request("echo=true is not supported by this server", "echo");
    }
    if (find_field(body, "suffix") != nullptr) fail_bad_request("suffix (insertion) is not supported", "suffix");
    std::vector<int32_t> prompt = completion_prompt(body, engine.tokenizer());
    if (prompt.empty()) fail_bad_request("the prompt is empty; send at least one token", "prompt");
    SamplingParams sp = openai_sampling(body, OpenAiEndpoint::completions, engine, static_cast<int64_t>(prompt.size()));
    const bool stream = read_bool(body, "stream", "stream").value_or(false);
    bool include_usage = false;
    if (const json *so = find_field(body, "stream_options")) {
        if (!so->is_object()) fail_bad_request("stream_options must be an object", "stream_options");
        include_usage = read_bool(*so, "include_usage", "stream_options.include_usage").value_or(false);
    }
    const std::string id = random_id("cmpl-");
    const int64_t created = unix_time();
    const std::string model_name = ctx.options.model_name();
    ctx.record.id = id;
    ctx.record.prompt_tokens = static_cast<int32_t>(prompt.size());

    Generation gen(engine.scheduler(), std::move(prompt), sp, &ctx.exchange, id);
    OutputAccumulator acc;
    auto chunk = [&](json choice) {
        return dump_json({{"id", id}, {"object", "text_completion"}, {"created", created}, {"model", model_name},
                          {"choices", json::array({std::move(choice)})}});
    };
    if (stream && !ctx.exchange.begin_stream()) {
        gen.cancel();
        ctx.record.client_gone = true;
        return;
    }
    while (std::optional<StepOutput> out = gen.next()) {
        const size_t offset_base = acc.text.size();
        acc.add(*out);
        if (stream && out->finish_reason != FinishReason::abort) {
            const bool has_logprobs = sp.logprobs && !out->logprobs.empty();
            if (!out->text.empty() || has_logprobs || out->finished) {
                json choice = {{"index", 0}, {"text", out->text}, {"logprobs", nullptr}, {"finish_reason", nullptr}};
                if (has_logprobs) {
                    choice["logprobs"] = completion_logprobs_json(out->logprobs, engine.tokenizer(),
                                                                  sp.top_logprobs_num > 0, offset_base);
                }
                if (out->finished) choice["finish_reason"] = openai_finish_reason(out->finish_reason);
                if (!ctx.exchange.send_event(chunk(std::move(choice)))) {
                    gen.cancel();
                    break;
                }
            }
        }
        if (out->finished) break;
    }
    ctx.record.completion_tokens = static_cast<int32_t>(acc.ids.size());
    ctx.record.cached_tokens = acc.usage.cached_tokens;
    if (!acc.finished) {
        ctx.record.client_gone = true;
        return;
    }
    ctx.record.finish_reason = finish_reason_name(acc.finish_reason);
    if (acc.finish_reason == FinishReason::abort) fail(ApiError::unavailable("the request was aborted: " + acc.message));
    const json usage = usage_json(gen.prompt_tokens(), static_cast<int32_t>(acc.ids.size()), acc.usage.cached_tokens);
    if (stream) {
        if (include_usage) {
            ctx.exchange.send_event(dump_json({{"id", id}, {"object", "text_completion"}, {"created", created},
                                               {"model", model_name}, {"choices", json::array()}, {"usage", usage}}));
        }
        ctx.exchange.send_event("[DONE]");
        ctx.exchange.end_stream();
        return;
    }
    json choice = {{"index", 0},
                   {"text", acc.text},
                   {"logprobs", nullptr},
                   {"finish_reason", openai_finish_reason(acc.finish_reason)}};
    if (sp.logprobs) {
        choice["logprobs"] = completion_logprobs_json(acc.logprobs, engine.tokenizer(), sp.top_logprobs_num > 0, 0);
    }
    respond_json(ctx.exchange, 200,
                 dump_json({{"id", id}, {"object", "text_completion"}, {"created", created}, {"model", model_name},
                            {"choices", json::array({std::move(choice)})}, {"usage", usage}}));
}

} // namespace slipway::engine
