#pragma once
// --reasoning-parser deepseek-r1: splits a chat answer into reasoning_content (the text before
// `</think>`) and content (after it). R1 models start inside their reasoning — their chat template
// ends the prompt with `<think>\n`, so the output usually lacks the opening tag — hence all text
// up to `</think>` is reasoning, whether or not it opens with `<think>`, and an answer that
// never closes the tag is all reasoning (as SGLang's DeepSeek-R1 detector does).
//
// Streaming: push() returns what can be emitted now; a tail that could still grow into
// `</think>` (or a leading `<think>`) is held back until the next push or finish().
//
// Thread-safety: none; one parser per response.
#include <string>
#include <string_view>

namespace slipway::engine {

struct ReasoningDelta {
    std::string reasoning;
    std::string content;
};

class ReasoningParser final {
public:
    ReasoningDelta push(std::string_view text);
    ReasoningDelta finish();
    // The whole answer at once (non-streaming responses).
    static ReasoningDelta split(std::string_view text);

private:
    ReasoningDelta drain(bool final);

    std::string pending_;
    bool in_reasoning_ = true;
    bool at_start_ = true;          // nothing emitted yet: a leading <think> is still dropped
    bool content_started_ = false;  // leading whitespace after </think> is dropped
};

} // namespace slipway::engine
