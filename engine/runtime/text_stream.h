#pragma once
// Incremental detokenisation of one request's output, with stop strings.
//
// Text is produced by decoding a sliding window of ids (read/prefix offsets, as the HF and
// SGLang detokenizers do), so a character split over several tokens appears only once complete:
// a decoded window ending in U+FFFD is held until more tokens arrive. Text that could still be
// the beginning of a stop string is held back too; when a stop string completes, it and
// everything after it are dropped.
//
// Thread-safety: none; used by one thread for one request (the scheduler's output thread, or its
// loop thread for a request with stop strings).
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/scheduler_config.h"

namespace slipway::engine {

class TextStream final {
public:
    // decode may be null: then no text is produced (and stop must be empty).
    TextStream(const DecodeFn *decode, std::vector<std::string> stop);

    // Adds one generated token; returns text now safe to emit (possibly empty).
    std::string push(int32_t token_id);
    // At the end: returns everything still held back (up to a matched stop string).
    std::string flush();

    bool stopped() const { return !matched_stop_.empty(); }
    const std::string &matched_stop() const { return matched_stop_; }
    const std::string &text() const { return text_; }  // all text decoded so far (stop-trimmed)

private:
    size_t holdback() const;

    const DecodeFn *decode_;
    std::vector<std::string> stop_;
    size_t max_stop_len_ = 0;
    std::vector<int32_t> ids_;
    size_t prefix_offset_ = 0;
    size_t read_offset_ = 0;
    std::string text_;     // decoded text
    size_t sent_ = 0;      // bytes of text_ already emitted
    std::string matched_stop_;
};

} // namespace slipway::engine
