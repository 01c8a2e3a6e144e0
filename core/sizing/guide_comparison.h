#pragma once
// The customer guide's sizing table (resources/catalog/guide-sizing.json, guide §3.2 (5)) set
// beside what Slipway computes. The guide states GPU memory for "float16 inference" and leaves
// out the KV cache; for each row this gives the guide's figure, Slipway's fp16 weights alone,
// and the full need (fp16 weights + KV cache for an explicit load), and flags the rows where the
// guide's figure is below the need.
#include "common/result.h"
#include "model/model_spec.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace slipway::sizing {

// The load the comparison assumes. The guide's own Deployment runs --max-running-requests 20
// without a --context-length; 20 sequences of 4,096 tokens is a modest reading of it.
struct GuideAssumptions {
    int64_t contextLength = 4096;
    int64_t concurrency = 20;
};

struct GuideRowComparison {
    std::string params;                  // the guide's label: "7B"
    std::string modelId;                 // "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"
    int guideCpuCores = 0;
    int64_t guideHostMemoryBytes = 0;    // the guide's "内存 GB" × 10^9
    int64_t guideGpuMemoryBytes = 0;     // the guide's "显存 GB" × 10^9
    int64_t parameters = 0;              // Slipway's count (main model)
    int64_t fp16WeightsBytes = 0;        // parameters × 2 B
    int64_t nativeWeightsBytes = 0;      // in the checkpoint's own dtype (V3/R1: fp8 blocks)
    int64_t kvBytes = 0;                 // context × concurrency × KV bytes per token (fp16, one copy)
    int64_t fullNeedBytes = 0;           // fp16 weights + KV
    bool weightsExceedGuide = false;     // even the weights alone need more than the guide says
    bool understated = false;            // the guide's figure is below the full need
    std::string formula;                 // the arithmetic, numbers substituted
    Message formulaMessage;              // the same, as a message for the console (english == formula)
};

using ModelResolver = std::function<Result<model::ModelSpec>(const std::string &modelId)>;

// Each row of the guide's table, resolving its model through `resolve`.
Result<std::vector<GuideRowComparison>> compareWithGuide(const ModelResolver &resolve,
                                                         const GuideAssumptions &assumptions = {});
// The same, resolving models with model::loadModel (the built-in catalog).
Result<std::vector<GuideRowComparison>> compareWithGuide(const GuideAssumptions &assumptions = {});

// A table for people: guide GB, Slipway's weights and full need, and a verdict per row.
std::string guideComparisonToText(const std::vector<GuideRowComparison> &rows, const GuideAssumptions &assumptions = {});

} // namespace slipway::sizing
