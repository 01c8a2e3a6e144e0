#pragma once
// StepPlan <-> bytes, the payload of a Plan frame (wire_format.h).
//
// Every decode step repeats each sequence's page table with at most one page added, and with
// --page-size 1 those tables are as long as the context (64 sequences x 32k tokens = 8 MB a
// step if sent whole). So the encoder and decoder are a stateful pair over one ordered stream:
// a sequence's page table is sent as "the first P entries of sequence R of the previous plan"
// plus the new entries as zigzag varint deltas. Sequence R is found by the same position or by
// the same first page. Both sides apply a plan to their state only when it encodes/decodes
// completely, so a rejected frame leaves the state as it was.
//
// Checks on decode (each an error naming the field): truncation, corrupt counts, an unknown
// kind, steps not strictly increasing, references past the previous plan, trailing bytes, and
// a sampling list that does not match the kind (ForwardSample: one entry per sequence whose
// need_logits is set; other kinds: none).
//
// Thread-safety: one thread per encoder or decoder.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dist/step_plan.h"
#include "slipway/engine/status.h"

namespace slipway::engine::dist {

// The plan's own consistency (kind known, sampling list matching the kind).
Status check_step_plan(const StepPlan &plan);

const char *step_kind_name(StepKind kind);

class StepPlanEncoder {
public:
    StatusOr<std::string> encode(const StepPlan &plan);

private:
    uint64_t last_step_ = 0;
    std::vector<std::vector<int32_t>> prev_tables_;
};

class StepPlanDecoder {
public:
    StatusOr<StepPlan> decode(std::string_view payload);

private:
    uint64_t last_step_ = 0;
    std::vector<std::vector<int32_t>> prev_tables_;
};

} // namespace slipway::engine::dist
