#pragma once
// Shared between sizing.cpp (the arithmetic) and sizing_figures.cpp (figures and formulas).
// Not part of the public API.
#include "sizing/sizing.h"
#include "sizing/weight_layout.h"

namespace slipway::sizing::detail {

// Everything computed for one TP size.
struct TpEvaluation {
    int tp = 1;
    double memFraction = 0;
    bool memFractionIsDefault = false;
    int64_t perGpuWeightsBytes = 0;
    RankBytes rank;
    int64_t kvBytesPerTokenPerGpu = 0;
    int64_t staticBytes = 0;
    int64_t reserveBytes = 0;
    int64_t kvPoolBytes = 0;
    int64_t kvCapacityTokens = 0;
    bool fits = false;
};

struct Context {
    const SizingInput &input;
    const model::ModelSpec &spec;
    WeightLayout layout;
    int kvElementBytes = 2;
    int64_t sglangMiB = 0; // the card's memory in MiB as SGLang's default-fraction rule sees it
};

// The GPU memory in MiB that SGLang's rules compare against: a catalog card's datasheet GB × 1000
// (close to what nvidia-smi reports: H100 80 GB shows 81,559 MiB), a custom card's exact MiB.
int64_t sglangMemoryMiB(const GpuSpec &gpu);
double sglangReserveGiB(int64_t memoryMiB, int tp);

// Computes the model, per-pod and decode numbers into `result` (the TP search and the pool are
// already there) and one Figure for each, with its formula.
void buildFigures(const Context &ctx, const TpEvaluation &eval, SizingResult &result);

} // namespace slipway::sizing::detail
