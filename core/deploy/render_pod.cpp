// Pod-level pieces: labels, security contexts, volumes, the server container and its probes.
#include "deploy/render_parts.h"

namespace slipway::deploy::detail {

std::string appName(const DeploymentPlan &plan)
{
    return plan.runtime == Runtime::SGLang ? "sglang" : "slipway-engine";
}

YamlValue labels(const DeploymentPlan &plan, std::string_view component)
{
    YamlValue result = YamlValue::map();
    result.set("app.kubernetes.io/name", appName(plan));
    result.set("app.kubernetes.io/instance", plan.name);
    result.set("app.kubernetes.io/component", component);
    result.set("app.kubernetes.io/part-of", "slipway");
    result.set("app.kubernetes.io/managed-by", "slipway");
    return result;
}

YamlValue selectorLabels(const DeploymentPlan &plan, std::string_view component)
{
    YamlValue result = YamlValue::map();
    result.set("app.kubernetes.io/name", appName(plan));
    result.set("app.kubernetes.io/instance", plan.name);
    result.set("app.kubernetes.io/component", component);
    return result;
}

YamlValue metadata(const DeploymentPlan &plan, const std::string &name, std::string_view component, bool namespaced)
{
    YamlValue meta = YamlValue::map();
    meta.set("name", name);
    if (namespaced)
        meta.set("namespace", plan.namespaceName);
    meta.set("labels", labels(plan, component));
    if (!plan.modelId.empty())
        meta.child("annotations").set("slipway.io/model", plan.modelId);
    return meta;
}

YamlValue object(std::string_view apiVersion, std::string_view kind, YamlValue meta)
{
    YamlValue doc = YamlValue::map();
    doc.set("apiVersion", apiVersion);
    doc.set("kind", kind);
    doc.set("metadata", std::move(meta));
    return doc;
}

bool usesSharedClaim(const DeploymentPlan &plan)
{
    if (plan.storage == Storage::Pvc)
        return !usesLeaderWorkerClaims(plan);
    if (plan.storage == Storage::Download)
        return plan.mode != Mode::Lws || plan.rwx;
    return false;
}

bool usesLeaderWorkerClaims(const DeploymentPlan &plan)
{
    return plan.mode == Mode::Lws && plan.storage == Storage::Pvc && !plan.rwx;
}

bool usesPerPodVolume(const DeploymentPlan &plan)
{
    if (plan.mode == Mode::KServe)
        return false;
    return plan.storage == Storage::S3 || (plan.storage == Storage::Download && plan.mode == Mode::Lws && !plan.rwx);
}

std::string s3SecretName(const DeploymentPlan &plan)
{
    return plan.s3.existingSecret.empty() ? objectNames(plan).s3Secret : plan.s3.existingSecret;
}

// Privileged: the guide's `privileged: true`. Restricted: what OpenShift's restricted-v2 SCC and the
// Kubernetes "restricted" Pod Security Standard accept; SGLang needs no more on one node (a memory
// /dev/shm replaces IPC). RDMA adds IPC_LOCK to pin memory for the NIC, and only then (note that
// restricted-v2 does not allow IPC_LOCK: on OpenShift such pods need an SCC that does).
YamlValue serverContainerSecurity(const DeploymentPlan &plan)
{
    if (plan.security == Security::Privileged)
        return YamlValue::map().set("privileged", true);
    YamlValue security = YamlValue::map();
    security.set("allowPrivilegeEscalation", false);
    YamlValue capabilities = YamlValue::map().set("drop", YamlValue::sequence({"ALL"}));
    if (plan.rdma)
        capabilities.set("add", YamlValue::sequence({"IPC_LOCK"}));
    security.set("capabilities", std::move(capabilities));
    security.set("runAsNonRoot", true);
    if (plan.platform == Platform::Kubernetes) {
        security.set("runAsUser", kNonRootId);
        security.set("runAsGroup", kNonRootId);
    }
    security.set("seccompProfile", YamlValue::map().set("type", "RuntimeDefault"));
    return security;
}

// Helpers (loader, download, S3 sync) never need privileges. Inside a privileged server pod they
// run as the image's user (the pod is admitted by the privileged SCC, which assigns no UID, and
// the images run as root); everywhere else as non-root.
YamlValue helperContainerSecurity(const DeploymentPlan &plan, bool inPrivilegedPod)
{
    YamlValue security = YamlValue::map();
    security.set("allowPrivilegeEscalation", false);
    security.set("capabilities", YamlValue::map().set("drop", YamlValue::sequence({"ALL"})));
    if (!inPrivilegedPod) {
        security.set("runAsNonRoot", true);
        if (plan.platform == Platform::Kubernetes) {
            security.set("runAsUser", kNonRootId);
            security.set("runAsGroup", kNonRootId);
        }
    }
    security.set("seccompProfile", YamlValue::map().set("type", "RuntimeDefault"));
    return security;
}

YamlValue nonRootPodSecurity(const DeploymentPlan &plan)
{
    YamlValue security = YamlValue::map();
    security.set("runAsNonRoot", true);
    if (plan.platform == Platform::Kubernetes) {
        security.set("runAsUser", kNonRootId);
        security.set("runAsGroup", kNonRootId);
        security.set("fsGroup", kNonRootId); // makes fresh volumes writable for that user
    }
    security.set("seccompProfile", YamlValue::map().set("type", "RuntimeDefault"));
    return security;
}

YamlValue shmVolume(const DeploymentPlan &plan)
{
    return YamlValue::map()
        .set("name", kShmVolume)
        .set("emptyDir", YamlValue::map().set("medium", "Memory").set("sizeLimit", memoryQuantity(plan.shmBytes)));
}

YamlValue claimVolume(const std::string &claimName, bool readOnly)
{
    YamlValue claim = YamlValue::map().set("claimName", claimName);
    if (readOnly)
        claim.set("readOnly", true);
    return YamlValue::map().set("name", kModelVolume).set("persistentVolumeClaim", std::move(claim));
}

// A generic ephemeral volume: a PVC created with the pod and deleted with it. Unlike emptyDir it
// does not fill the node's disk, and unlike LWS volumeClaimTemplates (LWS >= 0.8) it works with
// every LWS version, at the price of copying the model again when a pod is recreated.
YamlValue ephemeralModelVolume(const DeploymentPlan &plan)
{
    YamlValue spec = YamlValue::map();
    spec.set("accessModes", YamlValue::sequence({"ReadWriteOnce"}));
    if (!plan.storageClass.empty())
        spec.set("storageClassName", plan.storageClass);
    spec.set("resources", YamlValue::map().set("requests", YamlValue::map().set("storage", memoryQuantity(plan.volumeBytes))));
    YamlValue templ = YamlValue::map();
    templ.set("metadata", YamlValue::map().set("labels", labels(plan, kStorageComponent)));
    templ.set("spec", std::move(spec));
    return YamlValue::map().set("name", kModelVolume).set("ephemeral", YamlValue::map().set("volumeClaimTemplate", std::move(templ)));
}

YamlValue gpuTolerations(const DeploymentPlan &plan)
{
    return YamlValue::sequence().push(
        YamlValue::map().set("key", plan.gpuResource).set("operator", "Exists").set("effect", "NoSchedule"));
}

YamlValue envValue(const std::string &name, const std::string &value)
{
    return YamlValue::map().set("name", name).set("value", value);
}

YamlValue envFromSecret(const std::string &name, const std::string &secret, const std::string &key, bool optional)
{
    YamlValue ref = YamlValue::map().set("name", secret).set("key", key);
    if (optional)
        ref.set("optional", true);
    return YamlValue::map().set("name", name).set("valueFrom", YamlValue::map().set("secretKeyRef", std::move(ref)));
}

YamlValue serverEnv(const DeploymentPlan &plan, ServerRole role)
{
    YamlValue env = YamlValue::sequence();
    if (plan.ncclIbGidIndex)
        env.push(envValue("NCCL_IB_GID_INDEX", std::to_string(*plan.ncclIbGidIndex)));
    if (role != ServerRole::Single) {
        // LWS injects it too; the guide sets it from the label so that older LWS versions work.
        env.push(YamlValue::map()
                     .set("name", "LWS_WORKER_INDEX")
                     .set("valueFrom", YamlValue::map().set("fieldRef", YamlValue::map().set(
                                                                            "fieldPath", "metadata.labels['leaderworkerset.sigs.k8s.io/worker-index']"))));
    }
    if (!plan.ncclSocketIfname.empty()) {
        env.push(envValue("NCCL_SOCKET_IFNAME", plan.ncclSocketIfname));
        env.push(envValue("GLOO_SOCKET_IFNAME", plan.ncclSocketIfname));
    }
    // A writable home and cache whatever the user id (the guide's ServingRuntime does the same).
    env.push(envValue("HOME", "/tmp"));
    env.push(envValue("HF_HOME", "/tmp/hf_home"));
    return env;
}

YamlValue serverResources(const DeploymentPlan &plan)
{
    YamlValue requests = YamlValue::map();
    YamlValue limits = YamlValue::map();
    requests.set("cpu", cpuQuantity(plan.cpuRequestMillis));
    if (plan.cpuLimitMillis > 0)
        limits.set("cpu", cpuQuantity(plan.cpuLimitMillis));
    requests.set("memory", memoryQuantity(plan.memoryRequestBytes));
    limits.set("memory", memoryQuantity(plan.memoryLimitBytes));
    // Extended resources: the request must equal the limit.
    requests.set(plan.gpuResource, std::to_string(plan.gpusPerNode));
    limits.set(plan.gpuResource, std::to_string(plan.gpusPerNode));
    if (plan.rdma) {
        requests.set(plan.rdmaResource, "1");
        limits.set(plan.rdmaResource, "1");
    }
    return YamlValue::map().set("requests", std::move(requests)).set("limits", std::move(limits));
}

// Probes, for the pod that serves HTTP (ranks >= 1 only answer health checks on 127.0.0.1, which
// the kubelet cannot reach, so workers get none; RecreateGroupOnPodRestart covers them).
// - startup: GET /health every 10 s for startupTimeoutSeconds: weights load before the HTTP server
//   starts, so this only succeeds once the model is in GPU memory.
// - readiness: GET /health_generate, which answers 200 only once a generation succeeds (503 while
//   starting); on a multi-node leader that means the whole TP group is up. A TCP check (the guide's)
//   passes while the group is still broken.
// - liveness: GET /health, cheap, so a server busy with long generations is not killed.
void addServerProbes(const DeploymentPlan &plan, YamlValue &container)
{
    const auto probe = [&](const char *path, int period, int timeout, int failures) {
        return YamlValue::map()
            .set("httpGet", YamlValue::map().set("path", path).set("port", plan.port).set("scheme", "HTTP"))
            .set("periodSeconds", period)
            .set("timeoutSeconds", timeout)
            .set("failureThreshold", failures);
    };
    const int startupPeriod = 10;
    const int startupFailures = (plan.startupTimeoutSeconds + startupPeriod - 1) / startupPeriod;
    container.set("startupProbe", probe("/health", startupPeriod, 5, startupFailures));
    container.set("readinessProbe", probe("/health_generate", 15, 20, 3));
    container.set("livenessProbe", probe("/health", 20, 10, 6));
}

YamlValue serverContainer(const DeploymentPlan &plan, ServerRole role)
{
    const ServerCommand cmd = serverCommand(plan, role);
    YamlValue container = YamlValue::map();
    // The guide's names: sglang-leader / sglang-worker (and slipway-engine-*).
    const std::string suffix = role == ServerRole::Worker ? "-worker" : (role == ServerRole::Leader ? "-leader" : "");
    container.set("name", appName(plan) + suffix);
    container.set("image", effectiveImage(plan));
    container.set("command", YamlValue::sequence(cmd.command));
    if (!cmd.args.empty())
        container.set("args", YamlValue::sequence(cmd.args));
    container.set("env", serverEnv(plan, role));
    if (role != ServerRole::Worker) {
        container.set("ports", YamlValue::sequence().push(
                                   YamlValue::map().set("name", "http").set("containerPort", plan.port).set("protocol", "TCP")));
    }
    container.set("resources", serverResources(plan));
    container.set("securityContext", serverContainerSecurity(plan));
    YamlValue mounts = YamlValue::sequence();
    mounts.push(YamlValue::map().set("name", kShmVolume).set("mountPath", "/dev/shm"));
    if (plan.storage != Storage::Image) {
        mounts.push(YamlValue::map().set("name", kModelVolume).set("mountPath", plan.modelMountPath).set("readOnly", true));
    }
    container.set("volumeMounts", std::move(mounts));
    if (role != ServerRole::Worker)
        addServerProbes(plan, container);
    return container;
}

YamlValue serverPodSpec(const DeploymentPlan &plan, ServerRole role, const std::string &claimName)
{
    const ObjectNames names = objectNames(plan);
    YamlValue spec = YamlValue::map();
    spec.set("serviceAccountName", names.serviceAccount);
    if (!plan.imagePullSecret.empty())
        spec.set("imagePullSecrets", YamlValue::sequence().push(YamlValue::map().set("name", plan.imagePullSecret)));
    if (plan.security == Security::Restricted)
        spec.set("securityContext", nonRootPodSecurity(plan));
    YamlValue init = YamlValue::sequence();
    if (plan.storage == Storage::Download && usesSharedClaim(plan))
        init.push(waitForDownloadContainer(plan, plan.modelMountPath));
    if (plan.storage == Storage::Download && usesPerPodVolume(plan))
        init.push(downloadContainer(plan, "download", plan.modelMountPath));
    if (plan.storage == Storage::S3)
        init.push(s3SyncContainer(plan));
    if (!init.empty())
        spec.set("initContainers", std::move(init));
    spec.set("containers", YamlValue::sequence().push(serverContainer(plan, role)));
    YamlValue volumes = YamlValue::sequence();
    volumes.push(shmVolume(plan));
    if (usesPerPodVolume(plan))
        volumes.push(ephemeralModelVolume(plan));
    else if (plan.storage != Storage::Image)
        volumes.push(claimVolume(claimName, false));
    spec.set("volumes", std::move(volumes));
    if (plan.tolerateGpuTaint)
        spec.set("tolerations", gpuTolerations(plan));
    return spec;
}

} // namespace slipway::deploy::detail
