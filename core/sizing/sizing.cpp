#include "sizing/sizing.h"

#include "sizing/format.h"
#include "sizing/sizing_internal.h"
#include "sizing/sizing_messages.h"

#include <algorithm>
#include <cmath>

namespace slipway::sizing {

using detail::Context;
using detail::TpEvaluation;

namespace detail {

int64_t sglangMemoryMiB(const GpuSpec &gpu)
{
    if (gpu.custom)
        return gpu.memoryBytes / kMiB;
    return gpu.memoryBytes / 1000000; // datasheet GB × 1000
}

double sglangReserveGiB(int64_t memoryMiB, int tp)
{
    if (memoryMiB < 35 * 1024)
        return 2.8 + tp / 10.0;
    if (memoryMiB < 90 * 1024)
        return 9.5 + tp / 2.0;
    if (memoryMiB < 160 * 1024)
        return 12.0 + tp / 2.0;
    return 32.0;
}

} // namespace detail

double sglangDefaultMemFraction(const GpuSpec &gpu, int tp)
{
    const double mib = static_cast<double>(detail::sglangMemoryMiB(gpu));
    if (mib <= 0)
        return 0.88; // SGLang's fallback when it can't read the card's memory
    const double reserve = detail::sglangReserveGiB(static_cast<int64_t>(mib), tp) * 1024.0;
    return std::round((mib - reserve) / mib * 1000.0) / 1000.0;
}

int64_t sglangDefaultChunkedPrefill(const GpuSpec &gpu)
{
    const int64_t mib = detail::sglangMemoryMiB(gpu);
    if (mib < 35 * 1024)
        return 2048;
    if (mib < 160 * 1024)
        return 8192;
    return 16384;
}

const Figure *SizingResult::figure(std::string_view key) const
{
    for (const Figure &f : figures) {
        if (f.key == key)
            return &f;
    }
    return nullptr;
}

std::vector<Message> tpProblems(const model::ModelSpec &spec, WeightDtype dtype, int tp)
{
    std::vector<Message> problems;
    if (tp < 1) {
        problems.push_back(makeMessage(msg::kTpAtLeastOne));
        return problems;
    }
    const std::string t = std::to_string(tp);
    if (spec.numAttentionHeads % tp != 0)
        problems.push_back(makeMessage(msg::kTpHeads, {t, std::to_string(spec.numAttentionHeads)}));
    if (!spec.mla && spec.numKeyValueHeads > 0) {
        const int64_t kv = spec.numKeyValueHeads;
        if ((kv >= tp && kv % tp != 0) || (kv < tp && tp % kv != 0))
            problems.push_back(makeMessage(msg::kTpKvHeads, {t, std::to_string(kv)}));
    }
    const bool hasDense = !spec.moe || spec.moe->firstDenseLayers > 0 || spec.moe->layerFrequency > 1;
    if (hasDense && spec.intermediateSize % tp != 0)
        problems.push_back(makeMessage(msg::kTpMlpWidth, {t, std::to_string(spec.intermediateSize)}));
    if (spec.moe && spec.moe->expertIntermediateSize % tp != 0)
        problems.push_back(makeMessage(msg::kTpExpertWidth, {t, std::to_string(spec.moe->expertIntermediateSize)}));
    if (!problems.empty())
        return problems;

    // Quantised layouts need whole blocks/groups on every rank: fp8 128 × 128 blocks (checkpoints
    // that ship block-quantised, as V3), int4 groups of 128 along the input dimension.
    const bool blockFp8 = dtype == WeightDtype::Fp8 && spec.quantization && spec.quantization->blockRows > 0;
    if (blockFp8 || dtype == WeightDtype::Int4) {
        const WeightLayout layout = buildWeightLayout(spec);
        for (const TensorGroup &g : layout.groups) {
            if (!g.quantisable || g.mtp)
                continue;
            if (blockFp8 && g.sharding == Sharding::Column && rowsPerRank(g, tp) % kQuantBlock != 0) {
                problems.push_back(makeMessage(msg::kTpFp8Rows, {t, std::to_string(rowsPerRank(g, tp)), g.name}));
                break;
            }
            if (g.sharding == Sharding::Row && colsPerRank(g, tp) % kQuantBlock != 0) {
                problems.push_back(makeMessage(blockFp8 ? msg::kTpFp8Columns : msg::kTpInt4Columns,
                                               {t, std::to_string(colsPerRank(g, tp)), g.name}));
                break;
            }
        }
    }
    return problems;
}

namespace {

int64_t kvPerTokenPerGpu(const model::ModelSpec &s, int kvBytes, int tp)
{
    if (s.mla)
        return s.numLayers * (s.mla->kvLoraRank + s.mla->qkRopeHeadDim) * kvBytes; // replicated
    const int64_t headsPerGpu = ceilDiv(s.numKeyValueHeads, tp); // one whole head when TP > KV heads
    return 2 * s.numLayers * headsPerGpu * s.headDim * kvBytes;
}

TpEvaluation evaluate(const Context &ctx, WeightDtype dtype, int tp, int64_t neededTokens)
{
    TpEvaluation e;
    e.tp = tp;
    if (ctx.input.memFraction) {
        e.memFraction = *ctx.input.memFraction;
    } else {
        e.memFraction = sglangDefaultMemFraction(ctx.input.gpu, tp);
        e.memFractionIsDefault = true;
    }
    e.rank = rankBytes(ctx.layout, dtype, tp);
    e.perGpuWeightsBytes = e.rank.total();
    e.kvBytesPerTokenPerGpu = kvPerTokenPerGpu(ctx.spec, ctx.kvElementBytes, tp);
    const double memory = static_cast<double>(ctx.input.gpu.memoryBytes);
    e.staticBytes = static_cast<int64_t>(std::llround(e.memFraction * memory));
    e.reserveBytes = ctx.input.gpu.memoryBytes - e.staticBytes;
    e.kvPoolBytes = e.staticBytes - e.perGpuWeightsBytes;
    e.kvCapacityTokens = e.kvPoolBytes > 0 && e.kvBytesPerTokenPerGpu > 0 ? e.kvPoolBytes / e.kvBytesPerTokenPerGpu : 0;
    e.fits = e.kvPoolBytes > 0 && e.kvCapacityTokens >= neededTokens;
    return e;
}

// TP sizes in search order: 1 … GPUs per node, then whole nodes; never more than the heads.
std::vector<int> candidateTps(const model::ModelSpec &spec, int gpusPerNode)
{
    std::vector<int> tps;
    const int64_t maxTp = std::max<int64_t>(1, spec.numAttentionHeads);
    for (int tp = 1; tp <= gpusPerNode && tp <= maxTp; ++tp)
        tps.push_back(tp);
    for (int64_t nodes = 2; int64_t{gpusPerNode} * nodes <= maxTp; ++nodes)
        tps.push_back(static_cast<int>(gpusPerNode * nodes));
    return tps;
}

std::string joinInts(const std::vector<int> &values)
{
    std::string text;
    for (int v : values) {
        if (!text.empty())
            text += ", ";
        text += std::to_string(v);
    }
    return text;
}

int nodesFor(int tp, int gpusPerNode)
{
    return tp <= gpusPerNode ? 1 : static_cast<int>(ceilDiv(tp, gpusPerNode));
}

Message candidateNote(const TpEvaluation &e, int64_t neededTokens)
{
    if (e.kvPoolBytes <= 0)
        return makeMessage(msg::kNoteWeightsExceed, {formatBytes(static_cast<double>(e.perGpuWeightsBytes)),
                                                     formatBytes(static_cast<double>(e.staticBytes)),
                                                     formatNumber(e.memFraction)});
    if (!e.fits)
        return makeMessage(msg::kNoteKvShort, {formatInt(e.kvCapacityTokens), formatInt(neededTokens)});
    return makeMessage(msg::kNoteFits, {formatInt(e.kvCapacityTokens)});
}

// What the volume holds. bf16/fp16 checkpoints are quantised to fp8 or cast to fp16 at load
// (SGLang's --quantization fp8 / --dtype), so the volume keeps the original; int4 needs an
// int4 checkpoint, and bf16 of an fp8 checkpoint a converted one.
WeightDtype checkpointDtypeFor(WeightDtype requested, WeightDtype native)
{
    const bool nativeWide = native == WeightDtype::Bf16 || native == WeightDtype::Fp16;
    if (nativeWide && (requested == WeightDtype::Fp8 || requested == WeightDtype::Fp16 || requested == WeightDtype::Bf16))
        return native;
    return requested;
}

void addWarnings(const Context &ctx, SizingResult &r)
{
    const model::ModelSpec &s = ctx.spec;
    const GpuSpec &gpu = ctx.input.gpu;
    const WeightDtype native = nativeWeightDtype(s);
    const bool knownArch = gpu.arch != GpuArch::Unknown;

    if (r.fits && r.reserveBytes < r.reserveNeededBytes) {
        const double m = static_cast<double>(r.gpuMemoryBytes);
        const double suggested = std::floor((m - static_cast<double>(r.reserveNeededBytes)) / m * 100.0) / 100.0;
        r.warnings.push_back(makeMessage(msg::kWarnReserveLow, {formatBytes(static_cast<double>(r.reserveBytes)),
                                                                formatBytes(static_cast<double>(r.reserveNeededBytes)),
                                                                formatNumber(suggested)}));
    }
    if (knownArch && !gpu.fp8 && r.weightDtype == WeightDtype::Fp8)
        r.warnings.push_back(makeMessage(msg::kWarnNoFp8Weights, {gpu.name, std::string(gpuArchName(gpu.arch))}));
    if (knownArch && !gpu.fp8 && r.kvDtype == KvDtype::Fp8)
        r.warnings.push_back(makeMessage(msg::kWarnNoFp8Kv, {gpu.name}));
    if (knownArch && s.mla && gpu.arch != GpuArch::Hopper && gpu.arch != GpuArch::Blackwell)
        r.warnings.push_back(
            makeMessage(msg::kWarnMlaNeedsHopper, {r.modelName, gpu.name, std::string(gpuArchName(gpu.arch))}));
    if (r.weightDtype == WeightDtype::Int4)
        r.warnings.push_back(makeMessage(msg::kWarnInt4Checkpoint));
    if (r.weightDtype == WeightDtype::Fp8 && native != WeightDtype::Fp8)
        r.warnings.push_back(makeMessage(msg::kWarnFp8AtLoad, {std::string(weightDtypeName(native))}));
    if (native == WeightDtype::Fp8 && (r.weightDtype == WeightDtype::Bf16 || r.weightDtype == WeightDtype::Fp16))
        r.warnings.push_back(makeMessage(msg::kWarnFp8Checkpoint, {std::string(weightDtypeName(r.weightDtype))}));
    if (r.weightDtype == WeightDtype::Fp16 && native == WeightDtype::Bf16)
        r.warnings.push_back(makeMessage(msg::kWarnFp16Range));
    if (s.maxPositionEmbeddings > 0 && r.contextLength > s.maxPositionEmbeddings)
        r.warnings.push_back(
            makeMessage(msg::kWarnContextTooLong, {formatInt(r.contextLength), formatInt(s.maxPositionEmbeddings)}));
    if (!s.mla && r.tp > s.numKeyValueHeads)
        r.warnings.push_back(
            makeMessage(msg::kWarnTpOverKvHeads, {std::to_string(r.tp), std::to_string(s.numKeyValueHeads)}));
    if (r.nodes > 1)
        r.warnings.push_back(makeMessage(msg::kWarnMultiNode, {std::to_string(r.tp), std::to_string(r.nodes)}));
    if (gpu.bandwidthBytesPerS <= 0)
        r.warnings.push_back(makeMessage(msg::kWarnNoBandwidth));
    if (s.weights && r.checkpointDtype == native) {
        const int64_t computed = weightBytes(ctx.layout, native, 1, true).totalBytes;
        const double measured = static_cast<double>(s.weights->totalBytes);
        if (measured > 0 && std::fabs(static_cast<double>(computed) - measured) / measured > 0.005)
            r.warnings.push_back(makeMessage(msg::kWarnSafetensorsDiffer,
                                             {formatBytes(measured), formatBytes(static_cast<double>(computed))}));
    }
}

Result<void> validate(const SizingInput &in)
{
    const model::ModelSpec &s = in.model;
    if (s.numLayers <= 0 || s.numAttentionHeads <= 0 || s.hiddenSize <= 0 || s.vocabSize <= 0)
        return fail(msg::kInputNoShape, {s.id});
    if (!s.mla && (s.numKeyValueHeads <= 0 || s.headDim <= 0))
        return fail(msg::kInputNoKvHeads, {s.id});
    if (in.gpu.memoryBytes <= 0)
        return fail(msg::kInputGpuMemory);
    if (in.gpusPerNode < 1)
        return fail(msg::kInputGpusPerNode);
    if (in.concurrency < 1)
        return fail(msg::kInputConcurrency);
    if (in.contextLength < 0)
        return fail(msg::kInputContext);
    if (in.contextLength == 0 && s.maxPositionEmbeddings <= 0)
        return fail(msg::kInputNoMaxPositions);
    if (in.memFraction && !(*in.memFraction > 0.0 && *in.memFraction < 1.0))
        return fail(msg::kInputMemFraction, {formatNumber(*in.memFraction)});
    if (in.tensorParallel && *in.tensorParallel < 1)
        return fail(msg::kInputTp);
    return {};
}

} // namespace

Result<SizingResult> computeSizing(const SizingInput &input)
{
    if (Result<void> ok = validate(input); !ok)
        return ok.error();
    const model::ModelSpec &s = input.model;

    SizingResult r;
    r.modelId = s.id;
    r.modelName = s.displayName.empty() ? s.id : s.displayName;
    r.gpu = input.gpu;
    r.weightDtype = resolveWeightDtype(input.weightDtype, s);
    r.checkpointDtype = checkpointDtypeFor(r.weightDtype, nativeWeightDtype(s));
    r.kvDtype = resolveKvDtype(input.kvDtype, s);
    r.contextLength = input.contextLength > 0 ? input.contextLength : s.maxPositionEmbeddings;
    r.concurrency = input.concurrency;
    r.kvNeededTokens = r.contextLength * r.concurrency;
    r.gpuMemoryBytes = input.gpu.memoryBytes;

    Context ctx{input, s, buildWeightLayout(s), kvBytesPerElement(r.kvDtype), detail::sglangMemoryMiB(input.gpu)};

    // Search (or check the forced) TP.
    std::vector<int> validTps;
    for (int tp : candidateTps(s, input.gpusPerNode)) {
        TpCandidate c;
        c.tp = tp;
        c.nodes = nodesFor(tp, input.gpusPerNode);
        const std::vector<Message> problems = tpProblems(s, r.weightDtype, tp);
        c.valid = problems.empty();
        if (c.valid) {
            validTps.push_back(tp);
            const TpEvaluation e = evaluate(ctx, r.weightDtype, tp, r.kvNeededTokens);
            c.fits = e.fits;
            c.memFraction = e.memFraction;
            c.perGpuWeightsBytes = e.perGpuWeightsBytes;
            c.kvPoolBytes = e.kvPoolBytes;
            c.note = candidateNote(e, r.kvNeededTokens);
        } else {
            c.note = problems.front();
        }
        r.tpSearch.push_back(std::move(c));
    }

    int chosen = 0;
    if (input.tensorParallel) {
        chosen = *input.tensorParallel;
        r.tpForced = true;
        const std::vector<Message> problems = tpProblems(s, r.weightDtype, chosen);
        for (const Message &p : problems)
            r.errors.push_back(makeNestedMessage(msg::kErrorForcedTpInvalid,
                                           std::vector<Message>{literalMessage(std::to_string(chosen)), p,
                                                                literalMessage(joinInts(validTps))}));
        if (chosen > input.gpusPerNode && chosen % input.gpusPerNode != 0)
            r.errors.push_back(makeMessage(msg::kErrorForcedTpWholeNodes,
                                           {std::to_string(chosen), std::to_string(input.gpusPerNode)}));
        r.tpValid = r.errors.empty();
    } else {
        for (const TpCandidate &c : r.tpSearch) {
            if (c.valid && c.fits) {
                chosen = c.tp;
                break;
            }
        }
        if (chosen == 0) // nothing fits: report the largest valid TP, which comes closest
            chosen = validTps.empty() ? 1 : validTps.back();
        r.tpValid = !validTps.empty();
        if (validTps.empty())
            r.errors.push_back(makeMessage(msg::kErrorNoValidTp, {std::to_string(s.numAttentionHeads),
                                                                  std::to_string(input.gpusPerNode)}));
    }

    const TpEvaluation e = evaluate(ctx, r.weightDtype, chosen, r.kvNeededTokens);
    r.tp = chosen;
    r.nodes = nodesFor(chosen, input.gpusPerNode);
    r.gpusPerNode = std::min(chosen, input.gpusPerNode);
    r.gpusTotal = chosen;
    r.memFraction = e.memFraction;
    r.memFractionIsDefault = e.memFractionIsDefault;
    r.perGpuWeightsBytes = e.perGpuWeightsBytes;
    r.kvBytesPerTokenPerGpu = e.kvBytesPerTokenPerGpu;
    r.staticBytes = e.staticBytes;
    r.reserveBytes = e.reserveBytes;
    r.kvPoolBytes = e.kvPoolBytes;
    r.kvCapacityTokens = e.kvCapacityTokens;
    r.fits = e.fits;

    detail::buildFigures(ctx, e, r);

    if (!r.fits) {
        const bool forced = input.tensorParallel.has_value();
        std::vector<std::string> args{r.modelName, std::to_string(r.gpusTotal), input.gpu.name};
        if (e.kvPoolBytes <= 0) {
            args.insert(args.end(), {formatBytes(static_cast<double>(e.perGpuWeightsBytes)), std::to_string(chosen),
                                     formatNumber(e.memFraction), formatBytes(static_cast<double>(r.gpuMemoryBytes)),
                                     formatBytes(static_cast<double>(e.staticBytes))});
            r.errors.push_back(makeMessage(forced ? msg::kErrorNoFitWeightsForcedTp : msg::kErrorNoFitWeights, args));
        } else {
            args.insert(args.end(),
                        {std::to_string(chosen), formatInt(e.kvCapacityTokens), formatInt(r.kvNeededTokens)});
            r.errors.push_back(makeMessage(forced ? msg::kErrorNoFitKvForcedTp : msg::kErrorNoFitKv, args));
        }
    }
    addWarnings(ctx, r);
    return r;
}

} // namespace slipway::sizing
