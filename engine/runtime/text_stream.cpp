#include "runtime/text_stream.h"

#include <algorithm>

namespace slipway::engine {
namespace {

bool ends_with_replacement_char(const std::string &s) {
    static const std::string replacement = "\xEF\xBF\xBD";  // U+FFFD: an incomplete character
    return s.size() >= replacement.size() && s.compare(s.size() - replacement.size(), replacement.size(), replacement) == 0;
}

std::vector<int32_t> slice(const std::vector<int32_t> &ids, size_t begin, size_t end) {
    return {ids.begin() + static_cast<std::ptrdiff_t>(begin), ids.begin() + static_cast<std::ptrdiff_t>(end)};
}

} // namespace

TextStream::TextStream(const DecodeFn *decode, std::vector<std::string> stop)
    : decode_(decode != nullptr && *decode ? decode : nullptr), stop_(std::move(stop)) {
    for (const std::string &s : stop_) max_stop_len_ = std::max(max_stop_len_, s.size());
}

size_t TextStream::holdback() const {
    // The longest unsent suffix of text_ that is a proper prefix of some stop string.
    const size_t pending = text_.size() - sent_;
    const size_t limit = std::min(pending, max_stop_len_ == 0 ? size_t{0} : max_stop_len_ - 1);
    for (size_t k = limit; k > 0; --k) {
        const std::string_view tail(text_.data() + text_.size() - k, k);
        for (const std::string &s : stop_) {
            if (s.size() > k && std::string_view(s).substr(0, k) == tail) return k;
        }
    }
    return 0;
}

std::string TextStream::push(int32_t token_id) {
    if (decode_ == nullptr || stopped()) {
        return {};
    }
    ids_.push_back(token_id);
    const std::string prefix_text = (*decode_)(slice(ids_, prefix_offset_, read_offset_));
    const std::string full = (*decode_)(slice(ids_, prefix_offset_, ids_.size()));
    if (full.size() <= prefix_text.size() || ends_with_replacement_char(full)) {
        return {};  // nothing new yet, or a character still incomplete
    }
    const size_t old_size = text_.size();
    text_ += full.substr(prefix_text.size());
    prefix_offset_ = read_offset_;
    read_offset_ = ids_.size();

    if (!stop_.empty()) {
        const size_t from = old_size >= max_stop_len_ ? old_size - max_stop_len_ + 1 : 0;
        size_t best = std::string::npos;
        for (const std::string &s : stop_) {
            const size_t pos = text_.find(s, from);
            if (pos != std::string::npos && pos < best) {
                best = pos;
                matched_stop_ = s;
            }
        }
        if (best != std::string::npos) {
            text_.resize(best);
            std::string out = text_.substr(std::min(sent_, text_.size()));
            sent_ = text_.size();
            return out;
        }
    }
    const size_t ready = text_.size() - holdback();
    if (ready <= sent_) return {};
    std::string out = text_.substr(sent_, ready - sent_);
    sent_ = ready;
    return out;
}

std::string TextStream::flush() {
    if (decode_ == nullptr) return {};
    if (!stopped() && read_offset_ < ids_.size()) {
        // Tokens held for an incomplete character: emit what the tokenizer makes of them.
        const std::string prefix_text = (*decode_)(slice(ids_, prefix_offset_, read_offset_));
        const std::string full = (*decode_)(slice(ids_, prefix_offset_, ids_.size()));
        if (full.size() > prefix_text.size()) text_ += full.substr(prefix_text.size());
        read_offset_ = ids_.size();
    }
    if (sent_ >= text_.size()) return {};
    std::string out = text_.substr(sent_);
    sent_ = text_.size();
    return out;
}

} // namespace slipway::engine
