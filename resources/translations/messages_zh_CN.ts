<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>slipway::ui::CoreMessages</name>
    <message>
        <source>model &apos;%1&apos; has no layers, heads, hidden size or vocabulary: load it from a config.json</source>
        <translation>模型 &apos;%1&apos; 没有层数、注意力头、隐藏维度或词表：请从 config.json 加载</translation>
    </message>
    <message>
        <source>model &apos;%1&apos; has no KV heads or head dimension</source>
        <translation>模型 &apos;%1&apos; 没有 KV 头数或头维度</translation>
    </message>
    <message>
        <source>GPU memory must be positive: choose --gpu NAME or --gpu-memory GiB</source>
        <translation>GPU 显存必须为正数：请选择 --gpu 型号或填写 --gpu-memory（GiB）</translation>
    </message>
    <message>
        <source>GPUs per node must be at least 1 (--gpus-per-node)</source>
        <translation>每节点 GPU 数至少为 1（--gpus-per-node）</translation>
    </message>
    <message>
        <source>concurrency must be at least 1 sequence (--concurrency)</source>
        <translation>并发至少为 1 个序列（--concurrency）</translation>
    </message>
    <message>
        <source>context length must be positive (--context)</source>
        <translation>上下文长度必须为正数（--context）</translation>
    </message>
    <message>
        <source>the model states no max_position_embeddings: give the context length (--context)</source>
        <translation>模型未声明 max_position_embeddings：请给出上下文长度（--context）</translation>
    </message>
    <message>
        <source>--mem-fraction-static must be between 0 and 1 (SGLang&apos;s guide uses 0.93), not %1</source>
        <translation>--mem-fraction-static 必须在 0 与 1 之间（SGLang 指南使用 0.93），而不是 %1</translation>
    </message>
    <message>
        <source>--tp must be at least 1</source>
        <translation>--tp 至少为 1</translation>
    </message>
    <message>
        <source>TP must be at least 1</source>
        <translation>TP 至少为 1</translation>
    </message>
    <message>
        <source>TP %1 does not divide the %2 attention heads</source>
        <translation>TP %1 不能整除 %2 个注意力头</translation>
    </message>
    <message>
        <source>TP %1 and the %2 KV heads: one must be a multiple of the other</source>
        <translation>TP %1 与 %2 个 KV 头：其中一个必须是另一个的倍数</translation>
    </message>
    <message>
        <source>TP %1 does not divide the MLP width %2</source>
        <translation>TP %1 不能整除 MLP 宽度 %2</translation>
    </message>
    <message>
        <source>TP %1 does not divide the expert width %2</source>
        <translation>TP %1 不能整除专家宽度 %2</translation>
    </message>
    <message>
        <source>TP %1 leaves %2 rows of %3 per GPU, not whole 128 × 128 fp8 blocks</source>
        <translation>TP %1 使每个 GPU 上的 %3 剩 %2 行，不是完整的 128 × 128 fp8 块</translation>
    </message>
    <message>
        <source>TP %1 leaves %2 input columns of %3 per GPU, not whole 128 × 128 fp8 blocks</source>
        <translation>TP %1 使每个 GPU 上的 %3 剩 %2 个输入列，不是完整的 128 × 128 fp8 块</translation>
    </message>
    <message>
        <source>TP %1 leaves %2 input columns of %3 per GPU, not whole int4 groups of 128</source>
        <translation>TP %1 使每个 GPU 上的 %3 剩 %2 个输入列，不是完整的 int4 分组（每组 128）</translation>
    </message>
    <message>
        <source>weights %1 per GPU exceed the static %2 (%3 × memory)</source>
        <translation>每个 GPU 的权重 %1 超过静态份额 %2（%3 × 显存）</translation>
    </message>
    <message>
        <source>KV pool holds %1 tokens, the load needs %2</source>
        <translation>KV 池可容纳 %1 个 token，负载需要 %2 个</translation>
    </message>
    <message>
        <source>fits: KV pool holds %1 tokens</source>
        <translation>放得下：KV 池可容纳 %1 个 token</translation>
    </message>
    <message>
        <source>--tp %1: %2; valid TP sizes: %3</source>
        <translation>--tp %1：%2；可用的 TP：%3</translation>
    </message>
    <message>
        <source>--tp %1 over %2 GPUs per node: a multi-node TP must fill whole nodes (a multiple of %2)</source>
        <translation>--tp %1 跨每节点 %2 个 GPU：多节点 TP 必须占满整个节点（%2 的倍数）</translation>
    </message>
    <message>
        <source>no TP size up to %1 divides the model&apos;s heads and widths with %2 GPUs per node: change --gpus-per-node</source>
        <translation>在每节点 %2 个 GPU 下，不超过 %1 的 TP 都无法整除模型的注意力头和宽度：请修改 --gpus-per-node</translation>
    </message>
    <message>
        <source>%1 does not fit on %2 × %3: its weights (%4 per GPU at TP %5) exceed the static share %6 × %7 = %8; choose a GPU with more memory, a smaller --dtype (fp8, int4), --kv-dtype fp8, a shorter context or fewer concurrent sequences</source>
        <translation>%1 放不进 %2 × %3：其权重（TP %5 时每个 GPU %4）超过静态份额 %6 × %7 = %8；请选择显存更大的 GPU、更小的 --dtype（fp8、int4）、--kv-dtype fp8、更短的上下文或更少的并发序列</translation>
    </message>
    <message>
        <source>%1 does not fit on %2 × %3: its weights (%4 per GPU at TP %5) exceed the static share %6 × %7 = %8; choose a larger --tp, a GPU with more memory, a smaller --dtype (fp8, int4), --kv-dtype fp8, a shorter context or fewer concurrent sequences</source>
        <translation>%1 放不进 %2 × %3：其权重（TP %5 时每个 GPU %4）超过静态份额 %6 × %7 = %8；请选择更大的 --tp、显存更大的 GPU、更小的 --dtype（fp8、int4）、--kv-dtype fp8、更短的上下文或更少的并发序列</translation>
    </message>
    <message>
        <source>%1 does not fit on %2 × %3: the KV pool at TP %4 holds %5 tokens but context × concurrency needs %6; choose a GPU with more memory, a smaller --dtype (fp8, int4), --kv-dtype fp8, a shorter context or fewer concurrent sequences</source>
        <translation>%1 放不进 %2 × %3：TP %4 时 KV 池可容纳 %5 个 token，但上下文 × 并发需要 %6 个；请选择显存更大的 GPU、更小的 --dtype（fp8、int4）、--kv-dtype fp8、更短的上下文或更少的并发序列</translation>
    </message>
    <message>
        <source>%1 does not fit on %2 × %3: the KV pool at TP %4 holds %5 tokens but context × concurrency needs %6; choose a larger --tp, a GPU with more memory, a smaller --dtype (fp8, int4), --kv-dtype fp8, a shorter context or fewer concurrent sequences</source>
        <translation>%1 放不进 %2 × %3：TP %4 时 KV 池可容纳 %5 个 token，但上下文 × 并发需要 %6 个；请选择更大的 --tp、显存更大的 GPU、更小的 --dtype（fp8、int4）、--kv-dtype fp8、更短的上下文或更少的并发序列</translation>
    </message>
    <message>
        <source>the reserve outside --mem-fraction-static, %1, is below the estimated %2 for activations, logits, CUDA graphs and the CUDA context: lower --mem-fraction-static to %3 or less, or lower --chunked-prefill-size</source>
        <translation>--mem-fraction-static 之外的预留 %1 低于激活、logits、CUDA 图和 CUDA 上下文估计所需的 %2：请将 --mem-fraction-static 降到 %3 或更低，或调低 --chunked-prefill-size</translation>
    </message>
    <message>
        <source>%1 (%2) has no FP8 tensor cores: FP8 weights run through slower weight-only kernels or not at all; choose --dtype bf16 or int4</source>
        <translation>%1（%2）没有 FP8 张量核心：FP8 权重只能走较慢的仅权重量化内核，甚至无法运行；请选择 --dtype bf16 或 int4</translation>
    </message>
    <message>
        <source>%1 has no FP8 support: an fp8 KV cache is converted on every read; prefer --kv-dtype auto</source>
        <translation>%1 不支持 FP8：fp8 KV 缓存每次读取都要转换；建议 --kv-dtype auto</translation>
    </message>
    <message>
        <source>%1 uses MLA, whose fast SGLang kernels (FlashMLA, FA3) need Hopper; on %2 (%3) it falls back to slower Triton/FlashInfer MLA</source>
        <translation>%1 使用 MLA，其快速 SGLang 内核（FlashMLA、FA3）需要 Hopper；在 %2（%3）上会退回较慢的 Triton/FlashInfer MLA</translation>
    </message>
    <message>
        <source>int4 needs a pre-quantised checkpoint (AWQ or GPTQ, group size 128): SGLang does not quantise to int4 at load; point --model at such a checkpoint (the volume is sized for it)</source>
        <translation>int4 需要预先量化的检查点（AWQ 或 GPTQ，分组大小 128）：SGLang 不会在加载时量化为 int4；请让 --model 指向这样的检查点（卷按其大小计算）</translation>
    </message>
    <message>
        <source>fp8 from a %1 checkpoint: SGLang quantises at load with --quantization fp8; the volume and host memory hold the %1 files</source>
        <translation>从 %1 检查点得到 fp8：SGLang 在加载时用 --quantization fp8 量化；卷和主机内存中存放的是 %1 文件</translation>
    </message>
    <message>
        <source>the published checkpoint is FP8; %1 needs a converted checkpoint (the volume is sized for it) and twice the GPU memory</source>
        <translation>发布的检查点是 FP8；%1 需要转换后的检查点（卷按其大小计算），并需要两倍的 GPU 显存</translation>
    </message>
    <message>
        <source>the model was trained in bf16; fp16&apos;s narrower range can overflow activations — prefer --dtype bf16 (same memory)</source>
        <translation>该模型以 bf16 训练；fp16 的数值范围更窄，激活可能溢出——建议 --dtype bf16（显存相同）</translation>
    </message>
    <message>
        <source>context %1 exceeds the model&apos;s %2 positions: SGLang refuses a longer --context-length</source>
        <translation>上下文 %1 超过模型的 %2 个位置：SGLang 会拒绝更长的 --context-length</translation>
    </message>
    <message>
        <source>TP %1 exceeds the %2 KV heads: each GPU keeps a whole KV head, so the KV cache per GPU stops shrinking beyond TP %2</source>
        <translation>TP %1 超过 %2 个 KV 头：每个 GPU 保留一个完整的 KV 头，因此 TP 超过 %2 后每个 GPU 的 KV 缓存不再减少</translation>
    </message>
    <message>
        <source>TP %1 spans %2 nodes: every layer all-reduces across the network; use RDMA (InfiniBand or RoCE) between the GPU nodes</source>
        <translation>TP %1 跨越 %2 个节点：每一层都要跨网络做 all-reduce；GPU 节点之间请使用 RDMA（InfiniBand 或 RoCE）</translation>
    </message>
    <message>
        <source>the GPU&apos;s memory bandwidth is unknown: no decode ceiling</source>
        <translation>GPU 显存带宽未知：无法给出解码上限</translation>
    </message>
    <message>
        <source>the safetensors hold %1 but config.json&apos;s shapes give %2: GPU figures follow the shapes, the volume the files</source>
        <translation>safetensors 文件共 %1，但 config.json 的形状算出 %2：GPU 数字按形状计算，卷按文件计算</translation>
    </message>
    <message>
        <source>%1 sequence</source>
        <translation>%1 个序列</translation>
    </message>
    <message>
        <source>%1 sequences</source>
        <translation>%1 个序列</translation>
    </message>
    <message>
        <source>%1 linear-layer params × 1 B (fp8 e4m3)</source>
        <translation>%1 个线性层参数 × 1 B（fp8 e4m3）</translation>
    </message>
    <message>
        <source>%1 block scales (one per 128 × 128) × 4 B (fp32)</source>
        <translation>%1 个块缩放因子（每 128 × 128 一个）× 4 B（fp32）</translation>
    </message>
    <message>
        <source>%1 linear-layer params × 0.5 B (int4)</source>
        <translation>%1 个线性层参数 × 0.5 B（int4）</translation>
    </message>
    <message>
        <source>%1 group scales (one per 128 inputs) × 2 B (bf16)</source>
        <translation>%1 个分组缩放因子（每 128 个输入一个）× 2 B（bf16）</translation>
    </message>
    <message>
        <source>%1 params × 2 B (embeddings, head, norms, biases, router in bf16)</source>
        <translation>%1 个参数 × 2 B（嵌入、输出头、归一化、偏置、路由器，bf16）</translation>
    </message>
    <message>
        <source>%1 params × 2 B (%2)</source>
        <translation>%1 个参数 × 2 B（%2）</translation>
    </message>
    <message>
        <source>%1 params × 4 B (fp32 router bias)</source>
        <translation>%1 个参数 × 4 B（fp32 路由偏置）</translation>
    </message>
    <message>
        <source>embed_tokens (tied head) %1 + %2 decoder layers %3 + final norm %4 = %5 params</source>
        <translation>embed_tokens（与输出头共享）%1 + %2 个解码层 %3 + 最终归一化 %4 = %5 个参数</translation>
    </message>
    <message>
        <source>embed_tokens + lm_head %1 + %2 decoder layers %3 + final norm %4 = %5 params</source>
        <translation>embed_tokens + lm_head %1 + %2 个解码层 %3 + 最终归一化 %4 = %5 个参数</translation>
    </message>
    <message>
        <source> (the %1 MTP layer(s) are not loaded without speculative decoding)</source>
        <translation>（不使用推测解码时，%1 个 MTP 层不会加载）</translation>
    </message>
    <message>
        <source>%1 − embedding rows not read %2 = %3 params</source>
        <translation>%1 − 未读取的嵌入行 %2 = %3 个参数</translation>
    </message>
    <message>
        <source>%1 − embedding rows not read %2 − idle routed experts (%3 of %4 per MoE layer) %5 = %6 params</source>
        <translation>%1 − 未读取的嵌入行 %2 − 空闲的路由专家（每个 MoE 层 %4 个中的 %3 个）%5 = %6 个参数</translation>
    </message>
    <message>
        <source>MLA, one latent per layer: %1 layers × (kv_lora %2 + qk_rope %3) × %4 B (%5) = %6</source>
        <translation>MLA，每层一个潜向量：%1 层 × (kv_lora %2 + qk_rope %3) × %4 B（%5）= %6</translation>
    </message>
    <message>
        <source>2 (K and V) × %1 layers × %2 KV heads × %3 head dim × %4 B (%5) = %6</source>
        <translation>2（K 和 V）× %1 层 × %2 个 KV 头 × %3 头维度 × %4 B（%5）= %6</translation>
    </message>
    <message>
        <source>TP 1: the whole model on one GPU = %1</source>
        <translation>TP 1：整个模型放在一个 GPU 上 = %1</translation>
    </message>
    <message>
        <source>TP %1: column/row-parallel shards (1/%1 each) %2 + vocab-parallel embed_tokens/lm_head (⌈%3 ÷ %1⌉ rows) %4 + replicated (norms</source>
        <translation>TP %1：列/行并行分片（各 1/%1）%2 + 词表并行的 embed_tokens/lm_head（⌈%3 ÷ %1⌉ 行）%4 + 复制的部分（归一化</translation>
    </message>
    <message>
        <source>, router</source>
        <translation>、路由器</translation>
    </message>
    <message>
        <source>, MLA q_a/kv_a projections</source>
        <translation>、MLA q_a/kv_a 投影</translation>
    </message>
    <message>
        <source>the MLA latent is replicated, not split, across the %1 TP rank(s): %2</source>
        <translation>MLA 潜向量在 %1 个 TP rank 之间复制而不切分：%2</translation>
    </message>
    <message>
        <source>2 × %1 layers × ⌈%2 KV heads ÷ TP %3⌉ = %4 × %5 × %6 B = %7</source>
        <translation>2 × %1 层 × ⌈%2 个 KV 头 ÷ TP %3⌉ = %4 × %5 × %6 B = %7</translation>
    </message>
    <message>
        <source>2 × %1 layers × ⌈%2 KV heads ÷ TP %3⌉ = %4 (replicated) × %5 × %6 B = %7</source>
        <translation>2 × %1 层 × ⌈%2 个 KV 头 ÷ TP %3⌉ = %4（复制）× %5 × %6 B = %7</translation>
    </message>
    <message>
        <source>SGLang&apos;s default for %1 MiB at TP %2: round((%1 − %3 × 1,024) ÷ %1, 3) = %4 (reserve %5 GiB)</source>
        <translation>SGLang 对 %1 MiB、TP %2 的默认值：round((%1 − %3 × 1,024) ÷ %1, 3) = %4（预留 %5 GiB）</translation>
    </message>
    <message>
        <source>--mem-fraction-static %1 (given)</source>
        <translation>--mem-fraction-static %1（给定）</translation>
    </message>
    <message>
        <source>%1 − %2 = %3, outside the static share: activations, logits, CUDA graphs, CUDA context, NCCL</source>
        <translation>%1 − %2 = %3，位于静态份额之外：激活、logits、CUDA 图、CUDA 上下文、NCCL</translation>
    </message>
    <message>
        <source>1 GiB (CUDA context, cuBLAS, NCCL, graph pools) + %1 prefill tokens × (2 × %2 hidden + 3 × %3 MLP width per GPU) × 2 B + </source>
        <translation>1 GiB（CUDA 上下文、cuBLAS、NCCL、图内存池）+ %1 个预填充 token × (2 × %2 隐藏维度 + 3 × %3 每 GPU 的 MLP 宽度) × 2 B + </translation>
    </message>
    <message>
        <source> × %1 vocab × 4 B (fp32 logits) = %2</source>
        <translation> × %1 词表 × 4 B（fp32 logits）= %2</translation>
    </message>
    <message>
        <source>%1 static − %2 weights = %3</source>
        <translation>%1 静态份额 − %2 权重 = %3</translation>
    </message>
    <message>
        <source> (no room: the weights alone exceed the static share)</source>
        <translation>（没有空间：仅权重就超过了静态份额）</translation>
    </message>
    <message>
        <source>⌊%1 ÷ %2 per token⌋ = %3 tokens</source>
        <translation>⌊%1 ÷ 每 token %2⌋ = %3 个 token</translation>
    </message>
    <message>
        <source>0: the pool is empty</source>
        <translation>0：KV 池为空</translation>
    </message>
    <message>
        <source>%1 context × </source>
        <translation>%1 上下文 × </translation>
    </message>
    <message>
        <source> = %1 tokens ≤ capacity: fits</source>
        <translation> = %1 个 token ≤ 容量：放得下</translation>
    </message>
    <message>
        <source> = %1 tokens &gt; capacity: does not fit</source>
        <translation> = %1 个 token &gt; 容量：放不下</translation>
    </message>
    <message>
        <source>%1 tokens × %2 = %3</source>
        <translation>%1 个 token × %2 = %3</translation>
    </message>
    <message>
        <source>--tp %1 (given)</source>
        <translation>--tp %1（给定）</translation>
    </message>
    <message>
        <source>smallest TP that divides the %1 heads and the MLP widths, up to %2 GPUs per node then whole nodes, and fits — </source>
        <translation>能整除 %1 个注意力头和 MLP 宽度、先在每节点 %2 个 GPU 以内再按整节点增加、并且放得下的最小 TP——</translation>
    </message>
    <message>
        <source>smallest TP that divides the %1 heads and %2 KV heads and the MLP widths, up to %3 GPUs per node then whole nodes, and fits — </source>
        <translation>能整除 %1 个注意力头、%2 个 KV 头和 MLP 宽度、先在每节点 %3 个 GPU 以内再按整节点增加、并且放得下的最小 TP——</translation>
    </message>
    <message>
        <source> — none fits; the largest valid TP is shown</source>
        <translation>——都放不下；显示最大的可用 TP</translation>
    </message>
    <message>
        <source>TP %1 ≤ %2 GPUs per node: 1 node</source>
        <translation>TP %1 ≤ 每节点 %2 个 GPU：1 个节点</translation>
    </message>
    <message>
        <source>⌈TP %1 ÷ %2 GPUs per node⌉ = %3 nodes (--nnodes)</source>
        <translation>⌈TP %1 ÷ 每节点 %2 个 GPU⌉ = %3 个节点（--nnodes）</translation>
    </message>
    <message>
        <source>min(TP %1, %2 GPUs per node) = %3 (nvidia.com/gpu)</source>
        <translation>min(TP %1, 每节点 %2 个 GPU) = %3（nvidia.com/gpu）</translation>
    </message>
    <message>
        <source>%1 (tokenizer, detokenizer, HTTP) + %2 × %3 GPU (one scheduler process per TP rank, and loader threads) = %4 cores</source>
        <translation>%1（分词器、反分词器、HTTP）+ %2 × %3 个 GPU（每个 TP rank 一个调度进程，以及加载线程）= %4 核</translation>
    </message>
    <message>
        <source>%1 (tokenizer, detokenizer, HTTP) + %2 × %3 GPUs (one scheduler process per TP rank, and loader threads) = %4 cores</source>
        <translation>%1（分词器、反分词器、HTTP）+ %2 × %3 个 GPU（每个 TP rank 一个调度进程，以及加载线程）= %4 核</translation>
    </message>
    <message>
        <source>4 GiB × %1 GPU = %2 (memory emptyDir: NCCL&apos;s shared-memory transport and PyTorch IPC between ranks; SGLang&apos;s examples give 32 GB for 8 GPUs)</source>
        <translation>4 GiB × %1 个 GPU = %2（内存型 emptyDir：NCCL 的共享内存传输和 rank 之间的 PyTorch IPC；SGLang 的示例为 8 个 GPU 配 32 GB）</translation>
    </message>
    <message>
        <source>4 GiB × %1 GPUs = %2 (memory emptyDir: NCCL&apos;s shared-memory transport and PyTorch IPC between ranks; SGLang&apos;s examples give 32 GB for 8 GPUs)</source>
        <translation>4 GiB × %1 个 GPU = %2（内存型 emptyDir：NCCL 的共享内存传输和 rank 之间的 PyTorch IPC；SGLang 的示例为 8 个 GPU 配 32 GB）</translation>
    </message>
    <message>
        <source>⌈(pod&apos;s weights %1 (%2, %3 GPU) × 1.10 + 8 GiB runtime + 2 GiB × %3 GPU + /dev/shm %4) ÷ GiB⌉ = %5 GiB = %6 (loading streams the weights through host memory; a memory /dev/shm counts against the pod&apos;s limit)</source>
        <translation>⌈(Pod 的权重 %1（%2，%3 个 GPU）× 1.10 + 8 GiB 运行时 + 2 GiB × %3 个 GPU + /dev/shm %4) ÷ GiB⌉ = %5 GiB = %6（加载时权重流经主机内存；内存型 /dev/shm 计入 Pod 的内存上限）</translation>
    </message>
    <message>
        <source>⌈(pod&apos;s weights %1 (%2, %3 GPUs) × 1.10 + 8 GiB runtime + 2 GiB × %3 GPUs + /dev/shm %4) ÷ GiB⌉ = %5 GiB = %6 (loading streams the weights through host memory; a memory /dev/shm counts against the pod&apos;s limit)</source>
        <translation>⌈(Pod 的权重 %1（%2，%3 个 GPU）× 1.10 + 8 GiB 运行时 + 2 GiB × %3 个 GPU + /dev/shm %4) ÷ GiB⌉ = %5 GiB = %6（加载时权重流经主机内存；内存型 /dev/shm 计入 Pod 的内存上限）</translation>
    </message>
    <message>
        <source>safetensors headers: %1 in %2 file(s)</source>
        <translation>safetensors 文件头：%1，共 %2 个文件</translation>
    </message>
    <message>
        <source>%1 checkpoint</source>
        <translation>%1 检查点</translation>
    </message>
    <message>
        <source> with %1 MTP layer(s)</source>
        <translation>（含 %1 个 MTP 层）</translation>
    </message>
    <message>
        <source>⌈%1 × 1.15 ÷ GiB⌉ = %2 GiB = %3 (tokenizer and configs, filesystem overhead, room to re-download)</source>
        <translation>⌈%1 × 1.15 ÷ GiB⌉ = %2 GiB = %3（分词器和配置文件、文件系统开销、重新下载的余量）</translation>
    </message>
    <message>
        <source>weights read %1 (all but the embedding table</source>
        <translation>读取权重 %1（嵌入表之外的全部</translation>
    </message>
    <message>
        <source>, %1 of %2 routed experts</source>
        <translation>，%2 个路由专家中的 %1 个</translation>
    </message>
    <message>
        <source>, one embedding row) + %1 tokens × %2 KV = %3</source>
        <translation>，嵌入表一行）+ %1 个 token × %2 KV = %3</translation>
    </message>
    <message>
        <source>unknown: the GPU&apos;s memory bandwidth is not known</source>
        <translation>未知：GPU 显存带宽未知</translation>
    </message>
    <message>
        <source>%1 ÷ %2 = %3 tokens/s — a ceiling at full context: every step reads the weights and the KV once; real servers reach about 50–88 % of it</source>
        <translation>%1 ÷ %2 = %3 token/s——满上下文时的上限：每一步读取一次权重和 KV；实际服务器约能达到其 50–88 %</translation>
    </message>
    <message>
        <source> × %1 ÷ (weights read %2</source>
        <translation> × %1 ÷ (读取权重 %2</translation>
    </message>
    <message>
        <source> (experts touched: E × (1 − (1 − k/E)^%1), uniform routing)</source>
        <translation>（被访问的专家：E × (1 − (1 − k/E)^%1)，均匀路由）</translation>
    </message>
    <message>
        <source> + %1 × %2 KV) = %3 tokens/s — a ceiling at full context</source>
        <translation> + %1 × %2 KV) = %3 token/s——满上下文时的上限</translation>
    </message>
    <message>
        <source>--nodes %1 needs --mode lws: a Deployment or InferenceService runs each replica in one pod on one node</source>
        <translation>--nodes %1 需要 --mode lws：Deployment 或 InferenceService 的每个副本只在一个节点的一个 Pod 中运行</translation>
    </message>
    <message>
        <source>--nodes %1 × --gpus-per-node %2 = %3 GPUs, but --tp is %4: each GPU holds one tensor-parallel rank, so make them equal</source>
        <translation>--nodes %1 × --gpus-per-node %2 = %3 个 GPU，但 --tp 为 %4：每个 GPU 承载一个张量并行 rank，请使两者相等</translation>
    </message>
    <message>
        <source>--tp %1 cannot be split evenly over --nodes %2: choose a TP that is a multiple of the node count</source>
        <translation>--tp %1 无法平均分配到 --nodes %2 个节点：请选择节点数倍数的 TP</translation>
    </message>
    <message>
        <source>%1 must be between %2 and %3, not %4</source>
        <translation>%1 必须在 %2 与 %3 之间，而不是 %4</translation>
    </message>
    <message>
        <source>%1 must be a size such as 500Gi or 200G, not &apos;%2&apos;</source>
        <translation>%1 必须是 500Gi 或 200G 这样的容量，而不是 &apos;%2&apos;</translation>
    </message>
    <message>
        <source>--model is required: a catalog id such as deepseek-ai/DeepSeek-R1-Distill-Qwen-7B, a model folder, or a config.json (slipway-cli models lists the catalog)</source>
        <translation>需要 --model：目录中的 ID（如 deepseek-ai/DeepSeek-R1-Distill-Qwen-7B）、模型文件夹或 config.json（slipway-cli models 列出目录）</translation>
    </message>
    <message>
        <source>--gpu: %1</source>
        <translation>--gpu：%1</translation>
    </message>
    <message>
        <source>%1 needs %2 GPUs over %3 nodes of %4: use --mode lws, or more GPUs per node</source>
        <translation>%1 需要 %2 个 GPU，分布在 %3 个节点上（每节点 %4 个）：请使用 --mode lws，或每节点更多 GPU</translation>
    </message>
    <message>
        <source>--pvc-size %1 is smaller than the model&apos;s files (%2): give at least %3</source>
        <translation>--pvc-size %1 小于模型文件（%2）：至少给 %3</translation>
    </message>
    <message>
        <source>name %1 is not a valid name: use lower-case letters, digits and &apos;-&apos;, starting with a letter and ending with a letter or digit (DNS-1035, as Services, LeaderWorkerSets and InferenceServices require), e.g. &apos;deepseek-r1-7b&apos;</source>
        <translation>名称 %1 无效：只能使用小写字母、数字和 &apos;-&apos;，以字母开头，以字母或数字结尾（DNS-1035，Service、LeaderWorkerSet 和 InferenceService 都要求如此），例如 &apos;deepseek-r1-7b&apos;</translation>
    </message>
    <message>
        <source>name %1 is %2 characters long: use at most %3 (object names get suffixes such as &apos;-scc-privileged&apos; and &apos;-predictor&apos;, and must stay within 63 characters)</source>
        <translation>名称 %1 长 %2 个字符：最多 %3 个（对象名称会加上 &apos;-scc-privileged&apos;、&apos;-predictor&apos; 等后缀，且必须在 63 个字符以内）</translation>
    </message>
    <message>
        <source>namespace %1 is not a valid namespace: use at most 63 lower-case letters, digits and &apos;-&apos;, starting and ending with a letter or digit (DNS-1123 label)</source>
        <translation>命名空间 %1 无效：最多 63 个小写字母、数字和 &apos;-&apos;，以字母或数字开头和结尾（DNS-1123 标签）</translation>
    </message>
    <message>
        <source>the Route host OpenShift would generate, %1, is longer than 63 characters: shorten the name or the namespace, or set the route host</source>
        <translation>OpenShift 将生成的 Route 主机名 %1 超过 63 个字符：请缩短名称或命名空间，或设置 Route 主机名</translation>
    </message>
    <message>
        <source>%1 %2 is not a valid name: use lower-case letters, digits, &apos;-&apos; and &apos;.&apos; (DNS-1123 subdomain)</source>
        <translation>%1 %2 无效：只能使用小写字母、数字、&apos;-&apos; 和 &apos;.&apos;（DNS-1123 子域名）</translation>
    </message>
    <message>
        <source>route host</source>
        <translation>Route 主机名</translation>
    </message>
    <message>
        <source>ingress host</source>
        <translation>Ingress 主机名</translation>
    </message>
    <message>
        <source>ingress class</source>
        <translation>Ingress 类</translation>
    </message>
    <message>
        <source>storage class</source>
        <translation>存储类</translation>
    </message>
    <message>
        <source>image pull secret</source>
        <translation>镜像拉取 Secret</translation>
    </message>
    <message>
        <source>S3 secret</source>
        <translation>S3 凭据 Secret</translation>
    </message>
    <message>
        <source>Hugging Face token secret</source>
        <translation>Hugging Face 令牌 Secret</translation>
    </message>
    <message>
        <source>tp is %1: tensor parallelism must be at least 1</source>
        <translation>tp 为 %1：张量并行至少为 1</translation>
    </message>
    <message>
        <source>gpus per node is %1: each pod needs at least 1 GPU</source>
        <translation>每节点 GPU 数为 %1：每个 Pod 至少需要 1 个 GPU</translation>
    </message>
    <message>
        <source>nodes is %1: use at least 1</source>
        <translation>节点数为 %1：至少为 1</translation>
    </message>
    <message>
        <source>replicas is %1: use at least 1</source>
        <translation>副本数为 %1：至少为 1</translation>
    </message>
    <message>
        <source>mode %1 runs one pod per replica, but nodes is %2: use mode lws for a model spread over several nodes, or set nodes to 1</source>
        <translation>模式 %1 每个副本一个 Pod，但节点数为 %2：跨多个节点的模型请使用 lws 模式，或将节点数设为 1</translation>
    </message>
    <message>
        <source>mode lws with nodes 1 is a single pod: use mode deployment, or set nodes to 2 or more</source>
        <translation>节点数为 1 的 lws 模式只有一个 Pod：请使用 deployment 模式，或将节点数设为 2 或更多</translation>
    </message>
    <message>
        <source>tp %1 must equal nodes x GPUs per node (%2 x %3 = %4): each GPU holds one tensor-parallel rank; change tp, nodes or GPUs per node</source>
        <translation>tp %1 必须等于节点数 × 每节点 GPU 数（%2 x %3 = %4）：每个 GPU 承载一个张量并行 rank；请修改 tp、节点数或每节点 GPU 数</translation>
    </message>
    <message>
        <source>GPU resource name %1 is not valid: use e.g. &apos;nvidia.com/gpu&apos;</source>
        <translation>GPU 资源名 %1 无效：例如 &apos;nvidia.com/gpu&apos;</translation>
    </message>
    <message>
        <source>RDMA resource name %1 is not valid: use e.g. &apos;rdma/rdma_shared_device_a&apos;</source>
        <translation>RDMA 资源名 %1 无效：例如 &apos;rdma/rdma_shared_device_a&apos;</translation>
    </message>
    <message>
        <source>port %1 is out of range: use 1-65535 (the guide uses 40000)</source>
        <translation>端口 %1 超出范围：请使用 1-65535（指南使用 40000）</translation>
    </message>
    <message>
        <source>rendezvous port %1 is out of range: use 1-65535 (the guide uses 20000)</source>
        <translation>汇合端口 %1 超出范围：请使用 1-65535（指南使用 20000）</translation>
    </message>
    <message>
        <source>the rendezvous port and the HTTP port are both %1: give them different values</source>
        <translation>汇合端口和 HTTP 端口都是 %1：请使用不同的值</translation>
    </message>
    <message>
        <source>port %1 is privileged and a restricted (non-root) server cannot bind it: use a port of 1024 or more, e.g. 40000</source>
        <translation>端口 %1 是特权端口，受限（非 root）服务器无法绑定：请使用 1024 或更大的端口，例如 40000</translation>
    </message>
    <message>
        <source>mem fraction %1 must be between 0 and 1 (the guide uses 0.93)</source>
        <translation>显存比例 %1 必须在 0 与 1 之间（指南使用 0.93）</translation>
    </message>
    <message>
        <source>%1 is %2: use at least 1, or leave it unset</source>
        <translation>%1 为 %2：至少为 1，或不设置</translation>
    </message>
    <message>
        <source>torch compile max batch size</source>
        <translation>torch compile 最大批大小</translation>
    </message>
    <message>
        <source>max running requests</source>
        <translation>最大并行请求数</translation>
    </message>
    <message>
        <source>CUDA graph max batch size</source>
        <translation>CUDA 图最大批大小</translation>
    </message>
    <message>
        <source>context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <source>served model name %1 contains blanks: remove them</source>
        <translation>服务模型名称 %1 含有空白：请删除</translation>
    </message>
    <message>
        <source>extra argument %1 repeats a flag Slipway sets from the plan: remove it and set the plan&apos;s field instead</source>
        <translation>额外参数 %1 重复了 Slipway 根据计划设置的参数：请删除它，改为设置计划中的对应字段</translation>
    </message>
    <message>
        <source>startup timeout %1 s is too short to load a model: use at least 60 s (30 minutes suits large models)</source>
        <translation>启动超时 %1 秒太短，不足以加载模型：至少 60 秒（大模型适合 30 分钟）</translation>
    </message>
    <message>
        <source>NCCL socket interface %1 contains blanks: name the interface, e.g. &apos;eth0&apos;</source>
        <translation>NCCL 套接字网卡 %1 含有空白：请写网卡名，例如 &apos;eth0&apos;</translation>
    </message>
    <message>
        <source>NCCL_IB_GID_INDEX %1 is negative: use e.g. 3, or leave it unset</source>
        <translation>NCCL_IB_GID_INDEX %1 为负数：例如使用 3，或不设置</translation>
    </message>
    <message>
        <source>CPU request must be positive: give the pod at least 1 CPU (1000m)</source>
        <translation>CPU 请求必须为正数：至少给 Pod 1 个 CPU（1000m）</translation>
    </message>
    <message>
        <source>CPU limit %1 is below the request %2: raise the limit, or set 0 for no limit</source>
        <translation>CPU 上限 %1 低于请求 %2：请提高上限，或设为 0 表示不限制</translation>
    </message>
    <message>
        <source>memory request and limit must be positive: size them to hold the weights while loading</source>
        <translation>内存请求和上限必须为正数：应能容纳加载时的权重</translation>
    </message>
    <message>
        <source>memory limit %1 is below the request %2: raise the limit</source>
        <translation>内存上限 %1 低于请求 %2：请提高上限</translation>
    </message>
    <message>
        <source>/dev/shm size must be positive: NCCL and SGLang need a memory-backed /dev/shm (e.g. 16Gi)</source>
        <translation>/dev/shm 大小必须为正数：NCCL 和 SGLang 需要内存型 /dev/shm（例如 16Gi）</translation>
    </message>
    <message>
        <source>/dev/shm (%1) is counted against the memory limit (%2) and must stay well below it: raise the memory limit or shrink /dev/shm</source>
        <translation>/dev/shm（%1）计入内存上限（%2），必须明显低于它：请提高内存上限或缩小 /dev/shm</translation>
    </message>
    <message>
        <source>%1 %2 is not an image reference: use e.g. &apos;lmsysorg/sglang:latest&apos;</source>
        <translation>%1 %2 不是镜像引用：例如 &apos;lmsysorg/sglang:latest&apos;</translation>
    </message>
    <message>
        <source>server image</source>
        <translation>服务器镜像</translation>
    </message>
    <message>
        <source>loader image</source>
        <translation>加载器镜像</translation>
    </message>
    <message>
        <source>download image %1 is not an image reference: use e.g. &apos;docker.io/library/python:3.12-slim&apos;</source>
        <translation>下载镜像 %1 不是镜像引用：例如 &apos;docker.io/library/python:3.12-slim&apos;</translation>
    </message>
    <message>
        <source>S3 sync image %1 is not an image reference: use e.g. &apos;docker.io/amazon/aws-cli:latest&apos;</source>
        <translation>S3 同步镜像 %1 不是镜像引用：例如 &apos;docker.io/amazon/aws-cli:latest&apos;</translation>
    </message>
    <message>
        <source>storage s3 needs the S3 endpoint: give its URL, e.g. http://minio.minio.svc:9000</source>
        <translation>s3 存储需要 S3 端点：请给出其 URL，例如 http://minio.minio.svc:9000</translation>
    </message>
    <message>
        <source>S3 endpoint %1 must be a URL starting with http:// or https://</source>
        <translation>S3 端点 %1 必须是以 http:// 或 https:// 开头的 URL</translation>
    </message>
    <message>
        <source>storage s3 needs the S3 bucket that holds the model: give the bucket name</source>
        <translation>s3 存储需要存放模型的 S3 存储桶：请给出存储桶名称</translation>
    </message>
    <message>
        <source>S3 bucket %1 is not a valid bucket name: use 3-63 lower-case letters, digits, &apos;.&apos; and &apos;-&apos;</source>
        <translation>S3 存储桶 %1 名称无效：请使用 3-63 个小写字母、数字、&apos;.&apos; 和 &apos;-&apos;</translation>
    </message>
    <message>
        <source>S3 path %1 is not a valid key prefix: use e.g. &apos;models/DeepSeek-R1-Distill-Qwen-7B&apos; (no &apos;..&apos;, no blanks)</source>
        <translation>S3 路径 %1 不是有效的键前缀：例如 &apos;models/DeepSeek-R1-Distill-Qwen-7B&apos;（不含 &apos;..&apos;，不含空白）</translation>
    </message>
    <message>
        <source>S3 credentials are given twice: give either the access keys or an existing Secret, not both</source>
        <translation>S3 凭据重复给出：请给出访问密钥或已有的 Secret，二者选一</translation>
    </message>
    <message>
        <source>S3 credentials are incomplete: give both the access key id and the secret access key</source>
        <translation>S3 凭据不完整：请同时给出访问密钥 ID 和秘密访问密钥</translation>
    </message>
    <message>
        <source>storage s3 needs credentials: give the access key id and secret access key, or the name of a Secret holding AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY</source>
        <translation>s3 存储需要凭据：请给出访问密钥 ID 和秘密访问密钥，或一个含 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY 的 Secret 名称</translation>
    </message>
    <message>
        <source>storage image needs the model&apos;s absolute path inside the image, e.g. /models/DeepSeek-R1-Distill-Qwen-7B</source>
        <translation>image 存储需要模型在镜像内的绝对路径，例如 /models/DeepSeek-R1-Distill-Qwen-7B</translation>
    </message>
    <message>
        <source>the model volume size must be positive: give room for the weights, e.g. 100Gi for a 32B model in bf16</source>
        <translation>模型卷大小必须为正数：请为权重留出空间，例如 bf16 的 32B 模型用 100Gi</translation>
    </message>
    <message>
        <source>model mount path %1 must be an absolute directory such as /models (not /, not under /dev)</source>
        <translation>模型挂载路径 %1 必须是 /models 这样的绝对目录（不能是 /，也不能在 /dev 下）</translation>
    </message>
    <message>
        <source>model folder %1 must be a relative path inside the volume, e.g. &apos;DeepSeek-R1-Distill-Qwen-7B&apos; (no &apos;/&apos; at the start, no &apos;..&apos;)</source>
        <translation>模型文件夹 %1 必须是卷内的相对路径，例如 &apos;DeepSeek-R1-Distill-Qwen-7B&apos;（不以 &apos;/&apos; 开头，不含 &apos;..&apos;）</translation>
    </message>
    <message>
        <source>storage download needs a Hugging Face model id of the form owner/name, e.g. deepseek-ai/DeepSeek-R1-Distill-Qwen-7B (got %1)</source>
        <translation>download 存储需要 owner/name 形式的 Hugging Face 模型 ID，例如 deepseek-ai/DeepSeek-R1-Distill-Qwen-7B（实际为 %1）</translation>
    </message>
    <message>
        <source>download endpoint %1 must be a URL such as https://huggingface.co or https://hf-mirror.com</source>
        <translation>下载端点 %1 必须是 https://huggingface.co 或 https://hf-mirror.com 这样的 URL</translation>
    </message>
    <message>
        <source>download revision %1 is not valid: use a branch, tag or commit, e.g. main</source>
        <translation>下载版本 %1 无效：请使用分支、标签或提交，例如 main</translation>
    </message>
    <message>
        <source>replicas %1 share one ReadWriteOnce PVC, which pods on other nodes cannot mount: use --rwx (ReadWriteMany storage) or 1 replica</source>
        <translation>%1 个副本共用一个 ReadWriteOnce PVC，其他节点上的 Pod 无法挂载：请使用 --rwx（ReadWriteMany 存储）或 1 个副本</translation>
    </message>
    <message>
        <source>lws with %1 nodes and a ReadWriteOnce PVC cannot work: all workers share one template and so one claim, which only one node can mount; use --rwx (ReadWriteMany storage), or storage download or s3 (each pod fills its own volume)</source>
        <translation>%1 个节点的 lws 配合 ReadWriteOnce PVC 无法工作：所有 worker 共用一个模板，也就共用一个卷声明，而它只能被一个节点挂载；请使用 --rwx（ReadWriteMany 存储），或 download、s3 存储（每个 Pod 填充自己的卷）</translation>
    </message>
    <message>
        <source>lws with %1 groups and ReadWriteOnce PVCs cannot work: the groups would share the leader&apos;s and the worker&apos;s claim; use --rwx, storage download or s3, or 1 group</source>
        <translation>%1 个组的 lws 配合 ReadWriteOnce PVC 无法工作：各组会共用 leader 和 worker 的卷声明；请使用 --rwx、download 或 s3 存储，或只用 1 个组</translation>
    </message>
    <message>
        <source>Copy the model folder into the PVC through the loader pod: %1 cp ./%2 %3/%4:/models/ , then delete %4.</source>
        <translation>通过加载器 Pod 把模型文件夹复制到 PVC：%1 cp ./%2 %3/%4:/models/ ，然后删除 %4。</translation>
    </message>
    <message>
        <source>Copy the model folder into the PVC through the loader pod: %1 cp ./%2 %3/%4:/models/ , then delete %4 (a ReadWriteOnce volume is attached to one node at a time).</source>
        <translation>通过加载器 Pod 把模型文件夹复制到 PVC：%1 cp ./%2 %3/%4:/models/ ，然后删除 %4（ReadWriteOnce 卷同一时间只挂载到一个节点）。</translation>
    </message>
    <message>
        <source>Every pod downloads %1 from %2 into its own volume when it starts, and again whenever it is recreated; with ReadWriteMany storage (--rwx) one Job downloads it once for all.</source>
        <translation>每个 Pod 启动时都会从 %2 下载 %1 到自己的卷中，每次重建都会重新下载；使用 ReadWriteMany 存储（--rwx）时，由一个 Job 为所有 Pod 下载一次。</translation>
    </message>
    <message>
        <source>The Job %1 downloads %2@%3 from %4 into the PVC; the server starts when it has finished.</source>
        <translation>Job %1 从 %4 下载 %2@%3 到 PVC；下载完成后服务器启动。</translation>
    </message>
    <message>
        <source>KServe&apos;s storage initializer copies the model from S3 at every start; its default memory limit (1Gi) can be too small for large models: raise it in the inferenceservice-config ConfigMap.</source>
        <translation>KServe 的存储初始化器每次启动都从 S3 复制模型；其默认内存上限（1Gi）对大模型可能太小：请在 inferenceservice-config ConfigMap 中调高。</translation>
    </message>
    <message>
        <source>Every pod copies the model from S3 into its own volume when it starts, and again whenever it is recreated.</source>
        <translation>每个 Pod 启动时都会从 S3 把模型复制到自己的卷中，每次重建都会重新复制。</translation>
    </message>
    <message>
        <source>The server reads the model from %1 inside its image.</source>
        <translation>服务器从其镜像内的 %1 读取模型。</translation>
    </message>
    <message>
        <source>Privileged pods need the namespace&apos;s Pod Security level &apos;privileged&apos;: kubectl label namespace %1 pod-security.kubernetes.io/enforce=privileged</source>
        <translation>特权 Pod 需要命名空间的 Pod 安全级别为 &apos;privileged&apos;：kubectl label namespace %1 pod-security.kubernetes.io/enforce=privileged</translation>
    </message>
    <message>
        <source>RDMA needs IPC_LOCK, which OpenShift&apos;s restricted-v2 SCC does not allow: grant the ServiceAccount %1 an SCC that does, or use security privileged.</source>
        <translation>RDMA 需要 IPC_LOCK，而 OpenShift 的 restricted-v2 SCC 不允许：请为 ServiceAccount %1 授予允许它的 SCC，或使用 privileged 安全模式。</translation>
    </message>
    <message>
        <source>Needs the LeaderWorkerSet controller (the Leader Worker Set Operator on OpenShift 4.18+).</source>
        <translation>需要 LeaderWorkerSet 控制器（OpenShift 4.18+ 上的 Leader Worker Set Operator）。</translation>
    </message>
    <message>
        <source>Needs the LeaderWorkerSet controller (kubernetes-sigs/lws).</source>
        <translation>需要 LeaderWorkerSet 控制器（kubernetes-sigs/lws）。</translation>
    </message>
    <message>
        <source>Needs KServe with RawDeployment (OpenShift AI).</source>
        <translation>需要启用 RawDeployment 的 KServe（OpenShift AI）。</translation>
    </message>
    <message>
        <source>Needs KServe with RawDeployment.</source>
        <translation>需要启用 RawDeployment 的 KServe。</translation>
    </message>
    <message>
        <source>--image is required: the image to mirror; use e.g. &apos;lmsysorg/sglang:latest&apos; or &apos;quay.io/slipway/slipway-engine:%1&apos;</source>
        <translation>需要 --image：要镜像的镜像；例如 &apos;lmsysorg/sglang:latest&apos; 或 &apos;quay.io/slipway/slipway-engine:%1&apos;</translation>
    </message>
    <message>
        <source>--registry is required: the registry (and namespace) to mirror into, e.g. quay.io/myorg</source>
        <translation>需要 --registry：镜像到的仓库（及命名空间），例如 quay.io/myorg</translation>
    </message>
    <message>
        <source>--image &apos;%1&apos; is not an image reference: %2; use e.g. &apos;lmsysorg/sglang:latest&apos; or &apos;quay.io/slipway/slipway-engine:%3&apos;</source>
        <translation>--image &apos;%1&apos; 不是镜像引用：%2；例如 &apos;lmsysorg/sglang:latest&apos; 或 &apos;quay.io/slipway/slipway-engine:%3&apos;</translation>
    </message>
    <message>
        <source>it is empty</source>
        <translation>它是空的</translation>
    </message>
    <message>
        <source>give it without a scheme such as docker://</source>
        <translation>请不要带 docker:// 之类的协议前缀</translation>
    </message>
    <message>
        <source>it contains a blank or a control character</source>
        <translation>它含有空白或控制字符</translation>
    </message>
    <message>
        <source>the digest after &apos;@&apos; must be sha256: and 64 lower-case hex digits</source>
        <translation>&apos;@&apos; 之后的摘要必须是 sha256: 加 64 个小写十六进制数字</translation>
    </message>
    <message>
        <source>the tag after &apos;:&apos; may hold only letters, digits, &apos;_&apos;, &apos;.&apos; and &apos;-&apos; (at most 128)</source>
        <translation>&apos;:&apos; 之后的标签只能包含字母、数字、&apos;_&apos;、&apos;.&apos; 和 &apos;-&apos;（最多 128 个）</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a registry host[:port]</source>
        <translation>&apos;%1&apos; 不是仓库的 host[:port]</translation>
    </message>
    <message>
        <source>it has an empty path component (&apos;//&apos; or a &apos;/&apos; at an end)</source>
        <translation>它含有空的路径段（&apos;//&apos; 或首尾的 &apos;/&apos;）</translation>
    </message>
    <message>
        <source>repository names are lower case (&apos;%1&apos;)</source>
        <translation>仓库名必须小写（&apos;%1&apos;）</translation>
    </message>
    <message>
        <source>&apos;%1&apos; may hold only a-z, 0-9 and single &apos;.&apos;, &apos;_&apos;, &apos;__&apos; or &apos;-&apos; runs between them</source>
        <translation>&apos;%1&apos; 只能包含 a-z、0-9，以及它们之间单个的 &apos;.&apos;、&apos;_&apos;、&apos;__&apos; 或连续的 &apos;-&apos;</translation>
    </message>
    <message>
        <source>the name is longer than 255 characters</source>
        <translation>名称超过 255 个字符</translation>
    </message>
    <message>
        <source>--registry is empty: use e.g. &apos;quay.io/myorg&apos; or &apos;registry.example.com:5000/ai&apos;</source>
        <translation>--registry 为空：例如 &apos;quay.io/myorg&apos; 或 &apos;registry.example.com:5000/ai&apos;</translation>
    </message>
    <message>
        <source>--registry &apos;%1&apos; has a scheme: give the registry without https:// or docker://; use e.g. &apos;quay.io/myorg&apos; or &apos;registry.example.com:5000/ai&apos;</source>
        <translation>--registry &apos;%1&apos; 带有协议前缀：请去掉 https:// 或 docker://；例如 &apos;quay.io/myorg&apos; 或 &apos;registry.example.com:5000/ai&apos;</translation>
    </message>
    <message>
        <source>--registry &apos;%1&apos; does not start with a registry host (a name with a &apos;.&apos;, a &apos;:port&apos; or localhost): use e.g. &apos;quay.io/myorg&apos; or &apos;registry.example.com:5000/ai&apos;</source>
        <translation>--registry &apos;%1&apos; 不是以仓库主机开头（含 &apos;.&apos; 或 &apos;:端口&apos; 的名称，或 localhost）：例如 &apos;quay.io/myorg&apos; 或 &apos;registry.example.com:5000/ai&apos;</translation>
    </message>
    <message>
        <source>--registry &apos;%1&apos; names a tag or digest: give only the registry and namespace; use e.g. &apos;quay.io/myorg&apos; or &apos;registry.example.com:5000/ai&apos;</source>
        <translation>--registry &apos;%1&apos; 含有标签或摘要：只需给出仓库和命名空间；例如 &apos;quay.io/myorg&apos; 或 &apos;registry.example.com:5000/ai&apos;</translation>
    </message>
    <message>
        <source>--registry &apos;%1&apos;: namespace &apos;%2&apos; may hold only a-z, 0-9 and single &apos;.&apos;, &apos;_&apos; or &apos;-&apos; between them; use e.g. &apos;quay.io/myorg&apos; or &apos;registry.example.com:5000/ai&apos;</source>
        <translation>--registry &apos;%1&apos;：命名空间 &apos;%2&apos; 只能包含 a-z、0-9，以及它们之间单个的 &apos;.&apos;、&apos;_&apos; 或 &apos;-&apos;；例如 &apos;quay.io/myorg&apos; 或 &apos;registry.example.com:5000/ai&apos;</translation>
    </message>
    <message>
        <source>--tool must be skopeo or podman, not &apos;%1&apos;</source>
        <translation>--tool 必须是 skopeo 或 podman，而不是 &apos;%1&apos;</translation>
    </message>
    <message>
        <source>--arch must be amd64, arm64, ppc64le or s390x (the nodes&apos; architecture), not &apos;%1&apos;</source>
        <translation>--arch 必须是 amd64、arm64、ppc64le 或 s390x（节点的架构），而不是 &apos;%1&apos;</translation>
    </message>
    <message>
        <source>--authfile is empty: give the credentials file, e.g. ${XDG_RUNTIME_DIR}/containers/auth.json</source>
        <translation>--authfile 为空：请给出凭据文件，例如 ${XDG_RUNTIME_DIR}/containers/auth.json</translation>
    </message>
    <message>
        <source>--image %1 is already in %2: name another registry or namespace</source>
        <translation>--image %1 已经在 %2 中：请指定另一个仓库或命名空间</translation>
    </message>
    <message>
        <source>--archive &apos;%1&apos; must be a file name without quotes, &apos;$&apos;, &apos;`&apos; or &apos;\&apos;</source>
        <translation>--archive &apos;%1&apos; 必须是不含引号、&apos;$&apos;、&apos;`&apos; 或 &apos;\&apos; 的文件名</translation>
    </message>
    <message>
        <source>fp16 weights %1 (%2 B) + KV %3 × %4 × %5 B = %6 → %7 %8 guide %9</source>
        <translation>fp16 权重 %1（%2 B）+ KV %3 × %4 × %5 B = %6 → %7 %8 指南 %9</translation>
    </message>
    <message>
        <source>unknown GPU &apos;%1&apos;: choose one of %2, or give the memory of another card with --gpu-memory GiB</source>
        <translation>未知的 GPU &apos;%1&apos;：请从 %2 中选择，或用 --gpu-memory GiB 给出其他显卡的显存</translation>
    </message>
    <message>
        <source>no model given; name a catalog id such as deepseek-ai/DeepSeek-R1-Distill-Qwen-7B, a model folder, or a config.json</source>
        <translation>未指定模型；请给出目录中的模型 id（如 deepseek-ai/DeepSeek-R1-Distill-Qwen-7B）、模型文件夹或 config.json</translation>
    </message>
    <message>
        <source>%1 cannot be read (%2); check the path</source>
        <translation>无法读取 %1（%2）；请检查路径</translation>
    </message>
    <message>
        <source>%1 is %2 bytes, far too large for a config.json; give the model folder or its config.json</source>
        <translation>%1 有 %2 字节，远超 config.json 应有的大小；请给出模型文件夹或其中的 config.json</translation>
    </message>
    <message>
        <source>%1 cannot be opened (%2); check its permissions</source>
        <translation>无法打开 %1（%2）；请检查其权限</translation>
    </message>
    <message>
        <source>%1 has no config.json; give the folder a Hugging Face model was downloaded to (it holds config.json and *.safetensors)</source>
        <translation>%1 中没有 config.json；请给出 Hugging Face 模型的下载文件夹（其中有 config.json 和 *.safetensors）</translation>
    </message>
    <message>
        <source>%1 is a weights file; give the model folder that holds it and config.json</source>
        <translation>%1 是权重文件；请给出包含它和 config.json 的模型文件夹</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not in the model catalog and no such path exists; known ids: %2 — or give the folder the model was downloaded to</source>
        <translation>“%1”不在模型目录中，也不存在这样的路径；已知的 id：%2——或给出模型的下载文件夹</translation>
    </message>
    <message>
        <source>path &quot;%1&quot; not found; give an existing model folder or config.json, or a catalog id (%2)</source>
        <translation>路径“%1”不存在；请给出已有的模型文件夹或 config.json，或模型目录中的 id（%2）</translation>
    </message>
    <message>
        <source>%1: not valid JSON (%2); the file is damaged or incomplete, download config.json again</source>
        <translation>%1：不是有效的 JSON（%2）；文件已损坏或不完整，请重新下载 config.json</translation>
    </message>
    <message>
        <source>%1: expected a JSON object {...} at the top level, found %2</source>
        <translation>%1：顶层应为 JSON 对象 {...}，实际是 %2</translation>
    </message>
    <message>
        <source>%1: unexpected content (%2)</source>
        <translation>%1：内容不符合预期（%2）</translation>
    </message>
    <message>
        <source>%1: %2 is %3; expected %4</source>
        <translation>%1：%2 的值为 %3；应为 %4</translation>
    </message>
    <message>
        <source>%1: required field %2 is missing; %3 configs must set it (use the config.json published with the model)</source>
        <translation>%1：缺少必填字段 %2；%3 的配置必须设置它（请使用随模型发布的 config.json）</translation>
    </message>
    <message>
        <source>%1: architectures is %2; Slipway supports %3</source>
        <translation>%1：architectures 为 %2；Slipway 支持 %3</translation>
    </message>
    <message>
        <source>%1: model_type is &quot;%2&quot; and architectures is not set; Slipway supports %3</source>
        <translation>%1：model_type 为“%2”且未设置 architectures；Slipway 支持 %3</translation>
    </message>
    <message>
        <source>%1: neither architectures nor model_type is set; add &quot;architectures&quot;: [&quot;&lt;class&gt;&quot;] with one of %2</source>
        <translation>%1：architectures 和 model_type 均未设置；请添加 &quot;architectures&quot;: [&quot;&lt;class&gt;&quot;]，取值为 %2 之一</translation>
    </message>
    <message>
        <source>%1: %2 is missing; set it to &quot;default&quot;, &quot;llama3&quot;, &quot;yarn&quot;, &quot;linear&quot; or &quot;dynamic&quot;</source>
        <translation>%1：缺少 %2；请将其设为 &quot;default&quot;、&quot;llama3&quot;、&quot;yarn&quot;、&quot;linear&quot; 或 &quot;dynamic&quot;</translation>
    </message>
    <message>
        <source>%1: %2 (%3) must be larger than low_freq_factor (%4)</source>
        <translation>%1：%2（%3）必须大于 low_freq_factor（%4）</translation>
    </message>
    <message>
        <source>%1: num_experts_per_tok (%2) is larger than n_routed_experts (%3); a token cannot use more experts than exist</source>
        <translation>%1：num_experts_per_tok（%2）大于 n_routed_experts（%3）；一个词元不能使用比现有更多的专家</translation>
    </message>
    <message>
        <source>%1: quantization_config.quant_method is missing; set it to the checkpoint&apos;s method, e.g. &quot;fp8&quot;</source>
        <translation>%1：缺少 quantization_config.quant_method；请设为检查点的量化方法，例如 &quot;fp8&quot;</translation>
    </message>
    <message>
        <source>%1: num_attention_heads (%2) is not a multiple of num_key_value_heads (%3); grouped-query attention needs whole groups</source>
        <translation>%1：num_attention_heads（%2）不是 num_key_value_heads（%3）的整数倍；分组查询注意力需要完整的组</translation>
    </message>
    <message>
        <source>%1: hidden_size (%2) is not a multiple of num_attention_heads (%3); set head_dim</source>
        <translation>%1：hidden_size（%2）不是 num_attention_heads（%3）的整数倍；请设置 head_dim</translation>
    </message>
    <message>
        <source>%1 (a string)</source>
        <translation>%1（字符串）</translation>
    </message>
    <message>
        <source>%1 (a boolean)</source>
        <translation>%1（布尔值）</translation>
    </message>
    <message>
        <source>%1 (a list)</source>
        <translation>%1（列表）</translation>
    </message>
    <message>
        <source>%1 (an object)</source>
        <translation>%1（对象）</translation>
    </message>
    <message>
        <source>true or false</source>
        <translation>true 或 false</translation>
    </message>
    <message>
        <source>a text value in quotes</source>
        <translation>带引号的文本值</translation>
    </message>
    <message>
        <source>an object {...} or null</source>
        <translation>对象 {...} 或 null</translation>
    </message>
    <message>
        <source>a list [...]</source>
        <translation>列表 [...]</translation>
    </message>
    <message>
        <source>a positive whole number</source>
        <translation>正整数</translation>
    </message>
    <message>
        <source>a positive whole number without quotes</source>
        <translation>不带引号的正整数</translation>
    </message>
    <message>
        <source>a whole number &gt;= 0</source>
        <translation>大于等于 0 的整数</translation>
    </message>
    <message>
        <source>a whole number &gt;= 0 without quotes</source>
        <translation>不带引号、大于等于 0 的整数</translation>
    </message>
    <message>
        <source>a positive number</source>
        <translation>正数</translation>
    </message>
    <message>
        <source>a positive number without quotes</source>
        <translation>不带引号的正数</translation>
    </message>
    <message>
        <source>a list of class names such as [&quot;Qwen2ForCausalLM&quot;]</source>
        <translation>类名列表，如 [&quot;Qwen2ForCausalLM&quot;]</translation>
    </message>
    <message>
        <source>two positive whole numbers such as [128, 128]</source>
        <translation>两个正整数，如 [128, 128]</translation>
    </message>
    <message>
        <source>no model folder was chosen: pick a folder holding config.json</source>
        <translation>未选择模型文件夹：请选择包含 config.json 的文件夹</translation>
    </message>
    <message>
        <source>model folder %1 does not exist or is not a folder</source>
        <translation>模型文件夹 %1 不存在或不是文件夹</translation>
    </message>
    <message>
        <source>model folder %1 has no config.json; pick the folder of a Hugging Face model</source>
        <translation>模型文件夹 %1 中没有 config.json；请选择 Hugging Face 模型的文件夹</translation>
    </message>
    <message>
        <source>device &apos;%1&apos;: choose cpu or cuda</source>
        <translation>设备“%1”无效：请选择 cpu 或 cuda</translation>
    </message>
    <message>
        <source>host is empty: use 127.0.0.1 to serve this machine only</source>
        <translation>主机地址为空：使用 127.0.0.1 则只为本机提供服务</translation>
    </message>
    <message>
        <source>port %1 is out of range: use 1-65535, or 0 for any free port</source>
        <translation>端口 %1 超出范围：请使用 1-65535，或用 0 表示任意空闲端口</translation>
    </message>
    <message>
        <source>memory fraction %1 is out of range: use a value above 0 and at most 1 (e.g. 0.85)</source>
        <translation>显存比例 %1 超出范围：请使用大于 0 且不超过 1 的值（例如 0.85）</translation>
    </message>
    <message>
        <source>max running requests must be 0 (engine default) or more</source>
        <translation>最大并发请求数必须为 0（引擎默认值）或更大</translation>
    </message>
    <message>
        <source>context length must be 0 (the model&apos;s) or more</source>
        <translation>上下文长度必须为 0（使用模型自身的值）或更大</translation>
    </message>
    <message>
        <source>extra argument %1 repeats a field of its own: set the model folder and port there instead</source>
        <translation>额外参数 %1 与已有字段重复：请在对应字段中设置模型文件夹和端口</translation>
    </message>
    <message>
        <source>%1 does not exist; check the model folder and download the missing file</source>
        <translation>%1 不存在；请检查模型文件夹并下载缺失的文件</translation>
    </message>
    <message>
        <source>%1 is not a regular file; expected a .safetensors file</source>
        <translation>%1 不是普通文件；应为 .safetensors 文件</translation>
    </message>
    <message>
        <source>%1: cannot read its size (%2)</source>
        <translation>%1：无法读取文件大小（%2）</translation>
    </message>
    <message>
        <source>%1: cannot open (%2); check the file&apos;s permissions</source>
        <translation>%1：无法打开（%2）；请检查文件权限</translation>
    </message>
    <message>
        <source>%1 is %2 bytes, too short for a safetensors header (8-byte length first); the file is truncated, download it again</source>
        <translation>%1 只有 %2 字节，不足以容纳 safetensors 文件头（开头是 8 字节的长度）；文件已被截断，请重新下载</translation>
    </message>
    <message>
        <source>%1: could not read the 8-byte header length; the file is truncated, download it again</source>
        <translation>%1：无法读取 8 字节的文件头长度；文件已被截断，请重新下载</translation>
    </message>
    <message>
        <source>%1: header length %2 is larger than the file (%3 bytes); the file is truncated or not safetensors, download it again</source>
        <translation>%1：文件头长度 %2 超过了文件本身的大小（%3 字节）；文件已被截断或不是 safetensors 格式，请重新下载</translation>
    </message>
    <message>
        <source>%1: header length %2 exceeds the 100 MB safetensors limit; this is not a safetensors file</source>
        <translation>%1：文件头长度 %2 超过 safetensors 的 100 MB 上限；这不是 safetensors 文件</translation>
    </message>
    <message>
        <source>%1: the header ended after %2 of %3 bytes; the file is truncated, download it again</source>
        <translation>%1：文件头应有 %3 字节，只读到 %2 字节；文件已被截断，请重新下载</translation>
    </message>
    <message>
        <source>%1: header is not valid JSON (%2); the file is damaged, download it again</source>
        <translation>%1：文件头不是有效的 JSON（%2）；文件已损坏，请重新下载</translation>
    </message>
    <message>
        <source>%1: header is not a JSON object; the file is damaged, download it again</source>
        <translation>%1：文件头不是 JSON 对象；文件已损坏，请重新下载</translation>
    </message>
    <message>
        <source>%1: tensor &quot;%2&quot; is %3, expected {dtype, shape, data_offsets}; the header is damaged, download the file again</source>
        <translation>%1：张量“%2”的值为 %3，应为 {dtype, shape, data_offsets}；文件头已损坏，请重新下载该文件</translation>
    </message>
    <message>
        <source>%1: tensor &quot;%2&quot; has no dtype string; the header is damaged, download the file again</source>
        <translation>%1：张量“%2”缺少字符串形式的 dtype；文件头已损坏，请重新下载该文件</translation>
    </message>
    <message>
        <source>%1: tensor &quot;%2&quot; has no shape list; the header is damaged, download the file again</source>
        <translation>%1：张量“%2”缺少 shape 列表；文件头已损坏，请重新下载该文件</translation>
    </message>
    <message>
        <source>%1: tensor &quot;%2&quot; has shape %3; dimensions must be whole numbers &gt;= 0</source>
        <translation>%1：张量“%2”的 shape 为 %3；各维度必须是大于等于 0 的整数</translation>
    </message>
    <message>
        <source>%1: tensor &quot;%2&quot; needs data_offsets [begin, end] with two whole numbers; the header is damaged, download the file again</source>
        <translation>%1：张量“%2”需要由两个整数组成的 data_offsets [begin, end]；文件头已损坏，请重新下载该文件</translation>
    </message>
    <message>
        <source>%1: tensor &quot;%2&quot; has data_offsets [%3, %4] that end before they begin; the header is damaged, download the file again</source>
        <translation>%1：张量“%2”的 data_offsets [%3, %4] 结束位置在起始位置之前；文件头已损坏，请重新下载该文件</translation>
    </message>
    <message>
        <source>%1: tensor &quot;%2&quot; has data_offsets [%3, %4] beyond the file&apos;s data region (%5 bytes); the file is truncated, download it again</source>
        <translation>%1：张量“%2”的 data_offsets [%3, %4] 超出了文件的数据区（%5 字节）；文件已被截断，请重新下载</translation>
    </message>
    <message>
        <source>%1: tensor &quot;%2&quot; has shape %3 with more elements than can be counted</source>
        <translation>%1：张量“%2”的 shape %3 元素个数过多，超出可计数的范围</translation>
    </message>
    <message>
        <source>%1: tensor &quot;%2&quot;: shape %3 of %4 needs %5 x %6 bytes but data_offsets span %7; the header is damaged, download the file again</source>
        <translation>%1：张量“%2”：shape 为 %3 的 %4 数据需要 %5 x %6 字节，但 data_offsets 覆盖 %7 字节；文件头已损坏，请重新下载该文件</translation>
    </message>
    <message>
        <source>%1 cannot be opened (%2); check that it exists and is readable</source>
        <translation>无法打开 %1（%2）；请确认该文件存在且可读</translation>
    </message>
    <message>
        <source>%1 is not valid JSON (%2); download it again</source>
        <translation>%1 不是有效的 JSON（%2）；请重新下载</translation>
    </message>
    <message>
        <source>%1 has no weight_map object {tensor: shard file}; download it again</source>
        <translation>%1 中没有 weight_map 对象 {张量: 分片文件}；请重新下载</translation>
    </message>
    <message>
        <source>%1: weight_map is empty; the index names no tensors, download it again</source>
        <translation>%1：weight_map 为空，索引中没有任何张量；请重新下载</translation>
    </message>
    <message>
        <source>%1: weight_map[&quot;%2&quot;] is %3; expected a shard file name such as &quot;model-00001-of-00002.safetensors&quot;</source>
        <translation>%1：weight_map[&quot;%2&quot;] 的值为 %3；应为分片文件名，例如 &quot;model-00001-of-00002.safetensors&quot;</translation>
    </message>
    <message>
        <source>%1: weight_map[&quot;%2&quot;] is &quot;%3&quot;; shard names must be files inside the model folder</source>
        <translation>%1：weight_map[&quot;%2&quot;] 的值为 &quot;%3&quot;；分片必须是模型文件夹内的文件</translation>
    </message>
    <message>
        <source>%1 names shard &quot;%2&quot; but %3 does not exist; download the missing shard into the model folder</source>
        <translation>%1 指向分片“%2”，但 %3 不存在；请将缺失的分片下载到模型文件夹中</translation>
    </message>
    <message>
        <source>%1 places tensor &quot;%2&quot; in &quot;%3&quot;, but that shard&apos;s header has no such tensor; the index and shards come from different downloads, fetch both again</source>
        <translation>%1 将张量“%2”放在“%3”中，但该分片的文件头里没有这个张量；索引与分片来自不同的下载，请重新获取两者</translation>
    </message>
</context>
</TS>
