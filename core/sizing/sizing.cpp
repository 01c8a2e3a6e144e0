#include "sizing/sizing.h"

#include "sizing/format.h"
#include "sizing/sizing_internal.h"

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

std::vector<std::string> tpProblems(const model::ModelSpec &spec, WeightDtype dtype, int tp)
{
    std::vector<std::string> problems;
    if (tp < 1) {
        problems.push_back("TP must be at least 1");
        return problems;
    }
    const std::string t = "TP " + std::to_string(tp);
    if (spec.numAttentionHeads % tp != 0)
        problems.push_back(t + " does not divide the " + std::to_string(spec.numAttentionHeads) + " attention heads");
    if (!spec.mla && spec.numKeyValueHeads > 0) {
        const int64_t kv = spec.numKeyValueHeads;
        if ((kv >= tp && kv % tp != 0) || (kv < tp && tp % kv != 0))
            problems.push_back(t + " and the " + std::to_string(kv) +
                               " KV heads: one must be a multiple of the other");
    }
    const bool hasDense = !spec.moe || spec.moe->firstDenseLayers > 0 || spec.moe->layerFrequency > 1;
    if (hasDense && spec.intermediateSize % tp != 0)
        problems.push_back(t + " does not divide the MLP width " + std::to_string(spec.intermediateSize));
    if (spec.moe && spec.moe->expertIntermediateSize % tp != 0)
        problems.push_back(t + " does not divide the expert width " + std::to_string(spec.moe->expertIntermediateSize));
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
                problems.push_back(t + " leaves " + std::to_string(rowsPerRank(g, tp)) + " rows of " + g.name +
                                   " per GPU, not whole 128 × 128 fp8 blocks");
                break;
            }
            if (g.sharding == Sharding::Row && colsPerRank(g, tp) % kQuantBlock != 0) {
                problems.push_back(t + " leaves " + std::to_string(colsPerRank(g, tp)) + " input columns of " +
                                   g.name + " per GPU, not whole " +
                                   (blockFp8 ? "128 × 128 fp8 blocks" : "int4 groups of 128"));
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

std::string candidateNote(const TpEvaluation &e, int64_t neededTokens)
{
    if (e.kvPoolBytes <= 0)
        return "weights " + formatBytes(static_cast<double>(e.perGpuWeightsBytes)) + " per GPU exceed the static " +
               formatBytes(static_cast<double>(e.staticBytes)) + " (" + formatNumber(e.memFraction) + " × memory)";
    if (!e.fits)
        return "KV pool holds " + formatInt(e.kvCapacityTokens) + " tokens, the load needs " + formatInt(neededTokens);
    return "fits: KV pool holds " + formatInt(e.kvCapacityTokens) + " tokens";
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
        r.warnings.push_back("the reserve outside --mem-fraction-static, " + formatBytes(static_cast<double>(r.reserveBytes)) +
                             ", is below the estimated " + formatBytes(static_cast<double>(r.reserveNeededBytes)) +
                             " for activations, logits, CUDA graphs and the CUDA context: lower --mem-fraction-static to " +
                             formatNumber(suggested) + " or less, or lower --chunked-prefill-size");
    }
    if (knownArch && !gpu.fp8 && r.weightDtype == WeightDtype::Fp8)
        r.warnings.push_back(gpu.name + " (" + std::string(gpuArchName(gpu.arch)) +
                             ") has no FP8 tensor cores: FP8 weights run through slower weight-only kernels or not at all; "
                             "choose --dtype bf16 or int4");
    if (knownArch && !gpu.fp8 && r.kvDtype == KvDtype::Fp8)
        r.warnings.push_back(gpu.name + " has no FP8 support: an fp8 KV cache is converted on every read; prefer --kv-dtype auto");
    if (knownArch && s.mla && gpu.arch != GpuArch::Hopper && gpu.arch != GpuArch::Blackwell)
        r.warnings.push_back(r.modelName + " uses MLA, whose fast SGLang kernels (FlashMLA, FA3) need Hopper; on " +
                             gpu.name + " (" + std::string(gpuArchName(gpu.arch)) +
                             ") it falls back to slower Triton/FlashInfer MLA");
    if (r.weightDtype == WeightDtype::Int4)
        r.warnings.push_back("int4 needs a pre-quantised checkpoint (AWQ or GPTQ, group size 128): SGLang does not quantise to "
                             "int4 at load; point --model at such a checkpoint (the volume is sized for it)");
    if (r.weightDtype == WeightDtype::Fp8 && native != WeightDtype::Fp8)
        r.warnings.push_back("fp8 from a " + std::string(weightDtypeName(native)) +
                             " checkpoint: SGLang quantises at load with --quantization fp8; the volume and host memory "
                             "hold the " + std::string(weightDtypeName(native)) + " files");
    if (native == WeightDtype::Fp8 && (r.weightDtype == WeightDtype::Bf16 || r.weightDtype == WeightDtype::Fp16))
        r.warnings.push_back("the published checkpoint is FP8; " + std::string(weightDtypeName(r.weightDtype)) +
                             " needs a converted checkpoint (the volume is sized for it) and twice the GPU memory");
    if (r.weightDtype == WeightDtype::Fp16 && native == WeightDtype::Bf16)
        r.warnings.push_back("the model was trained in bf16; fp16's narrower range can overflow activations — prefer --dtype bf16 "
                             "(same memory)");
    if (s.maxPositionEmbeddings > 0 && r.contextLength > s.maxPositionEmbeddings)
        r.warnings.push_back("context " + formatInt(r.contextLength) + " exceeds the model's " +
                             formatInt(s.maxPositionEmbeddings) + " positions: SGLang refuses a longer --context-length");
    if (!s.mla && r.tp > s.numKeyValueHeads)
        r.warnings.push_back("TP " + std::to_string(r.tp) + " exceeds the " + std::to_string(s.numKeyValueHeads) +
                             " KV heads: each GPU keeps a whole KV head, so the KV cache per GPU stops shrinking beyond TP " +
                             std::to_string(s.numKeyValueHeads));
    if (r.nodes > 1)
        r.warnings.push_back("TP " + std::to_string(r.tp) + " spans " + std::to_string(r.nodes) +
                             " nodes: every layer all-reduces across the network; use RDMA (InfiniBand or RoCE) between "
                             "the GPU nodes");
    if (gpu.bandwidthBytesPerS <= 0)
        r.warnings.push_back("the GPU's memory bandwidth is unknown: no decode ceiling");
    if (s.weights && r.checkpointDtype == native) {
        const int64_t computed = weightBytes(ctx.layout, native, 1, true).totalBytes;
        const double measured = static_cast<double>(s.weights->totalBytes);
        if (measured > 0 && std::fabs(static_cast<double>(computed) - measured) / measured > 0.005)
            r.warnings.push_back("the safetensors hold " + formatBytes(measured) + " but config.json's shapes give " +
                                 formatBytes(static_cast<double>(computed)) +
                                 ": GPU figures follow the shapes, the volume the files");
    }
}

Result<void> validate(const SizingInput &in)
{
    const model::ModelSpec &s = in.model;
    if (s.numLayers <= 0 || s.numAttentionHeads <= 0 || s.hiddenSize <= 0 || s.vocabSize <= 0)
        return fail("model '" + s.id + "' has no layers, heads, hidden size or vocabulary: load it from a config.json");
    if (!s.mla && (s.numKeyValueHeads <= 0 || s.headDim <= 0))
        return fail("model '" + s.id + "' has no KV heads or head dimension");
    if (in.gpu.memoryBytes <= 0)
        return fail("GPU memory must be positive: choose --gpu NAME or --gpu-memory GiB");
    if (in.gpusPerNode < 1)
        return fail("GPUs per node must be at least 1 (--gpus-per-node)");
    if (in.concurrency < 1)
        return fail("concurrency must be at least 1 sequence (--concurrency)");
    if (in.contextLength < 0)
        return fail("context length must be positive (--context)");
    if (in.contextLength == 0 && s.maxPositionEmbeddings <= 0)
        return fail("the model states no max_position_embeddings: give the context length (--context)");
    if (in.memFraction && !(*in.memFraction > 0.0 && *in.memFraction < 1.0))
        return fail("--mem-fraction-static must be between 0 and 1 (SGLang's guide uses 0.93), not " +
                    formatNumber(*in.memFraction));
    if (in.tensorParallel && *in.tensorParallel < 1)
        return fail("--tp must be at least 1");
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
        const std::vector<std::string> problems = tpProblems(s, r.weightDtype, tp);
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
        const std::vector<std::string> problems = tpProblems(s, r.weightDtype, chosen);
        for (const std::string &p : problems)
            r.errors.push_back("--tp " + std::to_string(chosen) + ": " + p + "; valid TP sizes: " + joinInts(validTps));
        if (chosen > input.gpusPerNode && chosen % input.gpusPerNode != 0)
            r.errors.push_back("--tp " + std::to_string(chosen) + " over " + std::to_string(input.gpusPerNode) +
                               " GPUs per node: a multi-node TP must fill whole nodes (a multiple of " +
                               std::to_string(input.gpusPerNode) + ")");
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
            r.errors.push_back("no TP size up to " + std::to_string(s.numAttentionHeads) +
                               " divides the model's heads and widths with " + std::to_string(input.gpusPerNode) +
                               " GPUs per node: change --gpus-per-node");
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
        std::string what;
        if (e.kvPoolBytes <= 0)
            what = "its weights (" + formatBytes(static_cast<double>(e.perGpuWeightsBytes)) + " per GPU at TP " +
                   std::to_string(chosen) + ") exceed the static share " + formatNumber(e.memFraction) + " × " +
                   formatBytes(static_cast<double>(r.gpuMemoryBytes)) + " = " +
                   formatBytes(static_cast<double>(e.staticBytes));
        else
            what = "the KV pool at TP " + std::to_string(chosen) + " holds " + formatInt(e.kvCapacityTokens) +
                   " tokens but context × concurrency needs " + formatInt(r.kvNeededTokens);
        r.errors.push_back(r.modelName + " does not fit on " + std::to_string(r.gpusTotal) + " × " + input.gpu.name + ": " +
                           what + (input.tensorParallel ? "; choose a larger --tp, " : "; choose ") +
                           "a GPU with more memory, a smaller --dtype (fp8, int4), --kv-dtype fp8, a shorter context or "
                           "fewer concurrent sequences");
    }
    addWarnings(ctx, r);
    return r;
}

} // namespace slipway::sizing
