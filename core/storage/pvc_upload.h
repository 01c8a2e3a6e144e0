#pragma once
// Copies a local model folder onto a PVC through the API server only, as `oc cp` does: a tar
// stream fed to `tar -xmf - -C <dir>` running in the loader pod (exec over WebSocket, pod_exec.h).
// Then, as the guide does by hand, the bound PV's reclaim policy is set to Retain and the loader
// pod is removed.
//
// - Resumable: before sending, `find <dir> -type f -printf '%s %P\n'` lists what the volume holds;
//   files already there with the local size are not sent again (a file cut off by an interruption
//   is shorter, so it is sent again whole).
// - Verified: afterwards every local file must be in the pod with its size, and (verifyChecksums)
//   `sha256sum` in the pod must match the local SHA-256 (computed while streaming, or read from
//   disk for files that were already there). Mismatched files are sent again repairRounds times.
// The loader image needs tar, find and sha256sum (ubi9/ubi has them; so does any image `oc cp`
// works with plus coreutils and findutils).
#include "common/result.h"
#include "net/cancel_token.h"
#include "storage/pod_exec.h"
#include "storage/transfer_progress.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace slipway::deploy {
struct DeploymentPlan;
}

namespace slipway::storage {

struct PvcUploadOptions {
    bool verifyChecksums = true;
    int repairRounds = 1;
    std::chrono::milliseconds progressInterval{100}; // at most one progress call per interval (phase changes always)
};

struct PvcUploadReport {
    int filesSent = 0;
    int filesSkipped = 0;          // already on the volume with the right size
    int filesRepaired = 0;         // sent again after a checksum or size mismatch
    std::int64_t bytesSent = 0;    // tar stream bytes (headers and padding included)
    int filesVerified = 0;         // size (and checksum when asked) matched
};

// One loader pod of a plan, its claim and where the model goes on its volume.
struct LoaderTarget {
    ExecTarget pod;                // namespace, pod, container "loader"
    std::string claim;
    std::string directory;         // "/models/<model dir>"
};
// The loader pods a plan with storage pvc renders (two for LeaderWorkerSet without RWX).
Result<std::vector<LoaderTarget>> loaderTargets(const deploy::DeploymentPlan &plan);

// Relative path -> size of every regular file under directory in the pod.
Result<std::map<std::string, std::int64_t>> listPodFiles(kube::Client &client, const ExecTarget &pod,
                                                         const std::string &directory, const net::CancelToken *cancel = nullptr);
// Relative path -> SHA-256 (hex) of every regular file under directory in the pod.
Result<std::map<std::string, std::string>> podChecksums(kube::Client &client, const ExecTarget &pod,
                                                        const std::string &directory, const net::CancelToken *cancel = nullptr);

Result<PvcUploadReport> uploadFolderToPod(kube::Client &client, const ExecTarget &pod, const std::string &localFolder,
                                          const std::string &directory, const PvcUploadOptions &options = {},
                                          const ProgressCallback &onProgress = {}, const net::CancelToken *cancel = nullptr);

// Sets persistentVolumeReclaimPolicy: Retain on the PV bound to the claim (so deleting the claim
// keeps the model). Returns the PV's name. Needs `get` on the claim and `patch` on
// persistentvolumes (cluster-scoped: usually a cluster admin).
Result<std::string> retainClaimVolume(kube::Client &client, const std::string &namespaceName, const std::string &claim,
                                      const net::CancelToken *cancel = nullptr);

// Deletes the loader pod; a pod that is already gone is fine.
Result<void> removeLoaderPod(kube::Client &client, const ExecTarget &pod, const net::CancelToken *cancel = nullptr);

} // namespace slipway::storage
