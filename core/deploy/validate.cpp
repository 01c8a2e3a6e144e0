#include "deploy/validate.h"

#include "deploy/deploy_messages.h"
#include "deploy/deployment_plan.h"
#include "deploy/names.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace slipway::deploy {

namespace {

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

// A message whose first argument names a field (translated too) and whose second quotes a value.
Error fieldError(const MessageTemplate &t, const MessageTemplate &field, std::string value)
{
    return fail(makeNestedMessage(t, {makeMessage(field), literalMessage(std::move(value))}));
}

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
        return fail(msg::kCheckName, {quoted(plan.name)});
    }
    if (plan.name.size() > kMaxPlanNameLength) {
        return fail(msg::kCheckNameLength,
                    {quoted(plan.name), std::to_string(plan.name.size()), std::to_string(kMaxPlanNameLength)});
    }
    if (!isDns1123Label(plan.namespaceName)) {
        return fail(msg::kCheckNamespace, {quoted(plan.namespaceName)});
    }
    // OpenShift generates Route hosts as <route>-<namespace>.<apps domain>; that first label must
    // fit in 63 characters or the router refuses the Route.
    if (plan.platform == Platform::OpenShift && plan.routeHost.empty() &&
        plan.name.size() + 1 + plan.namespaceName.size() > 63) {
        return fail(msg::kCheckRouteHostLength, {quoted(plan.name + "-" + plan.namespaceName)});
    }
    const std::array<std::pair<MessageTemplate, const std::string *>, 7> subdomains{{
        {msg::kFieldRouteHost, &plan.routeHost},
        {msg::kFieldIngressHost, &plan.ingressHost},
        {msg::kFieldIngressClass, &plan.ingressClassName},
        {msg::kFieldStorageClass, &plan.storageClass},
        {msg::kFieldImagePullSecret, &plan.imagePullSecret},
        {msg::kFieldS3Secret, &plan.s3.existingSecret},
        {msg::kFieldHfTokenSecret, &plan.download.tokenSecret},
    }};
    for (const auto &[what, value] : subdomains) {
        if (!value->empty() && !isDns1123Subdomain(*value))
            return fieldError(msg::kCheckSubdomain, what, quoted(*value));
    }
    return {};
}

Result<void> checkParallelism(const DeploymentPlan &plan)
{
    if (plan.tp < 1)
        return fail(msg::kCheckTp, {std::to_string(plan.tp)});
    if (plan.gpusPerNode < 1)
        return fail(msg::kCheckGpusPerNode, {std::to_string(plan.gpusPerNode)});
    if (plan.nodes < 1)
        return fail(msg::kCheckNodes, {std::to_string(plan.nodes)});
    if (plan.replicas < 1)
        return fail(msg::kCheckReplicas, {std::to_string(plan.replicas)});
    if (plan.mode != Mode::Lws && plan.nodes != 1) {
        return fail(msg::kCheckModeOnePod, {std::string(modeName(plan.mode)), std::to_string(plan.nodes)});
    }
    if (plan.mode == Mode::Lws && plan.nodes < 2) {
        return fail(msg::kCheckLwsOneNode);
    }
    if (plan.tp != plan.nodes * plan.gpusPerNode) {
        return fail(msg::kCheckTpLayout, {std::to_string(plan.tp), std::to_string(plan.nodes),
                                          std::to_string(plan.gpusPerNode),
                                          std::to_string(plan.nodes * plan.gpusPerNode)});
    }
    if (plan.gpuResource.empty() || hasBlank(plan.gpuResource))
        return fail(msg::kCheckGpuResource, {quoted(plan.gpuResource)});
    if (plan.rdma && (plan.rdmaResource.empty() || hasBlank(plan.rdmaResource)))
        return fail(msg::kCheckRdmaResource, {quoted(plan.rdmaResource)});
    return {};
}

Result<void> checkPorts(const DeploymentPlan &plan)
{
    const auto inRange = [](int port) { return port >= 1 && port <= 65535; };
    if (!inRange(plan.port))
        return fail(msg::kCheckPort, {std::to_string(plan.port)});
    if (plan.mode == Mode::Lws && !inRange(plan.distPort))
        return fail(msg::kCheckDistPort, {std::to_string(plan.distPort)});
    if (plan.mode == Mode::Lws && plan.distPort == plan.port)
        return fail(msg::kCheckPortsEqual, {std::to_string(plan.port)});
    if (plan.security == Security::Restricted && plan.port < 1024) {
        return fail(msg::kCheckPrivilegedPort, {std::to_string(plan.port)});
    }
    return {};
}

Result<void> checkServerFlags(const DeploymentPlan &plan)
{
    if (!(plan.memFractionStatic > 0.0 && plan.memFractionStatic < 1.0))
        return fail(msg::kCheckMemFraction, {std::to_string(plan.memFractionStatic)});
    const std::array<std::pair<MessageTemplate, const std::optional<int> *>, 4> positive{{
        {msg::kFieldTorchCompileMaxBs, &plan.torchCompileMaxBs},
        {msg::kFieldMaxRunningRequests, &plan.maxRunningRequests},
        {msg::kFieldCudaGraphMaxBs, &plan.cudaGraphMaxBs},
        {msg::kFieldContextLength, &plan.contextLength},
    }};
    for (const auto &[what, value] : positive) {
        if (*value && **value < 1)
            return fieldError(msg::kCheckPositive, what, std::to_string(**value));
    }
    if (hasBlank(plan.servedModelName))
        return fail(msg::kCheckServedNameBlanks, {quoted(plan.servedModelName)});
    // Flags Slipway derives from the plan must not be given twice.
    static constexpr std::array<std::string_view, 8> kOwned{"--model-path", "--tp", "--host", "--port",
                                                            "--dist-init-addr", "--nnodes", "--node-rank",
                                                            "--tp-size"};
    for (const std::string &arg : plan.extraArgs) {
        const std::string_view flag = std::string_view(arg).substr(0, arg.find('='));
        if (std::find(kOwned.begin(), kOwned.end(), flag) != kOwned.end()) {
            return fail(msg::kCheckExtraArg, {quoted(arg)});
        }
    }
    if (plan.startupTimeoutSeconds < 60) {
        return fail(msg::kCheckStartupTimeout, {std::to_string(plan.startupTimeoutSeconds)});
    }
    if (hasBlank(plan.ncclSocketIfname))
        return fail(msg::kCheckNcclIfname, {quoted(plan.ncclSocketIfname)});
    if (plan.ncclIbGidIndex && *plan.ncclIbGidIndex < 0)
        return fail(msg::kCheckNcclGid, {std::to_string(*plan.ncclIbGidIndex)});
    return {};
}

Result<void> checkResources(const DeploymentPlan &plan)
{
    if (plan.cpuRequestMillis < 1)
        return fail(msg::kCheckCpuRequest);
    if (plan.cpuLimitMillis != 0 && plan.cpuLimitMillis < plan.cpuRequestMillis) {
        return fail(msg::kCheckCpuLimit, {cpuQuantity(plan.cpuLimitMillis), cpuQuantity(plan.cpuRequestMillis)});
    }
    if (plan.memoryRequestBytes == 0 || plan.memoryLimitBytes == 0)
        return fail(msg::kCheckMemoryPositive);
    if (plan.memoryLimitBytes < plan.memoryRequestBytes) {
        return fail(msg::kCheckMemoryLimit,
                    {memoryQuantity(plan.memoryLimitBytes), memoryQuantity(plan.memoryRequestBytes)});
    }
    if (plan.shmBytes == 0)
        return fail(msg::kCheckShmPositive);
    if (plan.shmBytes >= plan.memoryLimitBytes) {
        return fail(msg::kCheckShmLimit, {memoryQuantity(plan.shmBytes), memoryQuantity(plan.memoryLimitBytes)});
    }
    return {};
}

Result<void> checkImages(const DeploymentPlan &plan)
{
    const std::array<std::pair<MessageTemplate, std::string>, 2> images{{
        {msg::kFieldServerImage, effectiveImage(plan)},
        {msg::kFieldLoaderImage, plan.loaderImage},
    }};
    for (const auto &[what, image] : images) {
        if (image.empty() || hasBlank(image))
            return fieldError(msg::kCheckImage, what, quoted(image));
    }
    if (plan.storage == Storage::Download && (plan.download.image.empty() || hasBlank(plan.download.image)))
        return fail(msg::kCheckDownloadImage, {quoted(plan.download.image)});
    if (plan.storage == Storage::S3 && plan.mode != Mode::KServe && (plan.s3.syncImage.empty() || hasBlank(plan.s3.syncImage)))
        return fail(msg::kCheckS3SyncImage, {quoted(plan.s3.syncImage)});
    return {};
}

Result<void> checkS3(const DeploymentPlan &plan)
{
    const S3Source &s3 = plan.s3;
    if (s3.endpoint.empty())
        return fail(msg::kCheckS3EndpointMissing);
    if (!(startsWith(s3.endpoint, "http://") || startsWith(s3.endpoint, "https://")) || hasBlank(s3.endpoint) ||
        s3.endpoint.size() <= std::string_view("https://").size()) {
        return fail(msg::kCheckS3Endpoint, {quoted(s3.endpoint)});
    }
    if (s3.bucket.empty())
        return fail(msg::kCheckS3BucketMissing);
    if (s3.bucket.size() < 3 || s3.bucket.size() > 63 || s3.bucket.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") != std::string::npos)
        return fail(msg::kCheckS3Bucket, {quoted(s3.bucket)});
    std::string_view path = s3.path;
    while (!path.empty() && path.front() == '/')
        path.remove_prefix(1);
    while (!path.empty() && path.back() == '/')
        path.remove_suffix(1);
    if (!path.empty() && !isSafeRelativePath(path))
        return fail(msg::kCheckS3Path, {quoted(s3.path)});
    const bool hasKeys = !s3.accessKeyId.empty() || !s3.secretAccessKey.empty();
    if (hasKeys && !s3.existingSecret.empty())
        return fail(msg::kCheckS3CredentialsTwice);
    if (hasKeys && (s3.accessKeyId.empty() || s3.secretAccessKey.empty()))
        return fail(msg::kCheckS3CredentialsIncomplete);
    if (!hasKeys && s3.existingSecret.empty()) {
        return fail(msg::kCheckS3CredentialsMissing);
    }
    return {};
}

Result<void> checkStorage(const DeploymentPlan &plan)
{
    const bool usesVolume = plan.storage != Storage::Image;
    if (plan.storage == Storage::Image) {
        if (!isAbsolutePath(plan.imageModelPath))
            return fail(msg::kCheckImageModelPath);
        return {};
    }
    if (usesVolume && plan.volumeBytes == 0)
        return fail(msg::kCheckVolumeSize);
    if (plan.mode != Mode::KServe) {
        if (!isAbsolutePath(plan.modelMountPath) || plan.modelMountPath == "/" || startsWith(plan.modelMountPath, "/dev"))
            return fail(msg::kCheckMountPath, {quoted(plan.modelMountPath)});
    }
    if (!isSafeRelativePath(effectiveModelDir(plan)))
        return fail(msg::kCheckModelDir, {quoted(effectiveModelDir(plan))});

    if (plan.storage == Storage::S3)
        return checkS3(plan);
    if (plan.storage == Storage::Download) {
        const std::string &id = plan.modelId;
        const std::size_t slash = id.find('/');
        if (id.empty() || slash == std::string::npos || slash == 0 || slash + 1 == id.size() ||
            id.find('/', slash + 1) != std::string::npos || hasBlank(id)) {
            return fail(msg::kCheckDownloadModelId, {quoted(id)});
        }
        const std::string &endpoint = plan.download.endpoint;
        if (!(startsWith(endpoint, "http://") || startsWith(endpoint, "https://")) || hasBlank(endpoint))
            return fail(msg::kCheckDownloadEndpoint, {quoted(endpoint)});
        if (plan.download.revision.empty() || hasBlank(plan.download.revision))
            return fail(msg::kCheckDownloadRevision, {quoted(plan.download.revision)});
    }
    // Shared PVCs (pvc, and download through a Job) and their access mode.
    const bool sharedClaim = plan.storage == Storage::Pvc || (plan.storage == Storage::Download && (plan.mode != Mode::Lws || plan.rwx));
    if (sharedClaim && !plan.rwx && plan.mode != Mode::Lws && plan.replicas > 1) {
        return fail(msg::kCheckRwoReplicas, {std::to_string(plan.replicas)});
    }
    if (plan.mode == Mode::Lws && plan.storage == Storage::Pvc && !plan.rwx) {
        if (plan.nodes > 2) {
            return fail(msg::kCheckLwsRwoNodes, {std::to_string(plan.nodes)});
        }
        if (plan.replicas > 1) {
            return fail(msg::kCheckLwsRwoGroups, {std::to_string(plan.replicas)});
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

std::vector<Message> planNotes(const DeploymentPlan &plan)
{
    const ObjectNames names = objectNames(plan);
    const bool openshift = plan.platform == Platform::OpenShift;
    const std::string cli = openshift ? "oc" : "kubectl";
    const std::string dir = effectiveModelDir(plan);
    std::vector<Message> notes;
    switch (plan.storage) {
    case Storage::Pvc: {
        const bool twoClaims = plan.mode == Mode::Lws && !plan.rwx;
        const std::vector<std::string> loaders = twoClaims ? std::vector<std::string>{names.leaderLoaderPod, names.workerLoaderPod}
                                                           : std::vector<std::string>{names.loaderPod};
        for (const std::string &loader : loaders) {
            notes.push_back(makeMessage(plan.rwx ? msg::kNoteCopyRwx : msg::kNoteCopyRwo,
                                        {cli, dir, plan.namespaceName, loader}));
        }
        break;
    }
    case Storage::Download:
        if (plan.mode == Mode::Lws && !plan.rwx) {
            notes.push_back(makeMessage(msg::kNoteDownloadEachPod, {plan.modelId, plan.download.endpoint}));
        } else {
            notes.push_back(makeMessage(msg::kNoteDownloadJob, {names.downloadJob, plan.modelId, plan.download.revision,
                                                                plan.download.endpoint}));
        }
        break;
    case Storage::S3:
        if (plan.mode == Mode::KServe) {
            notes.push_back(makeMessage(msg::kNoteKServeS3));
        } else {
            notes.push_back(makeMessage(msg::kNoteS3EachPod));
        }
        break;
    case Storage::Image:
        notes.push_back(makeMessage(msg::kNoteImage, {plan.imageModelPath}));
        break;
    }
    if (plan.security == Security::Privileged && !openshift && !plan.createNamespace) {
        notes.push_back(makeMessage(msg::kNotePodSecurity, {plan.namespaceName}));
    }
    if (plan.rdma && plan.security == Security::Restricted && openshift) {
        notes.push_back(makeMessage(msg::kNoteRdmaScc, {names.serviceAccount}));
    }
    if (plan.mode == Mode::Lws) {
        notes.push_back(makeMessage(openshift ? msg::kNoteLwsOpenShift : msg::kNoteLwsKubernetes));
    }
    if (plan.mode == Mode::KServe) {
        notes.push_back(makeMessage(openshift ? msg::kNoteKServeOpenShift : msg::kNoteKServeKubernetes));
    }
    return notes;
}

} // namespace slipway::deploy
