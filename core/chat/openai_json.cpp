#include "chat/openai_json.h"

#include <nlohmann/json.hpp>

namespace slipway::chat {

using nlohmann::json;

namespace {

Result<void> validateSampling(const Sampling &s)
{
    if (s.temperature && (*s.temperature < 0.0 || *s.temperature > 2.0))
        return fail("temperature must be between 0 and 2 (0 is greedy; 0.6 is DeepSeek-R1's recommendation)");
    if (s.topP && (*s.topP <= 0.0 || *s.topP > 1.0))
        return fail("top-p must be above 0 and at most 1 (1 turns it off)");
    if (s.maxTokens && *s.maxTokens <= 0)
        return fail("max tokens must be a positive number of tokens");
    if (s.stop.size() > 4)
        return fail("at most 4 stop strings can be given (the OpenAI API's limit)");
    for (const std::string &stop : s.stop) {
        if (stop.empty())
            return fail("a stop string is empty; remove it or type the text that should end the reply");
    }
    return {};
}

void putSampling(json &body, const Sampling &s)
{
    if (s.temperature)
        body["temperature"] = *s.temperature;
    if (s.topP)
        body["top_p"] = *s.topP;
    if (s.maxTokens)
        body["max_tokens"] = *s.maxTokens;
    if (!s.stop.empty())
        body["stop"] = s.stop;
}

std::string stringOr(const json &object, const char *key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int intOr(const json &object, const char *key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_number() ? it->get<int>() : 0;
}

std::optional<Usage> usageOf(const json &root)
{
    const auto it = root.find("usage");
    if (it == root.end() || !it->is_object())
        return std::nullopt;
    Usage usage;
    usage.promptTokens = intOr(*it, "prompt_tokens");
    usage.completionTokens = intOr(*it, "completion_tokens");
    usage.totalTokens = intOr(*it, "total_tokens");
    if (const auto details = it->find("completion_tokens_details"); details != it->end() && details->is_object()) {
        if (const auto r = details->find("reasoning_tokens"); r != details->end() && r->is_number())
            usage.reasoningTokens = r->get<int>();
    }
    return usage;
}

// An error object inside a 200 reply or stream: {"error": {...}} or {"object": "error", ...}.
std::optional<std::string> errorOf(const json &root)
{
    if (const auto it = root.find("error"); it != root.end() && !it->is_null()) {
        if (it->is_string())
            return it->get<std::string>();
        const std::string message = stringOr(*it, "message");
        return message.empty() ? it->dump() : message;
    }
    if (stringOr(root, "object") == "error") {
        const std::string message = stringOr(root, "message");
        return message.empty() ? root.dump() : message;
    }
    return std::nullopt;
}

std::string reasoningOf(const json &object)
{
    std::string reasoning = stringOr(object, "reasoning_content");
    return reasoning.empty() ? stringOr(object, "reasoning") : reasoning;
}

Result<json> parseObject(std::string_view text, const char *what)
{
    json root = json::parse(text.begin(), text.end(), nullptr, false);
    if (root.is_discarded() || !root.is_object()) {
        std::string excerpt(text.substr(0, 200));
        return fail(std::string("the server sent ") + what + " that is not a JSON object: " + excerpt);
    }
    return root;
}

} // namespace

Result<void> validate(const ChatRequest &request)
{
    if (request.model.empty())
        return fail("no model chosen: pick one of the models the endpoint lists (GET /v1/models)");
    if (request.messages.empty())
        return fail("nothing to send: type a message first");
    for (const ChatMessage &m : request.messages) {
        if (m.role != "user" && m.role != "assistant" && m.role != "system")
            return fail("message role '" + m.role + "' is not one of system, user, assistant");
    }
    return validateSampling(request.sampling);
}

Result<void> validate(const CompletionRequest &request)
{
    if (request.model.empty())
        return fail("no model chosen: pick one of the models the endpoint lists (GET /v1/models)");
    if (request.prompt.empty())
        return fail("the prompt is empty: type the text the model should continue");
    return validateSampling(request.sampling);
}

std::string chatRequestBody(const ChatRequest &request)
{
    json messages = json::array();
    if (!request.systemPrompt.empty())
        messages.push_back({{"role", "system"}, {"content", request.systemPrompt}});
    for (const ChatMessage &m : request.messages)
        messages.push_back({{"role", m.role}, {"content", m.content}});
    json body = {{"model", request.model}, {"messages", std::move(messages)}, {"stream", request.stream}};
    if (request.stream && request.includeUsage)
        body["stream_options"] = {{"include_usage", true}};
    putSampling(body, request.sampling);
    return body.dump();
}

std::string completionRequestBody(const CompletionRequest &request)
{
    json body = {{"model", request.model}, {"prompt", request.prompt}, {"stream", request.stream}};
    if (request.stream && request.includeUsage)
        body["stream_options"] = {{"include_usage", true}};
    putSampling(body, request.sampling);
    return body.dump();
}

Result<StreamChunk> parseStreamChunk(std::string_view text)
{
    auto root = parseObject(text, "a stream event");
    if (!root)
        return root.error();
    StreamChunk chunk;
    chunk.error = errorOf(*root);
    chunk.usage = usageOf(*root);
    chunk.model = stringOr(*root, "model");
    const auto choices = root->find("choices");
    if (choices != root->end() && choices->is_array() && !choices->empty()) {
        const json &choice = choices->front();
        if (const auto delta = choice.find("delta"); delta != choice.end() && delta->is_object()) {
            chunk.text = stringOr(*delta, "content");
            chunk.reasoning = reasoningOf(*delta);
        } else {
            chunk.text = stringOr(choice, "text");
        }
        if (const auto finish = choice.find("finish_reason"); finish != choice.end() && finish->is_string())
            chunk.finishReason = finish->get<std::string>();
    }
    return chunk;
}

Result<Reply> parseReply(std::string_view text)
{
    auto root = parseObject(text, "a reply");
    if (!root)
        return root.error();
    if (auto error = errorOf(*root))
        return fail("the server reported an error: " + *error);
    const auto choices = root->find("choices");
    if (choices == root->end() || !choices->is_array() || choices->empty())
        return fail("the server's reply has no choices: " + std::string(text.substr(0, 200)));
    const json &choice = choices->front();
    Reply reply;
    if (const auto message = choice.find("message"); message != choice.end() && message->is_object()) {
        reply.content = stringOr(*message, "content");
        reply.reasoning = reasoningOf(*message);
    } else {
        reply.content = stringOr(choice, "text");
    }
    reply.finishReason = stringOr(choice, "finish_reason");
    reply.usage = usageOf(*root);
    reply.model = stringOr(*root, "model");
    return reply;
}

Result<std::vector<ModelInfo>> parseModelList(std::string_view text)
{
    auto root = parseObject(text, "a model list");
    if (!root)
        return root.error();
    const auto data = root->find("data");
    if (data == root->end() || !data->is_array())
        return fail("the model list has no \"data\" array; is this an OpenAI-compatible endpoint?");
    std::vector<ModelInfo> models;
    for (const json &entry : *data) {
        ModelInfo info;
        info.id = stringOr(entry, "id");
        if (info.id.empty())
            continue;
        info.ownedBy = stringOr(entry, "owned_by");
        if (const auto len = entry.find("max_model_len"); len != entry.end() && len->is_number_integer())
            info.maxModelLength = len->get<long>();
        models.push_back(std::move(info));
    }
    return models;
}

} // namespace slipway::chat
