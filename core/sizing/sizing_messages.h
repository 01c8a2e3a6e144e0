#pragma once
// Every text core/sizing writes for people, as message templates (common/message.h): input
// errors, TP problems and the TP search's notes, warnings, errors, and the clauses of the figures'
// formulas. The list is an X-macro so that the constants and messageTemplates() cannot drift
// apart: the console's tests check that it translates every code listed here.
#include "common/message.h"

#include <vector>

// X(constant, code, English template)
#define SLIPWAY_SIZING_MESSAGES(X)                                                                                   \
    /* computeSizing's input checks */                                                                              \
    X(kInputNoShape, "sizing.input.no_shape",                                                                        \
      "model '%1' has no layers, heads, hidden size or vocabulary: load it from a config.json")                     \
    X(kInputNoKvHeads, "sizing.input.no_kv_heads", "model '%1' has no KV heads or head dimension")                   \
    X(kInputGpuMemory, "sizing.input.gpu_memory", "GPU memory must be positive: choose --gpu NAME or --gpu-memory GiB") \
    X(kInputGpusPerNode, "sizing.input.gpus_per_node", "GPUs per node must be at least 1 (--gpus-per-node)")          \
    X(kInputConcurrency, "sizing.input.concurrency", "concurrency must be at least 1 sequence (--concurrency)")      \
    X(kInputContext, "sizing.input.context", "context length must be positive (--context)")                          \
    X(kInputNoMaxPositions, "sizing.input.no_max_positions",                                                         \
      "the model states no max_position_embeddings: give the context length (--context)")                           \
    X(kInputMemFraction, "sizing.input.mem_fraction",                                                                \
      "--mem-fraction-static must be between 0 and 1 (SGLang's guide uses 0.93), not %1")                           \
    X(kInputTp, "sizing.input.tp", "--tp must be at least 1")                                                        \
    /* compareWithGuide(): the arithmetic behind a row of the guide's table */                                    \
    X(kGuideFormula, "sizing.guide.formula", "fp16 weights %1 (%2 B) + KV %3 × %4 × %5 B = %6 → %7 %8 guide %9")    \
    /* findGpu(): a GPU the catalog does not list */                                                               \
    X(kGpuUnknown, "sizing.gpu.unknown",                                                                             \
      "unknown GPU '%1': choose one of %2, or give the memory of another card with --gpu-memory GiB")               \
    /* tpProblems(): why a TP size can't serve the model */                                                         \
    X(kTpAtLeastOne, "sizing.tp.at_least_one", "TP must be at least 1")                                              \
    X(kTpHeads, "sizing.tp.heads", "TP %1 does not divide the %2 attention heads")                                   \
    X(kTpKvHeads, "sizing.tp.kv_heads", "TP %1 and the %2 KV heads: one must be a multiple of the other")           \
    X(kTpMlpWidth, "sizing.tp.mlp_width", "TP %1 does not divide the MLP width %2")                                  \
    X(kTpExpertWidth, "sizing.tp.expert_width", "TP %1 does not divide the expert width %2")                         \
    X(kTpFp8Rows, "sizing.tp.fp8_rows", "TP %1 leaves %2 rows of %3 per GPU, not whole 128 × 128 fp8 blocks")        \
    X(kTpFp8Columns, "sizing.tp.fp8_columns",                                                                        \
      "TP %1 leaves %2 input columns of %3 per GPU, not whole 128 × 128 fp8 blocks")                                \
    X(kTpInt4Columns, "sizing.tp.int4_columns",                                                                      \
      "TP %1 leaves %2 input columns of %3 per GPU, not whole int4 groups of 128")                                  \
    /* the TP search's note on each candidate */                                                                    \
    X(kNoteWeightsExceed, "sizing.note.weights_exceed", "weights %1 per GPU exceed the static %2 (%3 × memory)")     \
    X(kNoteKvShort, "sizing.note.kv_short", "KV pool holds %1 tokens, the load needs %2")                            \
    X(kNoteFits, "sizing.note.fits", "fits: KV pool holds %1 tokens")                                                \
    /* errors: not deployable as asked */                                                                           \
    X(kErrorForcedTpInvalid, "sizing.error.forced_tp_invalid", "--tp %1: %2; valid TP sizes: %3")                   \
    X(kErrorForcedTpWholeNodes, "sizing.error.forced_tp_whole_nodes",                                               \
      "--tp %1 over %2 GPUs per node: a multi-node TP must fill whole nodes (a multiple of %2)")                    \
    X(kErrorNoValidTp, "sizing.error.no_valid_tp",                                                                   \
      "no TP size up to %1 divides the model's heads and widths with %2 GPUs per node: change --gpus-per-node")     \
    X(kErrorNoFitWeights, "sizing.error.no_fit_weights",                                                             \
      "%1 does not fit on %2 × %3: its weights (%4 per GPU at TP %5) exceed the static share %6 × %7 = %8; choose " \
      "a GPU with more memory, a smaller --dtype (fp8, int4), --kv-dtype fp8, a shorter context or fewer "          \
      "concurrent sequences")                                                                                       \
    X(kErrorNoFitWeightsForcedTp, "sizing.error.no_fit_weights_forced_tp",                                           \
      "%1 does not fit on %2 × %3: its weights (%4 per GPU at TP %5) exceed the static share %6 × %7 = %8; choose " \
      "a larger --tp, a GPU with more memory, a smaller --dtype (fp8, int4), --kv-dtype fp8, a shorter context or " \
      "fewer concurrent sequences")                                                                                 \
    X(kErrorNoFitKv, "sizing.error.no_fit_kv",                                                                       \
      "%1 does not fit on %2 × %3: the KV pool at TP %4 holds %5 tokens but context × concurrency needs %6; "       \
      "choose a GPU with more memory, a smaller --dtype (fp8, int4), --kv-dtype fp8, a shorter context or fewer "   \
      "concurrent sequences")                                                                                       \
    X(kErrorNoFitKvForcedTp, "sizing.error.no_fit_kv_forced_tp",                                                     \
      "%1 does not fit on %2 × %3: the KV pool at TP %4 holds %5 tokens but context × concurrency needs %6; "       \
      "choose a larger --tp, a GPU with more memory, a smaller --dtype (fp8, int4), --kv-dtype fp8, a shorter "     \
      "context or fewer concurrent sequences")                                                                      \
    /* warnings: deployable, but worth knowing */                                                                   \
    X(kWarnReserveLow, "sizing.warning.reserve_low",                                                                 \
      "the reserve outside --mem-fraction-static, %1, is below the estimated %2 for activations, logits, CUDA "     \
      "graphs and the CUDA context: lower --mem-fraction-static to %3 or less, or lower --chunked-prefill-size")    \
    X(kWarnNoFp8Weights, "sizing.warning.no_fp8_weights",                                                            \
      "%1 (%2) has no FP8 tensor cores: FP8 weights run through slower weight-only kernels or not at all; choose "  \
      "--dtype bf16 or int4")                                                                                       \
    X(kWarnNoFp8Kv, "sizing.warning.no_fp8_kv",                                                                      \
      "%1 has no FP8 support: an fp8 KV cache is converted on every read; prefer --kv-dtype auto")                  \
    X(kWarnMlaNeedsHopper, "sizing.warning.mla_needs_hopper",                                                        \
      "%1 uses MLA, whose fast SGLang kernels (FlashMLA, FA3) need Hopper; on %2 (%3) it falls back to slower "     \
      "Triton/FlashInfer MLA")                                                                                      \
    X(kWarnInt4Checkpoint, "sizing.warning.int4_checkpoint",                                                         \
      "int4 needs a pre-quantised checkpoint (AWQ or GPTQ, group size 128): SGLang does not quantise to int4 at "   \
      "load; point --model at such a checkpoint (the volume is sized for it)")                                      \
    X(kWarnFp8AtLoad, "sizing.warning.fp8_at_load",                                                                  \
      "fp8 from a %1 checkpoint: SGLang quantises at load with --quantization fp8; the volume and host memory "     \
      "hold the %1 files")                                                                                          \
    X(kWarnFp8Checkpoint, "sizing.warning.fp8_checkpoint",                                                           \
      "the published checkpoint is FP8; %1 needs a converted checkpoint (the volume is sized for it) and twice "    \
      "the GPU memory")                                                                                             \
    X(kWarnFp16Range, "sizing.warning.fp16_range",                                                                   \
      "the model was trained in bf16; fp16's narrower range can overflow activations — prefer --dtype bf16 "        \
      "(same memory)")                                                                                              \
    X(kWarnContextTooLong, "sizing.warning.context_too_long",                                                        \
      "context %1 exceeds the model's %2 positions: SGLang refuses a longer --context-length")                      \
    X(kWarnTpOverKvHeads, "sizing.warning.tp_over_kv_heads",                                                         \
      "TP %1 exceeds the %2 KV heads: each GPU keeps a whole KV head, so the KV cache per GPU stops shrinking "     \
      "beyond TP %2")                                                                                               \
    X(kWarnMultiNode, "sizing.warning.multi_node",                                                                   \
      "TP %1 spans %2 nodes: every layer all-reduces across the network; use RDMA (InfiniBand or RoCE) between "    \
      "the GPU nodes")                                                                                              \
    X(kWarnNoBandwidth, "sizing.warning.no_bandwidth", "the GPU's memory bandwidth is unknown: no decode ceiling")  \
    X(kWarnSafetensorsDiffer, "sizing.warning.safetensors_differ",                                                   \
      "the safetensors hold %1 but config.json's shapes give %2: GPU figures follow the shapes, the volume the "    \
      "files")                                                                                                      \
    /* clauses of the figures' formulas (numbers substituted) */                                                    \
    X(kCountSequence, "sizing.count.sequence", "%1 sequence")                                                        \
    X(kCountSequences, "sizing.count.sequences", "%1 sequences")                                                     \
    X(kFormulaFp8Linear, "sizing.formula.fp8_linear", "%1 linear-layer params × 1 B (fp8 e4m3)")                    \
    X(kFormulaFp8Scales, "sizing.formula.fp8_scales", "%1 block scales (one per 128 × 128) × 4 B (fp32)")           \
    X(kFormulaInt4Linear, "sizing.formula.int4_linear", "%1 linear-layer params × 0.5 B (int4)")                    \
    X(kFormulaInt4Scales, "sizing.formula.int4_scales", "%1 group scales (one per 128 inputs) × 2 B (bf16)")        \
    X(kFormulaWideRest, "sizing.formula.wide_rest",                                                                  \
      "%1 params × 2 B (embeddings, head, norms, biases, router in bf16)")                                          \
    X(kFormulaWide, "sizing.formula.wide", "%1 params × 2 B (%2)")                                                   \
    X(kFormulaFp32Bias, "sizing.formula.fp32_bias", "%1 params × 4 B (fp32 router bias)")                           \
    X(kFormulaParamsTied, "sizing.formula.params_tied",                                                              \
      "embed_tokens (tied head) %1 + %2 decoder layers %3 + final norm %4 = %5 params")                             \
    X(kFormulaParamsUntied, "sizing.formula.params_untied",                                                          \
      "embed_tokens + lm_head %1 + %2 decoder layers %3 + final norm %4 = %5 params")                               \
    X(kFormulaMtpNotLoaded, "sizing.formula.mtp_not_loaded",                                                         \
      " (the %1 MTP layer(s) are not loaded without speculative decoding)")                                         \
    X(kFormulaActiveDense, "sizing.formula.active_dense", "%1 − embedding rows not read %2 = %3 params")            \
    X(kFormulaActiveMoe, "sizing.formula.active_moe",                                                                \
      "%1 − embedding rows not read %2 − idle routed experts (%3 of %4 per MoE layer) %5 = %6 params")              \
    X(kFormulaKvTokenMla, "sizing.formula.kv_token_mla",                                                             \
      "MLA, one latent per layer: %1 layers × (kv_lora %2 + qk_rope %3) × %4 B (%5) = %6")                           \
    X(kFormulaKvTokenMha, "sizing.formula.kv_token_mha",                                                             \
      "2 (K and V) × %1 layers × %2 KV heads × %3 head dim × %4 B (%5) = %6")                                        \
    X(kFormulaGpuWeightsTp1, "sizing.formula.gpu_weights_tp1", "TP 1: the whole model on one GPU = %1")             \
    X(kFormulaGpuWeightsShards, "sizing.formula.gpu_weights_shards",                                                 \
      "TP %1: column/row-parallel shards (1/%1 each) %2 + vocab-parallel embed_tokens/lm_head (⌈%3 ÷ %1⌉ rows) %4 " \
      "+ replicated (norms")                                                                                        \
    X(kFormulaReplicatedRouter, "sizing.formula.replicated_router", ", router")                                      \
    X(kFormulaReplicatedMla, "sizing.formula.replicated_mla", ", MLA q_a/kv_a projections")                          \
    X(kFormulaKvGpuMla, "sizing.formula.kv_gpu_mla",                                                                 \
      "the MLA latent is replicated, not split, across the %1 TP rank(s): %2")                                       \
    X(kFormulaKvGpuMha, "sizing.formula.kv_gpu_mha", "2 × %1 layers × ⌈%2 KV heads ÷ TP %3⌉ = %4 × %5 × %6 B = %7")  \
    X(kFormulaKvGpuMhaReplicated, "sizing.formula.kv_gpu_mha_replicated",                                            \
      "2 × %1 layers × ⌈%2 KV heads ÷ TP %3⌉ = %4 (replicated) × %5 × %6 B = %7")                                    \
    X(kFormulaFractionDefault, "sizing.formula.fraction_default",                                                    \
      "SGLang's default for %1 MiB at TP %2: round((%1 − %3 × 1,024) ÷ %1, 3) = %4 (reserve %5 GiB)")                \
    X(kFormulaFractionGiven, "sizing.formula.fraction_given", "--mem-fraction-static %1 (given)")                   \
    X(kFormulaReserve, "sizing.formula.reserve",                                                                     \
      "%1 − %2 = %3, outside the static share: activations, logits, CUDA graphs, CUDA context, NCCL")               \
    X(kFormulaReserveNeeded, "sizing.formula.reserve_needed",                                                        \
      "1 GiB (CUDA context, cuBLAS, NCCL, graph pools) + %1 prefill tokens × (2 × %2 hidden + 3 × %3 MLP width per " \
      "GPU) × 2 B + ")                                                                                              \
    X(kFormulaLogits, "sizing.formula.logits", " × %1 vocab × 4 B (fp32 logits) = %2")                               \
    X(kFormulaKvPool, "sizing.formula.kv_pool", "%1 static − %2 weights = %3")                                       \
    X(kFormulaKvPoolNoRoom, "sizing.formula.kv_pool_no_room", " (no room: the weights alone exceed the static share)") \
    X(kFormulaKvCapacity, "sizing.formula.kv_capacity", "⌊%1 ÷ %2 per token⌋ = %3 tokens")                           \
    X(kFormulaKvCapacityEmpty, "sizing.formula.kv_capacity_empty", "0: the pool is empty")                           \
    X(kFormulaContextTimes, "sizing.formula.context_times", "%1 context × ")                                         \
    X(kFormulaNeededFits, "sizing.formula.needed_fits", " = %1 tokens ≤ capacity: fits")                             \
    X(kFormulaNeededNoFit, "sizing.formula.needed_no_fit", " = %1 tokens > capacity: does not fit")                  \
    X(kFormulaTokensTimes, "sizing.formula.tokens_times", "%1 tokens × %2 = %3")                                     \
    X(kFormulaTpGiven, "sizing.formula.tp_given", "--tp %1 (given)")                                                 \
    X(kFormulaTpSearchMla, "sizing.formula.tp_search_mla",                                                           \
      "smallest TP that divides the %1 heads and the MLP widths, up to %2 GPUs per node then whole nodes, and "     \
      "fits — ")                                                                                                    \
    X(kFormulaTpSearch, "sizing.formula.tp_search",                                                                  \
      "smallest TP that divides the %1 heads and %2 KV heads and the MLP widths, up to %3 GPUs per node then "      \
      "whole nodes, and fits — ")                                                                                   \
    X(kFormulaTpNoneFits, "sizing.formula.tp_none_fits", " — none fits; the largest valid TP is shown")             \
    X(kFormulaNodesOne, "sizing.formula.nodes_one", "TP %1 ≤ %2 GPUs per node: 1 node")                              \
    X(kFormulaNodesMany, "sizing.formula.nodes_many", "⌈TP %1 ÷ %2 GPUs per node⌉ = %3 nodes (--nnodes)")            \
    X(kFormulaGpusPerPod, "sizing.formula.gpus_per_pod", "min(TP %1, %2 GPUs per node) = %3 (nvidia.com/gpu)")       \
    X(kFormulaCpuOneGpu, "sizing.formula.cpu_one_gpu",                                                               \
      "%1 (tokenizer, detokenizer, HTTP) + %2 × %3 GPU (one scheduler process per TP rank, and loader threads) = "  \
      "%4 cores")                                                                                                   \
    X(kFormulaCpu, "sizing.formula.cpu",                                                                             \
      "%1 (tokenizer, detokenizer, HTTP) + %2 × %3 GPUs (one scheduler process per TP rank, and loader threads) = " \
      "%4 cores")                                                                                                   \
    X(kFormulaShmOneGpu, "sizing.formula.shm_one_gpu",                                                               \
      "4 GiB × %1 GPU = %2 (memory emptyDir: NCCL's shared-memory transport and PyTorch IPC between ranks; "        \
      "SGLang's examples give 32 GB for 8 GPUs)")                                                                   \
    X(kFormulaShm, "sizing.formula.shm",                                                                             \
      "4 GiB × %1 GPUs = %2 (memory emptyDir: NCCL's shared-memory transport and PyTorch IPC between ranks; "       \
      "SGLang's examples give 32 GB for 8 GPUs)")                                                                   \
    X(kFormulaHostOneGpu, "sizing.formula.host_one_gpu",                                                             \
      "⌈(pod's weights %1 (%2, %3 GPU) × 1.10 + 8 GiB runtime + 2 GiB × %3 GPU + /dev/shm %4) ÷ GiB⌉ = %5 GiB = %6 " \
      "(loading streams the weights through host memory; a memory /dev/shm counts against the pod's limit)")        \
    X(kFormulaHost, "sizing.formula.host",                                                                           \
      "⌈(pod's weights %1 (%2, %3 GPUs) × 1.10 + 8 GiB runtime + 2 GiB × %3 GPUs + /dev/shm %4) ÷ GiB⌉ = %5 GiB = " \
      "%6 (loading streams the weights through host memory; a memory /dev/shm counts against the pod's limit)")     \
    X(kFormulaCheckpointFiles, "sizing.formula.checkpoint_files", "safetensors headers: %1 in %2 file(s)")          \
    X(kFormulaCheckpoint, "sizing.formula.checkpoint", "%1 checkpoint")                                              \
    X(kFormulaCheckpointMtp, "sizing.formula.checkpoint_mtp", " with %1 MTP layer(s)")                               \
    X(kFormulaVolume, "sizing.formula.volume",                                                                       \
      "⌈%1 × 1.15 ÷ GiB⌉ = %2 GiB = %3 (tokenizer and configs, filesystem overhead, room to re-download)")           \
    X(kFormulaDecodeRead, "sizing.formula.decode_read", "weights read %1 (all but the embedding table")             \
    X(kFormulaDecodeExperts, "sizing.formula.decode_experts", ", %1 of %2 routed experts")                           \
    X(kFormulaDecodeReadKv, "sizing.formula.decode_read_kv", ", one embedding row) + %1 tokens × %2 KV = %3")        \
    X(kFormulaBandwidthUnknown, "sizing.formula.bandwidth_unknown", "unknown: the GPU's memory bandwidth is not known") \
    X(kFormulaCeilingOne, "sizing.formula.ceiling_one",                                                              \
      "%1 ÷ %2 = %3 tokens/s — a ceiling at full context: every step reads the weights and the KV once; real "      \
      "servers reach about 50–88 % of it")                                                                          \
    X(kFormulaCeilingBatch, "sizing.formula.ceiling_batch", " × %1 ÷ (weights read %2")                              \
    X(kFormulaExpertsTouched, "sizing.formula.experts_touched",                                                      \
      " (experts touched: E × (1 − (1 − k/E)^%1), uniform routing)")                                                \
    X(kFormulaCeilingBatchEnd, "sizing.formula.ceiling_batch_end",                                                   \
      " + %1 × %2 KV) = %3 tokens/s — a ceiling at full context")

namespace slipway::sizing::msg {

#define SLIPWAY_DECLARE_MESSAGE(name, code, text) inline constexpr MessageTemplate name{code, text};
SLIPWAY_SIZING_MESSAGES(SLIPWAY_DECLARE_MESSAGE)
#undef SLIPWAY_DECLARE_MESSAGE

// Every template above, in order.
std::vector<MessageTemplate> messageTemplates();

} // namespace slipway::sizing::msg
