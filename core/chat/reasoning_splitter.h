#pragma once
// Splits a model's streamed text into reasoning and answer at "<think>…</think>".
//
// - "<think>" at the very start (after whitespace) opens reasoning; "</think>" closes it.
// - A reasoning model (DeepSeek-R1 and its distills) often starts inside its reasoning with no
//   "<think>": when marked as one, text is reasoning until "</think>".
// - Unmarked, text is shown as answer until a "</think>" appears; then all of it becomes reasoning
//   (signalled by ReplyDelta::contentBecameReasoning).
// - Tags split across chunks are recognised: a possible partial tag at the end of a chunk is
//   held back until the next chunk (or finish()).
// - Whitespace right after "</think>" is dropped. Later tags are plain text.
// Not thread-safe: one per reply.
#include "chat/chat_types.h"

#include <string>
#include <string_view>

namespace slipway::chat {

class ReasoningSplitter final {
public:
    explicit ReasoningSplitter(bool reasoningModel);

    ReplyDelta feed(std::string_view text);
    // End of the reply: releases any held-back text.
    ReplyDelta finish();

    // The whole reply so far, split.
    const std::string &content() const { return m_content; }
    const std::string &reasoning() const { return m_reasoning; }

private:
    enum class State { Start, Reasoning, Tentative, AfterThink, Content };

    void process(ReplyDelta &out, bool atEnd);
    void emitContent(ReplyDelta &out, std::string_view text);
    void emitReasoning(ReplyDelta &out, std::string_view text);

    bool m_reasoningModel;
    State m_state = State::Start;
    std::string m_hold;
    std::string m_content;
    std::string m_reasoning;
};

} // namespace slipway::chat
