#include "chat/chat_client.h"

#include "chat/openai_json.h"
#include "chat/reasoning_splitter.h"
#include "chat/reply_stats.h"
#include "net/http_client.h"
#include "net/http_error.h"
#include "net/redact.h"
#include "net/sse_parser.h"
#include "net/url.h"

#include <chrono>

namespace slipway::chat {

namespace {

using Clock = std::chrono::steady_clock;

double secondsBetween(Clock::time_point a, Clock::time_point b)
{
    return std::chrono::duration<double>(b - a).count();
}

// Applies a delta to the reply as the UI does, so the returned Reply matches what was shown.
void apply(Reply &reply, const ReplyDelta &delta)
{
    if (delta.contentBecameReasoning) {
        reply.reasoning += reply.content;
        reply.content.clear();
    }
    reply.reasoning += delta.reasoning;
    reply.content += delta.content;
}

bool mentionsModel(std::string_view text)
{
    return text.find("model") != std::string_view::npos || text.find("Model") != std::string_view::npos;
}

} // namespace

ChatClient::ChatClient(Endpoint endpoint) : m_endpoint(std::move(endpoint))
{
    std::string base = m_endpoint.baseUrl;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    if (!base.ends_with("/v1"))
        base += "/v1";
    m_apiBase = std::move(base);
}

std::string ChatClient::apiUrl(std::string_view path) const
{
    return net::joinUrl(m_apiBase, path);
}

net::Request ChatClient::makeRequest(std::string_view path) const
{
    net::Request request;
    request.url = apiUrl(path);
    request.tls = m_endpoint.tls;
    request.timeouts.connect = m_endpoint.connectTimeout;
    request.timeouts.stall = m_endpoint.stallTimeout;
    if (!m_endpoint.apiKey.empty())
        request.headers.push_back(net::bearerAuth(m_endpoint.apiKey));
    for (const net::Header &h : m_endpoint.extraHeaders)
        request.headers.push_back(h);
    return request;
}

Error ChatClient::httpFailure(const net::Response &response, const Call &call) const
{
    const std::string server = net::redactSecrets(net::serverMessage(response.body));
    const std::string status = "HTTP " + std::to_string(response.status) + (server.empty() ? "" : ": " + server);
    if (response.status == 401 || response.status == 403) {
        if (m_endpoint.apiKey.empty())
            return fail("the endpoint " + m_apiBase + " requires an API key (" + status +
                        ") — enter the key the server was started with (--api-key)");
        return fail("the endpoint " + m_apiBase + " rejected the API key (" + status +
                    ") — check the key set for this endpoint");
    }
    if (response.status == 404) {
        if (!call.model.empty() && mentionsModel(server))
            return fail("the model '" + call.model + "' is not served at " + m_apiBase + " (" + status +
                        ") — pick one of the models the endpoint lists");
        return fail(apiUrl(call.path) + " does not exist on the server (" + status +
                    ") — check the base URL: it names the server, e.g. http://host:30000");
    }
    return fail(net::httpErrorMessage("POST " + apiUrl(call.path) + (call.model.empty() ? "" : " (model '" + call.model + "')"),
                                      response));
}

Result<std::vector<ModelInfo>> ChatClient::listModels(const net::CancelToken *cancel) const
{
    net::Request request = makeRequest("models");
    request.timeouts.total = std::chrono::seconds(30);
    net::Transfer transfer;
    transfer.cancel = cancel;
    const auto response = net::perform(request, transfer);
    if (!response)
        return fail("cannot list the models: " + response.message());
    if (!response->isSuccess())
        return httpFailure(*response, Call{"models", {}, {}, false, false, false});
    return parseModelList(response->body);
}

Result<Reply> ChatClient::chat(const ChatRequest &request, const DeltaCallback &onDelta,
                               const net::CancelToken *cancel) const
{
    if (auto valid = validate(request); !valid)
        return valid.error();
    return run(Call{"chat/completions", chatRequestBody(request), request.model, request.stream, true,
                    request.reasoningModel},
               onDelta, cancel);
}

Result<Reply> ChatClient::complete(const CompletionRequest &request, const DeltaCallback &onDelta,
                                   const net::CancelToken *cancel) const
{
    if (auto valid = validate(request); !valid)
        return valid.error();
    return run(Call{"completions", completionRequestBody(request), request.model, request.stream,
                    request.splitReasoning, request.reasoningModel},
               onDelta, cancel);
}

Result<Reply> ChatClient::run(const Call &call, const DeltaCallback &onDelta, const net::CancelToken *cancel) const
{
    net::Request request = makeRequest(call.path);
    request.method = "POST";
    request.body = call.body;
    request.headers.push_back({"Content-Type", "application/json"});
    if (call.stream)
        request.headers.push_back({"Accept", "text/event-stream"});

    Reply reply;
    ReplyTiming timing;
    timing.streamed = call.stream;
    ReasoningSplitter splitter(call.reasoningModel);
    net::SseParser sse;
    bool serverSplits = false; // the server sends reasoning_content: its text needs no splitting
    bool sawDone = false;
    bool sawEvent = false;
    std::optional<std::string> streamError;
    const auto start = Clock::now();

    const auto emit = [&](const ReplyDelta &delta) {
        if (delta.empty())
            return;
        apply(reply, delta);
        if (onDelta)
            onDelta(delta);
    };
    const auto onEvent = [&](const net::SseEvent &event) {
        if (streamError || sawDone)
            return;
        sawEvent = true;
        if (event.isDone()) {
            sawDone = true;
            return;
        }
        auto chunk = parseStreamChunk(event.data);
        if (!chunk) {
            streamError = chunk.message();
            return;
        }
        if (chunk->error) {
            streamError = "the server reported an error mid-reply: " + net::redactSecrets(*chunk->error);
            return;
        }
        if (chunk->usage)
            reply.usage = chunk->usage;
        if (chunk->finishReason)
            reply.finishReason = *chunk->finishReason;
        if (!chunk->model.empty())
            reply.model = chunk->model;
        if (chunk->text.empty() && chunk->reasoning.empty())
            return;
        const double now = secondsBetween(start, Clock::now());
        if (!timing.firstTextSeconds)
            timing.firstTextSeconds = now;
        timing.lastTextSeconds = now;
        ++timing.textChunks;
        ReplyDelta delta;
        if (!chunk->reasoning.empty()) {
            serverSplits = true;
            delta.reasoning = chunk->reasoning;
        }
        if (!chunk->text.empty()) {
            if (call.split && !serverSplits) {
                ReplyDelta split = splitter.feed(chunk->text);
                delta.contentBecameReasoning = split.contentBecameReasoning;
                delta.reasoning = split.reasoning + delta.reasoning;
                delta.content = split.content;
            } else {
                delta.content = chunk->text;
            }
        }
        emit(delta);
    };

    net::Transfer transfer;
    transfer.cancel = cancel;
    if (call.stream) {
        transfer.onChunk = [&](std::string_view bytes) {
            if (auto fed = sse.feed(bytes, onEvent); !fed)
                streamError = fed.message();
            return !streamError.has_value();
        };
    }
    const auto response = net::perform(request, transfer);
    timing.totalSeconds = secondsBetween(start, Clock::now());

    const auto finishReply = [&]() -> Reply {
        if (call.split)
            emit(splitter.finish());
        reply.stats = computeStats(timing, reply.usage);
        return std::move(reply);
    };

    if (cancel && cancel->isCancelled()) {
        reply.stopped = true;
        return finishReply();
    }
    if (streamError)
        return fail(*streamError);
    if (!response) {
        if (sawEvent)
            return fail("the server at " + net::hostAndPort(m_apiBase) + " closed the connection mid-reply after " +
                        std::to_string(timing.textChunks) +
                        " pieces of text — it may have crashed or restarted; the partial reply is kept (" +
                        response.message() + ")");
        return fail("cannot reach the chat endpoint " + m_apiBase + ": " + response.message());
    }
    if (!response->isSuccess())
        return httpFailure(*response, call);

    if (!call.stream) {
        auto whole = parseReply(response->body);
        if (!whole)
            return whole.error();
        reply.usage = whole->usage;
        reply.finishReason = whole->finishReason;
        reply.model = whole->model;
        ReplyDelta delta;
        delta.reasoning = whole->reasoning;
        if (call.split && whole->reasoning.empty()) {
            ReplyDelta split = splitter.feed(whole->content);
            delta.contentBecameReasoning = split.contentBecameReasoning;
            delta.reasoning = split.reasoning;
            delta.content = split.content;
        } else {
            delta.content = whole->content;
        }
        emit(delta);
        timing.textChunks = whole->content.empty() && whole->reasoning.empty() ? 0 : 1;
        return finishReply();
    }
    if (sse.finish() && !sawDone && reply.finishReason.empty())
        return fail("the server at " + net::hostAndPort(m_apiBase) + " ended the reply mid-event after " +
                    std::to_string(timing.textChunks) + " pieces of text — it may have crashed or restarted");
    if (!sawDone && reply.finishReason.empty())
        return fail("the server at " + net::hostAndPort(m_apiBase) + " ended the reply early (no [DONE], no finish "
                    "reason) after " + std::to_string(timing.textChunks) +
                    " pieces of text — it may have crashed or restarted");
    return finishReply();
}

} // namespace slipway::chat
