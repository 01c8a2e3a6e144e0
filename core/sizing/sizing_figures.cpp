// The figures of a sizing and the formulas behind them. Each block computes one number into the
// result and writes the same arithmetic, numbers substituted, as the figure's formula.
#include "sizing/format.h"
#include "sizing/sizing_internal.h"
#include "sizing/sizing_messages.h"

#include <algorithm>
#include <cmath>

namespace slipway::sizing::detail {

namespace {

// Rules for the pod's resources, stated once here and in the formulas.
constexpr int kCpuBase = 4;            // tokenizer, detokenizer, HTTP server
constexpr int kCpuPerGpu = 4;          // a scheduler process per TP rank, busy-polling, plus loader threads
constexpr int64_t kShmPerGpu = 4 * kGiB;
constexpr double kHostWeightsFactor = 1.10;
constexpr int64_t kHostBase = 8 * kGiB;  // Python runtime, tokenizer, detokenizer
constexpr int64_t kHostPerGpu = 2 * kGiB; // CUDA and PyTorch runtime of each rank's process
constexpr double kVolumeFactor = 1.15;
constexpr int64_t kReserveFixed = kGiB;   // CUDA context, cuBLAS workspace, NCCL, graph pools

Message sequences(int64_t n)
{
    return makeMessage(n == 1 ? msg::kCountSequence : msg::kCountSequences, {formatInt(n)});
}

Message lit(std::string text)
{
    return literalMessage(std::move(text));
}

std::string bytes(int64_t value)
{
    return formatInt(value) + " B";
}

int64_t roundUpToGiB(double value)
{
    return static_cast<int64_t>(std::ceil(value / static_cast<double>(kGiB))) * kGiB;
}

// A figure whose formula is the clauses `parts` side by side.
void add(SizingResult &r, std::string key, std::string label, double value, std::string unit,
         std::vector<Message> parts, bool integral = true)
{
    std::string formula = joinEnglish(parts);
    r.figures.push_back(Figure{std::move(key), std::move(label), value, std::move(unit), std::move(formula),
                               std::move(parts), integral});
}

void add(SizingResult &r, std::string key, std::string label, double value, std::string unit, Message formula,
         bool integral = true)
{
    add(r, std::move(key), std::move(label), value, std::move(unit), std::vector<Message>{std::move(formula)},
        integral);
}

// "Q linear params × 1 B (fp8) + S block scales (128 × 128) × 4 B + W params × 2 B = T B"
std::vector<Message> weightsFormula(const WeightBytes &w, WeightDtype dtype)
{
    std::vector<Message> terms;
    if (dtype == WeightDtype::Fp8 && w.quantisedParams > 0) {
        terms.push_back(makeMessage(msg::kFormulaFp8Linear, {formatInt(w.quantisedParams)}));
        terms.push_back(makeMessage(msg::kFormulaFp8Scales, {formatInt(w.scaleCount)}));
    } else if (dtype == WeightDtype::Int4 && w.quantisedParams > 0) {
        terms.push_back(makeMessage(msg::kFormulaInt4Linear, {formatInt(w.quantisedParams)}));
        terms.push_back(makeMessage(msg::kFormulaInt4Scales, {formatInt(w.scaleCount)}));
    }
    if (w.wideParams > 0) {
        const bool quantised = !terms.empty();
        terms.push_back(quantised ? makeMessage(msg::kFormulaWideRest, {formatInt(w.wideParams)})
                                  : makeMessage(msg::kFormulaWide,
                                                {formatInt(w.wideParams), std::string(weightDtypeName(dtype))}));
    }
    if (w.fp32Params > 0)
        terms.push_back(makeMessage(msg::kFormulaFp32Bias, {formatInt(w.fp32Params)}));
    std::vector<Message> parts;
    for (Message &t : terms) {
        if (!parts.empty())
            parts.push_back(lit(" + "));
        parts.push_back(std::move(t));
    }
    parts.push_back(lit(" = " + bytes(w.totalBytes)));
    return parts;
}

void modelFigures(const Context &ctx, SizingResult &r)
{
    const model::ModelSpec &s = ctx.spec;
    int64_t embedHead = 0;
    int64_t finalNorm = 0;
    int64_t unreadEmbedding = 0;
    double idleExperts = 0;
    for (const TensorGroup &g : ctx.layout.groups) {
        if (g.mtp)
            continue;
        if (g.role == TensorRole::Embedding || g.role == TensorRole::Head)
            embedHead += g.elements();
        if (g.name == "norm.weight")
            finalNorm += g.elements();
        if (g.role == TensorRole::Embedding)
            unreadEmbedding += g.elements() - g.cols;
        if (g.role == TensorRole::Expert)
            idleExperts += static_cast<double>(g.elements()) * (1.0 - g.readShare);
    }
    r.params = layoutParameterCount(ctx.layout, false);
    const int64_t layers = r.params - embedHead - finalNorm;
    std::vector<Message> params{
        makeMessage(s.tieWordEmbeddings ? msg::kFormulaParamsTied : msg::kFormulaParamsUntied,
                    {formatInt(embedHead), std::to_string(s.numLayers), formatInt(layers), formatInt(finalNorm),
                     formatInt(r.params)})};
    if (s.mtpLayers > 0)
        params.push_back(makeMessage(msg::kFormulaMtpNotLoaded, {std::to_string(s.mtpLayers)}));
    add(r, "params", "Parameters", static_cast<double>(r.params), "params", std::move(params));

    r.activeParamsPerToken = activeParameterCount(ctx.layout);
    const Message active =
        s.moe ? makeMessage(msg::kFormulaActiveMoe,
                            {formatInt(r.params), formatInt(unreadEmbedding),
                             std::to_string(s.moe->routedExperts - s.moe->expertsPerToken),
                             std::to_string(s.moe->routedExperts),
                             formatInt(static_cast<int64_t>(std::llround(idleExperts))),
                             formatInt(r.activeParamsPerToken)})
              : makeMessage(msg::kFormulaActiveDense,
                            {formatInt(r.params), formatInt(unreadEmbedding), formatInt(r.activeParamsPerToken)});
    add(r, "active_params_per_token", "Parameters read per token", static_cast<double>(r.activeParamsPerToken), "params",
        active);

    const WeightBytes w = weightBytes(ctx.layout, r.weightDtype, 1, false);
    r.weightsBytes = w.totalBytes;
    add(r, "weights_bytes", "Weights (" + std::string(weightDtypeName(r.weightDtype)) + ")",
        static_cast<double>(r.weightsBytes), "B", weightsFormula(w, r.weightDtype));

    const int kv = ctx.kvElementBytes;
    const std::string kvType = std::string(kvDtypeName(r.kvDtype));
    if (s.mla) {
        const int64_t latent = s.mla->kvLoraRank + s.mla->qkRopeHeadDim;
        r.kvBytesPerToken = s.numLayers * latent * kv;
        add(r, "kv_bytes_per_token", "KV cache per token", static_cast<double>(r.kvBytesPerToken), "B",
            makeMessage(msg::kFormulaKvTokenMla,
                        {std::to_string(s.numLayers), std::to_string(s.mla->kvLoraRank),
                         std::to_string(s.mla->qkRopeHeadDim), std::to_string(kv), kvType, bytes(r.kvBytesPerToken)}));
    } else {
        r.kvBytesPerToken = 2 * s.numLayers * s.numKeyValueHeads * s.headDim * kv;
        add(r, "kv_bytes_per_token", "KV cache per token", static_cast<double>(r.kvBytesPerToken), "B",
            makeMessage(msg::kFormulaKvTokenMha,
                        {std::to_string(s.numLayers), std::to_string(s.numKeyValueHeads), std::to_string(s.headDim),
                         std::to_string(kv), kvType, bytes(r.kvBytesPerToken)}));
    }
}

void perGpuFigures(const Context &ctx, const TpEvaluation &e, SizingResult &r)
{
    const model::ModelSpec &s = ctx.spec;
    const GpuSpec &gpu = ctx.input.gpu;
    const std::string tp = std::to_string(e.tp);

    add(r, "gpu_memory_bytes", "GPU memory (" + gpu.name + ")", static_cast<double>(r.gpuMemoryBytes), "B",
        lit(gpu.memorySource + " = " + bytes(r.gpuMemoryBytes)));

    if (e.tp == 1) {
        add(r, "per_gpu_weights_bytes", "Weights per GPU", static_cast<double>(r.perGpuWeightsBytes), "B",
            makeMessage(msg::kFormulaGpuWeightsTp1, {bytes(r.perGpuWeightsBytes)}));
    } else {
        std::vector<Message> parts{makeMessage(msg::kFormulaGpuWeightsShards,
                                               {tp, bytes(e.rank.sharded), formatInt(s.vocabSize),
                                                bytes(e.rank.vocabParallel)})};
        if (s.moe)
            parts.push_back(makeMessage(msg::kFormulaReplicatedRouter));
        if (s.mla)
            parts.push_back(makeMessage(msg::kFormulaReplicatedMla));
        parts.push_back(lit(") " + bytes(e.rank.replicated) + " = " + bytes(r.perGpuWeightsBytes)));
        add(r, "per_gpu_weights_bytes", "Weights per GPU", static_cast<double>(r.perGpuWeightsBytes), "B",
            std::move(parts));
    }

    if (s.mla) {
        add(r, "kv_bytes_per_token_per_gpu", "KV cache per token per GPU", static_cast<double>(r.kvBytesPerTokenPerGpu), "B",
            makeMessage(msg::kFormulaKvGpuMla, {tp, bytes(r.kvBytesPerTokenPerGpu)}));
    } else {
        const int64_t headsPerGpu = ceilDiv(s.numKeyValueHeads, e.tp);
        add(r, "kv_bytes_per_token_per_gpu", "KV cache per token per GPU", static_cast<double>(r.kvBytesPerTokenPerGpu), "B",
            makeMessage(e.tp > s.numKeyValueHeads ? msg::kFormulaKvGpuMhaReplicated : msg::kFormulaKvGpuMha,
                        {std::to_string(s.numLayers), std::to_string(s.numKeyValueHeads), tp,
                         std::to_string(headsPerGpu), std::to_string(s.headDim), std::to_string(ctx.kvElementBytes),
                         bytes(r.kvBytesPerTokenPerGpu)}));
    }

    Message fraction;
    if (e.memFractionIsDefault) {
        const double reserveGiB = sglangReserveGiB(ctx.sglangMiB, e.tp);
        const std::string mib = formatInt(ctx.sglangMiB);
        std::string reserveText;
        if (ctx.sglangMiB < 35 * 1024)
            reserveText = "(2.8 + " + tp + " ÷ 10)";
        else if (ctx.sglangMiB < 160 * 1024)
            reserveText = "(" + std::string(ctx.sglangMiB < 90 * 1024 ? "9.5" : "12") + " + " + tp + " ÷ 2)";
        else
            reserveText = "32";
        fraction = makeMessage(msg::kFormulaFractionDefault,
                               {mib, tp, reserveText, formatNumber(e.memFraction), formatNumber(reserveGiB)});
    } else {
        fraction = makeMessage(msg::kFormulaFractionGiven, {formatNumber(e.memFraction)});
    }
    add(r, "mem_fraction", "--mem-fraction-static", e.memFraction, "", fraction, false);

    add(r, "static_bytes", "Static share (weights + KV pool)", static_cast<double>(r.staticBytes), "B",
        lit(formatNumber(e.memFraction) + " × " + bytes(r.gpuMemoryBytes) + " = " + bytes(r.staticBytes)));
    add(r, "reserve_bytes", "Reserve (activations, CUDA graphs)", static_cast<double>(r.reserveBytes), "B",
        makeMessage(msg::kFormulaReserve, {bytes(r.gpuMemoryBytes), bytes(r.staticBytes), bytes(r.reserveBytes)}));

    // Estimated minimum reserve: prefill activations of one chunk (hidden states in and out, the
    // MLP's gate/up output and its activation) and fp32 logits over the full vocabulary.
    const int64_t chunk = sglangDefaultChunkedPrefill(gpu);
    int64_t mlpWidth = 0;
    const bool hasDense = !s.moe || s.moe->firstDenseLayers > 0;
    if (hasDense)
        mlpWidth = s.intermediateSize;
    if (s.moe)
        mlpWidth = std::max(mlpWidth, s.moe->expertsPerToken * s.moe->expertIntermediateSize);
    const int64_t mlpPerGpu = ceilDiv(mlpWidth, e.tp);
    const int64_t activations = chunk * (2 * s.hiddenSize + 3 * mlpPerGpu) * 2;
    const int64_t logits = r.concurrency * s.vocabSize * 4;
    r.reserveNeededBytes = kReserveFixed + activations + logits;
    add(r, "reserve_needed_bytes", "Reserve needed (estimate)", static_cast<double>(r.reserveNeededBytes), "B",
        std::vector<Message>{
            makeMessage(msg::kFormulaReserveNeeded, {formatInt(chunk), formatInt(s.hiddenSize), formatInt(mlpPerGpu)}),
            sequences(r.concurrency),
            makeMessage(msg::kFormulaLogits, {formatInt(s.vocabSize), bytes(r.reserveNeededBytes)})});

    add(r, "kv_pool_bytes", "KV cache pool per GPU", static_cast<double>(r.kvPoolBytes), "B",
        r.kvPoolBytes <= 0
            ? std::vector<Message>{makeMessage(msg::kFormulaKvPool, {bytes(r.staticBytes), bytes(r.perGpuWeightsBytes),
                                                                     bytes(r.kvPoolBytes)}),
                                   makeMessage(msg::kFormulaKvPoolNoRoom)}
            : std::vector<Message>{makeMessage(msg::kFormulaKvPool, {bytes(r.staticBytes), bytes(r.perGpuWeightsBytes),
                                                                     bytes(r.kvPoolBytes)})});
    add(r, "kv_capacity_tokens", "Tokens the KV pool holds", static_cast<double>(r.kvCapacityTokens), "tokens",
        r.kvPoolBytes > 0 ? makeMessage(msg::kFormulaKvCapacity, {bytes(r.kvPoolBytes), bytes(r.kvBytesPerTokenPerGpu),
                                                                  formatInt(r.kvCapacityTokens)})
                          : makeMessage(msg::kFormulaKvCapacityEmpty));
    add(r, "kv_needed_tokens", "Tokens the load needs", static_cast<double>(r.kvNeededTokens), "tokens",
        std::vector<Message>{makeMessage(msg::kFormulaContextTimes, {formatInt(r.contextLength)}),
                             sequences(r.concurrency),
                             makeMessage(r.fits ? msg::kFormulaNeededFits : msg::kFormulaNeededNoFit,
                                         {formatInt(r.kvNeededTokens)})});
    add(r, "kv_needed_bytes_per_gpu", "KV cache the load needs per GPU",
        static_cast<double>(r.kvNeededTokens * r.kvBytesPerTokenPerGpu), "B",
        makeMessage(msg::kFormulaTokensTimes, {formatInt(r.kvNeededTokens), bytes(r.kvBytesPerTokenPerGpu),
                                               bytes(r.kvNeededTokens * r.kvBytesPerTokenPerGpu)}));
}

void parallelismFigures(const Context &ctx, SizingResult &r)
{
    const model::ModelSpec &s = ctx.spec;
    const int gpn = ctx.input.gpusPerNode;
    std::vector<Message> tpFormula;
    if (r.tpForced) {
        tpFormula.push_back(makeMessage(msg::kFormulaTpGiven, {std::to_string(r.tp)}));
    } else {
        tpFormula.push_back(
            s.mla ? makeMessage(msg::kFormulaTpSearchMla, {std::to_string(s.numAttentionHeads), std::to_string(gpn)})
                  : makeMessage(msg::kFormulaTpSearch, {std::to_string(s.numAttentionHeads),
                                                        std::to_string(s.numKeyValueHeads), std::to_string(gpn)}));
        bool first = true;
        for (const TpCandidate &c : r.tpSearch) {
            if (!c.valid)
                continue;
            tpFormula.push_back(lit((first ? "TP " : "; TP ") + std::to_string(c.tp) + ": "));
            tpFormula.push_back(c.note);
            first = false;
            if (c.tp == r.tp)
                break;
        }
        if (!r.fits)
            tpFormula.push_back(makeMessage(msg::kFormulaTpNoneFits));
    }
    add(r, "tp", "Tensor parallelism (--tp)", r.tp, "GPUs", tpFormula);
    add(r, "nodes", "Nodes (pods)", r.nodes, "nodes",
        r.tp <= gpn ? makeMessage(msg::kFormulaNodesOne, {std::to_string(r.tp), std::to_string(gpn)})
                    : makeMessage(msg::kFormulaNodesMany,
                                  {std::to_string(r.tp), std::to_string(gpn), std::to_string(r.nodes)}));
    add(r, "gpus_per_node", "GPUs per pod", r.gpusPerNode, "GPUs",
        makeMessage(msg::kFormulaGpusPerPod,
                    {std::to_string(r.tp), std::to_string(gpn), std::to_string(r.gpusPerNode)}));
}

void podFigures(const Context &ctx, SizingResult &r)
{
    const model::ModelSpec &s = ctx.spec;
    const int g = r.gpusPerNode;
    const std::string gpus = std::to_string(g);
    const bool oneGpu = g == 1;

    r.cpuCores = kCpuBase + kCpuPerGpu * g;
    add(r, "cpu_cores", "CPU per pod", r.cpuCores, "cores",
        makeMessage(oneGpu ? msg::kFormulaCpuOneGpu : msg::kFormulaCpu,
                    {std::to_string(kCpuBase), std::to_string(kCpuPerGpu), gpus, std::to_string(r.cpuCores)}));

    r.shmBytes = kShmPerGpu * g;
    add(r, "shm_bytes", "/dev/shm per pod", static_cast<double>(r.shmBytes), "B",
        makeMessage(oneGpu ? msg::kFormulaShmOneGpu : msg::kFormulaShm, {gpus, bytes(r.shmBytes)}));

    const int64_t podWeights = rankBytes(ctx.layout, r.checkpointDtype, r.tp).total() * g;
    const double host = static_cast<double>(podWeights) * kHostWeightsFactor + static_cast<double>(kHostBase) +
                        static_cast<double>(kHostPerGpu * g) + static_cast<double>(r.shmBytes);
    r.hostMemoryBytes = roundUpToGiB(host);
    add(r, "host_memory_bytes", "Host memory per pod", static_cast<double>(r.hostMemoryBytes), "B",
        makeMessage(oneGpu ? msg::kFormulaHostOneGpu : msg::kFormulaHost,
                    {bytes(podWeights), std::string(weightDtypeName(r.checkpointDtype)), gpus, bytes(r.shmBytes),
                     formatInt(r.hostMemoryBytes / kGiB), bytes(r.hostMemoryBytes)}));

    const WeightDtype native = nativeWeightDtype(s);
    if (s.weights && s.weights->totalBytes > 0 && r.checkpointDtype == native) {
        r.checkpointBytes = s.weights->totalBytes;
        add(r, "checkpoint_bytes", "Checkpoint on disk", static_cast<double>(r.checkpointBytes), "B",
            makeMessage(msg::kFormulaCheckpointFiles, {bytes(r.checkpointBytes), std::to_string(s.weights->fileCount)}));
    } else {
        const WeightBytes disk = weightBytes(ctx.layout, r.checkpointDtype, 1, true);
        r.checkpointBytes = disk.totalBytes;
        std::vector<Message> parts{
            makeMessage(msg::kFormulaCheckpoint, {std::string(weightDtypeName(r.checkpointDtype))})};
        if (s.mtpLayers > 0)
            parts.push_back(makeMessage(msg::kFormulaCheckpointMtp, {std::to_string(s.mtpLayers)}));
        parts.push_back(lit(": "));
        for (Message &m : weightsFormula(disk, r.checkpointDtype))
            parts.push_back(std::move(m));
        add(r, "checkpoint_bytes", "Checkpoint on disk", static_cast<double>(r.checkpointBytes), "B", std::move(parts));
    }
    r.volumeBytes = roundUpToGiB(static_cast<double>(r.checkpointBytes) * kVolumeFactor);
    add(r, "volume_bytes", "Model volume (PVC)", static_cast<double>(r.volumeBytes), "B",
        makeMessage(msg::kFormulaVolume,
                    {bytes(r.checkpointBytes), formatInt(r.volumeBytes / kGiB), bytes(r.volumeBytes)}));
}

void decodeFigures(const Context &ctx, SizingResult &r)
{
    const model::ModelSpec &s = ctx.spec;
    const double bandwidth = ctx.input.gpu.bandwidthBytesPerS;
    const double weightsOne = readBytesPerToken(ctx.layout, r.weightDtype, r.tp, 1);
    const int64_t kvOne = r.contextLength * r.kvBytesPerTokenPerGpu;
    r.decodeBytesPerStepPerGpu = static_cast<int64_t>(std::llround(weightsOne)) + kvOne;
    std::vector<Message> read{
        makeMessage(msg::kFormulaDecodeRead, {bytes(static_cast<int64_t>(std::llround(weightsOne)))})};
    if (s.moe)
        read.push_back(makeMessage(msg::kFormulaDecodeExperts, {std::to_string(s.moe->expertsPerToken),
                                                                std::to_string(s.moe->routedExperts)}));
    read.push_back(makeMessage(msg::kFormulaDecodeReadKv, {formatInt(r.contextLength), bytes(r.kvBytesPerTokenPerGpu),
                                                           bytes(r.decodeBytesPerStepPerGpu)}));
    add(r, "decode_bytes_per_step_per_gpu", "Bytes read per decode step per GPU",
        static_cast<double>(r.decodeBytesPerStepPerGpu), "B", std::move(read));
    if (bandwidth <= 0) {
        add(r, "decode_ceiling_tokens_per_s", "Decode ceiling, one sequence", 0, "tokens/s",
            makeMessage(msg::kFormulaBandwidthUnknown), false);
        add(r, "decode_ceiling_batch_tokens_per_s", "Decode ceiling, all sequences", 0, "tokens/s",
            makeMessage(msg::kFormulaBandwidthUnknown), false);
        return;
    }
    const std::string bw = formatNumber(bandwidth / 1e12) + " TB/s";
    r.decodeCeilingTokensPerS = bandwidth / static_cast<double>(r.decodeBytesPerStepPerGpu);
    add(r, "decode_ceiling_tokens_per_s", "Decode ceiling, one sequence", r.decodeCeilingTokensPerS, "tokens/s",
        makeMessage(msg::kFormulaCeilingOne,
                    {bw, bytes(r.decodeBytesPerStepPerGpu), formatRate(r.decodeCeilingTokensPerS)}),
        false);

    const int64_t b = r.concurrency;
    const double weightsBatch = readBytesPerToken(ctx.layout, r.weightDtype, r.tp, b);
    const double stepBatch = weightsBatch + static_cast<double>(b * kvOne);
    r.decodeCeilingBatchTokensPerS = static_cast<double>(b) * bandwidth / stepBatch;
    add(r, "decode_ceiling_batch_tokens_per_s", "Decode ceiling, all sequences", r.decodeCeilingBatchTokensPerS,
        "tokens/s",
        [&] {
            std::vector<Message> parts{
                sequences(b),
                makeMessage(msg::kFormulaCeilingBatch, {bw, bytes(static_cast<int64_t>(std::llround(weightsBatch)))})};
            if (s.moe)
                parts.push_back(makeMessage(msg::kFormulaExpertsTouched, {formatInt(b)}));
            parts.push_back(makeMessage(msg::kFormulaCeilingBatchEnd,
                                        {formatInt(b), bytes(kvOne), formatRate(r.decodeCeilingBatchTokensPerS)}));
            return parts;
        }(),
        false);
}

} // namespace

void buildFigures(const Context &ctx, const TpEvaluation &eval, SizingResult &result)
{
    modelFigures(ctx, result);
    parallelismFigures(ctx, result);
    perGpuFigures(ctx, eval, result);
    podFigures(ctx, result);
    decodeFigures(ctx, result);
}

} // namespace slipway::sizing::detail
