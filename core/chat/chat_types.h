#pragma once
// Value types of the OpenAI-compatible chat API as the console uses it.
#include "net/http_types.h"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace slipway::chat {

// Where to talk: the server's base URL ("http://127.0.0.1:30000" or ".../v1"; "/v1" is added
// when missing), its API key (sent as a bearer token; empty for none), TLS for https endpoints.
struct Endpoint {
    std::string baseUrl;
    std::string apiKey;
    net::TlsOptions tls;
    std::vector<net::Header> extraHeaders;
    std::chrono::milliseconds connectTimeout{10'000};
    // No byte for this long ends the reply (a hung server). Prefill of a long prompt on a busy
    // server can take a while before the first token, so the default is generous.
    std::chrono::milliseconds stallTimeout{180'000};
};

struct ModelInfo {
    std::string id;
    std::string ownedBy;
    std::optional<long> maxModelLength; // vLLM and SGLang report max_model_len
};

struct ChatMessage {
    std::string role; // "system", "user" or "assistant"
    std::string content;
};

// Unset fields are left out of the request, so the server's defaults apply.
struct Sampling {
    std::optional<double> temperature; // 0..2
    std::optional<double> topP;        // (0, 1]
    std::optional<int> maxTokens;      // > 0
    std::vector<std::string> stop;     // up to 4 stop strings
};

struct ChatRequest {
    std::string model;
    std::string systemPrompt;            // sent first as a "system" message when not empty
    std::vector<ChatMessage> messages;   // the conversation so far, ending with the user's turn
    Sampling sampling;
    bool stream = true;
    bool includeUsage = true;            // stream_options.include_usage (exact token counts)
    // The model writes its reasoning before "</think>" even without an opening "<think>"
    // (DeepSeek-R1 and its distills). Text before "</think>" is reasoning also when unmarked.
    bool reasoningModel = false;
};

// A raw /v1/completions call (the guide's curl, without its stray "role" field).
struct CompletionRequest {
    std::string model;
    std::string prompt;
    Sampling sampling;
    bool stream = true;
    bool includeUsage = true;
    bool splitReasoning = false;         // apply the <think> split to the raw text as well
    bool reasoningModel = false;
};

struct Usage {
    int promptTokens = 0;
    int completionTokens = 0;
    int totalTokens = 0;
    std::optional<int> reasoningTokens;
};

struct ReplyStats {
    // From sending the request to the first non-empty piece of text (reasoning included).
    // Unset for a non-streamed reply or one with no text.
    std::optional<double> timeToFirstTokenSeconds;
    double totalSeconds = 0;
    int outputTokens = 0;          // usage.completion_tokens when the server sent it, else text chunks
    bool tokensFromUsage = false;
    // Decode speed: tokens after the first over the time after the first token; for a
    // non-streamed reply, all tokens over the whole time. Unset when it cannot be measured.
    std::optional<double> tokensPerSecond;
};

struct Reply {
    std::string content;
    std::string reasoning;
    std::string finishReason;      // "stop", "length", ...; empty when stopped by the user
    std::optional<Usage> usage;
    ReplyStats stats;
    bool stopped = false;          // cancelled through the token: content is what came so far
    std::string model;             // as the server named it
};

// One step of a streamed reply. Apply in this order: if contentBecameReasoning, everything shown
// as answer so far was in fact reasoning (the model closed a "</think>" it never opened): move it
// to the reasoning; then append `reasoning`, then append `content`.
struct ReplyDelta {
    std::string content;
    std::string reasoning;
    bool contentBecameReasoning = false;

    bool empty() const { return content.empty() && reasoning.empty() && !contentBecameReasoning; }
};

using DeltaCallback = std::function<void(const ReplyDelta &delta)>;

} // namespace slipway::chat
