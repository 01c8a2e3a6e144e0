#pragma once
// Preflight: can this cluster run this DeploymentPlan, and if not, what to change. A checklist of
// items, each with a status and — when it is not a pass — the fix in plain language. Checks: the
// API server and its version; OpenShift or not; GPU nodes (allocatable nvidia.com/gpu, the GPU
// feature discovery labels) and whether enough GPUs are free for the plan's pods; the GPU operator
// and DCGM exporter; the LeaderWorkerSet / KServe CRDs the mode needs; storage classes and RWX;
// the user's permissions for every verb the plan needs (SelfSubjectAccessReview), including `use`
// on the privileged SCC; the namespace. Blocking; run it on a worker thread.
#include "deploy/deployment_plan.h"
#include "kube/client.h"

#include <string>
#include <string_view>
#include <vector>

namespace slipway::kube {

enum class CheckStatus { Pass, Warn, Fail, Skipped };
std::string_view checkStatusName(CheckStatus status); // "pass", "warn", "fail", "skipped"

struct PreflightItem {
    std::string id;       // stable: "api", "platform", "gpu-nodes", "gpu-capacity", "gpu-operator",
                          // "dcgm-exporter", "lws-crd", "kserve-crd", "storage-class", "rwx",
                          // "permissions", "scc", "namespace"
    std::string title;    // "GPU nodes"
    CheckStatus status = CheckStatus::Skipped;
    std::string detail;   // what was found
    std::string fix;      // what to do; empty on a pass
};

// One node with allocatable GPUs.
struct GpuNode {
    std::string name;
    std::string product;       // nvidia.com/gpu.product, e.g. "NVIDIA-H100-80GB-HBM3"
    long long memoryMiB = 0;   // nvidia.com/gpu.memory (MiB per GPU); 0 when unlabelled
    int allocatable = 0;       // status.allocatable[<gpuResource>]
    int requested = 0;         // requests of the non-terminated pods on the node
    int free() const { return allocatable > requested ? allocatable - requested : 0; }
};

struct PreflightReport {
    std::vector<PreflightItem> items;
    ServerInfo server;                // empty when the API was not reachable
    std::vector<GpuNode> gpuNodes;

    const PreflightItem *find(std::string_view id) const;
    bool passed() const;              // no item failed (warnings allowed)
    std::vector<const PreflightItem *> failures() const;
};

// Where the plan's pods fit: greedy placement of `pods` pods of `gpusPerPod` GPUs each on the
// nodes' free GPUs (a pod needs all its GPUs on one node). Returns the pods that do not fit.
int unplacedPods(std::vector<GpuNode> nodes, int pods, int gpusPerPod);

// RWX support of a storage provisioner from its name: cephfs, nfs, efs, azurefile, glusterfs ->
// true; rbd, ebs, gp2/gp3, disk (azure, gce pd), cinder, local, hostpath, lvms/topolvm -> false.
bool provisionerSupportsRwx(std::string_view provisioner);

// Runs every check; never fails as a whole (an unreachable API is the first item, failed, and the
// rest skipped). `cancel` stops between requests.
PreflightReport runPreflight(Client &client, const deploy::DeploymentPlan &plan,
                             const net::CancelToken *cancel = nullptr);

} // namespace slipway::kube
