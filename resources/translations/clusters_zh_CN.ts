<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>slipway::ui::ClustersPanel</name>
    <message>
        <source>Kubeconfig contexts</source>
        <translation>Kubeconfig 上下文</translation>
    </message>
    <message>
        <source>Reload kubeconfig</source>
        <translation>重新加载 kubeconfig</translation>
    </message>
    <message>
        <source>Reads the files in KUBECONFIG again (or ~/.kube/config), merged as kubectl does.</source>
        <translation>重新读取 KUBECONFIG 中的文件（或 ~/.kube/config），并按 kubectl 的方式合并。</translation>
    </message>
    <message>
        <source>Connect to the selected context</source>
        <translation>连接所选上下文</translation>
    </message>
    <message>
        <source>Log in with a token (as oc login)</source>
        <translation>使用令牌登录（同 oc login）</translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation>未连接。</translation>
    </message>
    <message>
        <source>Your session has expired or the token was refused. Paste a new token (OpenShift console: your name → Copy login command) to continue where you left off.</source>
        <translation>会话已过期或令牌被拒绝。请粘贴新的令牌（OpenShift 控制台：用户名 → 复制登录命令），即可从中断处继续。</translation>
    </message>
    <message>
        <source>Preflight</source>
        <translation>预检</translation>
    </message>
    <message>
        <source>No plan chosen: the checks use the default plan.</source>
        <translation>未选择部署方案：检查将使用默认方案。</translation>
    </message>
    <message>
        <source>Run preflight checks</source>
        <translation>运行预检</translation>
    </message>
    <message>
        <source>Plan: %1 in namespace %2, mode %3, %4 GPU(s) per pod</source>
        <translation>方案：%1，命名空间 %2，模式 %3，每个 Pod %4 块 GPU</translation>
    </message>
    <message>
        <source>⚠ Context %1 skips TLS verification: anyone between you and the cluster can read your credentials. Add the cluster&apos;s CA (certificate-authority-data) instead.</source>
        <translation>⚠ 上下文 %1 跳过了 TLS 验证：您与集群之间的任何人都能读取您的凭据。请改为添加集群的 CA（certificate-authority-data）。</translation>
    </message>
    <message>
        <source>Choose a context first.</source>
        <translation>请先选择一个上下文。</translation>
    </message>
    <message>
        <source>Connect to a cluster first.</source>
        <translation>请先连接集群。</translation>
    </message>
    <message>
        <source>Connecting to %1 …</source>
        <translation>正在连接 %1 …</translation>
    </message>
    <message>
        <source>Running the preflight checks on %1 …</source>
        <translation>正在对 %1 运行预检 …</translation>
    </message>
    <message>
        <source>Paste the new token first.</source>
        <translation>请先粘贴新的令牌。</translation>
    </message>
    <message>
        <source>Connected to %1 (%2).</source>
        <translation>已连接到 %1（%2）。</translation>
    </message>
    <message>
        <source>Preflight passed: the cluster can run this plan.</source>
        <translation>预检通过：该集群可以运行此方案。</translation>
    </message>
    <message numerus="yes">
        <source>Preflight found %n problem(s); each shows its fix.</source>
        <translation>
            <numerusform>预检发现 %n 个问题；每项都给出了修复方法。</numerusform>
        </translation>
    </message>
    <message>
        <source>The cluster refused the token: log in again to continue.</source>
        <translation>集群拒绝了令牌：请重新登录以继续。</translation>
    </message>
    <message>
        <source>Clusters</source>
        <translation>集群</translation>
    </message>
    <message>
        <source>No kubeconfig found (KUBECONFIG or ~/.kube/config). Log in with a server and token on the right, or run “oc login” and reload.</source>
        <translation>未找到 kubeconfig（KUBECONFIG 或 ~/.kube/config）。请在右侧用服务器地址和令牌登录，或运行“oc login”后重新加载。</translation>
    </message>
    <message>
        <source>OpenShift</source>
        <translation>OpenShift</translation>
    </message>
    <message>
        <source>Kubernetes</source>
        <translation>Kubernetes</translation>
    </message>
</context>
<context>
    <name>slipway::ui::ContextTableModel</name>
    <message>
        <source>no user entry</source>
        <translation>无用户条目</translation>
    </message>
    <message>
        <source>exec plugin %1</source>
        <translation>exec 插件 %1</translation>
    </message>
    <message>
        <source>token file</source>
        <translation>令牌文件</translation>
    </message>
    <message>
        <source>token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <source>client certificate</source>
        <translation>客户端证书</translation>
    </message>
    <message>
        <source>no credentials</source>
        <translation>无凭据</translation>
    </message>
    <message>
        <source>TLS verification is off: anyone between you and the cluster can read your token. Add the cluster&apos;s CA instead.</source>
        <translation>TLS 验证已关闭：您与集群之间的任何人都能读取您的令牌。请改为添加集群的 CA。</translation>
    </message>
    <message>
        <source>(cluster %1 missing)</source>
        <translation>（缺少集群 %1）</translation>
    </message>
    <message>
        <source>TLS verification off</source>
        <translation>TLS 验证已关闭</translation>
    </message>
    <message>
        <source>TLS verified</source>
        <translation>TLS 已验证</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Namespace</source>
        <translation>命名空间</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>安全</translation>
    </message>
</context>
<context>
    <name>slipway::ui::LoginForm</name>
    <message>
        <source>sha256~… from “Copy login command”</source>
        <translation>来自“复制登录命令”的 sha256~…</translation>
    </message>
    <message>
        <source>PEM file; empty: the system&apos;s trusted CAs</source>
        <translation>PEM 文件；留空则使用系统信任的 CA</translation>
    </message>
    <message>
        <source>Skip TLS verification (insecure)</source>
        <translation>跳过 TLS 验证（不安全）</translation>
    </message>
    <message>
        <source>⚠ TLS verification is off: anyone between you and the cluster can read your token.</source>
        <translation>⚠ TLS 验证已关闭：您与集群之间的任何人都能读取您的令牌。</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <source>CA file</source>
        <translation>CA 文件</translation>
    </message>
    <message>
        <source>Namespace</source>
        <translation>命名空间</translation>
    </message>
    <message>
        <source>cannot read the CA file %1: %2</source>
        <translation>无法读取 CA 文件 %1：%2</translation>
    </message>
</context>
<context>
    <name>slipway::ui::PreflightModel</name>
    <message>
        <source>API server</source>
        <translation>API 服务器</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>GPU nodes</source>
        <translation>GPU 节点</translation>
    </message>
    <message>
        <source>Free GPUs</source>
        <translation>空闲 GPU</translation>
    </message>
    <message>
        <source>GPU operator</source>
        <translation>GPU Operator</translation>
    </message>
    <message>
        <source>DCGM exporter</source>
        <translation>DCGM exporter</translation>
    </message>
    <message>
        <source>LeaderWorkerSet</source>
        <translation>LeaderWorkerSet</translation>
    </message>
    <message>
        <source>KServe</source>
        <translation>KServe</translation>
    </message>
    <message>
        <source>Storage class</source>
        <translation>存储类</translation>
    </message>
    <message>
        <source>ReadWriteMany</source>
        <translation>ReadWriteMany（RWX）</translation>
    </message>
    <message>
        <source>Permissions</source>
        <translation>权限</translation>
    </message>
    <message>
        <source>Privileged SCC</source>
        <translation>特权 SCC</translation>
    </message>
    <message>
        <source>Namespace</source>
        <translation>命名空间</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>not checked</source>
        <translation>未检查</translation>
    </message>
    <message>
        <source>Fix: %1</source>
        <translation>修复方法：%1</translation>
    </message>
</context>
</TS>
