// The server workloads (Deployment, ServingRuntime + InferenceService, LeaderWorkerSet) and the
// objects that expose them (Service, Route, Ingress).
#include "deploy/render_parts.h"

namespace slipway::deploy::detail {

namespace {

std::string displayName(const DeploymentPlan &plan)
{
    return plan.modelId.empty() ? plan.name : plan.modelId;
}

std::string runtimeDisplayName(const DeploymentPlan &plan)
{
    return plan.runtime == Runtime::SGLang ? "SGLang ServingRuntime for KServe (" + plan.name + ")"
                                           : "Slipway engine ServingRuntime for KServe (" + plan.name + ")";
}

} // namespace

Manifest serviceManifest(const DeploymentPlan &plan, YamlValue selector)
{
    const std::string name = objectNames(plan).service;
    YamlValue doc = object("v1", "Service", metadata(plan, name, kServerComponent));
    YamlValue spec = YamlValue::map();
    spec.set("type", "ClusterIP");
    spec.set("selector", std::move(selector));
    spec.set("ports", YamlValue::sequence().push(
                          YamlValue::map().set("name", "http").set("port", plan.port).set("targetPort", "http").set("protocol", "TCP")));
    doc.set("spec", std::move(spec));
    return {"Service", name, std::move(doc)};
}

// Edge TLS at the router; plain HTTP is redirected. Generations can take minutes, far past the
// router's 30 s default, hence the timeout annotation.
Manifest routeManifest(const DeploymentPlan &plan, const std::string &service, YamlValue targetPort)
{
    const std::string name = objectNames(plan).route;
    YamlValue meta = metadata(plan, name, kServerComponent);
    meta.child("annotations").set("haproxy.router.openshift.io/timeout", "10m");
    YamlValue doc = object("route.openshift.io/v1", "Route", std::move(meta));
    YamlValue spec = YamlValue::map();
    if (!plan.routeHost.empty())
        spec.set("host", plan.routeHost);
    spec.set("to", YamlValue::map().set("kind", "Service").set("name", service).set("weight", 100));
    spec.set("port", YamlValue::map().set("targetPort", std::move(targetPort)));
    spec.set("tls", YamlValue::map().set("termination", "edge").set("insecureEdgeTerminationPolicy", "Redirect"));
    spec.set("wildcardPolicy", "None");
    doc.set("spec", std::move(spec));
    return {"Route", name, std::move(doc)};
}

Manifest ingressManifest(const DeploymentPlan &plan)
{
    const ObjectNames names = objectNames(plan);
    YamlValue meta = metadata(plan, names.route, kServerComponent);
    // ingress-nginx reads these; other controllers ignore them. Long generations need long timeouts.
    meta.child("annotations")
        .set("nginx.ingress.kubernetes.io/proxy-read-timeout", "600")
        .set("nginx.ingress.kubernetes.io/proxy-send-timeout", "600")
        .set("nginx.ingress.kubernetes.io/proxy-body-size", "16m");
    YamlValue doc = object("networking.k8s.io/v1", "Ingress", std::move(meta));
    YamlValue backend = YamlValue::map().set(
        "service", YamlValue::map().set("name", names.service).set("port", YamlValue::map().set("name", "http")));
    YamlValue path = YamlValue::map().set("path", "/").set("pathType", "Prefix").set("backend", std::move(backend));
    YamlValue rule = YamlValue::map();
    if (!plan.ingressHost.empty())
        rule.set("host", plan.ingressHost);
    rule.set("http", YamlValue::map().set("paths", YamlValue::sequence().push(std::move(path))));
    YamlValue spec = YamlValue::map();
    if (!plan.ingressClassName.empty())
        spec.set("ingressClassName", plan.ingressClassName);
    spec.set("rules", YamlValue::sequence().push(std::move(rule)));
    doc.set("spec", std::move(spec));
    return {"Ingress", names.route, std::move(doc)};
}

std::vector<Manifest> deploymentManifests(const DeploymentPlan &plan)
{
    const ObjectNames names = objectNames(plan);
    YamlValue doc = object("apps/v1", "Deployment", metadata(plan, names.server, kServerComponent));
    YamlValue templ = YamlValue::map();
    templ.set("metadata", YamlValue::map().set("labels", labels(plan, kServerComponent)));
    templ.set("spec", serverPodSpec(plan, ServerRole::Single, names.modelsClaim));
    YamlValue spec = YamlValue::map();
    spec.set("replicas", plan.replicas);
    // GPUs are scarce and the model PVC may be ReadWriteOnce: stop the old pod before starting a new one.
    spec.set("strategy", YamlValue::map().set("type", "Recreate"));
    spec.set("selector", YamlValue::map().set("matchLabels", selectorLabels(plan, kServerComponent)));
    spec.set("template", std::move(templ));
    doc.set("spec", std::move(spec));

    std::vector<Manifest> result;
    result.push_back({"Deployment", names.server, std::move(doc)});
    result.push_back(serviceManifest(plan, selectorLabels(plan, kServerComponent)));
    if (plan.platform == Platform::OpenShift)
        result.push_back(routeManifest(plan, names.service, "http"));
    else
        result.push_back(ingressManifest(plan));
    return result;
}

// The ServingRuntime carries the whole command line (its name equals the InferenceService's, which
// the OpenShift AI dashboard needs to show the pair); the InferenceService carries resources and
// the model's location.
std::vector<Manifest> kserveManifests(const DeploymentPlan &plan)
{
    const ObjectNames names = objectNames(plan);
    const ServerCommand cmd = serverCommand(plan, ServerRole::Single);

    YamlValue runtimeMeta = metadata(plan, names.server, kServerComponent);
    runtimeMeta.child("labels").set("opendatahub.io/dashboard", "true");
    runtimeMeta.child("annotations")
        .set("opendatahub.io/recommended-accelerators", "[\"" + plan.gpuResource + "\"]")
        .set("opendatahub.io/apiProtocol", "REST")
        .set("openshift.io/display-name", runtimeDisplayName(plan));
    YamlValue runtime = object("serving.kserve.io/v1alpha1", "ServingRuntime", std::move(runtimeMeta));
    YamlValue container = YamlValue::map();
    container.set("name", "kserve-container");
    container.set("image", effectiveImage(plan));
    container.set("command", YamlValue::sequence(cmd.command));
    container.set("args", YamlValue::sequence(cmd.args));
    container.set("env", serverEnv(plan, ServerRole::Single));
    container.set("ports", YamlValue::sequence().push(YamlValue::map().set("containerPort", plan.port).set("protocol", "TCP")));
    container.set("securityContext", serverContainerSecurity(plan));
    container.set("volumeMounts", YamlValue::sequence().push(YamlValue::map().set("name", kShmVolume).set("mountPath", "/dev/shm")));
    addServerProbes(plan, container);
    YamlValue runtimeSpec = YamlValue::map();
    if (plan.enableMetrics) {
        runtimeSpec.set("annotations", YamlValue::map()
                                           .set("prometheus.io/path", "/metrics")
                                           .set("prometheus.io/port", std::to_string(plan.port)));
    }
    runtimeSpec.set("containers", YamlValue::sequence().push(std::move(container)));
    runtimeSpec.set("multiModel", false);
    runtimeSpec.set("supportedModelFormats",
                    YamlValue::sequence().push(YamlValue::map().set("autoSelect", true).set("name", appName(plan))));
    runtimeSpec.set("volumes", YamlValue::sequence().push(shmVolume(plan)));
    runtime.set("spec", std::move(runtimeSpec));

    YamlValue isvcMeta = metadata(plan, names.server, kServerComponent);
    isvcMeta.child("labels").set("opendatahub.io/dashboard", "true");
    isvcMeta.child("annotations")
        .set("serving.kserve.io/deploymentMode", "RawDeployment")
        .set("openshift.io/display-name", displayName(plan));
    YamlValue isvc = object("serving.kserve.io/v1beta1", "InferenceService", std::move(isvcMeta));
    YamlValue model = YamlValue::map();
    model.set("modelFormat", YamlValue::map().set("name", appName(plan)));
    model.set("runtime", names.server);
    const std::string dir = effectiveModelDir(plan);
    if (plan.storage == Storage::S3) {
        model.set("storageUri", s3Uri(plan));
    } else if (plan.storage == Storage::Pvc || plan.storage == Storage::Download) {
        model.set("storageUri", "pvc://" + names.modelsClaim + "/" + dir);
    }
    model.set("resources", serverResources(plan));
    YamlValue predictor = YamlValue::map();
    predictor.set("minReplicas", plan.replicas);
    predictor.set("maxReplicas", plan.replicas);
    predictor.set("serviceAccountName", names.serviceAccount);
    if (!plan.imagePullSecret.empty())
        predictor.set("imagePullSecrets", YamlValue::sequence().push(YamlValue::map().set("name", plan.imagePullSecret)));
    if (plan.security == Security::Restricted)
        predictor.set("securityContext", nonRootPodSecurity(plan));
    if (plan.tolerateGpuTaint)
        predictor.set("tolerations", gpuTolerations(plan));
    if (plan.storage == Storage::Download) {
        // As for Deployments: wait for the download Job's marker rather than crash-loop meanwhile.
        predictor.set("initContainers", YamlValue::sequence().push(waitForDownloadContainer(plan, std::string(kLoaderMountPath))));
        predictor.set("volumes", YamlValue::sequence().push(claimVolume(names.modelsClaim, true)));
    }
    predictor.set("model", std::move(model));
    isvc.set("spec", YamlValue::map().set("predictor", std::move(predictor)));

    std::vector<Manifest> result;
    result.push_back({"ServingRuntime", names.server, std::move(runtime)});
    result.push_back({"InferenceService", names.server, std::move(isvc)});
    // KServe creates the <name>-predictor Service; the Route targets the container port by number
    // because that Service's port names are KServe's choice.
    if (plan.platform == Platform::OpenShift)
        result.push_back(routeManifest(plan, names.service, plan.port));
    return result;
}

std::vector<Manifest> lwsManifests(const DeploymentPlan &plan)
{
    const ObjectNames names = objectNames(plan);
    const bool twoClaims = usesLeaderWorkerClaims(plan);
    const auto roleTemplate = [&](ServerRole role) {
        YamlValue podLabels = labels(plan, kServerComponent);
        podLabels.set("role", role == ServerRole::Leader ? "leader" : "worker");
        const std::string claim = twoClaims ? (role == ServerRole::Leader ? names.leaderClaim : names.workerClaim) : names.modelsClaim;
        return YamlValue::map()
            .set("metadata", YamlValue::map().set("labels", std::move(podLabels)))
            .set("spec", serverPodSpec(plan, role, claim));
    };
    YamlValue doc = object("leaderworkerset.x-k8s.io/v1", "LeaderWorkerSet", metadata(plan, names.server, kServerComponent));
    YamlValue group = YamlValue::map();
    group.set("size", plan.nodes);
    // Any failed rank breaks the NCCL group: restart all of it together.
    group.set("restartPolicy", "RecreateGroupOnPodRestart");
    group.set("leaderTemplate", roleTemplate(ServerRole::Leader));
    group.set("workerTemplate", roleTemplate(ServerRole::Worker));
    YamlValue spec = YamlValue::map();
    spec.set("replicas", plan.replicas);
    // LeaderCreated, not LeaderReady: the leader only becomes ready once every worker has joined.
    spec.set("startupPolicy", "LeaderCreated");
    spec.set("leaderWorkerTemplate", std::move(group));
    doc.set("spec", std::move(spec));

    YamlValue selector = YamlValue::map();
    selector.set("leaderworkerset.sigs.k8s.io/name", names.server);
    selector.set("app.kubernetes.io/instance", plan.name);
    selector.set("role", "leader");

    std::vector<Manifest> result;
    result.push_back({"LeaderWorkerSet", names.server, std::move(doc)});
    result.push_back(serviceManifest(plan, std::move(selector)));
    if (plan.platform == Platform::OpenShift)
        result.push_back(routeManifest(plan, names.service, "http"));
    else
        result.push_back(ingressManifest(plan));
    return result;
}

} // namespace slipway::deploy::detail
