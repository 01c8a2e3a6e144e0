#pragma once
// Kubernetes name rules and the names of the objects a plan renders.
#include <string>
#include <string_view>

namespace slipway::deploy {

struct DeploymentPlan;

// [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters (Namespace, container and port names).
bool isDns1123Label(std::string_view text);
// Dot-separated DNS-1123 labels, at most 253 characters (most object names, hosts).
bool isDns1123Subdomain(std::string_view text);
// [a-z]([-a-z0-9]*[a-z0-9])?, at most 63 characters (Service, LeaderWorkerSet, InferenceService).
bool isDns1035Label(std::string_view text);

// The longest plan name accepted: object names append suffixes such as "-scc-privileged" (15),
// LeaderWorkerSet pods "-<group>-<worker>" and their StatefulSets a 10-character revision hash, and
// KServe "-predictor"; all must stay within 63 characters.
inline constexpr std::size_t kMaxPlanNameLength = 42;

// Names of every object a plan can render. Pure functions of the plan's name.
struct ObjectNames {
    std::string server;          // Deployment, LeaderWorkerSet, InferenceService, ServingRuntime
    std::string serviceAccount;
    std::string sccRoleBinding;  // RoleBinding to system:openshift:scc:privileged
    std::string s3Secret;        // the rendered S3 Secret (plan.s3.existingSecret is used instead when set)
    std::string modelsClaim;     // the shared model PVC
    std::string leaderClaim;     // LWS without RWX: the leader's PVC
    std::string workerClaim;     // LWS without RWX: the worker's PVC
    std::string loaderPod;
    std::string leaderLoaderPod;
    std::string workerLoaderPod;
    std::string downloadJob;
    std::string service;         // the Service clients reach (KServe creates <name>-predictor itself)
    std::string route;           // Route or Ingress
};
ObjectNames objectNames(const DeploymentPlan &plan);

} // namespace slipway::deploy
