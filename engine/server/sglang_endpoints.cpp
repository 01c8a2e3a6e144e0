// SGLang's native endpoints: POST /generate, GET /get_model_info, GET /metrics.
#include <nlohmann/json.hpp>

#include "runtime/metrics.h"
#include "server/endpoints.h"
#include "server/generation.h"
#include "server/output_accumulator.h"
#include "server/request_fields.h"
#include "server/sampling_request.h"
#include "server/serving_engine.h"

namespace slipway::engine {

using nlohmann::json;

namespace {

constexpr auto kJsonReplace = json::error_handler_t::replace;

json finish_reason_json(const OutputAccumulator &acc, const SamplingParams &sp) {
    switch (acc.finish_reason) {
    case FinishReason::none: return nullptr;
    case FinishReason::stop:
        if (!acc.matched_stop_string.empty()) return {{"type", "stop"}, {"matched", acc.matched_stop_string}};
        return {{"type", "stop"}, {"matched", acc.matched_stop_token}};
    case FinishReason::length: return {{"type", "length"}, {"length", sp.max_new_tokens}};
    case FinishReason::abort: return {{"type", "abort"}, {"message", acc.message}};
    }
    return nullptr;
}

json meta_info(const std::string &rid, const OutputAccumulator &acc, const SamplingParams &sp, int32_t prompt_tokens,
               double e2e_seconds, bool with_logprobs) {
    json meta = {{"id", rid},
                 {"finish_reason", finish_reason_json(acc, sp)},
                 {"prompt_tokens", prompt_tokens},
                 {"completion_tokens", static_cast<int64_t>(acc.ids.size())},
                 {"cached_tokens", acc.usage.cached_tokens},
                 {"e2e_latency", e2e_seconds}};
    if (with_logprobs) {
        // SGLang's layout: [logprob, token_id, text] triples (text null unless asked for).
        json tokens = json::array();
        json tops = json::array();
        for (const TokenLogprob &lp : acc.logprobs) {
            tokens.push_back(json::array({lp.logprob, lp.token_id, nullptr}));
            json top = json::array();
            for (const TopLogprob &t : lp.top) top.push_back(json::array({t.logprob, t.token_id, nullptr}));
            tops.push_back(std::move(top));
        }
        meta["output_token_logprobs"] = std::move(tokens);
        if (sp.top_logprobs_num > 0) meta["output_top_logprobs"] = std::move(tops);
    }
    return meta;
}

} // namespace

void handle_generate(EndpointContext &ctx, ServingEngine &engine) {
    const json body = parse_body(ctx.request.body);
    for (const char *field : {"image_data", "audio_data", "video_data", "input_embeds", "lora_path"}) {
        if (find_field(body, field) != nullptr) {
            fail_bad_request(std::string(field) + " is not supported by this server (text models only)", field);
        }
    }
    const json *text = find_field(body, "text");
    const json *input_ids = find_field(body, "input_ids");
    if ((text == nullptr) == (input_ids == nullptr)) {
        fail_bad_request("send exactly one of \"text\" (a string) or \"input_ids\" (a list of token ids)", "text");
    }
    std::vector<int32_t> prompt;
    if (text != nullptr) {
        if (text->is_array()) fail_bad_request("text must be one string: batched prompts are not supported", "text");
        prompt = engine.tokenizer().encode(*read_string(body, "text", "text"), true);
    } else {
        if (input_ids->is_array() && !input_ids->empty() && input_ids->front().is_array()) {
            fail_bad_request("input_ids must be one list of ids: batched prompts are not supported", "input_ids");
        }
        prompt = *read_int_list(body, "input_ids", "input_ids");
    }
    if (prompt.empty()) fail_bad_request("the prompt is empty; send at least one token", text ? "text" : "input_ids");
    SamplingParams sp = sglang_sampling(find_field(body, "sampling_params"), engine);
    const bool with_logprobs = read_bool(body, "return_logprob", "return_logprob").value_or(false);
    if (with_logprobs) {
        sp.logprobs = true;
        if (auto n = read_int(body, "top_logprobs_num", "top_logprobs_num")) {
            sp.top_logprobs_num = to_int32(*n, "top_logprobs_num", 0, 20);
        }
        if (auto start = read_int(body, "logprob_start_len", "logprob_start_len"); start && *start >= 0) {
            fail_bad_request("prompt logprobs (logprob_start_len >= 0) are not supported; leave it unset or -1",
                             "logprob_start_len");
        }
    }
    const bool stream = read_bool(body, "stream", "stream").value_or(false);
    const std::string rid = read_string(body, "rid", "rid").value_or(random_id(""));
    ctx.record.id = rid;
    ctx.record.prompt_tokens = static_cast<int32_t>(prompt.size());

    Generation gen(engine.scheduler(), std::move(prompt), sp, &ctx.exchange, rid);
    OutputAccumulator acc;
    auto elapsed = [&gen] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - gen.start_time()).count();
    };
    auto make_json = [&] {
        json j = {{"text", acc.text}, {"output_ids", acc.ids},
                  {"meta_info", meta_info(rid, acc, sp, gen.prompt_tokens(), elapsed(), with_logprobs)}};
        return j.dump(-1, ' ', false, kJsonReplace);
    };
    if (stream && !ctx.exchange.begin_stream()) {
        gen.cancel();
        ctx.record.client_gone = true;
        return;
    }
    while (std::optional<StepOutput> out = gen.next()) {
        acc.add(*out);
        // Streamed events carry the text and ids so far (SGLang's default, non-incremental
        // streaming output).
        if (stream && (!out->token_ids.empty() || out->finished) && !ctx.exchange.send_event(make_json())) {
            gen.cancel();
            break;
        }
        if (out->finished) break;
    }
    ctx.record.completion_tokens = static_cast<int32_t>(acc.ids.size());
    ctx.record.cached_tokens = acc.usage.cached_tokens;
    ctx.record.finish_reason = acc.finished ? finish_reason_name(acc.finish_reason) : "";
    if (!acc.finished) {
        ctx.record.client_gone = true;
        return;
    }
    if (stream) {
        ctx.exchange.send_event("[DONE]");
        ctx.exchange.end_stream();
        return;
    }
    if (acc.finish_reason == FinishReason::abort) fail(ApiError::unavailable("the request was aborted: " + acc.message));
    respond_json(ctx.exchange, 200, make_json());
}

void handle_model_info(EndpointContext &ctx, ServingEngine &engine) {
    const ServeOptions &o = ctx.options;
    const json info = {{"model_path", o.model_path},
                       {"tokenizer_path", o.tokenizer_path.empty() ? o.model_path : o.tokenizer_path},
                       {"served_model_name", o.model_name()},
                       {"is_generation", true},
                       {"architecture", engine.architecture()},
                       {"max_context_length", engine.context_length()},
                       {"max_total_num_tokens", engine.kv_pool_tokens()},
                       {"page_size", engine.scheduler().runner_info().page_size},
                       {"max_running_requests", engine.scheduler().max_running_requests()},
                       {"vocab_size", engine.vocab_size()},
                       {"device", o.device},
                       {"reasoning_parser", o.reasoning_parser.empty() ? json(nullptr) : json(o.reasoning_parser)},
                       {"weight_version", "default"},
                       {"version", engine_version()}};
    respond_json(ctx.exchange, 200, info.dump(-1, ' ', false, kJsonReplace));
}

void handle_metrics(EndpointContext &ctx, ServingEngine &engine) {
    ctx.exchange.respond(200, "text/plain; version=0.0.4; charset=utf-8",
                         render_prometheus(engine.scheduler().metrics(), ctx.options.model_name()));
}

} // namespace slipway::engine
