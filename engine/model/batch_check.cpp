#include "model/batch_check.h"

#include <string>
#include <unordered_map>

namespace slipway::engine {

Status check_forward_batch(const ForwardBatch &batch, const RunnerInfo &info_, std::vector<int64_t> *slot_of_token) {
    const int64_t ps = info_.page_size;
    int64_t expected_start = 0;
    if (slot_of_token) slot_of_token->assign(batch.token_ids.size(), -1);
    std::unordered_map<int64_t, size_t> writer;  // KV slot -> sequence writing it this step
    for (size_t i = 0; i < batch.seqs.size(); ++i) {
        const SequenceSlice &s = batch.seqs[i];
        const std::string who = "forward: sequence " + std::to_string(i) + ": ";
        if (s.query_len < 1) return Status::error(who + "query_len must be at least 1, not " + std::to_string(s.query_len));
        if (s.query_start != expected_start)
            return Status::error(who + "query_start is " + std::to_string(s.query_start) + " but its tokens begin at " +
                                 std::to_string(expected_start) + " (query tokens are concatenated in sequence order)");
        if (s.context_len < 0) return Status::error(who + "context_len is negative");
        const int64_t end = static_cast<int64_t>(s.context_len) + s.query_len;
        if (end > info_.max_context_len)
            return Status::error(who + "position " + std::to_string(end - 1) + " is past the context length " +
                                 std::to_string(info_.max_context_len));
        if (static_cast<int64_t>(s.page_table.size()) * ps < end)
            return Status::error(who + "page_table of " + std::to_string(s.page_table.size()) + " pages covers " +
                                 std::to_string(s.page_table.size() * ps) + " positions but the step needs " +
                                 std::to_string(end));
        const int64_t pages_used = (end + ps - 1) / ps;
        for (int64_t p = 0; p < pages_used; ++p) {
            const int32_t page = s.page_table[static_cast<size_t>(p)];
            if (page < 0 || page >= info_.num_pages)
                return Status::error(who + "page id " + std::to_string(page) + " is outside the KV pool [0, " +
                                     std::to_string(info_.num_pages) + ")");
        }
        if (expected_start + s.query_len > static_cast<int64_t>(batch.token_ids.size()))
            return Status::error(who + "its tokens run past the end of token_ids (" +
                                 std::to_string(batch.token_ids.size()) + ")");
        for (int32_t q = 0; q < s.query_len; ++q) {
            const int64_t pos = s.context_len + q;
            const int64_t slot = static_cast<int64_t>(s.page_table[static_cast<size_t>(pos / ps)]) * ps + pos % ps;
            auto [it, fresh] = writer.emplace(slot, i);
            if (!fresh)
                return Status::error(who + "writes KV page " + std::to_string(slot / ps) + " slot " +
                                     std::to_string(slot % ps) + ", which sequence " + std::to_string(it->second) +
                                     " also writes in this step");
            if (slot_of_token) (*slot_of_token)[static_cast<size_t>(expected_start + q)] = slot;
        }
        expected_start += s.query_len;
    }
    if (expected_start != static_cast<int64_t>(batch.token_ids.size()))
        return Status::error("forward: token_ids holds " + std::to_string(batch.token_ids.size()) +
                             " tokens but the sequences' query_len add up to " + std::to_string(expected_start));
    for (size_t t = 0; t < batch.token_ids.size(); ++t)
        if (batch.token_ids[t] < 0 || batch.token_ids[t] >= info_.vocab_size)
            return Status::error("forward: token id " + std::to_string(batch.token_ids[t]) + " at index " +
                                 std::to_string(t) + " is outside the vocabulary [0, " +
                                 std::to_string(info_.vocab_size) + ")");
    return {};
}

} // namespace slipway::engine
