// POST /v1/chat/completions: messages through the model's chat template, answers as
// chat.completion (or chat.completion.chunk events), with reasoning_content under
// --reasoning-parser deepseek-r1.
#include <nlohmann/json.hpp>

#include "server/endpoints.h"
#include "server/generation.h"
#include "server/openai_format.h"
#include "server/output_accumulator.h"
#include "server/reasoning_parser.h"
#include "server/request_fields.h"
#include "server/sampling_request.h"
#include "server/serving_engine.h"

namespace slipway::engine {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

// Checks the messages and flattens text-only content parts into strings (what text-only chat
// templates expect); key order is kept for the template's `tojson`.
ordered_json normalize_messages(const ordered_json &messages) {
    if (!messages.is_array()) fail_bad_request("messages must be a list of message objects", "messages");
    if (messages.empty()) fail_bad_request("messages is empty; send at least one message", "messages");
    ordered_json out = ordered_json::array();
    for (size_t i = 0; i < messages.size(); ++i) {
        const std::string where = "messages[" + std::to_string(i) + "]";
        const ordered_json &m = messages[i];
        if (!m.is_object()) fail_bad_request(where + " must be an object with role and content", where);
        const auto role = m.find("role");
        if (role == m.end() || !role->is_string()) fail_bad_request(where + ".role must be a string", where + ".role");
        const std::string r = role->get<std::string>();
        if (r != "system" && r != "user" && r != "assistant" && r != "tool" && r != "developer") {
            fail_bad_request(where + ".role '" + r + "' is not one of system, developer, user, assistant, tool",
                             where + ".role");
        }
        ordered_json msg = m;
        const auto content = m.find("content");
        if (content != m.end() && content->is_array()) {
            std::string text;
            for (size_t k = 0; k < content->size(); ++k) {
                const ordered_json &part = (*content)[k];
                const std::string pwhere = where + ".content[" + std::to_string(k) + "]";
                if (!part.is_object() || part.value("type", "") != "text" || !part.contains("text") ||
                    !part["text"].is_string()) {
                    fail_bad_request(pwhere + " must be {\"type\": \"text\", \"text\": \"...\"}: this model takes text only",
                                     pwhere);
                }
                if (!text.empty()) text += "\n";
                text += part["text"].get<std::string>();
            }
            msg["content"] = text;
        } else if (content != m.end() && !content->is_string() && !content->is_null()) {
            fail_bad_request(where + ".content must be a string, a list of text parts, or null", where + ".content");
        } else if (content == m.end() || content->is_null()) {
            if (r != "assistant") fail_bad_request(where + ".content is required for role " + r, where + ".content");
            msg["content"] = "";
        }
        out.push_back(std::move(msg));
    }
    return out;
}

// HF's continue_final_message: cut the rendered prompt right after the final message's content,
// dropping the end-of-turn tokens the template put after it.
std::string continue_final_message(const std::string &rendered, const std::string &final_content) {
    auto trim = [](const std::string &s) {
        const size_t b = s.find_first_not_of(" \n\r\t");
        const size_t e = s.find_last_not_of(" \n\r\t");
        return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    };
    const std::string stripped = trim(final_content);
    if (stripped.empty()) return rendered;
    const size_t loc = rendered.rfind(stripped);
    if (loc == std::string::npos) {
        fail_bad_request("continue_final_message: the chat template does not render the final message's content "
                         "verbatim, so it cannot be continued",
                         "messages");
    }
    // Keep the content's own trailing whitespace when the template kept it.
    const std::string lstripped = final_content.substr(final_content.find_first_not_of(" \n\r\t"));
    if (rendered.compare(loc, lstripped.size(), lstripped) == 0) return rendered.substr(0, loc + lstripped.size());
    return rendered.substr(0, loc + stripped.size());
}

} // namespace

void handle_chat_completions(EndpointContext &ctx, ServingEngine &engine) {
    const json body = parse_body(ctx.request.body);
    const ordered_json ordered = ordered_json::parse(ctx.request.body);  // valid: parse_body succeeded
    const auto model = read_string(body, "model", "model");
    check_model_name(model ? &*model : nullptr, ctx.options);
    if (find_field(body, "tools") != nullptr || find_field(body, "functions") != nullptr) {
        fail_bad_request("tools / function calling is not supported by this server; remove tools", "tools");
    }
    if (!ordered.contains("messages") || ordered["messages"].is_null()) {
        fail_bad_request("messages is required: a list of {role, content} objects", "messages");
    }
    const ordered_json messages = normalize_messages(ordered["messages"]);
    const ChatTemplate *tmpl = engine.chat_template();
    if (tmpl == nullptr) {
        fail_bad_request("chat is unavailable for this model: " + engine.chat_template_error(), "messages");
    }
    const bool continue_final = read_bool(body, "continue_final_message", "continue_final_message").value_or(false);
    bool add_generation_prompt = read_bool(body, "add_generation_prompt", "add_generation_prompt").value_or(true);
    if (continue_final) {
        if (messages.back()["role"] != "assistant") {
            fail_bad_request("continue_final_message needs the last message to be the assistant's", "messages");
        }
        add_generation_prompt = false;
    }
    ChatTemplateOptions topts;
    topts.add_generation_prompt = add_generation_prompt;
    topts.bos_token = engine.template_bos_token();
    topts.eos_token = engine.template_eos_token();
    if (ordered.contains("chat_template_kwargs") && !ordered["chat_template_kwargs"].is_null()) {
        if (!ordered["chat_template_kwargs"].is_object()) {
            fail_bad_request("chat_template_kwargs must be an object", "chat_template_kwargs");
        }
        topts.extra_context = ordered["chat_template_kwargs"];
    }
    StatusOr<std::string> rendered = tmpl->render(messages, topts);
    if (!rendered.ok()) fail_bad_request(rendered.message(), "messages");
    std::string prompt_text = std::move(rendered).value();
    if (continue_final) prompt_text = continue_final_message(prompt_text, messages.back()["content"].get<std::string>());
    std::vector<int32_t> prompt = engine.tokenizer().encode(prompt_text, false);
    if (prompt.empty()) fail_bad_request("the chat template rendered an empty prompt", "messages");

    SamplingParams sp = openai_sampling(body, OpenAiEndpoint::chat, engine, static_cast<int64_t>(prompt.size()));
    const bool stream = read_bool(body, "stream", "stream").value_or(false);
    bool include_usage = false;
    if (const json *so = find_field(body, "stream_options")) {
        if (!so->is_object()) fail_bad_request("stream_options must be an object", "stream_options");
        include_usage = read_bool(*so, "include_usage", "stream_options.include_usage").value_or(false);
    }
    const bool split_reasoning = ctx.options.reasoning_parser == "deepseek-r1" &&
                                 read_bool(body, "separate_reasoning", "separate_reasoning").value_or(true);
    const std::string id = random_id("chatcmpl-");
    const int64_t created = unix_time();
    const std::string model_name = ctx.options.model_name();
    ctx.record.id = id;
    ctx.record.prompt_tokens = static_cast<int32_t>(prompt.size());

    Generation gen(engine.scheduler(), std::move(prompt), sp, &ctx.exchange, id);
    OutputAccumulator acc;
    ReasoningParser parser;
    auto chunk = [&](json delta, const json &logprobs, const json &finish) {
        json choice = {{"index", 0}, {"delta", std::move(delta)}, {"logprobs", logprobs}, {"finish_reason", finish}};
        return dump_json({{"id", id}, {"object", "chat.completion.chunk"}, {"created", created}, {"model", model_name},
                          {"choices", json::array({std::move(choice)})}});
    };
    auto send = [&](const std::string &event) {
        if (ctx.exchange.send_event(event)) return true;
        gen.cancel();
        return false;
    };
    if (stream && !ctx.exchange.begin_stream()) {
        gen.cancel();
        ctx.record.client_gone = true;
        return;
    }
    bool role_sent = false;
    bool client_ok = true;
    while (std::optional<StepOutput> out = gen.next()) {
        acc.add(*out);
        if (stream && out->finish_reason != FinishReason::abort) {
            if (!role_sent) {
                client_ok = send(chunk({{"role", "assistant"}, {"content", ""}}, nullptr, nullptr));
                role_sent = true;
            }
            ReasoningDelta delta;
            if (split_reasoning) {
                delta = parser.push(out->text);
                if (out->finished) {
                    ReasoningDelta rest = parser.finish();
                    delta.reasoning += rest.reasoning;
                    delta.content += rest.content;
                }
            } else {
                delta.content = out->text;
            }
            const json logprobs = sp.logprobs && !out->logprobs.empty()
                                      ? chat_logprobs_json(out->logprobs, engine.tokenizer())
                                      : json(nullptr);
            if (client_ok && (!delta.reasoning.empty() || !delta.content.empty() || !logprobs.is_null())) {
                json d = json::object();
                if (!delta.reasoning.empty()) d["reasoning_content"] = delta.reasoning;
                if (!delta.content.empty()) d["content"] = delta.content;
                client_ok = send(chunk(std::move(d), logprobs, nullptr));
            }
            if (client_ok && out->finished) {
                client_ok = send(chunk(json::object(), nullptr, openai_finish_reason(out->finish_reason)));
            }
            if (!client_ok) break;
        }
        if (out->finished) break;
    }
    ctx.record.completion_tokens = static_cast<int32_t>(acc.ids.size());
    ctx.record.cached_tokens = acc.usage.cached_tokens;
    if (!acc.finished || !client_ok) {
        ctx.record.client_gone = true;
        return;
    }
    ctx.record.finish_reason = finish_reason_name(acc.finish_reason);
    if (acc.finish_reason == FinishReason::abort) fail(ApiError::unavailable("the request was aborted: " + acc.message));
    const json usage = usage_json(gen.prompt_tokens(), static_cast<int32_t>(acc.ids.size()), acc.usage.cached_tokens);
    if (stream) {
        if (include_usage) {
            ctx.exchange.send_event(dump_json({{"id", id}, {"object", "chat.completion.chunk"}, {"created", created},
                                               {"model", model_name}, {"choices", json::array()}, {"usage", usage}}));
        }
        ctx.exchange.send_event("[DONE]");
        ctx.exchange.end_stream();
        return;
    }
    json message = {{"role", "assistant"}, {"content", acc.text}};
    if (split_reasoning) {
        const ReasoningDelta parts = ReasoningParser::split(acc.text);
        message["content"] = parts.content.empty() && !parts.reasoning.empty() ? json(nullptr) : json(parts.content);
        message["reasoning_content"] = parts.reasoning.empty() ? json(nullptr) : json(parts.reasoning);
    }
    json choice = {{"index", 0},
                   {"message", std::move(message)},
                   {"logprobs", sp.logprobs ? chat_logprobs_json(acc.logprobs, engine.tokenizer()) : json(nullptr)},
                   {"finish_reason", openai_finish_reason(acc.finish_reason)}};
    respond_json(ctx.exchange, 200,
                 dump_json({{"id", id}, {"object", "chat.completion"}, {"created", created}, {"model", model_name},
                            {"choices", json::array({std::move(choice)})}, {"usage", usage}}));
}

} // namespace slipway::engine
