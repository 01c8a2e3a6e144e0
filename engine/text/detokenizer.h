#pragma once
// Streaming detokenization: ids arrive one at a time (as a model generates them) and text leaves
// only as complete UTF-8 characters, never half of one. The concatenated output of push() and
// finish() equals Tokenizer::decode of all the ids. One instance per sequence; not thread-safe
// (the Tokenizer it copies is shared and immutable).
#include <cstdint>
#include <string>

#include "text/tokenizer.h"

namespace slipway::engine {

class StreamingDetokenizer {
public:
    explicit StreamingDetokenizer(Tokenizer tokenizer, bool skip_special_tokens = false);

    // Adds one id; returns the text completed by it (often empty while a character that spans
    // several byte tokens is still arriving).
    std::string push(std::int32_t id);
    // Ends the sequence: returns what is still held back, an unfinished character as U+FFFD.
    std::string finish();
    // Bytes held back because they begin a character that is not complete yet.
    std::size_t pending_bytes() const { return pending_.size(); }

private:
    Tokenizer tokenizer_;
    bool skip_special_tokens_;
    std::string pending_;
};

} // namespace slipway::engine
