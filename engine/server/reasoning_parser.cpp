#include "server/reasoning_parser.h"

#include <algorithm>

namespace slipway::engine {
namespace {

constexpr std::string_view kOpen = "<think>";
constexpr std::string_view kClose = "</think>";

bool is_space(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

// Length of the longest suffix of `text` that is a proper prefix of `tag`.
size_t partial_tag_suffix(std::string_view text, std::string_view tag) {
    const size_t max = std::min(text.size(), tag.size() - 1);
    for (size_t k = max; k > 0; --k) {
        if (text.substr(text.size() - k) == tag.substr(0, k)) return k;
    }
    return 0;
}

} // namespace

ReasoningDelta ReasoningParser::push(std::string_view text) {
    pending_.append(text);
    return drain(false);
}

ReasoningDelta ReasoningParser::finish() {
    return drain(true);
}

ReasoningDelta ReasoningParser::drain(bool final) {
    ReasoningDelta out;
    if (at_start_ && in_reasoning_) {
        // Drop an opening <think> (after optional whitespace) once we can tell whether it is one.
        const size_t first = pending_.find_first_not_of(" \n\r\t");
        if (first == std::string::npos) {
            if (!final) return out;
        } else {
            const std::string_view rest = std::string_view(pending_).substr(first);
            if (rest.size() < kOpen.size() && kOpen.substr(0, rest.size()) == rest && !final) return out;
            if (rest.substr(0, kOpen.size()) == kOpen) pending_.erase(0, first + kOpen.size());
            at_start_ = false;
        }
    }
    if (in_reasoning_) {
        const size_t close = pending_.find(kClose);
        if (close != std::string::npos) {
            out.reasoning = pending_.substr(0, close);
            pending_.erase(0, close + kClose.size());
            in_reasoning_ = false;
            at_start_ = false;
        } else {
            const size_t keep = final ? 0 : partial_tag_suffix(pending_, kClose);
            out.reasoning = pending_.substr(0, pending_.size() - keep);
            pending_.erase(0, pending_.size() - keep);
            if (!out.reasoning.empty()) at_start_ = false;
            return out;
        }
    }
    if (!content_started_) {
        size_t skip = 0;
        while (skip < pending_.size() && is_space(pending_[skip])) ++skip;
        pending_.erase(0, skip);
        if (pending_.empty()) return out;
        content_started_ = true;
    }
    out.content = std::move(pending_);
    pending_.clear();
    return out;
}

ReasoningDelta ReasoningParser::split(std::string_view text) {
    ReasoningParser parser;
    ReasoningDelta out = parser.push(text);
    ReasoningDelta rest = parser.finish();
    out.reasoning += rest.reasoning;
    out.content += rest.content;
    // Whitespace around the reasoning is layout, not content (the template puts "\n" after <think>).
    const size_t b = out.reasoning.find_first_not_of(" \n\r\t");
    const size_t e = out.reasoning.find_last_not_of(" \n\r\t");
    out.reasoning = b == std::string::npos ? std::string() : out.reasoning.substr(b, e - b + 1);
    return out;
}

} // namespace slipway::engine
