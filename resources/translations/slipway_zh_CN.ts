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
        <source>Checkpoint&apos;s own (auto)</source>
        <translation>与检查点一致（auto）</translation>
    </message>
    <message>
        <source>Model&apos;s own (auto)</source>
        <translation>与模型一致（auto）</translation>
    </message>
    <message>
        <source>How the weights sit in GPU memory (SGLang&apos;s --dtype / --quantization)</source>
        <translation>权重在显存中的存放类型（SGLang 的 --dtype / --quantization）</translation>
    </message>
    <message>
        <source>Element type of the KV cache (SGLang&apos;s --kv-cache-dtype)</source>
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
        <source>Guide&apos;s table</source>
        <translation>指南中的表格</translation>
    </message>
    <message>
        <source>One GPU&apos;s memory: the weights and the KV pool share --mem-fraction-static; the reserve outside it holds activations, CUDA graphs and the CUDA context. The dashed line is the card&apos;s memory.</source>
        <translation>单块 GPU 的显存：权重和 KV 池共享 --mem-fraction-static 划定的静态部分；其余预留给激活值、CUDA Graph 和 CUDA 上下文。虚线表示显卡的显存容量。</translation>
    </message>
    <message>
        <source>The customer guide&apos;s table (§3.2) gives GPU memory for fp16 inference and leaves out the KV cache. Beside it: Slipway&apos;s fp16 weights, and the full need with a KV cache for %1 sequences of %2 tokens. Hover a row for the arithmetic.</source>
        <translation>客户指南中的表格（§3.2）按 fp16 推理给出显存需求，但没有计入 KV 缓存。旁边列出 Slipway 计算的 fp16 权重，以及加上 KV 缓存（%1 个序列，每个 %2 个 token）后的完整需求。鼠标悬停在某一行上可查看计算过程。</translation>
    </message>
    <message>
        <source>The guide&apos;s table could not be loaded: %1</source>
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
        <source>No safetensors found: sizes follow config.json&apos;s shapes.</source>
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
        <source>Decode ceiling: unknown, the GPU&apos;s memory bandwidth is not known.</source>
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
    <name>slipway::ui::ClusterWorkloads</name>
    <message>
        <source>Deployed by Slipway</source>
        <translation>由 Slipway 部署</translation>
    </message>
    <message>
        <source>Deployed by the OpenShift AI dashboard</source>
        <translation>由 OpenShift AI 控制台部署</translation>
    </message>
    <message>
        <source>%1 (%2) pods</source>
        <translation>%1（%2）的 Pod</translation>
    </message>
</context>
<context>
    <name>slipway::ui::Console</name>
    <message>
        <source>Local engine</source>
        <translation>本地引擎</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>The Local engine is already running: stop it on the Workloads page first.</source>
        <translation>本地引擎已在运行：请先在“工作负载”页面停止它。</translation>
    </message>
    <message>
        <source>Local engine: %1 at %2</source>
        <translation>本地引擎：%1，地址 %2</translation>
    </message>
    <message>
        <source>Local engine: %1</source>
        <translation>本地引擎：%1</translation>
    </message>
    <message>
        <source>demo model: random weights, its replies are noise</source>
        <translation>演示模型：随机权重，回复是无意义的噪声</translation>
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
    <name>slipway::ui::LocalEngineService</name>
    <message>
        <source>There is nothing to restart: start the Local engine first.</source>
        <translation>没有可重启的引擎：请先启动本地引擎。</translation>
    </message>
</context>
<context>
    <name>slipway::ui::LogsPage</name>
    <message>
        <source>Logs</source>
        <translation>日志</translation>
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
    <name>slipway::ui::SettingsPanel</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Interface</source>
        <translation>界面</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Buffer per source:</source>
        <translation>每个来源的缓冲：</translation>
    </message>
    <message>
        <source> lines</source>
        <translation> 行</translation>
    </message>
    <message>
        <source>The oldest lines are dropped beyond this; applies at once.</source>
        <translation>超出后丢弃最早的行；立即生效。</translation>
    </message>
    <message>
        <source>Local engine</source>
        <translation>本地引擎</translation>
    </message>
    <message>
        <source>Engine program:</source>
        <translation>引擎程序：</translation>
    </message>
    <message>
        <source>Found automatically</source>
        <translation>自动查找</translation>
    </message>
    <message>
        <source>Default device:</source>
        <translation>默认设备：</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA GPU</source>
        <translation>CUDA GPU</translation>
    </message>
    <message>
        <source>Model folder:</source>
        <translation>模型文件夹：</translation>
    </message>
    <message>
        <source>The demo model</source>
        <translation>演示模型</translation>
    </message>
    <message>
        <source>Demo model folder:</source>
        <translation>演示模型文件夹：</translation>
    </message>
    <message>
        <source>Prepared. The demo model has random weights: its replies are noise. Choose a real model folder above for real answers.</source>
        <translation>已准备好。演示模型的权重是随机的：它的回复是无意义的噪声。要得到真实的回答，请在上方选择真实的模型文件夹。</translation>
    </message>
    <message>
        <source>Not prepared yet: run &quot;slipway --prepare-demo-model&quot; (installer/run-console.sh does it). The demo model has random weights: its replies are noise.</source>
        <translation>尚未准备：请运行 “slipway --prepare-demo-model”（installer/run-console.sh 会自动执行）。演示模型的权重是随机的：它的回复是无意义的噪声。</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Default endpoint:</source>
        <translation>默认端点：</translation>
    </message>
    <message>
        <source>The Local engine</source>
        <translation>本地引擎</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>API 密钥：</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Used when the Local engine is not running. The key is kept in your settings file and never written to a log.</source>
        <translation>本地引擎未运行时使用。密钥保存在你的设置文件中，绝不会写入日志。</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Scrape interval:</source>
        <translation>采集间隔：</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Runs this program.</source>
        <translation>将运行此程序。</translation>
    </message>
    <message>
        <source>%1 is not an executable file: choose slipway-engine, or clear the field to find it automatically.</source>
        <translation>%1 不是可执行文件：请选择推理引擎程序，或清空此栏以自动查找。</translation>
    </message>
    <message>
        <source>Found: %1</source>
        <translation>已找到：%1</translation>
    </message>
    <message>
        <source>Not found next to slipway, in $SLIPWAY_ENGINE or on $PATH: build slipway-engine, or choose it here.</source>
        <translation>未找到推理引擎程序（已查找 slipway 所在目录、环境变量和系统路径）：请先构建它，或在此选择。</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>选择文件夹</translation>
    </message>
    <message>
        <source>Choose slipway-engine</source>
        <translation>选择推理引擎程序</translation>
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
<context>
    <name>slipway::ui::WorkloadsModel</name>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Starting</source>
        <translation>正在启动</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Stopping</source>
        <translation>正在停止</translation>
    </message>
    <message>
        <source>Crashed</source>
        <translation>已崩溃</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <source>Demo model (random weights)</source>
        <translation>演示模型（随机权重）</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>PID</source>
        <translation>进程号</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>运行时长</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>%1 · %2 of %3 ready</source>
        <translation>%1 · %2/%3 就绪</translation>
    </message>
</context>
<context>
    <name>slipway::ui::WorkloadsPanel</name>
    <message>
        <source>Workloads</source>
        <translation>工作负载</translation>
    </message>
    <message>
        <source>Try Slipway without a cluster</source>
        <translation>无需集群即可试用 Slipway</translation>
    </message>
    <message>
        <source>Start the demo model on this computer to try the whole path — logs, metrics and chat — in a minute. The demo model has random weights: its replies are noise. For real answers, choose a real model folder in Settings.</source>
        <translation>在本机启动演示模型，一分钟内即可体验完整流程——日志、指标和对话。演示模型的权重是随机的：它的回复是无意义的噪声。要得到真实的回答，请在“设置”中选择真实的模型文件夹。</translation>
    </message>
    <message>
        <source>The demo model is not prepared yet (%1). Run &quot;slipway --prepare-demo-model&quot;, or start the console with installer/run-console.sh, which prepares it. Its weights are random: its replies are noise.</source>
        <translation>演示模型尚未准备（%1）。请运行 “slipway --prepare-demo-model”，或用 installer/run-console.sh 启动控制台，它会自动准备。演示模型的权重是随机的：它的回复是无意义的噪声。</translation>
    </message>
    <message>
        <source>Start the demo model</source>
        <translation>启动演示模型</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>暂不</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>启动</translation>
    </message>
    <message>
        <source>Start the selected workload</source>
        <translation>启动所选工作负载</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the selected workload</source>
        <translation>停止所选工作负载</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>重启</translation>
    </message>
    <message>
        <source>Open logs</source>
        <translation>查看日志</translation>
    </message>
    <message>
        <source>Show this workload&apos;s output in the Logs panel</source>
        <translation>在“日志”面板中显示此工作负载的输出</translation>
    </message>
    <message>
        <source>Open chat</source>
        <translation>打开对话</translation>
    </message>
    <message>
        <source>Chat with the model this workload serves</source>
        <translation>与此工作负载提供的模型对话</translation>
    </message>
    <message>
        <source>Open metrics</source>
        <translation>查看指标</translation>
    </message>
    <message>
        <source>Show this workload&apos;s live metrics</source>
        <translation>显示此工作负载的实时指标</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Demo model: random weights with a real tokenizer and chat template. Its replies are noise — it shows that the path works, not what a model says. Point the Local engine at a real model folder (Settings › Local engine) for real answers.</source>
        <translation>演示模型：随机权重，配真实的分词器和对话模板。它的回复是无意义的噪声——它只证明整条流程可用，并不代表模型的回答。要得到真实的回答，请让本地引擎使用真实的模型文件夹（设置 › 本地引擎）。</translation>
    </message>
    <message>
        <source>Select a workload to see its details.</source>
        <translation>选择一个工作负载以查看详情。</translation>
    </message>
    <message>
        <source>State: %1</source>
        <translation>状态：%1</translation>
    </message>
    <message>
        <source>Model folder: %1</source>
        <translation>模型文件夹：%1</translation>
    </message>
    <message>
        <source>Serving the OpenAI-compatible API at %1/v1 as &quot;%2&quot;</source>
        <translation>正在 %1/v1 提供 OpenAI 兼容接口，模型名为 “%2”</translation>
    </message>
    <message>
        <source>Not started yet. Start runs slipway-engine on this computer with the model folder chosen in Settings (or the demo model), or deploy with the Local target of the Deploy wizard.</source>
        <translation>尚未启动。“启动”会在本机用“设置”中选择的模型文件夹（或演示模型）运行推理引擎；也可以在“部署”向导中选择“本地”目标进行部署。</translation>
    </message>
    <message>
        <source>The engine stopped unexpectedly: killed by signal %1. Its last lines:</source>
        <translation>引擎意外停止：被信号 %1 终止。最后的输出：</translation>
    </message>
    <message>
        <source>The engine stopped unexpectedly: exit code %1. Its last lines:</source>
        <translation>引擎意外停止：退出码 %1。最后的输出：</translation>
    </message>
    <message>
        <source>Undeploy</source>
        <translation>卸载部署</translation>
    </message>
    <message>
        <source>Remove %1 from %2? Every object of the deployment goes; the model&apos;s volume is kept.</source>
        <translation>从 %2 移除 %1？该部署的所有对象都会删除；模型所在的存储卷会保留。</translation>
    </message>
    <message>
        <source>What this console runs: the Local engine serves a model on this computer, and the deployments on the connected cluster (Slipway&apos;s and the OpenShift AI dashboard&apos;s) are listed below it.</source>
        <translation>此控制台运行的内容：本地引擎在这台计算机上提供模型服务，已连接集群上的部署（Slipway 的和 OpenShift AI 控制台的）列在其下。</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>List the deployments on the connected cluster again</source>
        <translation>重新列出已连接集群上的部署</translation>
    </message>
    <message>
        <source>Replicas:</source>
        <translation>副本数：</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>伸缩</translation>
    </message>
    <message>
        <source>Remove every object of this deployment from the cluster (the model&apos;s volume stays)</source>
        <translation>从集群中删除该部署的所有对象（模型所在的存储卷保留）</translation>
    </message>
    <message>
        <source>Log lines per pod:</source>
        <translation>每个 Pod 的日志行数：</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Since (minutes):</source>
        <translation>最近（分钟）：</translation>
    </message>
    <message>
        <source>start</source>
        <translation>从头</translation>
    </message>
    <message>
        <source>Previous container</source>
        <translation>上一个容器</translation>
    </message>
    <message>
        <source>The logs of the container before its last restart (why it crashed)</source>
        <translation>容器上次重启之前的日志（崩溃原因）</translation>
    </message>
    <message>
        <source>%1 of %2 replicas ready, namespace %3</source>
        <translation>%1/%2 个副本就绪，命名空间 %3</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>模型：%1</translation>
    </message>
</context>
</TS>
