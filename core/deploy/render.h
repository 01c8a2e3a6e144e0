#pragma once
// Manifests rendered from a DeploymentPlan, in apply order:
//   [Namespace] ServiceAccount [RoleBinding to system:openshift:scc:privileged] [S3 Secret]
//   [PVC(s) + loader Pod(s) | PVC + download Job]
//   deployment: Deployment + Service + Route (OpenShift) | Ingress (Kubernetes)
//   kserve:     ServingRuntime + InferenceService (RawDeployment) [+ Route on OpenShift]
//   lws:        LeaderWorkerSet + leader Service + Route | Ingress
// Every object carries app.kubernetes.io/{name,instance,component,part-of,managed-by} with the
// same name/instance/part-of/managed-by; component tells the objects apart.
//
// Model storage, by mode:
//   pvc      one PVC (RWX or RWO) and a loader Pod mounting it at /models for `oc cp`; lws without
//            RWX and 2 nodes: the guide's layout, one PVC + loader for the leader and one for the worker.
//   download a Job downloads into the PVC (server pods wait for its completion marker); lws without
//            RWX: every pod downloads into its own generic ephemeral volume in an init container.
//   s3       kserve: storageUri s3://bucket/path with the Secret on the ServiceAccount; deployment and
//            lws: an init container syncs the bucket into a per-pod generic ephemeral volume (like
//            KServe's storage initializer, it copies on every pod start).
//   image    no volume; the server reads imageModelPath.
#include "common/result.h"

#include <string>
#include <vector>

namespace slipway::deploy {

struct DeploymentPlan;

struct RenderedObject {
    std::string kind;     // e.g. "Deployment"
    std::string name;     // metadata.name
    std::string fileName; // "<NN>-<kind>-<name>.yaml", NN the apply order
    std::string yaml;     // one YAML document, no leading ---, ends with a newline
};

// Validates the plan (validate.h), then renders every object. Fails with validate()'s message.
Result<std::vector<RenderedObject>> render(const DeploymentPlan &plan);

// One multi-document stream: each document preceded by ---.
std::string toYamlStream(const std::vector<RenderedObject> &objects);

// Writes one file per object into dir (created if missing). All or nothing: the files are written
// into a temporary folder beside dir first and moved in only when every write succeeded; on failure
// dir is left as it was. Secret files get mode 0600.
Result<void> writeToDirectory(const std::vector<RenderedObject> &objects, const std::string &dir);

} // namespace slipway::deploy
