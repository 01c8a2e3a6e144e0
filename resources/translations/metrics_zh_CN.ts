<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>slipway::ui::MetricsPanel</name>
    <message>
        <source>Metrics</source>
        <translation>监控指标</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>数据源：</translation>
    </message>
    <message>
        <source>Engine URL, e.g. http://127.0.0.1:30000 (its /metrics is read)</source>
        <translation>引擎 URL，例如 http://127.0.0.1:30000（读取其 /metrics）</translation>
    </message>
    <message>
        <source>An engine started with --enable-metrics: its base URL or its /metrics URL.</source>
        <translation>以 --enable-metrics 启动的引擎：填写其基础 URL 或 /metrics 地址。</translation>
    </message>
    <message>
        <source>Local engine</source>
        <translation>本地引擎</translation>
    </message>
    <message>
        <source>Watch the engine the Local target runs</source>
        <translation>监控本地目标运行的引擎</translation>
    </message>
    <message>
        <source>Every:</source>
        <translation>间隔：</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Seconds between scrapes</source>
        <translation>两次采集之间的秒数</translation>
    </message>
    <message>
        <source>Window:</source>
        <translation>时间窗口：</translation>
    </message>
    <message numerus="yes">
        <source>Last %n minute(s)</source>
        <translation>
            <numerusform>最近 %n 分钟</numerusform>
        </translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>引擎</translation>
    </message>
    <message>
        <source>GPUs on this machine (NVML)</source>
        <translation>本机 GPU（NVML）</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求</translation>
    </message>
    <message>
        <source>requests</source>
        <translation>请求数</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>吞吐量</translation>
    </message>
    <message>
        <source>tokens/s</source>
        <translation>词元/秒</translation>
    </message>
    <message>
        <source>generated</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>KV cache usage</source>
        <translation>KV 缓存占用</translation>
    </message>
    <message>
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <source>used</source>
        <translation>已用</translation>
    </message>
    <message>
        <source>Time to first token</source>
        <translation>首词元延迟</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>毫秒</translation>
    </message>
    <message>
        <source>p50</source>
        <translation>p50</translation>
    </message>
    <message>
        <source>p99</source>
        <translation>p99</translation>
    </message>
    <message>
        <source>Inter-token latency</source>
        <translation>词元间延迟</translation>
    </message>
    <message>
        <source>GPU utilisation and memory</source>
        <translation>GPU 利用率与显存</translation>
    </message>
    <message>
        <source>GPU power and temperature</source>
        <translation>GPU 功耗与温度</translation>
    </message>
    <message>
        <source>W / °C</source>
        <translation>瓦 / °C</translation>
    </message>
    <message>
        <source>GPU %1 utilisation</source>
        <translation>GPU %1 利用率</translation>
    </message>
    <message>
        <source>GPU %1 memory</source>
        <translation>GPU %1 显存</translation>
    </message>
    <message>
        <source>GPU %1 power (W)</source>
        <translation>GPU %1 功耗（瓦）</translation>
    </message>
    <message>
        <source>GPU %1 temperature (°C)</source>
        <translation>GPU %1 温度（°C）</translation>
    </message>
    <message>
        <source>Enter an engine URL or start the Local engine; charts begin with the first scrape.</source>
        <translation>请输入引擎 URL 或启动本地引擎；首次采集后开始绘制图表。</translation>
    </message>
    <message>
        <source>Waiting for the first scrape…</source>
        <translation>正在等待首次采集…</translation>
    </message>
    <message>
        <source>Last scrape failed at %1: %2</source>
        <translation>最近一次采集失败（%1）：%2</translation>
    </message>
    <message numerus="yes">
        <source>%1 · last scrape %2 · %n sample(s)</source>
        <translation>
            <numerusform>%1 · 最近采集 %2 · 共 %n 个样本</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>engine restarted %n time(s) (counters reset)</source>
        <translation>
            <numerusform>引擎已重启 %n 次（计数器已重置）</numerusform>
        </translation>
    </message>
    <message>
        <source>Paused.</source>
        <translation>已暂停。</translation>
    </message>
    <message>
        <source>No NVIDIA driver on this machine: GPU charts are off. On a cluster, GPU figures come from the DCGM exporter.</source>
        <translation>本机没有 NVIDIA 驱动：GPU 图表已关闭。在集群上，GPU 数据来自 DCGM exporter。</translation>
    </message>
    <message>
        <source>GPU figures unavailable: %1</source>
        <translation>无法获取 GPU 数据：%1</translation>
    </message>
    <message>
        <source>GPU figures appear after the first reading.</source>
        <translation>首次读取后将显示 GPU 数据。</translation>
    </message>
    <message>
        <source>GPUs of the deployment (DCGM)</source>
        <translation>部署的 GPU（DCGM）</translation>
    </message>
    <message>
        <source>GPUs of %1 (DCGM)</source>
        <translation>%1 的 GPU（DCGM）</translation>
    </message>
    <message>
        <source>Prometheus:</source>
        <translation>Prometheus：</translation>
    </message>
    <message>
        <source>thanos-querier, or any Prometheus URL</source>
        <translation>thanos-querier，或任意 Prometheus URL</translation>
    </message>
    <message>
        <source>Where the DCGM exporter&apos;s series are queried. Empty: OpenShift&apos;s thanos-querier found for this cluster. Your cluster token is sent only to https:// URLs.</source>
        <translation>查询 DCGM exporter 序列的位置。留空：使用为此集群找到的 OpenShift thanos-querier。集群令牌只会发送到 https:// URL。</translation>
    </message>
    <message>
        <source>GPU utilisation</source>
        <translation>GPU 利用率</translation>
    </message>
    <message>
        <source>GPU memory</source>
        <translation>GPU 显存</translation>
    </message>
    <message>
        <source>GiB</source>
        <translation>GiB</translation>
    </message>
    <message>
        <source>%1 · GPU %2</source>
        <translation>%1 · GPU %2</translation>
    </message>
    <message>
        <source>%1 used</source>
        <translation>%1 已用</translation>
    </message>
    <message>
        <source>%1 free</source>
        <translation>%1 空闲</translation>
    </message>
    <message>
        <source>%1 power (W)</source>
        <translation>%1 功耗（W）</translation>
    </message>
    <message>
        <source>%1 temperature (°C)</source>
        <translation>%1 温度（°C）</translation>
    </message>
    <message>
        <source>Waiting for the first Prometheus query…</source>
        <translation>正在等待第一次 Prometheus 查询…</translation>
    </message>
</context>
<context>
    <name>slipway::ui::MetricsWorker</name>
    <message>
        <source>No source: enter the engine&apos;s URL, or start the Local engine.</source>
        <translation>没有数据源：请输入引擎 URL，或启动本地引擎。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an http:// or https:// URL.</source>
        <translation>“%1”不是 http:// 或 https:// 地址。</translation>
    </message>
    <message>
        <source>%1 answered HTTP %2; start the engine with --enable-metrics.</source>
        <translation>%1 返回 HTTP %2；请以 --enable-metrics 启动引擎。</translation>
    </message>
    <message>
        <source>%1 is not Prometheus text: %2</source>
        <translation>%1 返回的不是 Prometheus 文本格式：%2</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an http:// or https:// Prometheus URL.</source>
        <translation>“%1”不是 http:// 或 https:// 的 Prometheus URL。</translation>
    </message>
    <message>
        <source>Prometheus has no DCGM series for the pods of %1 in namespace %2: check that the pods run on GPUs and that the GPU operator&apos;s DCGM exporter is scraped (its ServiceMonitor, cluster monitoring).</source>
        <translation>Prometheus 中没有命名空间 %2 内 %1 的 Pod 的 DCGM 序列：请确认这些 Pod 运行在 GPU 上，且 GPU Operator 的 DCGM exporter 已被抓取（其 ServiceMonitor、集群监控）。</translation>
    </message>
</context>
</TS>
