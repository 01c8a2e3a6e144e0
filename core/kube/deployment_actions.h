#pragma once
// What the console does with a deployment it found on a cluster (deployments.h): which pods are
// its servers, where its OpenAI API answers (its Route, else the API server's service proxy), and
// taking it down. Blocking; run on a worker thread.
#include "kube/apply_plan.h"
#include "kube/deployments.h"

#include <string>

namespace slipway::kube {

// The label selector of the deployment's server pods (the same ones rolloutTarget() watches).
std::string serverPodSelector(const DeploymentInfo &deployment);

// The Service clients reach: "<name>" (Deployment), "<name>-leader" (LeaderWorkerSet),
// "<name>-predictor" (KServe).
std::string serverServiceName(const DeploymentInfo &deployment);

struct ServiceEndpoint {
    std::string url;            // base URL of the OpenAI API: https://<route host> or the proxy URL
    bool viaProxy = false;      // true: send the user's bearer token and trust the cluster CA
    ProxyTarget proxy;          // the service and port behind the proxy URL
    std::string routeHost;      // empty without a Route
};

// The deployment's Route (spec.to naming its Service) when one exists, else the service proxy on
// the Service's first port. Errors: the Service is missing (not deployed yet, or removed).
Result<ServiceEndpoint> findServiceEndpoint(Client &client, const DeploymentInfo &deployment,
                                            const net::CancelToken *cancel = nullptr);

// Slipway's deployments: every object labelled with the instance and managed-by=slipway, of every
// kind a plan renders (keepVolumes keeps the PVCs, so the model stays). The OpenShift AI
// dashboard's: the InferenceService (or the unused ServingRuntime) alone.
Result<UndeployResult> undeployDeployment(Client &client, const DeploymentInfo &deployment, bool keepVolumes,
                                          const ApplyProgressCallback &progress = {},
                                          const net::CancelToken *cancel = nullptr);

} // namespace slipway::kube
