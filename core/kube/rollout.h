#pragma once
// Rollout: the pods of one deployment and why they are not ready yet, in plain language. Lists,
// then watches pods and events (resuming from the resourceVersion, relisting on 410, as
// listAndWatch does), reads the log tails that explain a crash, and sums the pods up as
// progressing, ready, or failed with a reason. The diagnosis is a pure function (diagnosePod) so
// each rule is testable without a cluster.
#include "deploy/deployment_plan.h"
#include "kube/client.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace slipway::kube {

enum class PodIssue {
    None,
    InsufficientGpu,  // FailedScheduling: Insufficient nvidia.com/gpu
    Unschedulable,    // FailedScheduling for another reason (taints, selectors, CPU, memory)
    PvcPending,       // a claim the pod mounts is not bound
    ImagePull,        // ImagePullBackOff / ErrImagePull / InvalidImageName
    OOMKilled,        // the last container ended OOMKilled
    CrashLoop,        // CrashLoopBackOff, or restarts with an error exit
    ProbeFailure,     // Unhealthy events (readiness, liveness or startup probe)
    Nccl,             // NCCL errors in the log
};
std::string_view podIssueName(PodIssue issue); // "insufficient-gpu", "image-pull", ...

// Which pods, and the figures the fixes quote.
struct RolloutTarget {
    std::string name;                 // the deployment (instance) name
    std::string namespaceName;
    std::string labelSelector;        // app.kubernetes.io/instance=<name> | serving.kserve.io/inferenceservice=<name> |
                                      // leaderworkerset.sigs.k8s.io/name=<name>
    int expectedPods = 1;
    std::string gpuResource = "nvidia.com/gpu";
    int gpusPerPod = 1;
    uint64_t memoryLimitBytes = 0;    // per pod, as planned (0: unknown)
    uint64_t suggestedMemoryBytes = 0;// core/sizing's host memory figure (0: unknown)
    std::string image;
    int distPort = 20000;             // --dist-init-addr port (multi-node)
};
RolloutTarget rolloutTarget(const deploy::DeploymentPlan &plan);

// What is known about one pod.
struct PodEvidence {
    std::string podJson;                       // the Pod as the API server returned it
    std::vector<EventInfo> events;             // events about this pod, oldest first
    std::vector<std::string> logTail;          // last lines of the current container
    std::vector<std::string> previousLogTail;  // last lines of the previous (crashed) container
    std::vector<std::string> pendingClaims;    // claims the pod mounts that are not Bound
};

struct PodState {
    std::string name;
    std::string phase;                 // Pending, Running, Succeeded, Failed, Unknown
    std::string node;
    bool ready = false;
    int restarts = 0;
    PodIssue issue = PodIssue::None;
    std::string reason;                // in words: what is wrong
    std::string fix;                   // in words: what to do
    std::vector<std::string> evidence; // the event message or log lines behind the reason
};

enum class RolloutPhase { Progressing, Ready, Failed };
std::string_view rolloutPhaseName(RolloutPhase phase); // "progressing", "ready", "failed"

struct RolloutStatus {
    RolloutPhase phase = RolloutPhase::Progressing;
    std::string summary;               // "2 of 2 pods ready", "failed: pod x: ..."
    std::vector<PodState> pods;        // sorted by name
};

// Whether a log line is one of NCCL's typical failures ("NCCL WARN", "unhandled system error",
// "Connection refused" on the rendezvous port, ...).
bool isNcclErrorLine(std::string_view line, int distPort);

PodState diagnosePod(const PodEvidence &evidence, const RolloutTarget &target);
RolloutStatus summarizeRollout(std::vector<PodState> pods, const RolloutTarget &target);

// Lists, then watches until cancelled, until onStatus returns false (both OK), or until a failure
// the watch cannot ride out (401: kUnauthorizedMessage; log in, replaceToken(), call again).
// onStatus is called after the first list and after every change, on the calling thread or the
// event-watch thread, never concurrently.
Result<void> watchRollout(Client &client, const RolloutTarget &target,
                          const std::function<bool(const RolloutStatus &)> &onStatus,
                          const net::CancelToken *cancel = nullptr,
                          const std::function<void(const std::string &)> &onNotice = {});

} // namespace slipway::kube
