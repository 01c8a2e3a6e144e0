#pragma once
// A deterministic ModelRunner for scheduler tests. Its "KV pool" stores the token and position
// written to every page slot; logits are computed from what it reads back through the page
// table, so a wrong page table, a page shared while being written, or a skipped position gives
// wrong tokens (or an error). The next token is a pure function of the whole sequence.
#include <chrono>
#include <cmath>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "slipway/engine/model_runner.h"

namespace slipway::engine::testing {

// The fake model: a hash of every token and its position picks the favourite next token; every
// other token gets a smaller pseudo-random logit, so sampling has a real distribution.
inline uint32_t sequence_hash(const std::vector<int32_t> &tokens) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < tokens.size(); ++i) {
        h = (h ^ static_cast<uint32_t>(tokens[i] + 1)) * 16777619u;
        h = (h ^ static_cast<uint32_t>(i)) * 16777619u;
    }
    return h;
}

inline void fake_logits(const std::vector<int32_t> &tokens, int64_t vocab, float *out) {
    const uint32_t h = sequence_hash(tokens);
    for (int64_t v = 0; v < vocab; ++v) {
        const uint32_t x = (h ^ static_cast<uint32_t>(v * 2654435761u)) * 2246822519u;
        out[v] = static_cast<float>(x % 1000) / 500.0f;  // [0, 2)
    }
    // Favourite: avoid the ids tests use as EOS (0, 1).
    out[2 + h % static_cast<uint32_t>(vocab - 2)] = 6.0f;
}

inline int32_t greedy_next(const std::vector<int32_t> &tokens, int64_t vocab) {
    std::vector<float> logits(static_cast<size_t>(vocab));
    fake_logits(tokens, vocab, logits.data());
    int32_t best = 0;
    for (int64_t v = 1; v < vocab; ++v)
        if (logits[static_cast<size_t>(v)] > logits[static_cast<size_t>(best)]) best = static_cast<int32_t>(v);
    return best;
}

inline std::vector<int32_t> greedy_reference(std::vector<int32_t> tokens, int n, int64_t vocab) {
    std::vector<int32_t> out;
    for (int i = 0; i < n; ++i) {
        const int32_t t = greedy_next(tokens, vocab);
        tokens.push_back(t);
        out.push_back(t);
    }
    return out;
}

struct RecordedSlice {
    int32_t query_len;
    int32_t context_len;
    std::vector<int32_t> page_table;
    int32_t first_token;
};

class FakeRunner final : public ModelRunner {
public:
    FakeRunner(int64_t vocab, int32_t page_size, int64_t num_pages, int64_t max_context,
               std::chrono::microseconds step_delay = std::chrono::microseconds(0))
        : info_{vocab, max_context, page_size, num_pages, 64}, step_delay_(step_delay),
          slot_token_(static_cast<size_t>(num_pages * page_size), -1),
          slot_pos_(static_cast<size_t>(num_pages * page_size), -1) {}

    RunnerInfo info() const override { return info_; }

    Status forward(const ForwardBatch &batch, std::vector<float> &logits) override {
        if (step_delay_.count() > 0) std::this_thread::sleep_for(step_delay_);
        std::lock_guard lock(mutex_);
        logits.clear();
        std::vector<RecordedSlice> step;
        const int32_t ps = info_.page_size;
        for (const SequenceSlice &s : batch.seqs) {
            if (s.query_len <= 0 || s.query_start < 0 ||
                static_cast<size_t>(s.query_start + s.query_len) > batch.token_ids.size())
                return Status::error("fake: query outside token_ids");
            const int64_t end = s.context_len + s.query_len;
            if (static_cast<int64_t>(s.page_table.size()) < (end + ps - 1) / ps)
                return Status::error("fake: page table too short for " + std::to_string(end) + " positions");
            for (int32_t page : s.page_table)
                if (page < 0 || page >= info_.num_pages) return Status::error("fake: page out of range");
            for (int32_t i = 0; i < s.query_len; ++i) {
                const int64_t pos = s.context_len + i;
                const size_t slot = static_cast<size_t>(s.page_table[static_cast<size_t>(pos / ps)]) * ps + pos % ps;
                slot_token_[slot] = batch.token_ids[static_cast<size_t>(s.query_start + i)];
                slot_pos_[slot] = static_cast<int32_t>(pos);
            }
            step.push_back({s.query_len, s.context_len, s.page_table, batch.token_ids[static_cast<size_t>(s.query_start)]});
        }
        for (const SequenceSlice &s : batch.seqs) {
            if (!s.need_logits) continue;
            std::vector<int32_t> seq;
            const int64_t end = s.context_len + s.query_len;
            for (int64_t pos = 0; pos < end; ++pos) {
                const size_t slot = static_cast<size_t>(s.page_table[static_cast<size_t>(pos / ps)]) * ps + pos % ps;
                if (slot_pos_[slot] != pos)
                    return Status::error("fake: position " + std::to_string(pos) + " was never written");
                seq.push_back(slot_token_[slot]);
            }
            logits.resize(logits.size() + static_cast<size_t>(info_.vocab_size));
            fake_logits(seq, info_.vocab_size, logits.data() + logits.size() - static_cast<size_t>(info_.vocab_size));
        }
        steps_.push_back(std::move(step));
        return {};
    }

    std::vector<std::vector<RecordedSlice>> steps() const {
        std::lock_guard lock(mutex_);
        return steps_;
    }

private:
    RunnerInfo info_;
    std::chrono::microseconds step_delay_;
    mutable std::mutex mutex_;
    std::vector<int32_t> slot_token_;
    std::vector<int32_t> slot_pos_;
    std::vector<std::vector<RecordedSlice>> steps_;
};

} // namespace slipway::engine::testing
