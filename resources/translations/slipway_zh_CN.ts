<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>FigureText</name>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Parameters read per token</source>
        <translation>每个 token 读取的参数量</translation>
    </message>
    <message>
        <source>Weights (%1)</source>
        <translation>权重（%1）</translation>
    </message>
    <message>
        <source>KV cache per token</source>
        <translation>每个 token 的 KV 缓存</translation>
    </message>
    <message>
        <source>GPU memory (%1)</source>
        <translation>显存（%1）</translation>
    </message>
    <message>
        <source>Weights per GPU</source>
        <translation>每块 GPU 的权重</translation>
    </message>
    <message>
        <source>KV cache per token per GPU</source>
        <translation>每块 GPU 每个 token 的 KV 缓存</translation>
    </message>
    <message>
        <source>Static fraction (--mem-fraction-static)</source>
        <translation>静态显存比例（--mem-fraction-static）</translation>
    </message>
    <message>
        <source>Static share (weights + KV pool)</source>
        <translation>静态部分（权重 + KV 池）</translation>
    </message>
    <message>
        <source>Reserve (activations, CUDA graphs)</source>
        <translation>预留（激活值、CUDA Graph）</translation>
    </message>
    <message>
        <source>Reserve needed (estimate)</source>
        <translation>所需预留（估算）</translation>
    </message>
    <message>
        <source>KV cache pool per GPU</source>
        <translation>每块 GPU 的 KV 缓存池</translation>
    </message>
    <message>
        <source>Tokens the KV pool holds</source>
        <translation>KV 池可容纳的 token 数</translation>
    </message>
    <message>
        <source>Tokens the load needs</source>
        <translation>负载所需的 token 数</translation>
    </message>
    <message>
        <source>KV cache the load needs per GPU</source>
        <translation>负载所需的每块 GPU KV 缓存</translation>
    </message>
    <message>
        <source>Tensor parallelism (--tp)</source>
        <translation>张量并行（--tp）</translation>
    </message>
    <message>
        <source>Nodes (pods)</source>
        <translation>节点数（Pod）</translation>
    </message>
    <message>
        <source>GPUs per pod</source>
        <translation>每个 Pod 的 GPU 数</translation>
    </message>
    <message>
        <source>CPU per pod</source>
        <translation>每个 Pod 的 CPU</translation>
    </message>
    <message>
        <source>/dev/shm per pod</source>
        <translation>每个 Pod 的 /dev/shm</translation>
    </message>
    <message>
        <source>Host memory per pod</source>
        <translation>每个 Pod 的主机内存</translation>
    </message>
    <message>
        <source>Checkpoint on disk</source>
        <translation>磁盘上的模型文件</translation>
    </message>
    <message>
        <source>Model volume (PVC)</source>
        <translation>模型存储卷（PVC）</translation>
    </message>
    <message>
        <source>Bytes read per decode step per GPU</source>
        <translation>每块 GPU 每个解码步读取的字节数</translation>
    </message>
    <message>
        <source>Decode ceiling, one sequence (upper bound)</source>
        <translation>解码速度上限，单个序列（理论上界）</translation>
    </message>
    <message>
        <source>Decode ceiling, all sequences (upper bound)</source>
        <translation>解码速度上限，全部序列（理论上界）</translation>
    </message>
    <message>
        <source>%1 GiB (%2)</source>
        <translation>%1 GiB（%2）</translation>
    </message>
    <message>
        <source>%1 B params</source>
        <translation>%1 B 参数</translation>
    </message>
    <message>
        <source>%1 core</source>
        <translation>%1 核</translation>
    </message>
    <message>
        <source>%1 cores</source>
        <translation>%1 核</translation>
    </message>
    <message>
        <source>%1 token</source>
        <translation>%1 个 token</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 个 token</translation>
    </message>
    <message>
        <source>%1 tokens/s</source>
        <translation>%1 token/秒</translation>
    </message>
    <message>
        <source>%1 GPU</source>
        <translation>%1 块 GPU</translation>
    </message>
    <message>
        <source>%1 GPUs</source>
        <translation>%1 块 GPU</translation>
    </message>
    <message>
        <source>%1 node</source>
        <translation>%1 个节点</translation>
    </message>
    <message>
        <source>%1 nodes</source>
        <translation>%1 个节点</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>slipway::ui::AboutDialog</name>
    <message>
        <source>About Slipway</source>
        <translation>关于 Slipway</translation>
    </message>
    <message>
        <source>Slipway</source>
        <translation>Slipway 控制台</translation>
    </message>
    <message>
        <source>Version %1 · Qt %2</source>
        <translation>版本 %1 · Qt %2</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>A console for deploying large language models — the DeepSeek family on SGLang or slipway-engine — onto OpenShift and Kubernetes: size the GPUs, get the model files into the cluster, apply the manifests and watch the deployment come up.</source>
        <translation>将大语言模型（DeepSeek 系列，运行于 SGLang 或 slipway-engine）部署到 OpenShift 和 Kubernetes 的控制台：估算 GPU 资源，把模型文件送入集群，应用清单，并观察部署逐步就绪。</translation>
    </message>
</context>
<context>
    <name>slipway::ui::CalculatorForm</name>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>来源：</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>Path:</source>
        <translation>路径：</translation>
    </message>
    <message>
        <source>Catalog model</source>
        <translation>目录中的模型</translation>
    </message>
    <message>
        <source>Local model folder</source>
        <translation>本地模型文件夹</translation>
    </message>
    <message>
        <source>config.json file</source>
        <translation>config.json 文件</translation>
    </message>
    <message>
        <source>Folder with config.json and *.safetensors</source>
        <translation>包含 config.json 和 *.safetensors 的文件夹</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Models Slipway knows without downloading anything</source>
        <translation>Slipway 内置的模型，无需下载任何文件</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <source>Weights:</source>
        <translation>权重：</translation>
    </message>
    <message>
        <source>KV cache:</source>
        <translation>KV 缓存：</translation>
    </message>
    <message>
        <source>Checkpoint's own (auto)</source>
        <translation>与检查点一致（auto）</translation>
    </message>
    <message>
        <source>Model's own (auto)</source>
        <translation>与模型一致（auto）</translation>
    </message>
    <message>
        <source>How the weights sit in GPU memory (SGLang's --dtype / --quantization)</source>
        <translation>权重在显存中的存放类型（SGLang 的 --dtype / --quantization）</translation>
    </message>
    <message>
        <source>Element type of the KV cache (SGLang's --kv-cache-dtype)</source>
        <translation>KV 缓存的元素类型（SGLang 的 --kv-cache-dtype）</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>负载</translation>
    </message>
    <message>
        <source>Context length:</source>
        <translation>上下文长度：</translation>
    </message>
    <message>
        <source>Concurrent sequences:</source>
        <translation>并发序列数：</translation>
    </message>
    <message>
        <source>Model maximum</source>
        <translation>模型最大值</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> 个 token</translation>
    </message>
    <message>
        <source>Tokens per sequence (prompt and reply) that must fit in the KV cache</source>
        <translation>每个序列（提示词加回复）需要放入 KV 缓存的 token 数</translation>
    </message>
    <message>
        <source>Sequences held at full context at the same time (--max-running-requests)</source>
        <translation>同时以完整上下文运行的序列数（--max-running-requests）</translation>
    </message>
    <message>
        <source>GPUs</source>
        <translation>GPU</translation>
    </message>
    <message>
        <source>GPU:</source>
        <translation>GPU 型号：</translation>
    </message>
    <message>
        <source>Memory:</source>
        <translation>显存：</translation>
    </message>
    <message>
        <source>GPUs per node:</source>
        <translation>每节点 GPU 数：</translation>
    </message>
    <message>
        <source>Mem fraction:</source>
        <translation>显存比例：</translation>
    </message>
    <message>
        <source>Tensor parallel:</source>
        <translation>张量并行：</translation>
    </message>
    <message>
        <source>Custom memory…</source>
        <translation>自定义显存…</translation>
    </message>
    <message>
        <source> GiB</source>
        <translation> GiB</translation>
    </message>
    <message>
        <source>Memory per GPU as nvidia-smi shows it</source>
        <translation>每块 GPU 的显存，以 nvidia-smi 显示为准</translation>
    </message>
    <message>
        <source>SGLang default</source>
        <translation>SGLang 默认值</translation>
    </message>
    <message>
        <source>--mem-fraction-static: the share of GPU memory for weights and the KV pool</source>
        <translation>--mem-fraction-static：显存中用于权重和 KV 池的比例</translation>
    </message>
    <message>
        <source>Automatic (smallest that fits)</source>
        <translation>自动（能放下的最小值）</translation>
    </message>
    <message>
        <source>Force a --tp size instead of the smallest that fits</source>
        <translation>强制指定 --tp，而不是自动选择能放下的最小值</translation>
    </message>
    <message>
        <source>Reset to defaults</source>
        <translation>恢复默认值</translation>
    </message>
    <message>
        <source>Path to a config.json</source>
        <translation>config.json 的路径</translation>
    </message>
    <message>
        <source>Choose a config.json</source>
        <translation>选择 config.json</translation>
    </message>
    <message>
        <source>Model configuration (config.json);;JSON files (*.json)</source>
        <translation>模型配置（config.json）;;JSON 文件（*.json）</translation>
    </message>
    <message>
        <source>Choose a model folder</source>
        <translation>选择模型文件夹</translation>
    </message>
</context>
<context>
    <name>slipway::ui::CalculatorPanel</name>
    <message>
        <source>Calculating…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>Calculator</source>
        <translation>计算器</translation>
    </message>
    <message>
        <source>Figures and formulas</source>
        <translation>数值与公式</translation>
    </message>
    <message>
        <source>TP search</source>
        <translation>TP 搜索</translation>
    </message>
    <message>
        <source>Guide's table</source>
        <translation>指南中的表格</translation>
    </message>
    <message>
        <source>One GPU's memory: the weights and the KV pool share --mem-fraction-static; the reserve outside it holds activations, CUDA graphs and the CUDA context. The dashed line is the card's memory.</source>
        <translation>单块 GPU 的显存：权重和 KV 池共享 --mem-fraction-static 划定的静态部分；其余预留给激活值、CUDA Graph 和 CUDA 上下文。虚线表示显卡的显存容量。</translation>
    </message>
    <message>
        <source>The customer guide's table (§3.2) gives GPU memory for fp16 inference and leaves out the KV cache. Beside it: Slipway's fp16 weights, and the full need with a KV cache for %1 sequences of %2 tokens. Hover a row for the arithmetic.</source>
        <translation>客户指南中的表格（§3.2）按 fp16 推理给出显存需求，但没有计入 KV 缓存。旁边列出 Slipway 计算的 fp16 权重，以及加上 KV 缓存（%1 个序列，每个 %2 个 token）后的完整需求。鼠标悬停在某一行上可查看计算过程。</translation>
    </message>
    <message>
        <source>The guide's table could not be loaded: %1</source>
        <translation>无法加载指南中的表格：%1</translation>
    </message>
    <message>
        <source>Choose a model folder: it must hold config.json.</source>
        <translation>请选择模型文件夹：其中必须包含 config.json。</translation>
    </message>
    <message>
        <source>Choose a config.json file.</source>
        <translation>请选择一个 config.json 文件。</translation>
    </message>
    <message>
        <source>Cannot load the model: %1</source>
        <translation>无法加载模型：%1</translation>
    </message>
    <message>
        <source>%1 · %2 layers · %3 positions · %4</source>
        <translation>%1 · %2 层 · %3 个位置 · %4</translation>
    </message>
    <message>
        <source>Exact sizes from %1 safetensors file(s): %2</source>
        <translation>精确大小取自 %1 个 safetensors 文件：%2</translation>
    </message>
    <message>
        <source>No safetensors found: sizes follow config.json's shapes.</source>
        <translation>未找到 safetensors 文件：大小按 config.json 中的张量形状计算。</translation>
    </message>
    <message>
        <source>No result</source>
        <translation>没有结果</translation>
    </message>
    <message>
        <source>Choose a model and a GPU on the left.</source>
        <translation>请在左侧选择模型和 GPU。</translation>
    </message>
    <message>
        <source>%1 on %2 × %3 — TP %4, %5</source>
        <translation>%1 部署在 %2 × %3 上 — TP %4，%5</translation>
    </message>
    <message>
        <source>✔ Fits</source>
        <translation>✔ 放得下</translation>
    </message>
    <message>
        <source>✘ Invalid TP</source>
        <translation>✘ TP 无效</translation>
    </message>
    <message>
        <source>✘ Does not fit</source>
        <translation>✘ 放不下</translation>
    </message>
    <message>
        <source> (SGLang default)</source>
        <translation>（SGLang 默认值）</translation>
    </message>
    <message>
        <source>Decode ceiling — an upper bound from memory bandwidth, not a forecast: %1 for one sequence, %2 for all %3 together.</source>
        <translation>解码速度上限（由显存带宽推算的理论上界，并非预测值）：单个序列 %1，全部 %3 个序列合计 %2。</translation>
    </message>
    <message>
        <source>Decode ceiling: unknown, the GPU's memory bandwidth is not known.</source>
        <translation>解码速度上限：未知，该 GPU 的显存带宽未知。</translation>
    </message>
    <message>
        <source>Not deployable as asked:</source>
        <translation>按当前设置无法部署：</translation>
    </message>
    <message>
        <source>Worth knowing:</source>
        <translation>注意事项：</translation>
    </message>
    <message>
        <source>KV pool holds %1; the load needs %2 (%3 sequences × %4 tokens). Weights %5 per GPU; static fraction %6%7.</source>
        <translation>KV 池可容纳 %1；负载需要 %2（%3 个序列 × %4 个 token）。每块 GPU 的权重为 %5；静态显存比例 %6%7。</translation>
    </message>
</context>
<context>
    <name>slipway::ui::GuideComparisonModel</name>
    <message>
        <source>Enough</source>
        <translation>足够</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>规模</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Short by %1 for the weights alone</source>
        <translation>仅权重就不足 %1</translation>
    </message>
    <message>
        <source>Short by %1 with the KV cache</source>
        <translation>计入 KV 缓存后不足 %1</translation>
    </message>
    <message>
        <source>Guide</source>
        <translation>指南</translation>
    </message>
    <message>
        <source>fp16 weights</source>
        <translation>fp16 权重</translation>
    </message>
    <message>
        <source>Weights + KV</source>
        <translation>权重 + KV</translation>
    </message>
</context>
<context>
    <name>slipway::ui::MainWindow</name>
    <message>
        <source>Slipway</source>
        <translation>Slipway 控制台</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Slipway</source>
        <translation>关于 Slipway(&amp;A)</translation>
    </message>
</context>
<context>
    <name>slipway::ui::MemoryChartView</name>
    <message>
        <source>Weights %1</source>
        <translation>权重 %1</translation>
    </message>
    <message>
        <source>KV cache for the load %1</source>
        <translation>负载的 KV 缓存 %1</translation>
    </message>
    <message>
        <source>KV pool unused %1</source>
        <translation>KV 池空闲 %1</translation>
    </message>
    <message>
        <source>Reserve %1</source>
        <translation>预留 %1</translation>
    </message>
    <message>
        <source>%1 memory %2</source>
        <translation>%1 显存 %2</translation>
    </message>
    <message>
        <source>Card memory</source>
        <translation>显卡显存</translation>
    </message>
    <message>
        <source>GB per GPU</source>
        <translation>每块 GPU（GB）</translation>
    </message>
    <message>
        <source>Each GPU
(TP %1)</source>
        <translation>每块 GPU
（TP %1）</translation>
    </message>
    <message>
        <source>Each GPU</source>
        <translation>每块 GPU</translation>
    </message>
</context>
<context>
    <name>slipway::ui::SizingFiguresModel</name>
    <message>
        <source>Figure</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Formula</source>
        <translation>公式</translation>
    </message>
</context>
<context>
    <name>slipway::ui::TpSearchModel</name>
    <message>
        <source>TP</source>
        <translation>TP</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>节点数</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>Fits</source>
        <translation>放得下</translation>
    </message>
    <message>
        <source>Mem fraction</source>
        <translation>显存比例</translation>
    </message>
    <message>
        <source>Weights per GPU</source>
        <translation>每块 GPU 的权重</translation>
    </message>
    <message>
        <source>KV pool per GPU</source>
        <translation>每块 GPU 的 KV 池</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
</context>
</TS>
