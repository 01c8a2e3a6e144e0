#pragma once
// Building blocks shared by the renderers (internal to core/deploy).
#include "deploy/deployment_plan.h"
#include "deploy/names.h"
#include "deploy/server_command.h"
#include "deploy/yaml_doc.h"

#include <string>
#include <string_view>
#include <vector>

namespace slipway::deploy::detail {

// app.kubernetes.io/component values.
inline constexpr std::string_view kServerComponent = "inference-server";
inline constexpr std::string_view kStorageComponent = "model-storage";
inline constexpr std::string_view kLoaderComponent = "model-loader";
inline constexpr std::string_view kDownloadComponent = "model-download";

inline constexpr std::string_view kModelVolume = "model";
inline constexpr std::string_view kShmVolume = "dshm";
inline constexpr std::string_view kLoaderMountPath = "/models";
inline constexpr std::string_view kDownloadMarker = ".slipway-download-complete";
// UID/GID/fsGroup for non-root pods on plain Kubernetes. OpenShift assigns its own from the
// namespace's range (restricted-v2 refuses others), so nothing is set there.
inline constexpr int kNonRootId = 1001;

// One rendered object before numbering.
struct Manifest {
    std::string kind;
    std::string name;
    YamlValue document;
};

// "sglang" or "slipway-engine": app.kubernetes.io/name.
std::string appName(const DeploymentPlan &plan);
YamlValue labels(const DeploymentPlan &plan, std::string_view component);
YamlValue selectorLabels(const DeploymentPlan &plan, std::string_view component);
// metadata with name, namespace (when namespaced), labels and the slipway.io/model annotation.
YamlValue metadata(const DeploymentPlan &plan, const std::string &name, std::string_view component,
                   bool namespaced = true);
YamlValue object(std::string_view apiVersion, std::string_view kind, YamlValue meta);

// Whether the model volume is one PVC shared by all server pods (pvc, download through a Job).
bool usesSharedClaim(const DeploymentPlan &plan);
// Whether LWS uses the guide's two claims (leader's and worker's), for pvc without RWX.
bool usesLeaderWorkerClaims(const DeploymentPlan &plan);
// Whether every server pod fills its own ephemeral volume in an init container.
bool usesPerPodVolume(const DeploymentPlan &plan);
// The S3 Secret's name (rendered or existing).
std::string s3SecretName(const DeploymentPlan &plan);

// Security contexts (see render_pod.cpp for the reasoning).
YamlValue serverContainerSecurity(const DeploymentPlan &plan);
YamlValue helperContainerSecurity(const DeploymentPlan &plan, bool inPrivilegedPod);
YamlValue nonRootPodSecurity(const DeploymentPlan &plan);

YamlValue shmVolume(const DeploymentPlan &plan);
YamlValue claimVolume(const std::string &claimName, bool readOnly);
YamlValue ephemeralModelVolume(const DeploymentPlan &plan);
YamlValue gpuTolerations(const DeploymentPlan &plan);
YamlValue envValue(const std::string &name, const std::string &value);
YamlValue envFromSecret(const std::string &name, const std::string &secret, const std::string &key, bool optional);

// The server container (Deployment, LWS leader/worker).
YamlValue serverContainer(const DeploymentPlan &plan, ServerRole role);
YamlValue serverEnv(const DeploymentPlan &plan, ServerRole role);
YamlValue serverResources(const DeploymentPlan &plan);
void addServerProbes(const DeploymentPlan &plan, YamlValue &container);
// The pod spec of a Deployment or an LWS template; claimName for shared/leader/worker claims.
YamlValue serverPodSpec(const DeploymentPlan &plan, ServerRole role, const std::string &claimName);

// Storage (render_storage.cpp).
std::vector<Manifest> storageManifests(const DeploymentPlan &plan);
std::vector<Manifest> s3SecretManifests(const DeploymentPlan &plan);
YamlValue downloadContainer(const DeploymentPlan &plan, const std::string &name, const std::string &mountPath);
YamlValue waitForDownloadContainer(const DeploymentPlan &plan, const std::string &mountPath);
YamlValue s3SyncContainer(const DeploymentPlan &plan);
std::string downloadScript();

// Workloads and access (render_workloads.cpp).
std::vector<Manifest> deploymentManifests(const DeploymentPlan &plan);
std::vector<Manifest> kserveManifests(const DeploymentPlan &plan);
std::vector<Manifest> lwsManifests(const DeploymentPlan &plan);
Manifest serviceManifest(const DeploymentPlan &plan, YamlValue selector);
Manifest routeManifest(const DeploymentPlan &plan, const std::string &service, YamlValue targetPort);
Manifest ingressManifest(const DeploymentPlan &plan);

} // namespace slipway::deploy::detail
