#pragma once
// ChatService over HTTP (core/net): /v1/models, /v1/completions, /v1/chat/completions with SSE
// streaming, the reasoning split, time to first token and tokens/s, and errors a person can act
// on (wrong key, unknown model, nothing listening, server gone mid-reply).
// Thread-safety: const methods with no shared mutable state; one client may serve several
// threads at once.
#include "chat/chat_service.h"

#include <string>
#include <string_view>

namespace slipway::chat {

class ChatClient final : public ChatService {
public:
    explicit ChatClient(Endpoint endpoint);

    const Endpoint &endpoint() const { return m_endpoint; }
    // base URL with "/v1" + "/" + path, e.g. apiUrl("models").
    std::string apiUrl(std::string_view path) const;

    Result<std::vector<ModelInfo>> listModels(const net::CancelToken *cancel = nullptr) const override;
    Result<Reply> chat(const ChatRequest &request, const DeltaCallback &onDelta,
                       const net::CancelToken *cancel = nullptr) const override;
    Result<Reply> complete(const CompletionRequest &request, const DeltaCallback &onDelta,
                           const net::CancelToken *cancel = nullptr) const override;

private:
    struct Call {
        std::string path;
        std::string body;
        std::string model;
        bool stream = true;
        bool split = true;
        bool reasoningModel = false;
    };
    Result<Reply> run(const Call &call, const DeltaCallback &onDelta, const net::CancelToken *cancel) const;
    net::Request makeRequest(std::string_view path) const;
    Error httpFailure(const net::Response &response, const Call &call) const;

    Endpoint m_endpoint;
    std::string m_apiBase;
};

} // namespace slipway::chat
