#include "messages/core_messages.h"

#include <QHash>

namespace slipway::ui {

namespace {

struct Entry {
    const char *code;
    const char *source; // English template, also the tr() source text
};

// kSizing (mirrors core/sizing/sizing_messages.h; test_core_messages checks that they agree)
const Entry kSizing[] = {
    {"sizing.input.no_shape",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "model '%1' has no layers, heads, hidden size or vocabulary: load it from a config.json")},
    {"sizing.input.no_kv_heads",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "model '%1' has no KV heads or head dimension")},
    {"sizing.input.gpu_memory",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "GPU memory must be positive: choose --gpu NAME or --gpu-memory GiB")},
    {"sizing.input.gpus_per_node",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "GPUs per node must be at least 1 (--gpus-per-node)")},
    {"sizing.input.concurrency",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "concurrency must be at least 1 sequence (--concurrency)")},
    {"sizing.input.context",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "context length must be positive (--context)")},
    {"sizing.input.no_max_positions",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "the model states no max_position_embeddings: give the context length (--context)")},
    {"sizing.input.mem_fraction",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "--mem-fraction-static must be between 0 and 1 (SGLang's guide uses 0.93), not %1")},
    {"sizing.input.tp",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "--tp must be at least 1")},
    {"sizing.guide.formula",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "fp16 weights %1 (%2 B) + KV %3 × %4 × %5 B = %6 → %7 %8 guide %9")},
    {"sizing.gpu.unknown",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "unknown GPU '%1': choose one of %2, or give the memory of another card with --gpu-memory GiB")},
    {"sizing.tp.at_least_one",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "TP must be at least 1")},
    {"sizing.tp.heads",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "TP %1 does not divide the %2 attention heads")},
    {"sizing.tp.kv_heads",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "TP %1 and the %2 KV heads: one must be a multiple of the other")},
    {"sizing.tp.mlp_width",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "TP %1 does not divide the MLP width %2")},
    {"sizing.tp.expert_width",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "TP %1 does not divide the expert width %2")},
    {"sizing.tp.fp8_rows",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "TP %1 leaves %2 rows of %3 per GPU, not whole 128 × 128 fp8 blocks")},
    {"sizing.tp.fp8_columns",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "TP %1 leaves %2 input columns of %3 per GPU, not whole 128 × 128 fp8 blocks")},
    {"sizing.tp.int4_columns",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "TP %1 leaves %2 input columns of %3 per GPU, not whole int4 groups of 128")},
    {"sizing.note.weights_exceed",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "weights %1 per GPU exceed the static %2 (%3 × memory)")},
    {"sizing.note.kv_short",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "KV pool holds %1 tokens, the load needs %2")},
    {"sizing.note.fits",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "fits: KV pool holds %1 tokens")},
    {"sizing.error.forced_tp_invalid",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "--tp %1: %2; valid TP sizes: %3")},
    {"sizing.error.forced_tp_whole_nodes",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "--tp %1 over %2 GPUs per node: a multi-node TP must fill whole nodes (a multiple of %2)")},
    {"sizing.error.no_valid_tp",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "no TP size up to %1 divides the model's heads and widths with %2 GPUs per node: change --gpus-per-node")},
    {"sizing.error.no_fit_weights",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 does not fit on %2 × %3: its weights (%4 per GPU at TP %5) exceed the static share %6 × %7 = %8; choose a GPU with more memory, a smaller --dtype (fp8, int4), --kv-dtype fp8, a shorter context or fewer concurrent sequences")},
    {"sizing.error.no_fit_weights_forced_tp",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 does not fit on %2 × %3: its weights (%4 per GPU at TP %5) exceed the static share %6 × %7 = %8; choose a larger --tp, a GPU with more memory, a smaller --dtype (fp8, int4), --kv-dtype fp8, a shorter context or fewer concurrent sequences")},
    {"sizing.error.no_fit_kv",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 does not fit on %2 × %3: the KV pool at TP %4 holds %5 tokens but context × concurrency needs %6; choose a GPU with more memory, a smaller --dtype (fp8, int4), --kv-dtype fp8, a shorter context or fewer concurrent sequences")},
    {"sizing.error.no_fit_kv_forced_tp",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 does not fit on %2 × %3: the KV pool at TP %4 holds %5 tokens but context × concurrency needs %6; choose a larger --tp, a GPU with more memory, a smaller --dtype (fp8, int4), --kv-dtype fp8, a shorter context or fewer concurrent sequences")},
    {"sizing.warning.reserve_low",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "the reserve outside --mem-fraction-static, %1, is below the estimated %2 for activations, logits, CUDA graphs and the CUDA context: lower --mem-fraction-static to %3 or less, or lower --chunked-prefill-size")},
    {"sizing.warning.no_fp8_weights",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 (%2) has no FP8 tensor cores: FP8 weights run through slower weight-only kernels or not at all; choose --dtype bf16 or int4")},
    {"sizing.warning.no_fp8_kv",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 has no FP8 support: an fp8 KV cache is converted on every read; prefer --kv-dtype auto")},
    {"sizing.warning.mla_needs_hopper",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 uses MLA, whose fast SGLang kernels (FlashMLA, FA3) need Hopper; on %2 (%3) it falls back to slower Triton/FlashInfer MLA")},
    {"sizing.warning.int4_checkpoint",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "int4 needs a pre-quantised checkpoint (AWQ or GPTQ, group size 128): SGLang does not quantise to int4 at load; point --model at such a checkpoint (the volume is sized for it)")},
    {"sizing.warning.fp8_at_load",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "fp8 from a %1 checkpoint: SGLang quantises at load with --quantization fp8; the volume and host memory hold the %1 files")},
    {"sizing.warning.fp8_checkpoint",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "the published checkpoint is FP8; %1 needs a converted checkpoint (the volume is sized for it) and twice the GPU memory")},
    {"sizing.warning.fp16_range",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "the model was trained in bf16; fp16's narrower range can overflow activations — prefer --dtype bf16 (same memory)")},
    {"sizing.warning.context_too_long",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "context %1 exceeds the model's %2 positions: SGLang refuses a longer --context-length")},
    {"sizing.warning.tp_over_kv_heads",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "TP %1 exceeds the %2 KV heads: each GPU keeps a whole KV head, so the KV cache per GPU stops shrinking beyond TP %2")},
    {"sizing.warning.multi_node",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "TP %1 spans %2 nodes: every layer all-reduces across the network; use RDMA (InfiniBand or RoCE) between the GPU nodes")},
    {"sizing.warning.no_bandwidth",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "the GPU's memory bandwidth is unknown: no decode ceiling")},
    {"sizing.warning.safetensors_differ",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "the safetensors hold %1 but config.json's shapes give %2: GPU figures follow the shapes, the volume the files")},
    {"sizing.count.sequence",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 sequence")},
    {"sizing.count.sequences",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 sequences")},
    {"sizing.formula.fp8_linear",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 linear-layer params × 1 B (fp8 e4m3)")},
    {"sizing.formula.fp8_scales",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 block scales (one per 128 × 128) × 4 B (fp32)")},
    {"sizing.formula.int4_linear",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 linear-layer params × 0.5 B (int4)")},
    {"sizing.formula.int4_scales",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 group scales (one per 128 inputs) × 2 B (bf16)")},
    {"sizing.formula.wide_rest",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 params × 2 B (embeddings, head, norms, biases, router in bf16)")},
    {"sizing.formula.wide",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 params × 2 B (%2)")},
    {"sizing.formula.fp32_bias",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 params × 4 B (fp32 router bias)")},
    {"sizing.formula.params_tied",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "embed_tokens (tied head) %1 + %2 decoder layers %3 + final norm %4 = %5 params")},
    {"sizing.formula.params_untied",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "embed_tokens + lm_head %1 + %2 decoder layers %3 + final norm %4 = %5 params")},
    {"sizing.formula.mtp_not_loaded",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", " (the %1 MTP layer(s) are not loaded without speculative decoding)")},
    {"sizing.formula.active_dense",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 − embedding rows not read %2 = %3 params")},
    {"sizing.formula.active_moe",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 − embedding rows not read %2 − idle routed experts (%3 of %4 per MoE layer) %5 = %6 params")},
    {"sizing.formula.kv_token_mla",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "MLA, one latent per layer: %1 layers × (kv_lora %2 + qk_rope %3) × %4 B (%5) = %6")},
    {"sizing.formula.kv_token_mha",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "2 (K and V) × %1 layers × %2 KV heads × %3 head dim × %4 B (%5) = %6")},
    {"sizing.formula.gpu_weights_tp1",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "TP 1: the whole model on one GPU = %1")},
    {"sizing.formula.gpu_weights_shards",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "TP %1: column/row-parallel shards (1/%1 each) %2 + vocab-parallel embed_tokens/lm_head (⌈%3 ÷ %1⌉ rows) %4 + replicated (norms")},
    {"sizing.formula.replicated_router",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", ", router")},
    {"sizing.formula.replicated_mla",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", ", MLA q_a/kv_a projections")},
    {"sizing.formula.kv_gpu_mla",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "the MLA latent is replicated, not split, across the %1 TP rank(s): %2")},
    {"sizing.formula.kv_gpu_mha",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "2 × %1 layers × ⌈%2 KV heads ÷ TP %3⌉ = %4 × %5 × %6 B = %7")},
    {"sizing.formula.kv_gpu_mha_replicated",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "2 × %1 layers × ⌈%2 KV heads ÷ TP %3⌉ = %4 (replicated) × %5 × %6 B = %7")},
    {"sizing.formula.fraction_default",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "SGLang's default for %1 MiB at TP %2: round((%1 − %3 × 1,024) ÷ %1, 3) = %4 (reserve %5 GiB)")},
    {"sizing.formula.fraction_given",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "--mem-fraction-static %1 (given)")},
    {"sizing.formula.reserve",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 − %2 = %3, outside the static share: activations, logits, CUDA graphs, CUDA context, NCCL")},
    {"sizing.formula.reserve_needed",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "1 GiB (CUDA context, cuBLAS, NCCL, graph pools) + %1 prefill tokens × (2 × %2 hidden + 3 × %3 MLP width per GPU) × 2 B + ")},
    {"sizing.formula.logits",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", " × %1 vocab × 4 B (fp32 logits) = %2")},
    {"sizing.formula.kv_pool",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 static − %2 weights = %3")},
    {"sizing.formula.kv_pool_no_room",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", " (no room: the weights alone exceed the static share)")},
    {"sizing.formula.kv_capacity",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "⌊%1 ÷ %2 per token⌋ = %3 tokens")},
    {"sizing.formula.kv_capacity_empty",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "0: the pool is empty")},
    {"sizing.formula.context_times",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 context × ")},
    {"sizing.formula.needed_fits",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", " = %1 tokens ≤ capacity: fits")},
    {"sizing.formula.needed_no_fit",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", " = %1 tokens > capacity: does not fit")},
    {"sizing.formula.tokens_times",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 tokens × %2 = %3")},
    {"sizing.formula.tp_given",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "--tp %1 (given)")},
    {"sizing.formula.tp_search_mla",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "smallest TP that divides the %1 heads and the MLP widths, up to %2 GPUs per node then whole nodes, and fits — ")},
    {"sizing.formula.tp_search",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "smallest TP that divides the %1 heads and %2 KV heads and the MLP widths, up to %3 GPUs per node then whole nodes, and fits — ")},
    {"sizing.formula.tp_none_fits",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", " — none fits; the largest valid TP is shown")},
    {"sizing.formula.nodes_one",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "TP %1 ≤ %2 GPUs per node: 1 node")},
    {"sizing.formula.nodes_many",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "⌈TP %1 ÷ %2 GPUs per node⌉ = %3 nodes (--nnodes)")},
    {"sizing.formula.gpus_per_pod",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "min(TP %1, %2 GPUs per node) = %3 (nvidia.com/gpu)")},
    {"sizing.formula.cpu_one_gpu",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 (tokenizer, detokenizer, HTTP) + %2 × %3 GPU (one scheduler process per TP rank, and loader threads) = %4 cores")},
    {"sizing.formula.cpu",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 (tokenizer, detokenizer, HTTP) + %2 × %3 GPUs (one scheduler process per TP rank, and loader threads) = %4 cores")},
    {"sizing.formula.shm_one_gpu",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "4 GiB × %1 GPU = %2 (memory emptyDir: NCCL's shared-memory transport and PyTorch IPC between ranks; SGLang's examples give 32 GB for 8 GPUs)")},
    {"sizing.formula.shm",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "4 GiB × %1 GPUs = %2 (memory emptyDir: NCCL's shared-memory transport and PyTorch IPC between ranks; SGLang's examples give 32 GB for 8 GPUs)")},
    {"sizing.formula.host_one_gpu",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "⌈(pod's weights %1 (%2, %3 GPU) × 1.10 + 8 GiB runtime + 2 GiB × %3 GPU + /dev/shm %4) ÷ GiB⌉ = %5 GiB = %6 (loading streams the weights through host memory; a memory /dev/shm counts against the pod's limit)")},
    {"sizing.formula.host",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "⌈(pod's weights %1 (%2, %3 GPUs) × 1.10 + 8 GiB runtime + 2 GiB × %3 GPUs + /dev/shm %4) ÷ GiB⌉ = %5 GiB = %6 (loading streams the weights through host memory; a memory /dev/shm counts against the pod's limit)")},
    {"sizing.formula.checkpoint_files",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "safetensors headers: %1 in %2 file(s)")},
    {"sizing.formula.checkpoint",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 checkpoint")},
    {"sizing.formula.checkpoint_mtp",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", " with %1 MTP layer(s)")},
    {"sizing.formula.volume",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "⌈%1 × 1.15 ÷ GiB⌉ = %2 GiB = %3 (tokenizer and configs, filesystem overhead, room to re-download)")},
    {"sizing.formula.decode_read",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "weights read %1 (all but the embedding table")},
    {"sizing.formula.decode_experts",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", ", %1 of %2 routed experts")},
    {"sizing.formula.decode_read_kv",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", ", one embedding row) + %1 tokens × %2 KV = %3")},
    {"sizing.formula.bandwidth_unknown",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "unknown: the GPU's memory bandwidth is not known")},
    {"sizing.formula.ceiling_one",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 ÷ %2 = %3 tokens/s — a ceiling at full context: every step reads the weights and the KV once; real servers reach about 50–88 % of it")},
    {"sizing.formula.ceiling_batch",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", " × %1 ÷ (weights read %2")},
    {"sizing.formula.experts_touched",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", " (experts touched: E × (1 − (1 − k/E)^%1), uniform routing)")},
    {"sizing.formula.ceiling_batch_end",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", " + %1 × %2 KV) = %3 tokens/s — a ceiling at full context")},
};

// kDeploy (mirrors core/deploy/deploy_messages.h; test_core_messages checks that they agree)
const Entry kDeploy[] = {
    {"deploy.plan.nodes_need_lws",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "--nodes %1 needs --mode lws: a Deployment or InferenceService runs each replica in one pod on one node")},
    {"deploy.plan.layout_mismatch",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "--nodes %1 × --gpus-per-node %2 = %3 GPUs, but --tp is %4: each GPU holds one tensor-parallel rank, so make them equal")},
    {"deploy.plan.tp_split",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "--tp %1 cannot be split evenly over --nodes %2: choose a TP that is a multiple of the node count")},
    {"deploy.plan.range",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 must be between %2 and %3, not %4")},
    {"deploy.plan.quantity",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 must be a size such as 500Gi or 200G, not '%2'")},
    {"deploy.plan.model_required",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "--model is required: a catalog id such as deepseek-ai/DeepSeek-R1-Distill-Qwen-7B, a model folder, or a config.json (slipway-cli models lists the catalog)")},
    {"deploy.plan.gpu",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "--gpu: %1")},
    {"deploy.plan.needs_lws",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 needs %2 GPUs over %3 nodes of %4: use --mode lws, or more GPUs per node")},
    {"deploy.plan.pvc_too_small",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "--pvc-size %1 is smaller than the model's files (%2): give at least %3")},
    {"deploy.check.name",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "name %1 is not a valid name: use lower-case letters, digits and '-', starting with a letter and ending with a letter or digit (DNS-1035, as Services, LeaderWorkerSets and InferenceServices require), e.g. 'deepseek-r1-7b'")},
    {"deploy.check.name_length",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "name %1 is %2 characters long: use at most %3 (object names get suffixes such as '-scc-privileged' and '-predictor', and must stay within 63 characters)")},
    {"deploy.check.namespace",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "namespace %1 is not a valid namespace: use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit (DNS-1123 label)")},
    {"deploy.check.route_host_length",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "the Route host OpenShift would generate, %1, is longer than 63 characters: shorten the name or the namespace, or set the route host")},
    {"deploy.check.subdomain",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 %2 is not a valid name: use lower-case letters, digits, '-' and '.' (DNS-1123 subdomain)")},
    {"deploy.field.route_host",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "route host")},
    {"deploy.field.ingress_host",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "ingress host")},
    {"deploy.field.ingress_class",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "ingress class")},
    {"deploy.field.storage_class",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "storage class")},
    {"deploy.field.image_pull_secret",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "image pull secret")},
    {"deploy.field.s3_secret",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "S3 secret")},
    {"deploy.field.hf_token_secret",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "Hugging Face token secret")},
    {"deploy.check.tp",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "tp is %1: tensor parallelism must be at least 1")},
    {"deploy.check.gpus_per_node",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "gpus per node is %1: each pod needs at least 1 GPU")},
    {"deploy.check.nodes",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "nodes is %1: use at least 1")},
    {"deploy.check.replicas",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "replicas is %1: use at least 1")},
    {"deploy.check.mode_one_pod",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "mode %1 runs one pod per replica, but nodes is %2: use mode lws for a model spread over several nodes, or set nodes to 1")},
    {"deploy.check.lws_one_node",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "mode lws with nodes 1 is a single pod: use mode deployment, or set nodes to 2 or more")},
    {"deploy.check.tp_layout",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "tp %1 must equal nodes x GPUs per node (%2 x %3 = %4): each GPU holds one tensor-parallel rank; change tp, nodes or GPUs per node")},
    {"deploy.check.gpu_resource",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "GPU resource name %1 is not valid: use e.g. 'nvidia.com/gpu'")},
    {"deploy.check.rdma_resource",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "RDMA resource name %1 is not valid: use e.g. 'rdma/rdma_shared_device_a'")},
    {"deploy.check.port",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "port %1 is out of range: use 1-65535 (the guide uses 40000)")},
    {"deploy.check.dist_port",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "rendezvous port %1 is out of range: use 1-65535 (the guide uses 20000)")},
    {"deploy.check.ports_equal",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "the rendezvous port and the HTTP port are both %1: give them different values")},
    {"deploy.check.privileged_port",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "port %1 is privileged and a restricted (non-root) server cannot bind it: use a port of 1024 or more, e.g. 40000")},
    {"deploy.check.mem_fraction",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "mem fraction %1 must be between 0 and 1 (the guide uses 0.93)")},
    {"deploy.check.positive",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 is %2: use at least 1, or leave it unset")},
    {"deploy.field.torch_compile_max_bs",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "torch compile max batch size")},
    {"deploy.field.max_running_requests",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "max running requests")},
    {"deploy.field.cuda_graph_max_bs",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "CUDA graph max batch size")},
    {"deploy.field.context_length",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "context length")},
    {"deploy.check.served_name_blanks",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "served model name %1 contains blanks: remove them")},
    {"deploy.check.extra_arg",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "extra argument %1 repeats a flag Slipway sets from the plan: remove it and set the plan's field instead")},
    {"deploy.check.startup_timeout",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "startup timeout %1 s is too short to load a model: use at least 60 s (30 minutes suits large models)")},
    {"deploy.check.nccl_ifname",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "NCCL socket interface %1 contains blanks: name the interface, e.g. 'eth0'")},
    {"deploy.check.nccl_gid",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "NCCL_IB_GID_INDEX %1 is negative: use e.g. 3, or leave it unset")},
    {"deploy.check.cpu_request",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "CPU request must be positive: give the pod at least 1 CPU (1000m)")},
    {"deploy.check.cpu_limit",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "CPU limit %1 is below the request %2: raise the limit, or set 0 for no limit")},
    {"deploy.check.memory_positive",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "memory request and limit must be positive: size them to hold the weights while loading")},
    {"deploy.check.memory_limit",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "memory limit %1 is below the request %2: raise the limit")},
    {"deploy.check.shm_positive",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "/dev/shm size must be positive: NCCL and SGLang need a memory-backed /dev/shm (e.g. 16Gi)")},
    {"deploy.check.shm_limit",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "/dev/shm (%1) is counted against the memory limit (%2) and must stay well below it: raise the memory limit or shrink /dev/shm")},
    {"deploy.check.image",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 %2 is not an image reference: use e.g. 'lmsysorg/sglang:latest'")},
    {"deploy.field.server_image",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "server image")},
    {"deploy.field.loader_image",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "loader image")},
    {"deploy.check.download_image",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "download image %1 is not an image reference: use e.g. 'docker.io/library/python:3.12-slim'")},
    {"deploy.check.s3_sync_image",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "S3 sync image %1 is not an image reference: use e.g. 'docker.io/amazon/aws-cli:latest'")},
    {"deploy.check.s3_endpoint_missing",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "storage s3 needs the S3 endpoint: give its URL, e.g. http://minio.minio.svc:9000")},
    {"deploy.check.s3_endpoint",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "S3 endpoint %1 must be a URL starting with http:// or https://")},
    {"deploy.check.s3_bucket_missing",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "storage s3 needs the S3 bucket that holds the model: give the bucket name")},
    {"deploy.check.s3_bucket",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "S3 bucket %1 is not a valid bucket name: use 3-63 lower-case letters, digits, '.' and '-'")},
    {"deploy.check.s3_path",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "S3 path %1 is not a valid key prefix: use e.g. 'models/DeepSeek-R1-Distill-Qwen-7B' (no '..', no blanks)")},
    {"deploy.check.s3_credentials_twice",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "S3 credentials are given twice: give either the access keys or an existing Secret, not both")},
    {"deploy.check.s3_credentials_incomplete",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "S3 credentials are incomplete: give both the access key id and the secret access key")},
    {"deploy.check.s3_credentials_missing",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "storage s3 needs credentials: give the access key id and secret access key, or the name of a Secret holding AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")},
    {"deploy.check.image_model_path",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "storage image needs the model's absolute path inside the image, e.g. /models/DeepSeek-R1-Distill-Qwen-7B")},
    {"deploy.check.volume_size",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "the model volume size must be positive: give room for the weights, e.g. 100Gi for a 32B model in bf16")},
    {"deploy.check.mount_path",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "model mount path %1 must be an absolute directory such as /models (not /, not under /dev)")},
    {"deploy.check.model_dir",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "model folder %1 must be a relative path inside the volume, e.g. 'DeepSeek-R1-Distill-Qwen-7B' (no '/' at the start, no '..')")},
    {"deploy.check.download_model_id",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "storage download needs a Hugging Face model id of the form owner/name, e.g. deepseek-ai/DeepSeek-R1-Distill-Qwen-7B (got %1)")},
    {"deploy.check.download_endpoint",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "download endpoint %1 must be a URL such as https://huggingface.co or https://hf-mirror.com")},
    {"deploy.check.download_revision",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "download revision %1 is not valid: use a branch, tag or commit, e.g. main")},
    {"deploy.check.rwo_replicas",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "replicas %1 share one ReadWriteOnce PVC, which pods on other nodes cannot mount: use --rwx (ReadWriteMany storage) or 1 replica")},
    {"deploy.check.lws_rwo_nodes",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "lws with %1 nodes and a ReadWriteOnce PVC cannot work: all workers share one template and so one claim, which only one node can mount; use --rwx (ReadWriteMany storage), or storage download or s3 (each pod fills its own volume)")},
    {"deploy.check.lws_rwo_groups",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "lws with %1 groups and ReadWriteOnce PVCs cannot work: the groups would share the leader's and the worker's claim; use --rwx, storage download or s3, or 1 group")},
    {"deploy.note.copy_rwx",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "Copy the model folder into the PVC through the loader pod: %1 cp ./%2 %3/%4:/models/ , then delete %4.")},
    {"deploy.note.copy_rwo",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "Copy the model folder into the PVC through the loader pod: %1 cp ./%2 %3/%4:/models/ , then delete %4 (a ReadWriteOnce volume is attached to one node at a time).")},
    {"deploy.note.download_each_pod",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "Every pod downloads %1 from %2 into its own volume when it starts, and again whenever it is recreated; with ReadWriteMany storage (--rwx) one Job downloads it once for all.")},
    {"deploy.note.download_job",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "The Job %1 downloads %2@%3 from %4 into the PVC; the server starts when it has finished.")},
    {"deploy.note.kserve_s3",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "KServe's storage initializer copies the model from S3 at every start; its default memory limit (1Gi) can be too small for large models: raise it in the inferenceservice-config ConfigMap.")},
    {"deploy.note.s3_each_pod",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "Every pod copies the model from S3 into its own volume when it starts, and again whenever it is recreated.")},
    {"deploy.note.image",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "The server reads the model from %1 inside its image.")},
    {"deploy.note.pod_security",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "Privileged pods need the namespace's Pod Security level 'privileged': kubectl label namespace %1 pod-security.kubernetes.io/enforce=privileged")},
    {"deploy.note.rdma_scc",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "RDMA needs IPC_LOCK, which OpenShift's restricted-v2 SCC does not allow: grant the ServiceAccount %1 an SCC that does, or use security privileged.")},
    {"deploy.note.lws_openshift",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "Needs the LeaderWorkerSet controller (the Leader Worker Set Operator on OpenShift 4.18+).")},
    {"deploy.note.lws_kubernetes",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "Needs the LeaderWorkerSet controller (kubernetes-sigs/lws).")},
    {"deploy.note.kserve_openshift",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "Needs KServe with RawDeployment (OpenShift AI).")},
    {"deploy.note.kserve_kubernetes",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "Needs KServe with RawDeployment.")},
    {"deploy.mirror.image_required",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "--image is required: the image to mirror; use e.g. 'lmsysorg/sglang:latest' or 'quay.io/slipway/slipway-engine:%1'")},
    {"deploy.mirror.registry_required",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "--registry is required: the registry (and namespace) to mirror into, e.g. quay.io/myorg")},
    {"deploy.mirror.image_invalid",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "--image '%1' is not an image reference: %2; use e.g. 'lmsysorg/sglang:latest' or 'quay.io/slipway/slipway-engine:%3'")},
    {"deploy.mirror.why_empty",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "it is empty")},
    {"deploy.mirror.why_scheme",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "give it without a scheme such as docker://")},
    {"deploy.mirror.why_blank",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "it contains a blank or a control character")},
    {"deploy.mirror.why_digest",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "the digest after '@' must be sha256: and 64 lower-case hex digits")},
    {"deploy.mirror.why_tag",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "the tag after ':' may hold only letters, digits, '_', '.' and '-' (at most 128)")},
    {"deploy.mirror.why_host",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "'%1' is not a registry host[:port]")},
    {"deploy.mirror.why_empty_component",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "it has an empty path component ('//' or a '/' at an end)")},
    {"deploy.mirror.why_upper_case",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "repository names are lower case ('%1')")},
    {"deploy.mirror.why_component",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "'%1' may hold only a-z, 0-9 and single '.', '_', '__' or '-' runs between them")},
    {"deploy.mirror.why_too_long",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "the name is longer than 255 characters")},
    {"deploy.mirror.registry_empty",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "--registry is empty: use e.g. 'quay.io/myorg' or 'registry.example.com:5000/ai'")},
    {"deploy.mirror.registry_scheme",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "--registry '%1' has a scheme: give the registry without https:// or docker://; use e.g. 'quay.io/myorg' or 'registry.example.com:5000/ai'")},
    {"deploy.mirror.registry_host",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "--registry '%1' does not start with a registry host (a name with a '.', a ':port' or localhost): use e.g. 'quay.io/myorg' or 'registry.example.com:5000/ai'")},
    {"deploy.mirror.registry_tag",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "--registry '%1' names a tag or digest: give only the registry and namespace; use e.g. 'quay.io/myorg' or 'registry.example.com:5000/ai'")},
    {"deploy.mirror.registry_namespace",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "--registry '%1': namespace '%2' may hold only a-z, 0-9 and single '.', '_' or '-' between them; use e.g. 'quay.io/myorg' or 'registry.example.com:5000/ai'")},
    {"deploy.mirror.tool",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "--tool must be skopeo or podman, not '%1'")},
    {"deploy.mirror.arch",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "--arch must be amd64, arm64, ppc64le or s390x (the nodes' architecture), not '%1'")},
    {"deploy.mirror.authfile_empty",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "--authfile is empty: give the credentials file, e.g. ${XDG_RUNTIME_DIR}/containers/auth.json")},
    {"deploy.mirror.already_there",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "--image %1 is already in %2: name another registry or namespace")},
    {"deploy.mirror.archive",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "--archive '%1' must be a file name without quotes, '$', '`' or '\\'")},
};

// kModel (mirrors core/model/model_messages.h)
const Entry kModel[] = {
    {"model.load.no_model",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "no model given; name a catalog id such as deepseek-ai/DeepSeek-R1-Distill-Qwen-7B, a model folder, or a config.json")},
    {"model.load.cannot_read",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 cannot be read (%2); check the path")},
    {"model.load.too_large",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 is %2 bytes, far too large for a config.json; give the model folder or its config.json")},
    {"model.load.cannot_open",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 cannot be opened (%2); check its permissions")},
    {"model.load.no_config",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 has no config.json; give the folder a Hugging Face model was downloaded to (it holds config.json and *.safetensors)")},
    {"model.load.weights_file",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 is a weights file; give the model folder that holds it and config.json")},
    {"model.load.not_in_catalog",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "\"%1\" is not in the model catalog and no such path exists; known ids: %2 — or give the folder the model was downloaded to")},
    {"model.load.path_not_found",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "path \"%1\" not found; give an existing model folder or config.json, or a catalog id (%2)")},
    {"model.config.not_json",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1: not valid JSON (%2); the file is damaged or incomplete, download config.json again")},
    {"model.config.not_object",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1: expected a JSON object {...} at the top level, found %2")},
    {"model.config.unexpected",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1: unexpected content (%2)")},
    {"model.config.wrong_value",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1: %2 is %3; expected %4")},
    {"model.config.missing_field",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1: required field %2 is missing; %3 configs must set it (use the config.json published with the model)")},
    {"model.config.architectures",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1: architectures is %2; Slipway supports %3")},
    {"model.config.model_type",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1: model_type is \"%2\" and architectures is not set; Slipway supports %3")},
    {"model.config.no_architecture",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1: neither architectures nor model_type is set; add \"architectures\": [\"<class>\"] with one of %2")},
    {"model.config.rope_type",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1: %2 is missing; set it to \"default\", \"llama3\", \"yarn\", \"linear\" or \"dynamic\"")},
    {"model.config.high_freq_factor",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1: %2 (%3) must be larger than low_freq_factor (%4)")},
    {"model.config.experts_per_token",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1: num_experts_per_tok (%2) is larger than n_routed_experts (%3); a token cannot use more experts than exist")},
    {"model.config.quant_method",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1: quantization_config.quant_method is missing; set it to the checkpoint's method, e.g. \"fp8\"")},
    {"model.config.heads_kv_heads",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1: num_attention_heads (%2) is not a multiple of num_key_value_heads (%3); grouped-query attention needs whole groups")},
    {"model.config.hidden_heads",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1: hidden_size (%2) is not a multiple of num_attention_heads (%3); set head_dim")},
    {"model.value.string",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 (a string)")},
    {"model.value.boolean",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 (a boolean)")},
    {"model.value.list",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 (a list)")},
    {"model.value.object",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "%1 (an object)")},
    {"model.expect.bool",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "true or false")},
    {"model.expect.text",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "a text value in quotes")},
    {"model.expect.object",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "an object {...} or null")},
    {"model.expect.list",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "a list [...]")},
    {"model.expect.positive_integer",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "a positive whole number")},
    {"model.expect.positive_integer_unquoted",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "a positive whole number without quotes")},
    {"model.expect.non_negative_integer",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "a whole number >= 0")},
    {"model.expect.non_negative_integer_unquoted",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "a whole number >= 0 without quotes")},
    {"model.expect.positive_number",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "a positive number")},
    {"model.expect.positive_number_unquoted",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "a positive number without quotes")},
    {"model.expect.class_names",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "a list of class names such as [\"Qwen2ForCausalLM\"]")},
    {"model.expect.block_size",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "two positive whole numbers such as [128, 128]")},
};

// kLocal (mirrors core/local/local_messages.h)
const Entry kLocal[] = {
    {"local.launch.no_model",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "no model folder was chosen: pick a folder holding config.json")},
    {"local.launch.model_missing",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "model folder %1 does not exist or is not a folder")},
    {"local.launch.no_config",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "model folder %1 has no config.json; pick the folder of a Hugging Face model")},
    {"local.launch.device",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "device '%1': choose cpu or cuda")},
    {"local.launch.host",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "host is empty: use 127.0.0.1 to serve this machine only")},
    {"local.launch.port",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "port %1 is out of range: use 1-65535, or 0 for any free port")},
    {"local.launch.mem_fraction",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "memory fraction %1 is out of range: use a value above 0 and at most 1 (e.g. 0.85)")},
    {"local.launch.max_running",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "max running requests must be 0 (engine default) or more")},
    {"local.launch.context",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "context length must be 0 (the model's) or more")},
    {"local.launch.extra_argument",
     QT_TRANSLATE_NOOP("slipway::ui::CoreMessages", "extra argument %1 repeats a field of its own: set the model folder and port there instead")},
};

const QHash<QByteArray, const char *> &sources()
{
    static const QHash<QByteArray, const char *> map = [] {
        QHash<QByteArray, const char *> m;
        for (const Entry &e : kSizing)
            m.insert(QByteArray(e.code), e.source);
        for (const Entry &e : kDeploy)
            m.insert(QByteArray(e.code), e.source);
        for (const Entry &e : kModel)
            m.insert(QByteArray(e.code), e.source);
        for (const Entry &e : kLocal)
            m.insert(QByteArray(e.code), e.source);
        return m;
    }();
    return map;
}

QByteArray key(std::string_view code)
{
    return QByteArray(code.data(), qsizetype(code.size()));
}

// %1 … %9 replaced in one pass, as core's substituteArgs() does (an argument holding "%2" stays).
QString substitute(const QString &text, const QStringList &args)
{
    QString out;
    out.reserve(text.size() + 16 * args.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == QLatin1Char('%') && i + 1 < text.size() && text.at(i + 1) >= QLatin1Char('1') &&
            text.at(i + 1) <= QLatin1Char('9')) {
            const qsizetype n = text.at(i + 1).unicode() - u'1';
            if (n < args.size()) {
                out += args.at(n);
                ++i;
                continue;
            }
        }
        out += c;
    }
    return out;
}

} // namespace

QString CoreMessages::text(const Message &m)
{
    const char *source = m.code.empty() ? nullptr : sources().value(key(m.code), nullptr);
    if (!source)
        return QString::fromStdString(m.english);
    QStringList args;
    for (size_t i = 0; i < m.args.size(); ++i) {
        const bool nested = i < m.argMessages.size() && !m.argMessages[i].code.empty();
        args << (nested ? text(m.argMessages[i]) : QString::fromStdString(m.args[i]));
    }
    return substitute(QCoreApplication::translate("slipway::ui::CoreMessages", source), args);
}

QString CoreMessages::text(const std::vector<Message> &parts)
{
    QString out;
    for (const Message &m : parts)
        out += text(m);
    return out;
}

QString CoreMessages::text(const Error &error)
{
    return text(error.asMessage());
}

QStringList CoreMessages::texts(const std::vector<Message> &messages)
{
    QStringList out;
    for (const Message &m : messages)
        out << text(m);
    return out;
}

bool CoreMessages::knows(std::string_view code)
{
    return sources().contains(key(code));
}

QString CoreMessages::source(std::string_view code)
{
    const char *s = sources().value(key(code), nullptr);
    return s ? QString::fromUtf8(s) : QString();
}

std::vector<std::string_view> CoreMessages::codes()
{
    std::vector<std::string_view> out;
    for (const Entry &e : kSizing)
        out.emplace_back(e.code);
    for (const Entry &e : kDeploy)
        out.emplace_back(e.code);
    for (const Entry &e : kModel)
        out.emplace_back(e.code);
    for (const Entry &e : kLocal)
        out.emplace_back(e.code);
    return out;
}

} // namespace slipway::ui
