#include "deploy/validate.h"

#include "deploy/deployment_plan.h"
#include "deploy/names.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace slipway::deploy {

namespace {

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

bool hasBlank(std::string_view text)
{
    return std::any_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

bool startsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// A relative path without "..", empty segments or a leading slash.
bool isSafeRelativePath(std::string_view path)
{
    if (path.empty() || path.front() == '/' || hasBlank(path))
        return false;
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t slash = std::min(path.find('/', start), path.size());
        const std::string_view part = path.substr(start, slash - start);
        if (part.empty() || part == "." || part == "..")
            return false;
        start = slash + 1;
    }
    return true;
}

bool isAbsolutePath(std::string_view path)
{
    return !path.empty() && path.front() == '/' && !hasBlank(path) && path.find("/../") == std::string_view::npos;
}

Result<void> checkNames(const DeploymentPlan &plan)
{
    if (!isDns1035Label(plan.name)) {
        return fail("name " + quoted(plan.name) +
                    " is not a valid name: use lower-case letters, digits and '-', starting with a letter and "
                    "ending with a letter or digit (DNS-1035, as Services, LeaderWorkerSets and "
                    "InferenceServices require), e.g. 'deepseek-r1-7b'");
    }
    if (plan.name.size() > kMaxPlanNameLength) {
        return fail("name " + quoted(plan.name) + " is " + std::to_string(plan.name.size()) +
                    " characters long: use at most " + std::to_string(kMaxPlanNameLength) +
                    " (object names get suffixes such as '-scc-privileged' and '-predictor', and must stay "
                    "within 63 characters)");
    }
    if (!isDns1123Label(plan.namespaceName)) {
        return fail("namespace " + quoted(plan.namespaceName) +
                    " is not a valid namespace: use at most 63 lower-case letters, digits and '-', starting "
                    "and ending with a letter or digit (DNS-1123 label)");
    }
    // OpenShift generates Route hosts as <route>-<namespace>.<apps domain>; that first label must
    // fit in 63 characters or the router refuses the Route.
    if (plan.platform == Platform::OpenShift && plan.routeHost.empty() &&
        plan.name.size() + 1 + plan.namespaceName.size() > 63) {
        return fail("the Route host OpenShift would generate, " + quoted(plan.name + "-" + plan.namespaceName) +
                    ", is longer than 63 characters: shorten the name or the namespace, or set the route host");
    }
    const std::array<std::pair<std::string_view, const std::string *>, 7> subdomains{{
        {"route host", &plan.routeHost},
        {"ingress host", &plan.ingressHost},
        {"ingress class", &plan.ingressClassName},
        {"storage class", &plan.storageClass},
        {"image pull secret", &plan.imagePullSecret},
        {"S3 secret", &plan.s3.existingSecret},
        {"Hugging Face token secret", &plan.download.tokenSecret},
    }};
    for (const auto &[what, value] : subdomains) {
        if (!value->empty() && !isDns1123Subdomain(*value)) {
            return fail(std::string(what) + " " + quoted(*value) +
                        " is not a valid name: use lower-case letters, digits, '-' and '.' (DNS-1123 subdomain)");
        }
    }
    return {};
}

Result<void> checkParallelism(const DeploymentPlan &plan)
{
    if (plan.tp < 1)
        return fail("tp is " + std::to_string(plan.tp) + ": tensor parallelism must be at least 1");
    if (plan.gpusPerNode < 1)
        return fail("gpus per node is " + std::to_string(plan.gpusPerNode) + ": each pod needs at least 1 GPU");
    if (plan.nodes < 1)
        return fail("nodes is " + std::to_string(plan.nodes) + ": use at least 1");
    if (plan.replicas < 1)
        return fail("replicas is " + std::to_string(plan.replicas) + ": use at least 1");
    if (plan.mode != Mode::Lws && plan.nodes != 1) {
        return fail("mode " + std::string(modeName(plan.mode)) + " runs one pod per replica, but nodes is " +
                    std::to_string(plan.nodes) + ": use mode lws for a model spread over several nodes, or set nodes to 1");
    }
    if (plan.mode == Mode::Lws && plan.nodes < 2) {
        return fail("mode lws with nodes 1 is a single pod: use mode deployment, or set nodes to 2 or more");
    }
    if (plan.tp != plan.nodes * plan.gpusPerNode) {
        return fail("tp " + std::to_string(plan.tp) + " must equal nodes x GPUs per node (" + std::to_string(plan.nodes) +
                    " x " + std::to_string(plan.gpusPerNode) + " = " + std::to_string(plan.nodes * plan.gpusPerNode) +
                    "): each GPU holds one tensor-parallel rank; change tp, nodes or GPUs per node");
    }
    if (plan.gpuResource.empty() || hasBlank(plan.gpuResource))
        return fail("GPU resource name " + quoted(plan.gpuResource) + " is not valid: use e.g. 'nvidia.com/gpu'");
    if (plan.rdma && (plan.rdmaResource.empty() || hasBlank(plan.rdmaResource)))
        return fail("RDMA resource name " + quoted(plan.rdmaResource) + " is not valid: use e.g. 'rdma/rdma_shared_device_a'");
    return {};
}

Result<void> checkPorts(const DeploymentPlan &plan)
{
    const auto inRange = [](int port) { return port >= 1 && port <= 65535; };
    if (!inRange(plan.port))
        return fail("port " + std::to_string(plan.port) + " is out of range: use 1-65535 (the guide uses 40000)");
    if (plan.mode == Mode::Lws && !inRange(plan.distPort))
        return fail("rendezvous port " + std::to_string(plan.distPort) + " is out of range: use 1-65535 (the guide uses 20000)");
    if (plan.mode == Mode::Lws && plan.distPort == plan.port)
        return fail("the rendezvous port and the HTTP port are both " + std::to_string(plan.port) + ": give them different values");
    if (plan.security == Security::Restricted && plan.port < 1024) {
        return fail("port " + std::to_string(plan.port) +
                    " is privileged and a restricted (non-root) server cannot bind it: use a port of 1024 or more, e.g. 40000");
    }
    return {};
}

Result<void> checkServerFlags(const DeploymentPlan &plan)
{
    if (!(plan.memFractionStatic > 0.0 && plan.memFractionStatic < 1.0))
        return fail("mem fraction " + std::to_string(plan.memFractionStatic) + " must be between 0 and 1 (the guide uses 0.93)");
    const std::array<std::pair<std::string_view, const std::optional<int> *>, 4> positive{{
        {"torch compile max batch size", &plan.torchCompileMaxBs},
        {"max running requests", &plan.maxRunningRequests},
        {"CUDA graph max batch size", &plan.cudaGraphMaxBs},
        {"context length", &plan.contextLength},
    }};
    for (const auto &[what, value] : positive) {
        if (*value && **value < 1)
            return fail(std::string(what) + " is " + std::to_string(**value) + ": use at least 1, or leave it unset");
    }
    if (hasBlank(plan.servedModelName))
        return fail("served model name " + quoted(plan.servedModelName) + " contains blanks: remove them");
    // Flags Slipway derives from the plan must not be given twice.
    static constexpr std::array<std::string_view, 8> kOwned{"--model-path", "--tp", "--host", "--port",
                                                            "--dist-init-addr", "--nnodes", "--node-rank",
                                                            "--tp-size"};
    for (const std::string &arg : plan.extraArgs) {
        const std::string_view flag = std::string_view(arg).substr(0, arg.find('='));
        if (std::find(kOwned.begin(), kOwned.end(), flag) != kOwned.end()) {
            return fail("extra argument " + quoted(arg) +
                        " repeats a flag Slipway sets from the plan: remove it and set the plan's field instead");
        }
    }
    if (plan.startupTimeoutSeconds < 60) {
        return fail("startup timeout " + std::to_string(plan.startupTimeoutSeconds) +
                    " s is too short to load a model: use at least 60 s (30 minutes suits large models)");
    }
    if (hasBlank(plan.ncclSocketIfname))
        return fail("NCCL socket interface " + quoted(plan.ncclSocketIfname) + " contains blanks: name the interface, e.g. 'eth0'");
    if (plan.ncclIbGidIndex && *plan.ncclIbGidIndex < 0)
        return fail("NCCL_IB_GID_INDEX " + std::to_string(*plan.ncclIbGidIndex) + " is negative: use e.g. 3, or leave it unset");
    return {};
}

Result<void> checkResources(const DeploymentPlan &plan)
{
    if (plan.cpuRequestMillis < 1)
        return fail("CPU request must be positive: give the pod at least 1 CPU (1000m)");
    if (plan.cpuLimitMillis != 0 && plan.cpuLimitMillis < plan.cpuRequestMillis) {
        return fail("CPU limit " + cpuQuantity(plan.cpuLimitMillis) + " is below the request " + cpuQuantity(plan.cpuRequestMillis) +
                    ": raise the limit, or set 0 for no limit");
    }
    if (plan.memoryRequestBytes == 0 || plan.memoryLimitBytes == 0)
        return fail("memory request and limit must be positive: size them to hold the weights while loading");
    if (plan.memoryLimitBytes < plan.memoryRequestBytes) {
        return fail("memory limit " + memoryQuantity(plan.memoryLimitBytes) + " is below the request " +
                    memoryQuantity(plan.memoryRequestBytes) + ": raise the limit");
    }
    if (plan.shmBytes == 0)
        return fail("/dev/shm size must be positive: NCCL and SGLang need a memory-backed /dev/shm (e.g. 16Gi)");
    if (plan.shmBytes >= plan.memoryLimitBytes) {
        return fail("/dev/shm (" + memoryQuantity(plan.shmBytes) + ") is counted against the memory limit (" +
                    memoryQuantity(plan.memoryLimitBytes) + ") and must stay well below it: raise the memory limit or shrink /dev/shm");
    }
    return {};
}

Result<void> checkImages(const DeploymentPlan &plan)
{
    const std::array<std::pair<std::string_view, std::string>, 2> images{{
        {"server image", effectiveImage(plan)},
        {"loader image", plan.loaderImage},
    }};
    for (const auto &[what, image] : images) {
        if (image.empty() || hasBlank(image))
            return fail(std::string(what) + " " + quoted(image) + " is not an image reference: use e.g. 'lmsysorg/sglang:latest'");
    }
    if (plan.storage == Storage::Download && (plan.download.image.empty() || hasBlank(plan.download.image)))
        return fail("download image " + quoted(plan.download.image) + " is not an image reference: use e.g. 'docker.io/library/python:3.12-slim'");
    if (plan.storage == Storage::S3 && plan.mode != Mode::KServe && (plan.s3.syncImage.empty() || hasBlank(plan.s3.syncImage)))
        return fail("S3 sync image " + quoted(plan.s3.syncImage) + " is not an image reference: use e.g. 'docker.io/amazon/aws-cli:latest'");
    return {};
}

Result<void> checkS3(const DeploymentPlan &plan)
{
    const S3Source &s3 = plan.s3;
    if (s3.endpoint.empty())
        return fail("storage s3 needs the S3 endpoint: give its URL, e.g. http://minio.minio.svc:9000");
    if (!(startsWith(s3.endpoint, "http://") || startsWith(s3.endpoint, "https://")) || hasBlank(s3.endpoint) ||
        s3.endpoint.size() <= std::string_view("https://").size()) {
        return fail("S3 endpoint " + quoted(s3.endpoint) + " must be a URL starting with http:// or https://");
    }
    if (s3.bucket.empty())
        return fail("storage s3 needs the S3 bucket that holds the model: give the bucket name");
    if (s3.bucket.size() < 3 || s3.bucket.size() > 63 || s3.bucket.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") != std::string::npos)
        return fail("S3 bucket " + quoted(s3.bucket) + " is not a valid bucket name: use 3-63 lower-case letters, digits, '.' and '-'");
    std::string_view path = s3.path;
    while (!path.empty() && path.front() == '/')
        path.remove_prefix(1);
    while (!path.empty() && path.back() == '/')
        path.remove_suffix(1);
    if (!path.empty() && !isSafeRelativePath(path))
        return fail("S3 path " + quoted(s3.path) + " is not a valid key prefix: use e.g. 'models/DeepSeek-R1-Distill-Qwen-7B' (no '..', no blanks)");
    const bool hasKeys = !s3.accessKeyId.empty() || !s3.secretAccessKey.empty();
    if (hasKeys && !s3.existingSecret.empty())
        return fail("S3 credentials are given twice: give either the access keys or an existing Secret, not both");
    if (hasKeys && (s3.accessKeyId.empty() || s3.secretAccessKey.empty()))
        return fail("S3 credentials are incomplete: give both the access key id and the secret access key");
    if (!hasKeys && s3.existingSecret.empty()) {
        return fail("storage s3 needs credentials: give the access key id and secret access key, or the name of a Secret "
                    "holding AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }
    return {};
}

Result<void> checkStorage(const DeploymentPlan &plan)
{
    const bool usesVolume = plan.storage != Storage::Image;
    if (plan.storage == Storage::Image) {
        if (!isAbsolutePath(plan.imageModelPath))
            return fail("storage image needs the model's absolute path inside the image, e.g. /models/DeepSeek-R1-Distill-Qwen-7B");
        return {};
    }
    if (usesVolume && plan.volumeBytes == 0)
        return fail("the model volume size must be positive: give room for the weights, e.g. 100Gi for a 32B model in bf16");
    if (plan.mode != Mode::KServe) {
        if (!isAbsolutePath(plan.modelMountPath) || plan.modelMountPath == "/" || startsWith(plan.modelMountPath, "/dev"))
            return fail("model mount path " + quoted(plan.modelMountPath) + " must be an absolute directory such as /models (not /, not under /dev)");
    }
    if (!isSafeRelativePath(effectiveModelDir(plan)))
        return fail("model folder " + quoted(effectiveModelDir(plan)) + " must be a relative path inside the volume, e.g. 'DeepSeek-R1-Distill-Qwen-7B' (no '/' at the start, no '..')");

    if (plan.storage == Storage::S3)
        return checkS3(plan);
    if (plan.storage == Storage::Download) {
        const std::string &id = plan.modelId;
        const std::size_t slash = id.find('/');
        if (id.empty() || slash == std::string::npos || slash == 0 || slash + 1 == id.size() ||
            id.find('/', slash + 1) != std::string::npos || hasBlank(id)) {
            return fail("storage download needs a Hugging Face model id of the form owner/name, e.g. "
                        "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B (got " + quoted(id) + ")");
        }
        const std::string &endpoint = plan.download.endpoint;
        if (!(startsWith(endpoint, "http://") || startsWith(endpoint, "https://")) || hasBlank(endpoint))
            return fail("download endpoint " + quoted(endpoint) + " must be a URL such as https://huggingface.co or https://hf-mirror.com");
        if (plan.download.revision.empty() || hasBlank(plan.download.revision))
            return fail("download revision " + quoted(plan.download.revision) + " is not valid: use a branch, tag or commit, e.g. main");
    }
    // Shared PVCs (pvc, and download through a Job) and their access mode.
    const bool sharedClaim = plan.storage == Storage::Pvc || (plan.storage == Storage::Download && (plan.mode != Mode::Lws || plan.rwx));
    if (sharedClaim && !plan.rwx && plan.mode != Mode::Lws && plan.replicas > 1) {
        return fail("replicas " + std::to_string(plan.replicas) +
                    " share one ReadWriteOnce PVC, which pods on other nodes cannot mount: use --rwx (ReadWriteMany storage) or 1 replica");
    }
    if (plan.mode == Mode::Lws && plan.storage == Storage::Pvc && !plan.rwx) {
        if (plan.nodes > 2) {
            return fail("lws with " + std::to_string(plan.nodes) +
                        " nodes and a ReadWriteOnce PVC cannot work: all workers share one template and so one claim, which "
                        "only one node can mount; use --rwx (ReadWriteMany storage), or storage download or s3 (each pod fills "
                        "its own volume)");
        }
        if (plan.replicas > 1) {
            return fail("lws with " + std::to_string(plan.replicas) +
                        " groups and ReadWriteOnce PVCs cannot work: the groups would share the leader's and the worker's claim; "
                        "use --rwx, storage download or s3, or 1 group");
        }
    }
    return {};
}

} // namespace

Result<void> validate(const DeploymentPlan &plan)
{
    for (const auto &check : {checkNames, checkParallelism, checkPorts, checkServerFlags, checkResources, checkImages,
                              checkStorage}) {
        Result<void> result = check(plan);
        if (!result)
            return result;
    }
    return {};
}

std::vector<std::string> planNotes(const DeploymentPlan &plan)
{
    const ObjectNames names = objectNames(plan);
    const bool openshift = plan.platform == Platform::OpenShift;
    const std::string cli = openshift ? "oc" : "kubectl";
    const std::string dir = effectiveModelDir(plan);
    std::vector<std::string> notes;
    switch (plan.storage) {
    case Storage::Pvc: {
        const bool twoClaims = plan.mode == Mode::Lws && !plan.rwx;
        const std::vector<std::string> loaders = twoClaims ? std::vector<std::string>{names.leaderLoaderPod, names.workerLoaderPod}
                                                           : std::vector<std::string>{names.loaderPod};
        for (const std::string &loader : loaders) {
            notes.push_back("Copy the model folder into the PVC through the loader pod: " + cli + " cp ./" + dir + " " +
                            plan.namespaceName + "/" + loader + ":/models/ , then delete " + loader +
                            (plan.rwx ? "." : " (a ReadWriteOnce volume is attached to one node at a time)."));
        }
        break;
    }
    case Storage::Download:
        if (plan.mode == Mode::Lws && !plan.rwx) {
            notes.push_back("Every pod downloads " + plan.modelId + " from " + plan.download.endpoint +
                            " into its own volume when it starts, and again whenever it is recreated; with ReadWriteMany "
                            "storage (--rwx) one Job downloads it once for all.");
        } else {
            notes.push_back("The Job " + names.downloadJob + " downloads " + plan.modelId + "@" + plan.download.revision + " from " +
                            plan.download.endpoint + " into the PVC; the server starts when it has finished.");
        }
        break;
    case Storage::S3:
        if (plan.mode == Mode::KServe) {
            notes.push_back("KServe's storage initializer copies the model from S3 at every start; its default memory limit "
                            "(1Gi) can be too small for large models: raise it in the inferenceservice-config ConfigMap.");
        } else {
            notes.push_back("Every pod copies the model from S3 into its own volume when it starts, and again whenever it is recreated.");
        }
        break;
    case Storage::Image:
        notes.push_back("The server reads the model from " + plan.imageModelPath + " inside its image.");
        break;
    }
    if (plan.security == Security::Privileged && !openshift && !plan.createNamespace) {
        notes.push_back("Privileged pods need the namespace's Pod Security level 'privileged': kubectl label namespace " +
                        plan.namespaceName + " pod-security.kubernetes.io/enforce=privileged");
    }
    if (plan.rdma && plan.security == Security::Restricted && openshift) {
        notes.push_back("RDMA needs IPC_LOCK, which OpenShift's restricted-v2 SCC does not allow: grant the ServiceAccount " +
                        names.serviceAccount + " an SCC that does, or use security privileged.");
    }
    if (plan.mode == Mode::Lws) {
        notes.push_back(std::string("Needs the LeaderWorkerSet controller") +
                        (openshift ? " (the Leader Worker Set Operator on OpenShift 4.18+)." : " (kubernetes-sigs/lws)."));
    }
    if (plan.mode == Mode::KServe) {
        notes.push_back(std::string("Needs KServe with RawDeployment") + (openshift ? " (OpenShift AI)." : "."));
    }
    return notes;
}

} // namespace slipway::deploy
