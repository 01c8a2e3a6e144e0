#include "chat/reasoning_splitter.h"

namespace slipway::chat {

namespace {

constexpr std::string_view kOpen = "<think>";
constexpr std::string_view kClose = "</think>";

// Length of the longest proper prefix of `tag` that `text` ends with.
std::size_t partialTagAtEnd(std::string_view text, std::string_view tag)
{
    for (std::size_t k = std::min(text.size(), tag.size() - 1); k > 0; --k) {
        if (text.substr(text.size() - k) == tag.substr(0, k))
            return k;
    }
    return 0;
}

bool isSpace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

} // namespace

ReasoningSplitter::ReasoningSplitter(bool reasoningModel) : m_reasoningModel(reasoningModel) {}

ReplyDelta ReasoningSplitter::feed(std::string_view text)
{
    ReplyDelta out;
    m_hold.append(text);
    process(out, false);
    return out;
}

ReplyDelta ReasoningSplitter::finish()
{
    ReplyDelta out;
    process(out, true);
    return out;
}

void ReasoningSplitter::emitContent(ReplyDelta &out, std::string_view text)
{
    out.content.append(text);
    m_content.append(text);
}

void ReasoningSplitter::emitReasoning(ReplyDelta &out, std::string_view text)
{
    out.reasoning.append(text);
    m_reasoning.append(text);
}

void ReasoningSplitter::process(ReplyDelta &out, bool atEnd)
{
    while (true) {
        switch (m_state) {
        case State::Start: {
            std::size_t first = 0;
            while (first < m_hold.size() && isSpace(m_hold[first]))
                ++first;
            const std::string_view rest = std::string_view(m_hold).substr(first);
            if (rest.starts_with(kOpen)) {
                m_hold.erase(0, first + kOpen.size());
                m_state = State::Reasoning;
                continue;
            }
            if (!atEnd && kOpen.starts_with(rest)) // empty, or a partial "<think>": wait
                return;
            if (m_reasoningModel) {
                m_hold.erase(0, first);
                m_state = State::Reasoning;
            } else {
                m_state = State::Tentative;
            }
            continue;
        }
        case State::Reasoning:
        case State::Tentative: {
            const auto close = m_hold.find(kClose);
            if (close != std::string::npos) {
                if (m_state == State::Tentative && !m_content.empty()) {
                    // The answer shown so far was reasoning all along.
                    out.contentBecameReasoning = true;
                    out.reasoning.insert(0, out.content);
                    out.content.clear();
                    m_reasoning.append(m_content);
                    m_content.clear();
                }
                emitReasoning(out, std::string_view(m_hold).substr(0, close));
                m_hold.erase(0, close + kClose.size());
                m_state = State::AfterThink;
                continue;
            }
            const std::size_t keep = atEnd ? 0 : partialTagAtEnd(m_hold, kClose);
            const std::string_view ready = std::string_view(m_hold).substr(0, m_hold.size() - keep);
            if (m_state == State::Reasoning)
                emitReasoning(out, ready);
            else
                emitContent(out, ready);
            m_hold.erase(0, m_hold.size() - keep);
            return;
        }
        case State::AfterThink: {
            std::size_t first = 0;
            while (first < m_hold.size() && isSpace(m_hold[first]))
                ++first;
            m_hold.erase(0, first);
            if (m_hold.empty())
                return;
            m_state = State::Content;
            continue;
        }
        case State::Content:
            emitContent(out, m_hold);
            m_hold.clear();
            return;
        }
    }
}

} // namespace slipway::chat
