#pragma once
// What the Chat panel needs from an OpenAI-compatible server. ChatClient (chat_client.h) talks
// HTTP; tests of the panel may substitute a fake.
//
// Every call blocks until the reply is complete, stopped or failed, and never assumes a thread:
// the UI runs it on a worker thread, passes a CancelToken for its Stop button, and forwards the
// deltas (delivered on the calling thread) to the GUI by queued signal.
#include "chat/chat_types.h"
#include "common/result.h"
#include "net/cancel_token.h"

#include <vector>

namespace slipway::chat {

class ChatService {
public:
    virtual ~ChatService() = default;

    virtual Result<std::vector<ModelInfo>> listModels(const net::CancelToken *cancel = nullptr) const = 0;
    // A chat turn. Streamed replies call onDelta as text arrives. Stopping through `cancel` is
    // not an error: the Reply comes back with stopped = true and the text so far.
    virtual Result<Reply> chat(const ChatRequest &request, const DeltaCallback &onDelta,
                               const net::CancelToken *cancel = nullptr) const = 0;
    // A raw completion (POST /v1/completions), same contract.
    virtual Result<Reply> complete(const CompletionRequest &request, const DeltaCallback &onDelta,
                                   const net::CancelToken *cancel = nullptr) const = 0;
};

} // namespace slipway::chat
