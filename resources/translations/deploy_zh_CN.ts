<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>slipway::ui::ApplyObjectsModel</name>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>已通过</translation>
    </message>
    <message>
        <source>created</source>
        <translation>已创建</translation>
    </message>
    <message>
        <source>configured</source>
        <translation>已配置</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Dry run</source>
        <translation>试运行</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
</context>
<context>
    <name>slipway::ui::ClusterDeployController</name>
    <message>
        <source>Waiting for the loader pod %1 to run …</source>
        <translation>正在等待加载 Pod %1 运行 …</translation>
    </message>
    <message>
        <source>Uploading the model folder to %1 …</source>
        <translation>正在将模型文件夹上传到 %1 …</translation>
    </message>
    <message>
        <source>Applied for S3 access: %1</source>
        <translation>已为 S3 访问应用：%1</translation>
    </message>
</context>
<context>
    <name>slipway::ui::ClusterDeployPage</name>
    <message>
        <source>%1 of %2 (%3 files of %4), %5/s</source>
        <translation>%1 / %2（%3 / %4 个文件），%5/秒</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) already there, not sent again</source>
        <translation>
            <numerusform>%n 个文件已存在，不再重复发送</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing was changed: other field managers own fields Slipway sets.</source>
        <translation>未做任何更改：Slipway 要设置的字段归其他字段管理者所有。</translation>
    </message>
    <message>
        <source>Deploys %1 into namespace %2 on %3: preflight, model files, server-side apply, rollout.</source>
        <translation>将 %1 部署到 %3 的命名空间 %2：预检、模型文件、服务端应用、滚动发布。</translation>
    </message>
    <message>
        <source>Not connected: connect to a cluster in the Clusters panel (a kubeconfig context or a token login), then come back to this page.</source>
        <translation>未连接：请先在“集群”面板中连接集群（kubeconfig 上下文或令牌登录），再回到此页。</translation>
    </message>
    <message>
        <source>Press Deploy to start.</source>
        <translation>按“部署”开始。</translation>
    </message>
    <message>
        <source>1/4 Preflight: checking the cluster …</source>
        <translation>1/4 预检：正在检查集群 …</translation>
    </message>
    <message>
        <source>1/4 Preflight stopped.</source>
        <translation>1/4 预检已停止。</translation>
    </message>
    <message>
        <source>1/4 Preflight found problems: each shows its fix. Fix them and deploy again, or go on anyway.</source>
        <translation>1/4 预检发现问题：每项都给出了修复方法。修复后重新部署，或仍然继续。</translation>
    </message>
    <message>
        <source>2/4 Model files: copying the model folder to the volume …</source>
        <translation>2/4 模型文件：正在把模型文件夹复制到存储卷 …</translation>
    </message>
    <message>
        <source>2/4 Model files stopped; deploy again to resume the copy.</source>
        <translation>2/4 模型文件已停止；重新部署即可续传。</translation>
    </message>
    <message>
        <source>3/4 Apply: server-side dry run, then apply, object by object …</source>
        <translation>3/4 应用：先服务端试运行，再逐个对象应用 …</translation>
    </message>
    <message>
        <source>3/4 Apply stopped.</source>
        <translation>3/4 应用已停止。</translation>
    </message>
    <message>
        <source>4/4 Rollout: waiting for the pods to be ready …</source>
        <translation>4/4 滚动发布：正在等待 Pod 就绪 …</translation>
    </message>
    <message>
        <source>4/4 Rollout stopped.</source>
        <translation>4/4 滚动发布已停止。</translation>
    </message>
    <message>
        <source>Done: the deployment is ready. Workloads lists it; chat with it from there.</source>
        <translation>完成：部署已就绪。它已列在“工作负载”中，可从那里与它对话。</translation>
    </message>
    <message>
        <source>Paused: the cluster refused the token. Log in again to resume.</source>
        <translation>已暂停：集群拒绝了令牌。请重新登录以继续。</translation>
    </message>
    <message>
        <source>Deploy to the cluster</source>
        <translation>部署到集群</translation>
    </message>
    <message>
        <source>Checks the cluster, brings the model files in, applies the manifests and follows the pods until they are ready.</source>
        <translation>检查集群、放入模型文件、应用清单，并跟踪 Pod 直到就绪。</translation>
    </message>
    <message>
        <source>Deploy</source>
        <translation>部署</translation>
    </message>
    <message>
        <source>Deploy anyway</source>
        <translation>仍然部署</translation>
    </message>
    <message>
        <source>Take the fields over and apply (force)</source>
        <translation>接管这些字段并应用（强制）</translation>
    </message>
    <message>
        <source>Preflight</source>
        <translation>预检</translation>
    </message>
    <message>
        <source>Model files</source>
        <translation>模型文件</translation>
    </message>
    <message>
        <source>Objects</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Pods</source>
        <translation>Pod 列表</translation>
    </message>
    <message>
        <source>The cluster refused the token (it expired or was revoked). Paste a new token (OpenShift console: your name → Copy login command); the step that stopped runs again.</source>
        <translation>集群拒绝了令牌（已过期或被吊销）。请粘贴新的令牌（OpenShift 控制台：用户名 → 复制登录命令）；中断的步骤会重新运行。</translation>
    </message>
    <message>
        <source>S3 keys entered; they are used again when you deploy. Type both again to replace them.</source>
        <translation>已输入 S3 密钥；再次部署时会继续使用。重新输入两项即可替换。</translation>
    </message>
    <message>
        <source>S3 access key ID and secret access key: used to upload the model folder and kept in the KServe S3 Secret on the cluster. They are not shown again once you deploy.</source>
        <translation>S3 访问密钥 ID 和秘密访问密钥：用于上传模型文件夹，并保存在集群上的 KServe S3 Secret 中。开始部署后不再显示。</translation>
    </message>
    <message>
        <source>entered (hidden)</source>
        <translation>已输入（隐藏）</translation>
    </message>
    <message>
        <source>2/4 Model files: uploading the model folder to S3, then the S3 Secret …</source>
        <translation>2/4 模型文件：正在将模型文件夹上传到 S3，随后创建 S3 Secret …</translation>
    </message>
    <message>
        <source>2/4 Model files stopped; deploy again to resume the upload.</source>
        <translation>2/4 模型文件已停止；再次部署即可继续上传。</translation>
    </message>
    <message>
        <source>Access key ID:</source>
        <translation>访问密钥 ID：</translation>
    </message>
    <message>
        <source>Secret access key:</source>
        <translation>秘密访问密钥：</translation>
    </message>
</context>
<context>
    <name>slipway::ui::DeployPage</name>
    <message>
        <source>slipway-engine is starting: follow it in Logs, then try it in Chat.</source>
        <translation>slipway-engine 正在启动：在“日志”中查看进度，然后在“对话”中试用。</translation>
    </message>
    <message>
        <source>Start slipway-engine on this machine with the flags from the Review page.</source>
        <translation>用“检查”页上的参数在本机启动 slipway-engine。</translation>
    </message>
    <message>
        <source>Starting the engine is not available in this window; copy the command line from the Review page and run it in a terminal.</source>
        <translation>此窗口无法启动引擎；请复制“检查”页上的命令行，在终端中运行。</translation>
    </message>
    <message>
        <source>Go back to Review and save the manifests to a folder; then apply them with “oc apply -f FOLDER” or commit them for GitOps.</source>
        <translation>请返回“检查”页把清单保存到文件夹，然后用“oc apply -f 文件夹”应用，或提交到 GitOps 仓库。</translation>
    </message>
    <message>
        <source>Done: the manifests are in %1. Apply them with “oc apply -f %1”.</source>
        <translation>完成：清单已保存到 %1。用“oc apply -f %1”应用。</translation>
    </message>
    <message>
        <source>Deploy</source>
        <translation>部署</translation>
    </message>
    <message>
        <source>The last step depends on the target.</source>
        <translation>最后一步取决于部署目标。</translation>
    </message>
    <message>
        <source>Start slipway-engine</source>
        <translation>启动 slipway-engine</translation>
    </message>
    <message>
        <source>Only the Local target starts from here.</source>
        <translation>只有“本机”目标可以从这里启动。</translation>
    </message>
    <message>
        <source>Applying to a cluster needs a connection: open the Clusters panel, choose a kubeconfig context or log in with a token, then come back to Target. Or go back to Review, save the manifests and apply them with “oc apply -f FOLDER”.</source>
        <translation>应用到集群需要先连接：打开“集群”面板，选择 kubeconfig 上下文或用令牌登录，然后回到“目标”页。也可以返回“审阅”页保存清单，再用“oc apply -f FOLDER”应用。</translation>
    </message>
</context>
<context>
    <name>slipway::ui::DeployWizard</name>
    <message>
        <source>Deploy</source>
        <translation>部署</translation>
    </message>
    <message>
        <source>&amp;Next &gt;</source>
        <translation>下一步(&amp;N) &gt;</translation>
    </message>
    <message>
        <source>&lt; &amp;Back</source>
        <translation>&lt; 上一步(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Finish</source>
        <translation>完成(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Commit</source>
        <translation>提交(&amp;C)</translation>
    </message>
    <message>
        <source>The Local target runs a model folder: choose a folder that holds config.json, the tokenizer and the *.safetensors weights.</source>
        <translation>“本机”目标运行一个模型文件夹：请选择包含 config.json、分词器和 *.safetensors 权重的文件夹。</translation>
    </message>
    <message>
        <source>Choose a model: a catalog entry, a model folder or a config.json.</source>
        <translation>请选择模型：目录中的条目、模型文件夹或 config.json。</translation>
    </message>
</context>
<context>
    <name>slipway::ui::FilesPage</name>
    <message>
        <source>from sizing: %1</source>
        <translation>按容量估算：%1</translation>
    </message>
    <message>
        <source>A volume you fill yourself: a loader pod mounts it, and you copy the model folder in with “oc cp”. Without ReadWriteMany each server pod needs its own.</source>
        <translation>由您自行填充的卷：加载 Pod 挂载该卷，您用“oc cp”把模型文件夹复制进去。若不支持 ReadWriteMany，每个服务器 Pod 都需要自己的卷。</translation>
    </message>
    <message>
        <source>An S3 bucket (MinIO, Ceph, AWS). KServe reads it through storageUri; other modes sync it into each pod at start. Keys come from an existing Secret holding AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.</source>
        <translation>S3 存储桶（MinIO、Ceph、AWS）。KServe 通过 storageUri 读取；其他模式在每个 Pod 启动时同步。密钥来自已有的 Secret，其中包含 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY。</translation>
    </message>
    <message>
        <source>A Job downloads the model into the volume from a Hugging Face-compatible endpoint — set a mirror for air-gapped or slow networks.</source>
        <translation>由一个 Job 从兼容 Hugging Face 的端点把模型下载到卷中——离线或网络较慢时请设置镜像。</translation>
    </message>
    <message>
        <source>The model is baked into the server image; give its path inside the image.</source>
        <translation>模型已打包在服务器镜像中；请填写它在镜像内的路径。</translation>
    </message>
    <message>
        <source>Model files</source>
        <translation>模型文件</translation>
    </message>
    <message>
        <source>Where the server pods find the model&apos;s weights and tokenizer.</source>
        <translation>服务器 Pod 从哪里获取模型的权重和分词器。</translation>
    </message>
    <message>
        <source>PVC — copy the files in yourself (pvc)</source>
        <translation>PVC——自行复制文件（pvc）</translation>
    </message>
    <message>
        <source>S3 bucket (s3)</source>
        <translation>S3 存储桶（s3）</translation>
    </message>
    <message>
        <source>Download from a Hugging Face endpoint (download)</source>
        <translation>从 Hugging Face 端点下载（download）</translation>
    </message>
    <message>
        <source>Inside the server image (image)</source>
        <translation>包含在服务器镜像中（image）</translation>
    </message>
    <message>
        <source>Storage:</source>
        <translation>存储：</translation>
    </message>
    <message>
        <source>Volume size:</source>
        <translation>卷大小：</translation>
    </message>
    <message>
        <source>Storage class:</source>
        <translation>存储类：</translation>
    </message>
    <message>
        <source>Loader image:</source>
        <translation>加载器镜像：</translation>
    </message>
    <message>
        <source>S3 endpoint:</source>
        <translation>S3 端点：</translation>
    </message>
    <message>
        <source>Bucket:</source>
        <translation>存储桶：</translation>
    </message>
    <message>
        <source>Path in bucket:</source>
        <translation>桶内路径：</translation>
    </message>
    <message>
        <source>Region:</source>
        <translation>区域：</translation>
    </message>
    <message>
        <source>Credentials Secret:</source>
        <translation>凭据 Secret：</translation>
    </message>
    <message>
        <source>Hugging Face endpoint:</source>
        <translation>Hugging Face 端点：</translation>
    </message>
    <message>
        <source>Model path in image:</source>
        <translation>镜像内模型路径：</translation>
    </message>
    <message>
        <source>The storage class offers ReadWriteMany (RWX)</source>
        <translation>该存储类支持 ReadWriteMany（RWX）</translation>
    </message>
    <message>
        <source>cluster default</source>
        <translation>集群默认值</translation>
    </message>
    <message>
        <source>registry.access.redhat.com/ubi9/ubi:latest — mirror it when air-gapped</source>
        <translation>registry.access.redhat.com/ubi9/ubi:latest——离线环境请使用镜像仓库</translation>
    </message>
    <message>
        <source>e.g. http://minio.minio.svc:9000</source>
        <translation>例如 http://minio.minio.svc:9000</translation>
    </message>
    <message>
        <source>key prefix of the model folder</source>
        <translation>模型文件夹的键前缀</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <source>Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY</source>
        <translation>包含 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY 的 Secret</translation>
    </message>
    <message>
        <source>https://huggingface.co, or a mirror such as https://hf-mirror.com</source>
        <translation>https://huggingface.co，或镜像站如 https://hf-mirror.com</translation>
    </message>
    <message>
        <source>e.g. /models/DeepSeek-R1-Distill-Qwen-7B</source>
        <translation>例如 /models/DeepSeek-R1-Distill-Qwen-7B</translation>
    </message>
    <message>
        <source>The Local target reads the model folder chosen on the Model page.</source>
        <translation>“本机”目标读取在“模型”页选择的模型文件夹。</translation>
    </message>
    <message>
        <source>slipway-engine reads the weights, tokenizer and chat template from this folder on this machine:
%1</source>
        <translation>slipway-engine 从本机的以下文件夹读取权重、分词器和对话模板：
%1</translation>
    </message>
</context>
<context>
    <name>slipway::ui::ImageMirrorBox</name>
    <message>
        <source>1. where %1 is reachable:</source>
        <translation>1. 在能访问 %1 的地方：</translation>
    </message>
    <message>
        <source>2. inside the disconnected network, with the archive carried in:</source>
        <translation>2. 把归档文件带入隔离网络后，在网络内：</translation>
    </message>
    <message>
        <source>Mirror the image into your registry</source>
        <translation>把镜像同步到你的镜像仓库</translation>
    </message>
    <message>
        <source>For a cluster that cannot pull %1 itself (air-gapped, or a registry policy), copy it into a registry the cluster reaches; the manifests then pull the copy. Give a pull secret above when that registry is private.</source>
        <translation>如果集群无法自行拉取 %1（隔离网络或仓库策略限制），请把它复制到集群能访问的镜像仓库；清单随后拉取这份副本。该仓库为私有时，请在上方填写拉取 Secret。</translation>
    </message>
    <message>
        <source>Your registry:</source>
        <translation>你的镜像仓库：</translation>
    </message>
    <message>
        <source>host[:port]/namespace, e.g. quay.io/myorg</source>
        <translation>host[:port]/命名空间，例如 quay.io/myorg</translation>
    </message>
    <message>
        <source>Where the image is copied to, as `slipway-cli mirror-script --registry` takes it. Empty: the cluster pulls the image from its own registry.</source>
        <translation>镜像复制到的位置，格式与 `slipway-cli mirror-script --registry` 相同。留空：集群从镜像原本的仓库拉取。</translation>
    </message>
    <message>
        <source>Tool:</source>
        <translation>工具：</translation>
    </message>
    <message>
        <source>skopeo copies registry to registry without a local image store; podman pulls, tags and pushes, as in the guide.</source>
        <translation>skopeo 在仓库之间直接复制，无需本地镜像存储；podman 按指南的做法拉取、打标签并推送。</translation>
    </message>
    <message>
        <source>The manifests pull: %1</source>
        <translation>清单拉取：%1</translation>
    </message>
    <message>
        <source>Registry to registry (both reachable from here):</source>
        <translation>仓库到仓库（从这里两边都能访问）：</translation>
    </message>
    <message>
        <source>Air-gapped, through an archive file:</source>
        <translation>隔离网络，通过归档文件：</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy as script</source>
        <translation>复制为脚本</translation>
    </message>
    <message>
        <source>A bash script with all three ways (direct, save, load), as slipway-cli mirror-script prints it.</source>
        <translation>包含三种方式（direct、save、load）的 bash 脚本，与 slipway-cli mirror-script 输出的相同。</translation>
    </message>
</context>
<context>
    <name>slipway::ui::ModelPage</name>
    <message>
        <source>Model folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <source>config.json</source>
        <translation>config.json</translation>
    </message>
    <message>
        <source>Model config (config.json *.json)</source>
        <translation>模型配置（config.json *.json）</translation>
    </message>
    <message>
        <source>Reading the model…</source>
        <translation>正在读取模型…</translation>
    </message>
    <message>
        <source>%1 — %2, %3 parameters, %4 layers, %5 attention heads</source>
        <translation>%1——%2，%3 参数，%4 层，%5 个注意力头</translation>
    </message>
    <message>
        <source>This is the demo model: random weights, so its replies are noise. Point the wizard at a real model folder for real answers.</source>
        <translation>这是演示模型：权重是随机的，所以它的回复只是噪声。要得到真正的回答，请选择真实的模型文件夹。</translation>
    </message>
    <message>
        <source>Which model?</source>
        <translation>部署哪个模型？</translation>
    </message>
    <message>
        <source>A catalog entry sizes without downloading anything; a folder or config.json is read from this disk (only the safetensors headers).</source>
        <translation>目录条目无需下载即可估算容量；文件夹或 config.json 从本机磁盘读取（只读取 safetensors 文件头）。</translation>
    </message>
    <message>
        <source>Catalog</source>
        <translation>模型目录</translation>
    </message>
    <message>
        <source>Folder with config.json, tokenizer and *.safetensors</source>
        <translation>包含 config.json、分词器和 *.safetensors 的文件夹</translation>
    </message>
    <message>
        <source>Path to a Hugging Face config.json</source>
        <translation>Hugging Face config.json 的路径</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>The Local target needs a model folder: slipway-engine loads its weights and tokenizer from there.</source>
        <translation>“本机”目标需要模型文件夹：slipway-engine 从中加载权重和分词器。</translation>
    </message>
    <message>
        <source>Slipway&apos;s demo model is on this machine. It has random weights with a real tokenizer and chat template: it starts and chats, but its replies are noise. Point the wizard at a real model folder for real answers.</source>
        <translation>本机上有 Slipway 的演示模型。它使用随机权重，但带有真实的分词器和对话模板：可以启动和对话，但回复只是噪声。要得到真正的回答，请选择真实的模型文件夹。</translation>
    </message>
    <message>
        <source>Use the demo model</source>
        <translation>使用演示模型</translation>
    </message>
</context>
<context>
    <name>slipway::ui::ReviewPage</name>
    <message>
        <source>Saved to %1</source>
        <translation>已保存到 %1</translation>
    </message>
    <message>
        <source>Command line</source>
        <translation>命令行</translation>
    </message>
    <message>
        <source>Port 0 means a free port is picked when the engine starts; Logs and Chat follow it.</source>
        <translation>端口 0 表示引擎启动时自动选择空闲端口；“日志”和“对话”会随之使用该端口。</translation>
    </message>
    <message>
        <source>Save the manifests into</source>
        <translation>将清单保存到</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Exactly what will be applied: one tab per object, in apply order.</source>
        <translation>即将应用的全部内容：每个对象一个标签页，按应用顺序排列。</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Save all to a folder…</source>
        <translation>全部保存到文件夹…</translation>
    </message>
    <message>
        <source>Before or after applying</source>
        <translation>应用前后需要做的事</translation>
    </message>
    <message>
        <source>Check the deployment from inside the cluster</source>
        <translation>在集群内检查部署</translation>
    </message>
</context>
<context>
    <name>slipway::ui::RolloutModel</name>
    <message>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>not ready</source>
        <translation>未就绪</translation>
    </message>
    <message>
        <source>Pod</source>
        <translation>Pod</translation>
    </message>
    <message>
        <source>Phase</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Restarts</source>
        <translation>重启次数</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>Why, and what to do</source>
        <translation>原因与处理方法</translation>
    </message>
</context>
<context>
    <name>slipway::ui::RuntimePage</name>
    <message>
        <source>Runtime</source>
        <translation>运行时</translation>
    </message>
    <message>
        <source>The server, how its pods are created, and its flags. Both servers take the same flags.</source>
        <translation>服务器、Pod 的创建方式及其参数。两种服务器接受相同的参数。</translation>
    </message>
    <message>
        <source>Server and objects</source>
        <translation>服务器与对象</translation>
    </message>
    <message>
        <source>slipway-engine on this machine</source>
        <translation>本机上的 slipway-engine</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>服务器：</translation>
    </message>
    <message>
        <source>SGLang (python3 -m sglang.launch_server) or slipway-engine.</source>
        <translation>SGLang（python3 -m sglang.launch_server）或 slipway-engine。</translation>
    </message>
    <message>
        <source>Mode:</source>
        <translation>模式：</translation>
    </message>
    <message>
        <source>deployment: one pod per replica. kserve: OpenShift AI ServingRuntime + InferenceService. lws: a LeaderWorkerSet spreading one model over several nodes.</source>
        <translation>deployment：每个副本一个 Pod。kserve：OpenShift AI 的 ServingRuntime + InferenceService。lws：用 LeaderWorkerSet 把一个模型分布到多个节点。</translation>
    </message>
    <message>
        <source>Nodes:</source>
        <translation>节点数：</translation>
    </message>
    <message>
        <source>Pods per group (lws only). Auto takes the node count from sizing.</source>
        <translation>每组的 Pod 数（仅 lws）。“自动”采用容量估算得出的节点数。</translation>
    </message>
    <message>
        <source>Auto (from sizing)</source>
        <translation>自动（按容量估算）</translation>
    </message>
    <message>
        <source>Replicas:</source>
        <translation>副本数：</translation>
    </message>
    <message>
        <source>Copies of the server (or LWS groups).</source>
        <translation>服务器的副本数（或 LWS 组数）。</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Name of the deployment; every object&apos;s name derives from it (DNS-1035: lower-case letters, digits and &apos;-&apos;, starting with a letter).</source>
        <translation>部署名称，所有对象的名称都由它派生（DNS-1035：小写字母、数字和“-”，以字母开头）。</translation>
    </message>
    <message>
        <source>Namespace:</source>
        <translation>命名空间：</translation>
    </message>
    <message>
        <source>The project or namespace the objects go into.</source>
        <translation>对象所在的项目或命名空间。</translation>
    </message>
    <message>
        <source>Platform:</source>
        <translation>平台：</translation>
    </message>
    <message>
        <source>OpenShift exposes the server through a Route, Kubernetes through an Ingress.</source>
        <translation>OpenShift 通过 Route 暴露服务器，Kubernetes 通过 Ingress。</translation>
    </message>
    <message>
        <source>Security:</source>
        <translation>安全：</translation>
    </message>
    <message>
        <source>privileged: the guide&apos;s way, with a RoleBinding to the privileged SCC. restricted: non-root, no privilege escalation, a memory /dev/shm.</source>
        <translation>privileged：指南的做法，通过 RoleBinding 绑定 privileged SCC。restricted：非 root、禁止提权，/dev/shm 使用内存卷。</translation>
    </message>
    <message>
        <source>Image:</source>
        <translation>镜像：</translation>
    </message>
    <message>
        <source>The server image; leave empty for the default. Mirror it when air-gapped.</source>
        <translation>服务器镜像；留空则使用默认镜像。离线环境请使用镜像仓库。</translation>
    </message>
    <message>
        <source>Pull secret:</source>
        <translation>拉取 Secret：</translation>
    </message>
    <message>
        <source>A Secret for pulling the image from a private registry.</source>
        <translation>用于从私有镜像仓库拉取镜像的 Secret。</translation>
    </message>
    <message>
        <source>Served model name:</source>
        <translation>对外模型名称：</translation>
    </message>
    <message>
        <source>The model name clients send; empty: the model path.</source>
        <translation>客户端请求中使用的模型名称；留空则为模型路径。</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <source>Advanced flags</source>
        <translation>高级参数</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>设备：</translation>
    </message>
    <message>
        <source>cpu runs anywhere; cuda uses this machine&apos;s NVIDIA GPU.</source>
        <translation>cpu 在任何机器上都能运行；cuda 使用本机的 NVIDIA GPU。</translation>
    </message>
    <message>
        <source>--mem-fraction-static:</source>
        <translation>--mem-fraction-static：</translation>
    </message>
    <message>
        <source>Share of each GPU&apos;s memory for weights and KV cache; the rest is the reserve for activations and CUDA graphs. The guide uses 0.93.</source>
        <translation>每块 GPU 显存中用于权重和 KV 缓存的比例；其余留给激活值和 CUDA 图。指南使用 0.93。</translation>
    </message>
    <message>
        <source>--max-running-requests:</source>
        <translation>--max-running-requests：</translation>
    </message>
    <message>
        <source>Requests decoded at once; more wait in the queue. The guide uses 20.</source>
        <translation>同时解码的请求数；超出的请求排队等待。指南使用 20。</translation>
    </message>
    <message>
        <source>engine default</source>
        <translation>引擎默认值</translation>
    </message>
    <message>
        <source>--cuda-graph-max-bs:</source>
        <translation>--cuda-graph-max-bs：</translation>
    </message>
    <message>
        <source>Largest batch captured in a CUDA graph; larger batches run without one.</source>
        <translation>CUDA 图捕获的最大批次；更大的批次不使用 CUDA 图。</translation>
    </message>
    <message>
        <source>SGLang default</source>
        <translation>SGLang 默认值</translation>
    </message>
    <message>
        <source>--context-length:</source>
        <translation>--context-length：</translation>
    </message>
    <message>
        <source>Longest sequence served; also what the sizing reserves KV cache for.</source>
        <translation>服务的最长序列；容量估算也按此预留 KV 缓存。</translation>
    </message>
    <message>
        <source>model maximum</source>
        <translation>模型最大值</translation>
    </message>
    <message>
        <source>--port:</source>
        <translation>--port：</translation>
    </message>
    <message>
        <source>The HTTP port; the guide uses 40000. Restricted security needs 1024 or more.</source>
        <translation>HTTP 端口；指南使用 40000。受限安全模式要求 1024 或以上。</translation>
    </message>
    <message>
        <source>any free port</source>
        <translation>任意空闲端口</translation>
    </message>
    <message>
        <source>SGLang (sglang)</source>
        <translation>SGLang（sglang）</translation>
    </message>
    <message>
        <source>Slipway engine (slipway)</source>
        <translation>Slipway 推理引擎（slipway）</translation>
    </message>
    <message>
        <source>Deployment — one pod per replica (deployment)</source>
        <translation>Deployment——每个副本一个 Pod（deployment）</translation>
    </message>
    <message>
        <source>KServe — OpenShift AI (kserve)</source>
        <translation>KServe——OpenShift AI（kserve）</translation>
    </message>
    <message>
        <source>LeaderWorkerSet — several nodes (lws)</source>
        <translation>LeaderWorkerSet——多节点（lws）</translation>
    </message>
    <message>
        <source>OpenShift — Route (openshift)</source>
        <translation>OpenShift——Route（openshift）</translation>
    </message>
    <message>
        <source>Kubernetes — Ingress (kubernetes)</source>
        <translation>Kubernetes——Ingress（kubernetes）</translation>
    </message>
    <message>
        <source>Privileged, as in the guide (privileged)</source>
        <translation>特权模式，与指南一致（privileged）</translation>
    </message>
    <message>
        <source>Restricted — non-root (restricted)</source>
        <translation>受限模式——非 root（restricted）</translation>
    </message>
    <message>
        <source>Select a field to read what it does here; the mem fraction and the context length also change the sizing.</source>
        <translation>选中某个字段即可在此查看其作用；显存比例和上下文长度也会改变容量估算。</translation>
    </message>
    <message>
        <source>default: %1</source>
        <translation>默认：%1</translation>
    </message>
</context>
<context>
    <name>slipway::ui::SizingPage</name>
    <message>
        <source>The plan takes this sizing: TP %1 over %2 node(s) of %3 GPU(s), --mem-fraction-static %4.</source>
        <translation>部署方案采用此容量估算：TP %1，%2 个节点，每节点 %3 块 GPU，--mem-fraction-static %4。</translation>
    </message>
    <message>
        <source>Several nodes: the Runtime page preselects LeaderWorkerSet (lws).</source>
        <translation>需要多个节点：“运行时”页将预选 LeaderWorkerSet（lws）。</translation>
    </message>
    <message>
        <source>The Local target runs on this machine; the figures show what the model would need on the chosen GPUs.</source>
        <translation>“本机”目标在这台机器上运行；这些数字表示该模型在所选 GPU 上的需求。</translation>
    </message>
    <message>
        <source>Sizing</source>
        <translation>容量估算</translation>
    </message>
    <message>
        <source>How many GPUs the model needs and how much KV cache is left. The tensor-parallel size and node count found here go into the manifests.</source>
        <translation>模型需要多少块 GPU、还剩多少 KV 缓存。此处得出的张量并行规模和节点数将写入清单。</translation>
    </message>
</context>
<context>
    <name>slipway::ui::TargetPage</name>
    <message>
        <source>Where should the model run?</source>
        <translation>模型在哪里运行？</translation>
    </message>
    <message>
        <source>Pick the target first: the next pages ask only what it needs.</source>
        <translation>先选择目标：后续页面只询问该目标需要的内容。</translation>
    </message>
    <message>
        <source>Local — this workstation</source>
        <translation>本机——这台工作站</translation>
    </message>
    <message>
        <source>Runs slipway-engine here, on the CPU or the local GPU, with a model folder from this disk. The quickest way to try sizing, logs, metrics and chat.</source>
        <translation>在本机的 CPU 或 GPU 上运行 slipway-engine，使用本机磁盘上的模型文件夹。这是体验容量估算、日志、指标和对话的最快方式。</translation>
    </message>
    <message>
        <source>A cluster — OpenShift or Kubernetes</source>
        <translation>集群——OpenShift 或 Kubernetes</translation>
    </message>
    <message>
        <source>Applies the manifests to a cluster you have added in Slipway.</source>
        <translation>把清单应用到您在 Slipway 中添加的集群。</translation>
    </message>
    <message>
        <source>No clusters yet. Clusters will be added in the Clusters panel, from your kubeconfig or after “oc login”. Meanwhile you can review the manifests here, or choose Export and apply the saved folder with “oc apply -f”.</source>
        <translation>尚无集群。集群将在“集群”面板中添加，来源为您的 kubeconfig 或“oc login”之后的登录信息。在此之前，您可以在这里检查清单，或选择“仅导出”，再用“oc apply -f”应用保存的文件夹。</translation>
    </message>
    <message>
        <source>Export only — save the manifests</source>
        <translation>仅导出——保存清单</translation>
    </message>
    <message>
        <source>Writes one YAML file per object into a folder, exactly as “slipway-cli render -o” does, for oc apply or GitOps.</source>
        <translation>每个对象写成一个 YAML 文件保存到文件夹，与“slipway-cli render -o”完全相同，供 oc apply 或 GitOps 使用。</translation>
    </message>
    <message>
        <source>Not connected: choose a context to connect, or log in on the Clusters panel.</source>
        <translation>未连接：选择一个上下文进行连接，或在“集群”面板中登录。</translation>
    </message>
    <message>
        <source>Connected.</source>
        <translation>已连接。</translation>
    </message>
    <message>
        <source>Connected to %1; choose it, or pick another context to connect.</source>
        <translation>已连接到 %1；选择它，或选择另一个上下文进行连接。</translation>
    </message>
    <message>
        <source>Cluster:</source>
        <translation>集群：</translation>
    </message>
</context>
</TS>
