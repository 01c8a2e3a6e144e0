<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>slipway::ui::ChatPanel</name>
    <message>
        <source>Streaming the reply…</source>
        <translation>正在流式接收回复…</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>就绪。</translation>
    </message>
    <message>
        <source>The request failed; see the message in the conversation.</source>
        <translation>请求失败，详情见对话中的提示。</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>Reply complete.</source>
        <translation>回复完成。</translation>
    </message>
    <message numerus="yes">
        <source>%n model(s) served at this endpoint.</source>
        <translation>
            <numerusform>该端点提供 %n 个模型。</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not list the models: %1</source>
        <translation>无法获取模型列表：%1</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Endpoint:</source>
        <translation>端点：</translation>
    </message>
    <message>
        <source>Base URL, e.g. %1</source>
        <translation>基础 URL，例如 %1</translation>
    </message>
    <message>
        <source>The server&apos;s base URL; /v1 is added when missing. The Local engine&apos;s address is filled in when it starts.</source>
        <translation>服务器的基础 URL；缺少 /v1 时会自动补上。本地引擎启动后会自动填入其地址。</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>API 密钥：</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Sent as &quot;Authorization: Bearer …&quot;; leave empty when the server needs none.</source>
        <translation>以“Authorization: Bearer …”发送；服务器不需要时留空。</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>The served model name; empty uses the first model the server lists.</source>
        <translation>服务的模型名称；留空则使用服务器列出的第一个模型。</translation>
    </message>
    <message>
        <source>first served model</source>
        <translation>第一个服务的模型</translation>
    </message>
    <message>
        <source>Refresh models</source>
        <translation>刷新模型</translation>
    </message>
    <message>
        <source>Ask the server which models it serves (GET /v1/models)</source>
        <translation>向服务器查询其提供的模型（GET /v1/models）</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>请求参数</translation>
    </message>
    <message>
        <source>Mode:</source>
        <translation>模式：</translation>
    </message>
    <message>
        <source>Chat (/v1/chat/completions)</source>
        <translation>对话（/v1/chat/completions）</translation>
    </message>
    <message>
        <source>Completions (/v1/completions)</source>
        <translation>文本补全（/v1/completions）</translation>
    </message>
    <message>
        <source>System prompt:</source>
        <translation>系统提示词：</translation>
    </message>
    <message>
        <source>Optional instructions sent before the conversation</source>
        <translation>可选，在对话之前发送的指令</translation>
    </message>
    <message>
        <source>Temperature:</source>
        <translation>温度：</translation>
    </message>
    <message>
        <source>0 picks the most likely token every time (reproducible); higher values vary more.</source>
        <translation>0 表示每次都选概率最高的词元（结果可复现）；数值越高，变化越大。</translation>
    </message>
    <message>
        <source>Top-p:</source>
        <translation>Top-p：</translation>
    </message>
    <message>
        <source>Sample only from the most likely tokens that together reach this probability.</source>
        <translation>只从累计概率达到该值的最可能词元中采样。</translation>
    </message>
    <message>
        <source>Max tokens:</source>
        <translation>最大词元数：</translation>
    </message>
    <message>
        <source>The longest reply, in tokens; prompt plus reply must fit the context length.</source>
        <translation>回复的最大长度（词元数）；提示词与回复之和不能超过上下文长度。</translation>
    </message>
    <message>
        <source>Stop sequences (one per line, up to 4):</source>
        <translation>停止序列（每行一个，最多 4 个）：</translation>
    </message>
    <message>
        <source>e.g. ###</source>
        <translation>例如 ###</translation>
    </message>
    <message>
        <source>Reasoning model (text before &lt;/think&gt; is reasoning)</source>
        <translation>推理模型（&lt;/think&gt; 之前的文本视为推理过程）</translation>
    </message>
    <message>
        <source>DeepSeek-R1 and its distills often omit the opening &lt;think&gt;: treat their text as reasoning until &lt;/think&gt;.</source>
        <translation>DeepSeek-R1 及其蒸馏模型常常省略开头的 &lt;think&gt;：在 &lt;/think&gt; 出现之前，将其文本视为推理过程。</translation>
    </message>
    <message>
        <source>Message the model — Ctrl+Enter sends</source>
        <translation>输入发给模型的消息——按 Ctrl+Enter 发送</translation>
    </message>
    <message>
        <source>Prompt to complete — Ctrl+Enter sends</source>
        <translation>输入要补全的提示词——按 Ctrl+Enter 发送</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Send (Ctrl+Enter)</source>
        <translation>发送（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the reply now; the text so far is kept</source>
        <translation>立即停止回复；已生成的文本会保留</translation>
    </message>
    <message>
        <source>Copy conversation</source>
        <translation>复制对话</translation>
    </message>
    <message>
        <source>Copy the whole conversation as plain text</source>
        <translation>以纯文本复制整个对话</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Start a new conversation</source>
        <translation>开始新的对话</translation>
    </message>
    <message>
        <source>Conversation copied to the clipboard.</source>
        <translation>对话已复制到剪贴板。</translation>
    </message>
    <message>
        <source>Asking the server for its models…</source>
        <translation>正在向服务器查询模型…</translation>
    </message>
    <message>
        <source>The Local engine runs Slipway&apos;s demo model: random weights with a real tokenizer, so its replies are noise. For real answers, point the Local target at a real model folder (Deploy wizard → Model files) and start it again.</source>
        <translation>本地引擎运行的是 Slipway 的演示模型：权重是随机的，只有分词器是真实的，因此它的回复只是噪声。要得到真正的回答，请让本地目标指向一个真实的模型文件夹（部署向导 → 模型文件），然后重新启动。</translation>
    </message>
</context>
<context>
    <name>slipway::ui::ChatSession</name>
    <message>
        <source>Enter the server&apos;s base URL, for example http://127.0.0.1:30000 (the Local engine&apos;s address once it runs).</source>
        <translation>请输入服务器的基础 URL，例如 http://127.0.0.1:30000（本地引擎运行后即为其地址）。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an http:// or https:// URL; enter one such as http://127.0.0.1:30000.</source>
        <translation>“%1”不是 http:// 或 https:// 地址；请输入类似 http://127.0.0.1:30000 的地址。</translation>
    </message>
    <message numerus="yes">
        <source>At most 4 stop sequences are allowed; remove %n.</source>
        <translation>
            <numerusform>最多允许 4 个停止序列；请删除 %n 个。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>slipway::ui::ChatTurnModel</name>
    <message>
        <source>You:</source>
        <translation>你：</translation>
    </message>
    <message>
        <source>Prompt:</source>
        <translation>提示词：</translation>
    </message>
    <message>
        <source>Assistant:</source>
        <translation>助手：</translation>
    </message>
    <message>
        <source>Completion:</source>
        <translation>补全：</translation>
    </message>
    <message>
        <source>Reasoning:</source>
        <translation>推理过程：</translation>
    </message>
    <message>
        <source>Answer:</source>
        <translation>回答：</translation>
    </message>
    <message>
        <source>[stopped]</source>
        <translation>[已停止]</translation>
    </message>
    <message>
        <source>[error] %1</source>
        <translation>[错误] %1</translation>
    </message>
    <message>
        <source>TTFT %1 s</source>
        <translation>首词元 %1 秒</translation>
    </message>
    <message>
        <source>%1 tokens/s</source>
        <translation>%1 词元/秒</translation>
    </message>
    <message numerus="yes">
        <source>%n token(s)</source>
        <translation>
            <numerusform>%n 个词元</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 s total</source>
        <translation>共 %1 秒</translation>
    </message>
</context>
<context>
    <name>slipway::ui::ConversationView</name>
    <message>
        <source>No messages yet. Type below and press Send (Ctrl+Enter). Replies stream here, with their reasoning apart from the answer.</source>
        <translation>还没有消息。在下方输入并点击“发送”（Ctrl+Enter）。回复会以流式显示在这里，推理过程与回答分开展示。</translation>
    </message>
</context>
<context>
    <name>slipway::ui::TurnWidget</name>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <source>Completion</source>
        <translation>补全</translation>
    </message>
    <message>
        <source>streaming…</source>
        <translation>生成中…</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message numerus="yes">
        <source>Reasoning (%n character(s)) — click to hide</source>
        <translation>
            <numerusform>推理过程（%n 个字符）——点击隐藏</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Reasoning (%n character(s)) — click to show</source>
        <translation>
            <numerusform>推理过程（%n 个字符）——点击展开</numerusform>
        </translation>
    </message>
    <message>
        <source>cut at max tokens</source>
        <translation>已达最大词元数而截断</translation>
    </message>
</context>
</TS>
