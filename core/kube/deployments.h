#pragma once
// Deployments that already run on a cluster: those Slipway made (app.kubernetes.io/managed-by=
// slipway on a Deployment, LeaderWorkerSet or InferenceService) and those the OpenShift AI
// dashboard made (InferenceServices and ServingRuntimes labelled opendatahub.io/dashboard=true).
// Blocking; run on a worker thread.
#include "kube/client.h"

#include <string>
#include <vector>

namespace slipway::kube {

enum class DeploymentOrigin { Slipway, Dashboard };

struct DeploymentInfo {
    std::string name;           // the instance name (Slipway) or the InferenceService name
    std::string namespaceName;
    DeploymentOrigin origin = DeploymentOrigin::Slipway;
    std::string mode;           // "deployment", "lws", "kserve"; "servingruntime" for a dashboard runtime without a model
    ObjectRef server;           // the object whose replicas scale the deployment
    std::string runtime;        // KServe: the ServingRuntime's name
    std::string model;          // slipway.io/model annotation, or the InferenceService's storageUri
    int replicas = 0;           // wanted (spec)
    int readyReplicas = 0;      // status, where the kind reports it
};

// Every deployment in `namespaceName` (empty: all namespaces the user may list), sorted by
// namespace and name. Kinds the cluster does not serve are skipped; a kind the user may not list
// is an error naming it.
Result<std::vector<DeploymentInfo>> listDeployments(Client &client, const std::string &namespaceName,
                                                    const net::CancelToken *cancel = nullptr);

// Sets the replicas of a listed deployment (the scale subresource; InferenceServices get
// min/maxReplicas). Returns the replicas now wanted.
Result<int> scaleDeployment(Client &client, const DeploymentInfo &deployment, int replicas,
                            const net::CancelToken *cancel = nullptr);

} // namespace slipway::kube
