// The figures of a sizing and the formulas behind them. Each block computes one number into the
// result and writes the same arithmetic, numbers substituted, as the figure's formula.
#include "sizing/format.h"
#include "sizing/sizing_internal.h"

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

std::string sequences(int64_t n)
{
    return formatInt(n) + (n == 1 ? " sequence" : " sequences");
}

std::string bytes(int64_t value)
{
    return formatInt(value) + " B";
}

int64_t roundUpToGiB(double value)
{
    return static_cast<int64_t>(std::ceil(value / static_cast<double>(kGiB))) * kGiB;
}

std::string join(const std::vector<std::string> &terms, const std::string &separator)
{
    std::string text;
    for (const std::string &t : terms) {
        if (!text.empty())
            text += separator;
        text += t;
    }
    return text;
}

void add(SizingResult &r, std::string key, std::string label, double value, std::string unit, std::string formula,
         bool integral = true)
{
    r.figures.push_back(Figure{std::move(key), std::move(label), value, std::move(unit), std::move(formula), integral});
}

// "Q linear params × 1 B (fp8) + S block scales (128 × 128) × 4 B + W params × 2 B = T B"
std::string weightsFormula(const WeightBytes &w, WeightDtype dtype)
{
    std::vector<std::string> terms;
    if (dtype == WeightDtype::Fp8 && w.quantisedParams > 0) {
        terms.push_back(formatInt(w.quantisedParams) + " linear-layer params × 1 B (fp8 e4m3)");
        terms.push_back(formatInt(w.scaleCount) + " block scales (one per 128 × 128) × 4 B (fp32)");
    } else if (dtype == WeightDtype::Int4 && w.quantisedParams > 0) {
        terms.push_back(formatInt(w.quantisedParams) + " linear-layer params × 0.5 B (int4)");
        terms.push_back(formatInt(w.scaleCount) + " group scales (one per 128 inputs) × 2 B (bf16)");
    }
    if (w.wideParams > 0) {
        const bool quantised = !terms.empty();
        terms.push_back(formatInt(w.wideParams) + " params × 2 B" +
                        (quantised ? " (embeddings, head, norms, biases, router in bf16)"
                                   : " (" + std::string(weightDtypeName(dtype)) + ")"));
    }
    if (w.fp32Params > 0)
        terms.push_back(formatInt(w.fp32Params) + " params × 4 B (fp32 router bias)");
    return join(terms, " + ") + " = " + bytes(w.totalBytes);
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
    add(r, "params", "Parameters", static_cast<double>(r.params), "params",
        std::string(s.tieWordEmbeddings ? "embed_tokens (tied head) " : "embed_tokens + lm_head ") + formatInt(embedHead) +
            " + " + std::to_string(s.numLayers) + " decoder layers " + formatInt(layers) + " + final norm " +
            formatInt(finalNorm) + " = " + formatInt(r.params) + " params" +
            (s.mtpLayers > 0 ? " (the " + std::to_string(s.mtpLayers) + " MTP layer(s) are not loaded without speculative decoding)"
                             : ""));

    r.activeParamsPerToken = activeParameterCount(ctx.layout);
    std::string active = formatInt(r.params) + " − embedding rows not read " + formatInt(unreadEmbedding);
    if (s.moe)
        active += " − idle routed experts (" + std::to_string(s.moe->routedExperts - s.moe->expertsPerToken) + " of " +
                  std::to_string(s.moe->routedExperts) + " per MoE layer) " +
                  formatInt(static_cast<int64_t>(std::llround(idleExperts)));
    add(r, "active_params_per_token", "Parameters read per token", static_cast<double>(r.activeParamsPerToken), "params",
        active + " = " + formatInt(r.activeParamsPerToken) + " params");

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
            "MLA, one latent per layer: " + std::to_string(s.numLayers) + " layers × (kv_lora " +
                std::to_string(s.mla->kvLoraRank) + " + qk_rope " + std::to_string(s.mla->qkRopeHeadDim) + ") × " +
                std::to_string(kv) + " B (" + kvType + ") = " + bytes(r.kvBytesPerToken));
    } else {
        r.kvBytesPerToken = 2 * s.numLayers * s.numKeyValueHeads * s.headDim * kv;
        add(r, "kv_bytes_per_token", "KV cache per token", static_cast<double>(r.kvBytesPerToken), "B",
            "2 (K and V) × " + std::to_string(s.numLayers) + " layers × " + std::to_string(s.numKeyValueHeads) +
                " KV heads × " + std::to_string(s.headDim) + " head dim × " + std::to_string(kv) + " B (" + kvType +
                ") = " + bytes(r.kvBytesPerToken));
    }
}

void perGpuFigures(const Context &ctx, const TpEvaluation &e, SizingResult &r)
{
    const model::ModelSpec &s = ctx.spec;
    const GpuSpec &gpu = ctx.input.gpu;
    const std::string tp = std::to_string(e.tp);

    add(r, "gpu_memory_bytes", "GPU memory (" + gpu.name + ")", static_cast<double>(r.gpuMemoryBytes), "B",
        gpu.memorySource + " = " + bytes(r.gpuMemoryBytes));

    if (e.tp == 1) {
        add(r, "per_gpu_weights_bytes", "Weights per GPU", static_cast<double>(r.perGpuWeightsBytes), "B",
            "TP 1: the whole model on one GPU = " + bytes(r.perGpuWeightsBytes));
    } else {
        add(r, "per_gpu_weights_bytes", "Weights per GPU", static_cast<double>(r.perGpuWeightsBytes), "B",
            "TP " + tp + ": column/row-parallel shards (1/" + tp + " each) " + bytes(e.rank.sharded) +
                " + vocab-parallel embed_tokens/lm_head (⌈" + formatInt(s.vocabSize) + " ÷ " + tp + "⌉ rows) " +
                bytes(e.rank.vocabParallel) + " + replicated (norms" + (s.moe ? ", router" : "") +
                (s.mla ? ", MLA q_a/kv_a projections" : "") + ") " + bytes(e.rank.replicated) + " = " +
                bytes(r.perGpuWeightsBytes));
    }

    if (s.mla) {
        add(r, "kv_bytes_per_token_per_gpu", "KV cache per token per GPU", static_cast<double>(r.kvBytesPerTokenPerGpu), "B",
            "the MLA latent is replicated, not split, across the " + tp + " TP rank(s): " + bytes(r.kvBytesPerTokenPerGpu));
    } else {
        const int64_t headsPerGpu = ceilDiv(s.numKeyValueHeads, e.tp);
        add(r, "kv_bytes_per_token_per_gpu", "KV cache per token per GPU", static_cast<double>(r.kvBytesPerTokenPerGpu), "B",
            "2 × " + std::to_string(s.numLayers) + " layers × ⌈" + std::to_string(s.numKeyValueHeads) + " KV heads ÷ TP " +
                tp + "⌉ = " + std::to_string(headsPerGpu) + (e.tp > s.numKeyValueHeads ? " (replicated)" : "") + " × " +
                std::to_string(s.headDim) + " × " + std::to_string(ctx.kvElementBytes) + " B = " +
                bytes(r.kvBytesPerTokenPerGpu));
    }

    std::string fraction;
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
        fraction = "SGLang's default for " + mib + " MiB at TP " + tp + ": round((" + mib + " − " + reserveText +
                   " × 1,024) ÷ " + mib + ", 3) = " + formatNumber(e.memFraction) + " (reserve " +
                   formatNumber(reserveGiB) + " GiB)";
    } else {
        fraction = "--mem-fraction-static " + formatNumber(e.memFraction) + " (given)";
    }
    add(r, "mem_fraction", "--mem-fraction-static", e.memFraction, "", fraction, false);

    add(r, "static_bytes", "Static share (weights + KV pool)", static_cast<double>(r.staticBytes), "B",
        formatNumber(e.memFraction) + " × " + bytes(r.gpuMemoryBytes) + " = " + bytes(r.staticBytes));
    add(r, "reserve_bytes", "Reserve (activations, CUDA graphs)", static_cast<double>(r.reserveBytes), "B",
        bytes(r.gpuMemoryBytes) + " − " + bytes(r.staticBytes) +
            " = " + bytes(r.reserveBytes) + ", outside the static share: activations, logits, CUDA graphs, CUDA context, NCCL");

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
        "1 GiB (CUDA context, cuBLAS, NCCL, graph pools) + " + formatInt(chunk) + " prefill tokens × (2 × " +
            formatInt(s.hiddenSize) + " hidden + 3 × " + formatInt(mlpPerGpu) + " MLP width per GPU) × 2 B + " +
            sequences(r.concurrency) + " × " + formatInt(s.vocabSize) + " vocab × 4 B (fp32 logits) = " +
            bytes(r.reserveNeededBytes));

    add(r, "kv_pool_bytes", "KV cache pool per GPU", static_cast<double>(r.kvPoolBytes), "B",
        bytes(r.staticBytes) + " static − " + bytes(r.perGpuWeightsBytes) + " weights = " + bytes(r.kvPoolBytes) +
            (r.kvPoolBytes <= 0 ? " (no room: the weights alone exceed the static share)" : ""));
    add(r, "kv_capacity_tokens", "Tokens the KV pool holds", static_cast<double>(r.kvCapacityTokens), "tokens",
        r.kvPoolBytes > 0 ? "⌊" + bytes(r.kvPoolBytes) + " ÷ " + bytes(r.kvBytesPerTokenPerGpu) + " per token⌋ = " +
                                formatInt(r.kvCapacityTokens) + " tokens"
                          : "0: the pool is empty");
    add(r, "kv_needed_tokens", "Tokens the load needs", static_cast<double>(r.kvNeededTokens), "tokens",
        formatInt(r.contextLength) + " context × " + sequences(r.concurrency) + " = " +
            formatInt(r.kvNeededTokens) + " tokens" + (r.fits ? " ≤ capacity: fits" : " > capacity: does not fit"));
    add(r, "kv_needed_bytes_per_gpu", "KV cache the load needs per GPU",
        static_cast<double>(r.kvNeededTokens * r.kvBytesPerTokenPerGpu), "B",
        formatInt(r.kvNeededTokens) + " tokens × " + bytes(r.kvBytesPerTokenPerGpu) + " = " +
            bytes(r.kvNeededTokens * r.kvBytesPerTokenPerGpu));
}

void parallelismFigures(const Context &ctx, SizingResult &r)
{
    const model::ModelSpec &s = ctx.spec;
    const int gpn = ctx.input.gpusPerNode;
    std::string tpFormula;
    if (r.tpForced) {
        tpFormula = "--tp " + std::to_string(r.tp) + " (given)";
    } else {
        std::vector<std::string> trail;
        for (const TpCandidate &c : r.tpSearch) {
            if (!c.valid)
                continue;
            trail.push_back("TP " + std::to_string(c.tp) + ": " + c.note);
            if (c.tp == r.tp)
                break;
        }
        tpFormula = "smallest TP that divides the " + std::to_string(s.numAttentionHeads) + " heads" +
                    (s.mla ? "" : " and " + std::to_string(s.numKeyValueHeads) + " KV heads") +
                    " and the MLP widths, up to " + std::to_string(gpn) + " GPUs per node then whole nodes, and fits — " +
                    join(trail, "; ") + (r.fits ? "" : " — none fits; the largest valid TP is shown");
    }
    add(r, "tp", "Tensor parallelism (--tp)", r.tp, "GPUs", tpFormula);
    add(r, "nodes", "Nodes (pods)", r.nodes, "nodes",
        r.tp <= gpn ? "TP " + std::to_string(r.tp) + " ≤ " + std::to_string(gpn) + " GPUs per node: 1 node"
                    : "⌈TP " + std::to_string(r.tp) + " ÷ " + std::to_string(gpn) + " GPUs per node⌉ = " +
                          std::to_string(r.nodes) + " nodes (--nnodes)");
    add(r, "gpus_per_node", "GPUs per pod", r.gpusPerNode, "GPUs",
        "min(TP " + std::to_string(r.tp) + ", " + std::to_string(gpn) + " GPUs per node) = " +
            std::to_string(r.gpusPerNode) + " (nvidia.com/gpu)");
}

void podFigures(const Context &ctx, SizingResult &r)
{
    const model::ModelSpec &s = ctx.spec;
    const int g = r.gpusPerNode;
    const std::string gpus = std::to_string(g) + (g == 1 ? " GPU" : " GPUs");

    r.cpuCores = kCpuBase + kCpuPerGpu * g;
    add(r, "cpu_cores", "CPU per pod", r.cpuCores, "cores",
        std::to_string(kCpuBase) + " (tokenizer, detokenizer, HTTP) + " + std::to_string(kCpuPerGpu) + " × " + gpus +
            " (one scheduler process per TP rank, and loader threads) = " + std::to_string(r.cpuCores) + " cores");

    r.shmBytes = kShmPerGpu * g;
    add(r, "shm_bytes", "/dev/shm per pod", static_cast<double>(r.shmBytes), "B",
        "4 GiB × " + gpus + " = " + bytes(r.shmBytes) +
            " (memory emptyDir: NCCL's shared-memory transport and PyTorch IPC between ranks; SGLang's examples give "
            "32 GB for 8 GPUs)");

    const int64_t podWeights = rankBytes(ctx.layout, r.checkpointDtype, r.tp).total() * g;
    const double host = static_cast<double>(podWeights) * kHostWeightsFactor + static_cast<double>(kHostBase) +
                        static_cast<double>(kHostPerGpu * g) + static_cast<double>(r.shmBytes);
    r.hostMemoryBytes = roundUpToGiB(host);
    add(r, "host_memory_bytes", "Host memory per pod", static_cast<double>(r.hostMemoryBytes), "B",
        "⌈(pod's weights " + bytes(podWeights) + " (" + std::string(weightDtypeName(r.checkpointDtype)) + ", " + gpus +
            ") × 1.10 + 8 GiB runtime + 2 GiB × " + gpus + " + /dev/shm " + bytes(r.shmBytes) + ") ÷ GiB⌉ = " +
            formatInt(r.hostMemoryBytes / kGiB) + " GiB = " + bytes(r.hostMemoryBytes) +
            " (loading streams the weights through host memory; a memory /dev/shm counts against the pod's limit)");

    const WeightDtype native = nativeWeightDtype(s);
    if (s.weights && s.weights->totalBytes > 0 && r.checkpointDtype == native) {
        r.checkpointBytes = s.weights->totalBytes;
        add(r, "checkpoint_bytes", "Checkpoint on disk", static_cast<double>(r.checkpointBytes), "B",
            "safetensors headers: " + bytes(r.checkpointBytes) + " in " + std::to_string(s.weights->fileCount) + " file(s)");
    } else {
        const WeightBytes disk = weightBytes(ctx.layout, r.checkpointDtype, 1, true);
        r.checkpointBytes = disk.totalBytes;
        add(r, "checkpoint_bytes", "Checkpoint on disk", static_cast<double>(r.checkpointBytes), "B",
            std::string(weightDtypeName(r.checkpointDtype)) + " checkpoint" +
                (s.mtpLayers > 0 ? " with " + std::to_string(s.mtpLayers) + " MTP layer(s)" : "") + ": " +
                weightsFormula(disk, r.checkpointDtype));
    }
    r.volumeBytes = roundUpToGiB(static_cast<double>(r.checkpointBytes) * kVolumeFactor);
    add(r, "volume_bytes", "Model volume (PVC)", static_cast<double>(r.volumeBytes), "B",
        "⌈" + bytes(r.checkpointBytes) + " × 1.15 ÷ GiB⌉ = " + formatInt(r.volumeBytes / kGiB) + " GiB = " +
            bytes(r.volumeBytes) + " (tokenizer and configs, filesystem overhead, room to re-download)");
}

void decodeFigures(const Context &ctx, SizingResult &r)
{
    const model::ModelSpec &s = ctx.spec;
    const double bandwidth = ctx.input.gpu.bandwidthBytesPerS;
    const double weightsOne = readBytesPerToken(ctx.layout, r.weightDtype, r.tp, 1);
    const int64_t kvOne = r.contextLength * r.kvBytesPerTokenPerGpu;
    r.decodeBytesPerStepPerGpu = static_cast<int64_t>(std::llround(weightsOne)) + kvOne;
    const std::string experts =
        s.moe ? ", " + std::to_string(s.moe->expertsPerToken) + " of " + std::to_string(s.moe->routedExperts) + " routed experts"
              : "";
    add(r, "decode_bytes_per_step_per_gpu", "Bytes read per decode step per GPU",
        static_cast<double>(r.decodeBytesPerStepPerGpu), "B",
        "weights read " + bytes(static_cast<int64_t>(std::llround(weightsOne))) + " (all but the embedding table" + experts +
            ", one embedding row) + " + formatInt(r.contextLength) + " tokens × " + bytes(r.kvBytesPerTokenPerGpu) +
            " KV = " + bytes(r.decodeBytesPerStepPerGpu));
    if (bandwidth <= 0) {
        add(r, "decode_ceiling_tokens_per_s", "Decode ceiling, one sequence", 0, "tokens/s",
            "unknown: the GPU's memory bandwidth is not known", false);
        add(r, "decode_ceiling_batch_tokens_per_s", "Decode ceiling, all sequences", 0, "tokens/s",
            "unknown: the GPU's memory bandwidth is not known", false);
        return;
    }
    const std::string bw = formatNumber(bandwidth / 1e12) + " TB/s";
    r.decodeCeilingTokensPerS = bandwidth / static_cast<double>(r.decodeBytesPerStepPerGpu);
    add(r, "decode_ceiling_tokens_per_s", "Decode ceiling, one sequence", r.decodeCeilingTokensPerS, "tokens/s",
        bw + " ÷ " + bytes(r.decodeBytesPerStepPerGpu) + " = " + formatRate(r.decodeCeilingTokensPerS) +
            " tokens/s — a ceiling at full context: every step reads the weights and the KV once; real servers reach "
            "about 50–88 % of it",
        false);

    const int64_t b = r.concurrency;
    const double weightsBatch = readBytesPerToken(ctx.layout, r.weightDtype, r.tp, b);
    const double stepBatch = weightsBatch + static_cast<double>(b * kvOne);
    r.decodeCeilingBatchTokensPerS = static_cast<double>(b) * bandwidth / stepBatch;
    add(r, "decode_ceiling_batch_tokens_per_s", "Decode ceiling, all sequences", r.decodeCeilingBatchTokensPerS,
        "tokens/s",
        sequences(b) + " × " + bw + " ÷ (weights read " + bytes(static_cast<int64_t>(std::llround(weightsBatch))) +
            (s.moe ? " (experts touched: E × (1 − (1 − k/E)^" + formatInt(b) + "), uniform routing)" : "") + " + " +
            formatInt(b) + " × " + bytes(kvOne) + " KV) = " + formatRate(r.decodeCeilingBatchTokensPerS) +
            " tokens/s — a ceiling at full context",
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
