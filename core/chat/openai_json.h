#pragma once
// The JSON of the OpenAI-compatible API: request bodies, streamed chunks, whole replies, model
// lists. Pure functions; the HTTP side is in chat_client.h.
#include "chat/chat_types.h"
#include "common/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slipway::chat {

// Checks sampling values and required fields; the message says which field to change.
Result<void> validate(const ChatRequest &request);
Result<void> validate(const CompletionRequest &request);

// Request bodies for POST /v1/chat/completions and POST /v1/completions.
std::string chatRequestBody(const ChatRequest &request);
std::string completionRequestBody(const CompletionRequest &request);

// One `data:` payload of a streamed reply.
struct StreamChunk {
    std::string text;              // delta.content (chat) or text (completions)
    std::string reasoning;         // delta.reasoning_content (or delta.reasoning)
    std::optional<std::string> finishReason;
    std::optional<Usage> usage;
    std::optional<std::string> error; // the server reported an error inside the stream
    std::string model;
};
Result<StreamChunk> parseStreamChunk(std::string_view json);

// A whole (non-streamed) reply of either endpoint; reasoning from reasoning_content only.
Result<Reply> parseReply(std::string_view json);

// GET /v1/models.
Result<std::vector<ModelInfo>> parseModelList(std::string_view json);

} // namespace slipway::chat
