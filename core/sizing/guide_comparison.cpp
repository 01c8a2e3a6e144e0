#include "sizing/guide_comparison.h"

#include "model/model_loader.h"
#include "sizing/dtype.h"
#include "sizing/format.h"
#include "sizing/sizing_messages.h"
#include "sizing/weight_layout.h"

#include <resources.h>

#include <nlohmann/json.hpp>

#include <cmath>

namespace slipway::sizing {

namespace {

int64_t kvBytesPerToken(const model::ModelSpec &s, int elementBytes)
{
    if (s.mla)
        return s.numLayers * (s.mla->kvLoraRank + s.mla->qkRopeHeadDim) * elementBytes;
    return 2 * s.numLayers * s.numKeyValueHeads * s.headDim * elementBytes;
}

int64_t gbToBytes(double gb)
{
    return static_cast<int64_t>(std::llround(gb * 1e9));
}

} // namespace

Result<std::vector<GuideRowComparison>> compareWithGuide(const ModelResolver &resolve, const GuideAssumptions &a)
{
    if (a.contextLength < 1 || a.concurrency < 1)
        return fail("the guide comparison needs a context of at least 1 token and at least 1 sequence");
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(resources::guideSizingTableJson());
    } catch (const nlohmann::json::exception &e) {
        return fail(std::string("resources/catalog/guide-sizing.json is not valid JSON: ") + e.what());
    }
    std::vector<GuideRowComparison> rows;
    for (const auto &entry : doc.value("rows", nlohmann::json::array())) {
        GuideRowComparison row;
        try {
            row.params = entry.at("params").get<std::string>();
            row.modelId = entry.at("model").get<std::string>();
            row.guideCpuCores = entry.at("cpu_cores").get<int>();
            row.guideHostMemoryBytes = gbToBytes(entry.at("memory_gb").get<double>());
            row.guideGpuMemoryBytes = gbToBytes(entry.at("gpu_memory_gb").get<double>());
        } catch (const nlohmann::json::exception &e) {
            return fail(std::string("resources/catalog/guide-sizing.json: a row lacks a field: ") + e.what());
        }
        Result<model::ModelSpec> spec = resolve(row.modelId);
        if (!spec)
            return fail("guide row " + row.params + ": " + spec.message());
        const WeightLayout layout = buildWeightLayout(*spec);
        row.parameters = layoutParameterCount(layout, false);
        row.fp16WeightsBytes = weightBytes(layout, WeightDtype::Fp16, 1, false).totalBytes;
        row.nativeWeightsBytes = weightBytes(layout, nativeWeightDtype(*spec), 1, false).totalBytes;
        const int64_t perToken = kvBytesPerToken(*spec, 2);
        row.kvBytes = a.contextLength * a.concurrency * perToken;
        row.fullNeedBytes = row.fp16WeightsBytes + row.kvBytes;
        row.weightsExceedGuide = row.fp16WeightsBytes > row.guideGpuMemoryBytes;
        row.understated = row.fullNeedBytes > row.guideGpuMemoryBytes;
        row.formulaMessage = makeMessage(
            msg::kGuideFormula,
            {formatBytes(static_cast<double>(row.fp16WeightsBytes)), formatInt(row.fp16WeightsBytes),
             formatInt(a.contextLength), formatInt(a.concurrency), formatInt(perToken),
             formatBytes(static_cast<double>(row.kvBytes)), formatBytes(static_cast<double>(row.fullNeedBytes)),
             row.understated ? ">" : "≤", formatBytes(static_cast<double>(row.guideGpuMemoryBytes))});
        row.formula = row.formulaMessage.english;
        rows.push_back(std::move(row));
    }
    if (rows.empty())
        return fail("resources/catalog/guide-sizing.json has no rows");
    return rows;
}

Result<std::vector<GuideRowComparison>> compareWithGuide(const GuideAssumptions &assumptions)
{
    return compareWithGuide([](const std::string &id) { return model::loadModel(id); }, assumptions);
}

std::string guideComparisonToText(const std::vector<GuideRowComparison> &rows, const GuideAssumptions &a)
{
    std::string out = "The guide's GPU memory (fp16) against Slipway's figures; KV cache for " + formatInt(a.concurrency) +
                      " sequences × " + formatInt(a.contextLength) + " tokens\n";
    out += "params  guide GPU   fp16 weights   + KV          full need     native weights  verdict\n";
    for (const GuideRowComparison &r : rows) {
        auto cell = [](const std::string &text, size_t width) {
            return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
        };
        out += cell(r.params, 8) + cell(formatBytes(static_cast<double>(r.guideGpuMemoryBytes)), 12) +
               cell(formatBytes(static_cast<double>(r.fp16WeightsBytes)), 15) +
               cell(formatBytes(static_cast<double>(r.kvBytes)), 14) +
               cell(formatBytes(static_cast<double>(r.fullNeedBytes)), 14) +
               cell(formatBytes(static_cast<double>(r.nativeWeightsBytes)), 16) +
               (r.weightsExceedGuide ? "understated: the weights alone exceed it"
                                     : r.understated ? "understated: no room for the KV cache" : "enough") +
               "\n";
    }
    return out;
}

} // namespace slipway::sizing
