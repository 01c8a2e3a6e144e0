// Model storage: PVCs, loader pods, the download Job and its script, the S3 Secret and sync.
#include "deploy/render_parts.h"

namespace slipway::deploy::detail {

namespace {

std::string joinPath(const std::string &dir, const std::string &leaf)
{
    return (dir.size() > 1 && dir.back() == '/' ? dir.substr(0, dir.size() - 1) : dir) + "/" + leaf;
}

Manifest claimManifest(const DeploymentPlan &plan, const std::string &name, bool rwx)
{
    YamlValue doc = object("v1", "PersistentVolumeClaim", metadata(plan, name, kStorageComponent));
    YamlValue spec = YamlValue::map();
    spec.set("accessModes", YamlValue::sequence({rwx ? "ReadWriteMany" : "ReadWriteOnce"}));
    if (!plan.storageClass.empty())
        spec.set("storageClassName", plan.storageClass);
    spec.set("resources", YamlValue::map().set("requests", YamlValue::map().set("storage", memoryQuantity(plan.volumeBytes))));
    spec.set("volumeMode", "Filesystem");
    doc.set("spec", std::move(spec));
    return {"PersistentVolumeClaim", name, std::move(doc)};
}

YamlValue helperPodSpecBase(const DeploymentPlan &plan)
{
    YamlValue spec = YamlValue::map();
    spec.set("serviceAccountName", objectNames(plan).serviceAccount);
    if (!plan.imagePullSecret.empty())
        spec.set("imagePullSecrets", YamlValue::sequence().push(YamlValue::map().set("name", plan.imagePullSecret)));
    spec.set("securityContext", nonRootPodSecurity(plan));
    return spec;
}

YamlValue helperResources(const char *cpu, const char *memoryRequest, const char *memoryLimit)
{
    return YamlValue::map()
        .set("requests", YamlValue::map().set("cpu", cpu).set("memory", memoryRequest))
        .set("limits", YamlValue::map().set("memory", memoryLimit));
}

// A pod that only holds the PVC open so that `oc cp` / `kubectl cp` (tar through exec) can fill it.
Manifest loaderManifest(const DeploymentPlan &plan, const std::string &podName, const std::string &claimName)
{
    YamlValue meta = metadata(plan, podName, kLoaderComponent);
    const std::string dir = effectiveModelDir(plan);
    meta.child("annotations")
        .set("slipway.io/usage", "copy the model folder into " + joinPath(std::string(kLoaderMountPath), dir) +
                                     " (oc cp ./" + dir + " " + plan.namespaceName + "/" + podName + ":" +
                                     std::string(kLoaderMountPath) + "/), then delete this pod");
    YamlValue doc = object("v1", "Pod", std::move(meta));
    YamlValue spec = helperPodSpecBase(plan);
    spec.set("restartPolicy", "Never");
    spec.set("terminationGracePeriodSeconds", 5);
    YamlValue container = YamlValue::map();
    container.set("name", "loader");
    container.set("image", plan.loaderImage);
    container.set("command", YamlValue::sequence({"sleep", "infinity"}));
    container.set("resources", helperResources("100m", "256Mi", "1Gi"));
    container.set("securityContext", helperContainerSecurity(plan, false));
    container.set("volumeMounts", YamlValue::sequence().push(
                                      YamlValue::map().set("name", kModelVolume).set("mountPath", kLoaderMountPath)));
    spec.set("containers", YamlValue::sequence().push(std::move(container)));
    spec.set("volumes", YamlValue::sequence().push(claimVolume(claimName, false)));
    doc.set("spec", std::move(spec));
    return {"Pod", podName, std::move(doc)};
}

Manifest downloadJobManifest(const DeploymentPlan &plan, const std::string &claimName)
{
    const ObjectNames names = objectNames(plan);
    YamlValue doc = object("batch/v1", "Job", metadata(plan, names.downloadJob, kDownloadComponent));
    YamlValue podSpec = helperPodSpecBase(plan);
    podSpec.set("restartPolicy", "OnFailure");
    podSpec.set("containers", YamlValue::sequence().push(downloadContainer(plan, "download", std::string(kLoaderMountPath))));
    podSpec.set("volumes", YamlValue::sequence().push(claimVolume(claimName, false)));
    YamlValue templ = YamlValue::map();
    templ.set("metadata", YamlValue::map().set("labels", labels(plan, kDownloadComponent)));
    templ.set("spec", std::move(podSpec));
    // Completed files are kept (written to .part, then renamed), so a retry resumes.
    doc.set("spec", YamlValue::map().set("backoffLimit", 6).set("template", std::move(templ)));
    return {"Job", names.downloadJob, std::move(doc)};
}

} // namespace

// A stdlib-only downloader for a Hugging Face-compatible endpoint (huggingface.co, hf-mirror.com,
// or a private mirror): lists the revision's files through /api/models/<id>/revision/<rev> and fetches
// each through /<id>/resolve/<rev>/<file>, writing <file>.part then renaming it, so an interrupted
// run resumes file by file. A marker file records completion for the pods waiting on it.
// Kubernetes expands $(NAME) in commands, so the script must not contain that sequence.
std::string downloadScript()
{
    return R"(import json, os, sys, urllib.parse, urllib.request

endpoint = os.environ["HF_ENDPOINT"].rstrip("/")
repo = os.environ["MODEL_ID"]
revision = os.environ.get("MODEL_REVISION") or "main"
target = os.environ["TARGET_DIR"]
token = os.environ.get("HF_TOKEN", "")
marker = os.path.join(target, ".slipway-download-complete")


def open_url(url):
    request = urllib.request.Request(url, headers={"User-Agent": "slipway-download"})
    if token:
        request.add_header("Authorization", "Bearer " + token)
    return urllib.request.urlopen(request, timeout=120)


if os.path.exists(marker):
    print("model already present in " + target)
    sys.exit(0)
rev = urllib.parse.quote(revision, safe="")
try:
    with open_url(endpoint + "/api/models/" + repo + "/revision/" + rev) as response:
        info = json.load(response)
except Exception as error:
    sys.exit("cannot list " + repo + "@" + revision + " at " + endpoint + ": " + str(error))
files = [entry["rfilename"] for entry in info.get("siblings", [])]
if not files:
    sys.exit("no files listed for " + repo + "@" + revision + " at " + endpoint)
os.makedirs(target, exist_ok=True)
for number, name in enumerate(files, 1):
    if name.startswith("/") or ".." in name.split("/"):
        sys.exit("refusing unsafe file name " + name)
    dest = os.path.join(target, name)
    if os.path.exists(dest):
        print("[%d/%d] %s already present" % (number, len(files), name), flush=True)
        continue
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    url = endpoint + "/" + repo + "/resolve/" + rev + "/" + urllib.parse.quote(name)
    print("[%d/%d] %s" % (number, len(files), name), flush=True)
    with open_url(url) as response, open(dest + ".part", "wb") as out:
        while True:
            chunk = response.read(8 << 20)
            if not chunk:
                break
            out.write(chunk)
    os.replace(dest + ".part", dest)
open(marker, "w").close()
print("downloaded %d files of %s into %s" % (len(files), repo, target))
)";
}

YamlValue downloadContainer(const DeploymentPlan &plan, const std::string &name, const std::string &mountPath)
{
    const bool inServerPod = usesPerPodVolume(plan);
    YamlValue container = YamlValue::map();
    container.set("name", name);
    container.set("image", plan.download.image);
    container.set("command", YamlValue::sequence().push("python3").push("-c").push(YamlValue::literal(downloadScript())));
    YamlValue env = YamlValue::sequence();
    env.push(envValue("HF_ENDPOINT", plan.download.endpoint));
    env.push(envValue("MODEL_ID", plan.modelId));
    env.push(envValue("MODEL_REVISION", plan.download.revision));
    env.push(envValue("TARGET_DIR", joinPath(mountPath, effectiveModelDir(plan))));
    if (!plan.download.tokenSecret.empty())
        env.push(envFromSecret("HF_TOKEN", plan.download.tokenSecret, "HF_TOKEN", false));
    env.push(envValue("HOME", "/tmp"));
    env.push(envValue("PYTHONUNBUFFERED", "1"));
    container.set("env", std::move(env));
    container.set("resources", helperResources("500m", "512Mi", "2Gi"));
    container.set("securityContext", helperContainerSecurity(plan, inServerPod && plan.security == Security::Privileged));
    container.set("volumeMounts", YamlValue::sequence().push(
                                      YamlValue::map().set("name", kModelVolume).set("mountPath", mountPath)));
    return container;
}

// Server pods sharing the download PVC wait for the Job's marker instead of crash-looping on a
// half-downloaded model.
YamlValue waitForDownloadContainer(const DeploymentPlan &plan, const std::string &mountPath)
{
    const std::string marker = joinPath(joinPath(mountPath, effectiveModelDir(plan)), std::string(kDownloadMarker));
    YamlValue container = YamlValue::map();
    container.set("name", "wait-for-model");
    container.set("image", plan.download.image);
    container.set("command", YamlValue::sequence()
                                 .push("python3")
                                 .push("-c")
                                 .push(YamlValue::literal("import os, sys, time\n"
                                                          "marker = sys.argv[1]\n"
                                                          "while not os.path.exists(marker):\n"
                                                          "    print('waiting for the download Job: ' + marker, flush=True)\n"
                                                          "    time.sleep(15)\n"))
                                 .push(marker));
    container.set("resources", helperResources("50m", "64Mi", "256Mi"));
    container.set("securityContext", helperContainerSecurity(plan, plan.security == Security::Privileged));
    container.set("volumeMounts", YamlValue::sequence().push(
                                      YamlValue::map().set("name", kModelVolume).set("mountPath", mountPath).set("readOnly", true)));
    return container;
}

// Outside KServe, S3 models are copied per pod at start, as KServe's storage initializer does.
YamlValue s3SyncContainer(const DeploymentPlan &plan)
{
    const std::string source = s3Uri(plan);
    const std::string secret = s3SecretName(plan);
    YamlValue container = YamlValue::map();
    container.set("name", "s3-sync");
    container.set("image", plan.s3.syncImage);
    container.set("command", YamlValue::sequence({"aws"}));
    container.set("args", YamlValue::sequence({"s3", "sync", source, joinPath(plan.modelMountPath, effectiveModelDir(plan)),
                                               "--endpoint-url", plan.s3.endpoint, "--no-progress"}));
    YamlValue env = YamlValue::sequence();
    env.push(envFromSecret("AWS_ACCESS_KEY_ID", secret, "AWS_ACCESS_KEY_ID", false));
    env.push(envFromSecret("AWS_SECRET_ACCESS_KEY", secret, "AWS_SECRET_ACCESS_KEY", false));
    if (!plan.s3.region.empty())
        env.push(envValue("AWS_DEFAULT_REGION", plan.s3.region));
    env.push(envValue("HOME", "/tmp"));
    container.set("env", std::move(env));
    container.set("resources", helperResources("500m", "512Mi", "2Gi"));
    container.set("securityContext", helperContainerSecurity(plan, plan.security == Security::Privileged));
    container.set("volumeMounts", YamlValue::sequence().push(
                                      YamlValue::map().set("name", kModelVolume).set("mountPath", plan.modelMountPath)));
    return container;
}

std::vector<Manifest> storageManifests(const DeploymentPlan &plan)
{
    const ObjectNames names = objectNames(plan);
    std::vector<Manifest> result;
    if (plan.storage == Storage::Pvc) {
        if (usesLeaderWorkerClaims(plan)) {
            // The guide's layout without RWX: one claim and one loader for each of the two pods.
            result.push_back(claimManifest(plan, names.leaderClaim, false));
            result.push_back(claimManifest(plan, names.workerClaim, false));
            result.push_back(loaderManifest(plan, names.leaderLoaderPod, names.leaderClaim));
            result.push_back(loaderManifest(plan, names.workerLoaderPod, names.workerClaim));
        } else {
            result.push_back(claimManifest(plan, names.modelsClaim, plan.rwx));
            result.push_back(loaderManifest(plan, names.loaderPod, names.modelsClaim));
        }
    } else if (plan.storage == Storage::Download && usesSharedClaim(plan)) {
        result.push_back(claimManifest(plan, names.modelsClaim, plan.rwx));
        result.push_back(downloadJobManifest(plan, names.modelsClaim));
    }
    return result;
}

// The S3 credentials, readable both by KServe (keys + serving.kserve.io/s3-* annotations, attached
// to the predictor's ServiceAccount) and by the OpenShift AI dashboard as an S3 connection
// (AWS_S3_ENDPOINT, AWS_S3_BUCKET, AWS_DEFAULT_REGION, label opendatahub.io/dashboard).
std::vector<Manifest> s3SecretManifests(const DeploymentPlan &plan)
{
    if (plan.storage != Storage::S3 || !plan.s3.existingSecret.empty())
        return {};
    const std::string name = objectNames(plan).s3Secret;
    const std::string &endpoint = plan.s3.endpoint;
    const bool https = endpoint.rfind("https://", 0) == 0;
    std::string hostPort = endpoint.substr(endpoint.find("://") + 3);
    hostPort = hostPort.substr(0, hostPort.find('/'));

    YamlValue meta = metadata(plan, name, kStorageComponent);
    meta.child("labels").set("opendatahub.io/dashboard", "true");
    YamlValue &annotations = meta.child("annotations");
    annotations.set("serving.kserve.io/s3-endpoint", hostPort);
    annotations.set("serving.kserve.io/s3-usehttps", https ? "1" : "0");
    if (!plan.s3.region.empty())
        annotations.set("serving.kserve.io/s3-region", plan.s3.region);
    annotations.set("opendatahub.io/connection-type", "s3");
    annotations.set("openshift.io/display-name", plan.name + " model storage");
    YamlValue doc = object("v1", "Secret", std::move(meta));
    doc.set("type", "Opaque");
    YamlValue data = YamlValue::map();
    data.set("AWS_ACCESS_KEY_ID", plan.s3.accessKeyId);
    data.set("AWS_SECRET_ACCESS_KEY", plan.s3.secretAccessKey);
    data.set("AWS_S3_ENDPOINT", endpoint);
    data.set("AWS_S3_BUCKET", plan.s3.bucket);
    if (!plan.s3.region.empty())
        data.set("AWS_DEFAULT_REGION", plan.s3.region);
    doc.set("stringData", std::move(data));
    return {{"Secret", name, std::move(doc)}};
}

} // namespace slipway::deploy::detail
