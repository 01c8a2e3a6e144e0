#pragma once
// DeploymentPlan: everything Slipway needs to render the manifests of one model deployment.
// A plain value type: callers (slipway-cli, the Deploy wizard) fill it, usually with figures from
// core/sizing; validate() (validate.h) says what is wrong with it; render() (render.h) turns it into
// Kubernetes objects. Defaults reproduce the customer's guide (port 40000, --mem-fraction-static
// 0.93, --torch-compile-max-bs 8, --max-running-requests 20, NCCL_IB_GID_INDEX=3).
#include "common/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slipway::deploy {

// How the server pods are created.
enum class Mode {
    Deployment, // apps/v1 Deployment + Service + Route (OpenShift) or Ingress (Kubernetes)
    KServe,     // ServingRuntime + InferenceService in RawDeployment (OpenShift AI / KServe)
    Lws,        // LeaderWorkerSet: one leader and nodes-1 workers per group (multi-node TP)
};

// Which server runs in the pods; both take the same flags.
enum class Runtime {
    SGLang,  // python3 -m sglang.launch_server
    Slipway, // slipway-engine
};

enum class Platform { OpenShift, Kubernetes };

enum class Security {
    Privileged, // the guide's way: privileged containers (+ RoleBinding to the privileged SCC on OpenShift)
    Restricted, // non-root, no privilege escalation, all capabilities dropped, seccomp RuntimeDefault
};

// Where the model files come from.
enum class Storage {
    Pvc,      // a PVC the operator fills through a loader pod (oc cp / kubectl cp)
    S3,       // an S3 bucket: KServe's storageUri, or an init container that syncs it per pod
    Download, // a Job (or per-pod init container) that downloads from a Hugging Face-compatible endpoint
    Image,    // the model is baked into the server image
};

struct S3Source {
    std::string endpoint;        // URL, e.g. http://minio.minio.svc:9000 (the scheme decides s3-usehttps)
    std::string bucket;
    std::string path;            // key prefix of the model folder inside the bucket
    std::string region;          // optional
    // Credentials: either both keys (rendered into a Secret) or existingSecret, the name of a Secret
    // that already holds AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
    std::string accessKeyId;
    std::string secretAccessKey;
    std::string existingSecret;
    std::string syncImage = "docker.io/amazon/aws-cli:latest"; // init container outside KServe
};

struct DownloadSource {
    std::string endpoint = "https://huggingface.co"; // or a mirror such as https://hf-mirror.com
    std::string revision = "main";
    std::string tokenSecret;     // optional Secret with key HF_TOKEN (gated or private models)
    std::string image = "docker.io/library/python:3.12-slim"; // runs a stdlib-only Python downloader
};

struct DeploymentPlan {
    // Identity.
    std::string name = "deepseek";            // DNS-1035 label; every object name derives from it
    std::string namespaceName = "deepseek";   // DNS-1123 label
    bool createNamespace = false;             // also render the Namespace object

    Mode mode = Mode::Deployment;
    Runtime runtime = Runtime::SGLang;
    Platform platform = Platform::OpenShift;
    Security security = Security::Privileged;
    Storage storage = Storage::Pvc;

    // Model.
    std::string modelId;         // Hugging Face id, e.g. deepseek-ai/DeepSeek-R1-Distill-Qwen-7B
    std::string modelDir;        // folder inside the model volume; empty: last part of modelId
    std::string modelMountPath = "/models"; // where server pods mount the model volume
    std::string imageModelPath;  // Storage::Image: the model's path inside the image
    std::string servedModelName; // optional --served-model-name

    // Image and network.
    std::string image;           // empty: defaultImage(runtime)
    std::string imagePullSecret; // optional
    int port = 40000;            // the guide's port
    int distPort = 20000;        // rendezvous port of --dist-init-addr (lws)

    // Parallelism and GPUs.
    int tp = 1;
    int nodes = 1;
    int gpusPerNode = 1;
    int replicas = 1;            // Deployment / InferenceService replicas, or LWS groups
    std::string gpuResource = "nvidia.com/gpu";
    bool tolerateGpuTaint = true; // tolerate the usual <gpuResource>:NoSchedule taint

    // Per-pod resources (the CLI fills them from core/sizing).
    int cpuRequestMillis = 8000;
    int cpuLimitMillis = 16000;  // 0: no CPU limit
    uint64_t memoryRequestBytes = 32ull << 30;
    uint64_t memoryLimitBytes = 64ull << 30;
    uint64_t shmBytes = 16ull << 30;     // memory emptyDir at /dev/shm (counts against the memory limit)
    uint64_t volumeBytes = 100ull << 30; // PVC / per-pod model volume size

    // Storage.
    bool rwx = false;            // the storage class offers ReadWriteMany
    std::string storageClass;    // optional
    S3Source s3;
    DownloadSource download;
    std::string loaderImage = "registry.access.redhat.com/ubi9/ubi:latest"; // has tar for oc cp

    // Server flags.
    double memFractionStatic = 0.93;
    std::optional<int> torchCompileMaxBs = 8;
    std::optional<int> maxRunningRequests = 20;
    std::optional<int> cudaGraphMaxBs;
    std::optional<int> contextLength;
    bool trustRemoteCode = true;
    bool enableMetrics = false;
    std::vector<std::string> extraArgs; // appended after everything Slipway sets

    // Networking for multi-GPU / multi-node.
    bool rdma = false;           // adds IPC_LOCK and rdmaResource; off unless asked for
    std::string rdmaResource = "rdma/rdma_shared_device_a";
    std::optional<int> ncclIbGidIndex = 3; // the guide's NCCL_IB_GID_INDEX
    std::string ncclSocketIfname;          // optional; also sets GLOO_SOCKET_IFNAME

    // Probes: the startup probe allows this long for loading the weights.
    int startupTimeoutSeconds = 1800;

    // Exposure.
    std::string routeHost;        // optional; OpenShift generates <name>-<namespace>.<apps domain>
    std::string ingressHost;      // optional (Kubernetes)
    std::string ingressClassName; // optional (Kubernetes)
};

// The model folder's key prefix in its bucket: plan.s3.path without leading or trailing '/'. And
// its s3:// URI (KServe's storageUri, the per-pod sync's source, what the console names).
std::string s3KeyPrefix(const DeploymentPlan &plan);
std::string s3Uri(const DeploymentPlan &plan);

// Enum names as the CLI spells them (named, not toString, so they do not collide with QTest::toString) ("deployment", "kserve", "lws", "sglang", ...).
std::string_view modeName(Mode mode);
std::string_view runtimeName(Runtime runtime);
std::string_view platformName(Platform platform);
std::string_view securityName(Security security);
std::string_view storageName(Storage storage);
Result<Mode> parseMode(std::string_view text);
Result<Runtime> parseRuntime(std::string_view text);
Result<Platform> parsePlatform(std::string_view text);
Result<Security> parseSecurity(std::string_view text);
Result<Storage> parseStorage(std::string_view text);

// lmsysorg/sglang:latest, or quay.io/slipway/slipway-engine:<this Slipway's version>.
std::string defaultImage(Runtime runtime);
// plan.image, or defaultImage(plan.runtime) when it is empty.
std::string effectiveImage(const DeploymentPlan &plan);
// plan.modelDir, or the last part of modelId (or of the S3 path), or "model".
std::string effectiveModelDir(const DeploymentPlan &plan);
// The --model-path the server gets: /mnt/models under KServe (its storage initializer puts the
// model there), imageModelPath for Storage::Image, else modelMountPath/modelDir.
std::string serverModelPath(const DeploymentPlan &plan);
// The model name clients send: servedModelName, else what SGLang reports (the model path).
std::string clientModelName(const DeploymentPlan &plan);

// Kubernetes quantities: 8000 -> "8", 8500 -> "8500m"; 64 GiB -> "64Gi", 1536 MiB -> "1536Mi".
std::string cpuQuantity(int millis);
std::string memoryQuantity(uint64_t bytes);

} // namespace slipway::deploy
