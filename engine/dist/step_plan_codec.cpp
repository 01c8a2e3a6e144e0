#include "dist/step_plan_codec.h"

#include <algorithm>
#include <unordered_map>

#include "dist/wire_format.h"

namespace slipway::engine::dist {
namespace {

// Smallest encodings, for the count guards: a sequence is at least 6 bytes (3 varints, a flag,
// a reference and a count), a sampling entry 7 floats + a double + 3 counts.
constexpr size_t kMinSeqBytes = 6;
constexpr size_t kMinSamplingBytes = 7 * 4 + 8 + 3;

size_t common_prefix(const std::vector<int32_t> &a, const std::vector<int32_t> &b) {
    const size_t n = std::min(a.size(), b.size());
    size_t i = 0;
    while (i < n && a[i] == b[i]) ++i;
    return i;
}

void write_ids(ByteWriter &w, const std::vector<int32_t> &ids) {
    w.varint(ids.size());
    for (int32_t id : ids) w.svarint(id);
}

std::vector<int32_t> read_ids(ByteReader &r, const char *what) {
    const size_t n = r.count(what, 1);
    std::vector<int32_t> ids;
    ids.reserve(n);
    for (size_t i = 0; i < n && r.ok(); ++i) ids.push_back(static_cast<int32_t>(r.svarint(what)));
    return ids;
}

} // namespace

const char *step_kind_name(StepKind kind) {
    switch (kind) {
    case StepKind::Forward: return "Forward";
    case StepKind::ForwardSample: return "ForwardSample";
    case StepKind::ForwardGreedy: return "ForwardGreedy";
    case StepKind::Shutdown: return "Shutdown";
    }
    return "unknown";
}

Status check_step_plan(const StepPlan &plan) {
    const auto k = static_cast<uint8_t>(plan.kind);
    if (k < 1 || k > 4) return Status::error("step " + std::to_string(plan.step) + ": unknown kind " + std::to_string(k));
    if (plan.kind == StepKind::ForwardSample) {
        const auto wanted = static_cast<size_t>(
            std::count_if(plan.batch.seqs.begin(), plan.batch.seqs.end(), [](const SequenceSlice &s) { return s.need_logits; }));
        if (plan.sampling.size() != wanted) {
            return Status::error("step " + std::to_string(plan.step) + " (ForwardSample) has " +
                                 std::to_string(plan.sampling.size()) + " sampling entries for " + std::to_string(wanted) +
                                 " sequences that need logits; there must be one per such sequence");
        }
    } else if (!plan.sampling.empty()) {
        return Status::error("step " + std::to_string(plan.step) + " (" + step_kind_name(plan.kind) + ") carries " +
                             std::to_string(plan.sampling.size()) + " sampling entries; only ForwardSample has any");
    }
    return {};
}

StatusOr<std::string> StepPlanEncoder::encode(const StepPlan &plan) {
    if (plan.step <= last_step_) {
        return Status::error("step " + std::to_string(plan.step) + " issued after step " + std::to_string(last_step_) +
                             ": step numbers must increase");
    }
    if (Status s = check_step_plan(plan); !s.ok()) return s;

    ByteWriter w;
    w.u64(plan.step);
    w.u8(static_cast<uint8_t>(plan.kind));
    write_ids(w, plan.batch.token_ids);

    std::unordered_map<int32_t, size_t> by_first_page;  // previous plan: first page -> sequence
    for (size_t i = 0; i < prev_tables_.size(); ++i) {
        if (!prev_tables_[i].empty()) by_first_page[prev_tables_[i].front()] = i;
    }
    w.varint(plan.batch.seqs.size());
    for (size_t i = 0; i < plan.batch.seqs.size(); ++i) {
        const SequenceSlice &s = plan.batch.seqs[i];
        w.svarint(s.query_start);
        w.svarint(s.query_len);
        w.svarint(s.context_len);
        w.u8(s.need_logits ? 1 : 0);
        // Reference: 0 = none, k = previous plan's sequence k-1.
        size_t ref = 0, prefix = 0;
        if (!s.page_table.empty()) {
            if (i < prev_tables_.size() && !prev_tables_[i].empty() && prev_tables_[i].front() == s.page_table.front()) {
                ref = i + 1;
            } else if (auto it = by_first_page.find(s.page_table.front()); it != by_first_page.end()) {
                ref = it->second + 1;
            }
            if (ref > 0) prefix = common_prefix(prev_tables_[ref - 1], s.page_table);
            if (prefix == 0) ref = 0;
        }
        w.varint(ref);
        if (ref > 0) w.varint(prefix);
        w.varint(s.page_table.size() - prefix);
        int64_t last = prefix > 0 ? s.page_table[prefix - 1] : 0;
        for (size_t p = prefix; p < s.page_table.size(); ++p) {
            w.svarint(static_cast<int64_t>(s.page_table[p]) - last);
            last = s.page_table[p];
        }
    }

    w.varint(plan.sampling.size());
    for (const DeviceSampling &d : plan.sampling) {
        w.f32(d.temperature);
        w.i32(d.top_k);
        w.f32(d.top_p);
        w.f32(d.min_p);
        w.f32(d.repetition_penalty);
        w.f32(d.frequency_penalty);
        w.f32(d.presence_penalty);
        w.f64(d.uniform);
        write_ids(w, d.penalty_ids);
        write_ids(w, d.penalty_counts);
        write_ids(w, d.masked_ids);
    }

    last_step_ = plan.step;
    prev_tables_.resize(plan.batch.seqs.size());
    for (size_t i = 0; i < plan.batch.seqs.size(); ++i) prev_tables_[i] = plan.batch.seqs[i].page_table;
    return w.take();
}

StatusOr<StepPlan> StepPlanDecoder::decode(std::string_view payload) {
    ByteReader r(payload);
    StepPlan plan;
    plan.step = r.u64("the step number");
    const uint8_t kind = r.u8("the step kind");
    if (!r.ok()) return Status::error("step plan: " + r.error());
    if (kind < 1 || kind > 4) {
        return Status::error("step plan " + std::to_string(plan.step) + ": unknown kind " + std::to_string(kind));
    }
    plan.kind = static_cast<StepKind>(kind);
    if (plan.step <= last_step_) {
        return Status::error("step plan " + std::to_string(plan.step) + " arrived after step " +
                             std::to_string(last_step_) + ": plans out of order");
    }
    plan.batch.token_ids = read_ids(r, "token ids");

    const size_t nseq = r.count("sequences", kMinSeqBytes);
    plan.batch.seqs.resize(nseq);
    for (size_t i = 0; i < nseq && r.ok(); ++i) {
        SequenceSlice &s = plan.batch.seqs[i];
        s.query_start = static_cast<int32_t>(r.svarint("query_start"));
        s.query_len = static_cast<int32_t>(r.svarint("query_len"));
        s.context_len = static_cast<int32_t>(r.svarint("context_len"));
        const uint8_t need = r.u8("need_logits");
        if (need > 1) r.fail("need_logits of sequence " + std::to_string(i) + " is " + std::to_string(need));
        s.need_logits = need == 1;
        const uint64_t ref = r.varint("page table reference");
        uint64_t prefix = 0;
        if (ref > 0) {
            prefix = r.varint("page table prefix");
            if (r.ok() && (ref > prev_tables_.size() || prefix == 0 || prefix > prev_tables_[ref - 1].size())) {
                r.fail("sequence " + std::to_string(i) + " refers to " + std::to_string(prefix) +
                       " pages of sequence " + std::to_string(ref - 1) + " of the previous plan, which had " +
                       (ref > prev_tables_.size() ? std::to_string(prev_tables_.size()) + " sequences"
                                                  : std::to_string(prev_tables_[ref - 1].size()) + " pages"));
                break;
            }
        }
        const size_t fresh = r.count("page table entries", 1);
        if (!r.ok()) break;
        s.page_table.reserve(static_cast<size_t>(prefix) + fresh);
        if (ref > 0) {
            const auto &src = prev_tables_[ref - 1];
            s.page_table.assign(src.begin(), src.begin() + static_cast<std::ptrdiff_t>(prefix));
        }
        int64_t last = prefix > 0 ? s.page_table.back() : 0;
        for (size_t p = 0; p < fresh && r.ok(); ++p) {
            last += r.svarint("page id");
            s.page_table.push_back(static_cast<int32_t>(last));
        }
    }

    const size_t nsamp = r.count("sampling entries", kMinSamplingBytes);
    plan.sampling.resize(nsamp);
    for (size_t i = 0; i < nsamp && r.ok(); ++i) {
        DeviceSampling &d = plan.sampling[i];
        d.temperature = r.f32("temperature");
        d.top_k = r.i32("top_k");
        d.top_p = r.f32("top_p");
        d.min_p = r.f32("min_p");
        d.repetition_penalty = r.f32("repetition_penalty");
        d.frequency_penalty = r.f32("frequency_penalty");
        d.presence_penalty = r.f32("presence_penalty");
        d.uniform = r.f64("uniform");
        d.penalty_ids = read_ids(r, "penalty_ids");
        d.penalty_counts = read_ids(r, "penalty_counts");
        d.masked_ids = read_ids(r, "masked_ids");
    }
    if (!r.ok()) return Status::error("step plan " + std::to_string(plan.step) + ": " + r.error());
    if (!r.at_end()) {
        return Status::error("step plan " + std::to_string(plan.step) + ": " + std::to_string(r.remaining()) +
                             " bytes left over after the plan");
    }
    if (Status s = check_step_plan(plan); !s.ok()) return s;

    last_step_ = plan.step;
    prev_tables_.resize(plan.batch.seqs.size());
    for (size_t i = 0; i < plan.batch.seqs.size(); ++i) prev_tables_[i] = plan.batch.seqs[i].page_table;
    return plan;
}

} // namespace slipway::engine::dist
