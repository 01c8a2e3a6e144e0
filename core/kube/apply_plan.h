#pragma once
// Applying a rendered plan to a cluster and taking it down again. apply: a server-side dry run
// of every object first (nothing is stored unless all of them pass), then server-side apply in
// the rendered order with fieldManager "slipway", reporting each object. Conflicts with other field
// managers stop the apply before anything changes and name the managers; applying again with
// force takes the fields over. undeploy: every object of the deployment, found by its labels
// (app.kubernetes.io/instance=<name>, app.kubernetes.io/managed-by=slipway) across the kinds the
// plan renders, removed in reverse order. Blocking; run on a worker thread.
#include "deploy/render.h"
#include "kube/client.h"

#include <functional>
#include <string>
#include <vector>

namespace slipway::kube {

// The apiVersion line of a rendered object's YAML ("apps/v1"); empty when it has none.
std::string renderedApiVersion(const deploy::RenderedObject &object);

enum class ApplyStage {
    DryRun,   // validated by the server, nothing stored
    Applied,  // stored
    Removed,  // undeploy: deleted
};

struct ApplyProgress {
    ApplyStage stage = ApplyStage::DryRun;
    int index = 0;          // 0-based within the stage
    int total = 0;
    std::string kind;
    std::string name;
    bool created = false;   // Applied/DryRun: the object did not exist before
    std::string error;      // this object failed (the whole call then fails or reports conflicts)
};
using ApplyProgressCallback = std::function<void(const ApplyProgress &)>;

// A conflict with another field manager, found in the dry run.
struct ApplyConflict {
    std::string kind;
    std::string name;
    std::vector<std::string> managers; // e.g. "kubectl-edit", "kube-controller-manager"
    std::string message;               // the server's message, in words
};

struct ApplyPlanOptions {
    std::string namespaceName;         // where namespaced objects go; empty: the client's namespace
    bool force = false;                // take over conflicting fields
    std::string fieldManager = "slipway";
};

struct ApplyPlanResult {
    bool applied = false;              // false: stopped after the dry run because of conflicts
    std::vector<ApplyConflict> conflicts;
    int created = 0;
    int configured = 0;                // existing objects changed or left as they were
};

// Errors: the first object the dry run or the apply rejects (other than conflicts), with its
// kind/name and the server's message; a 401 keeps kUnauthorizedMessage (log in, then apply again:
// apply is idempotent). A Namespace among the objects is applied for real before the dry run,
// since namespaced objects cannot be dry-run into a namespace that does not exist.
Result<ApplyPlanResult> applyObjects(Client &client, const std::vector<deploy::RenderedObject> &objects,
                                     const ApplyPlanOptions &options, const ApplyProgressCallback &progress = {},
                                     const net::CancelToken *cancel = nullptr);

// The label selector of a deployment's objects.
std::string instanceSelector(const std::string &name);

struct UndeployOptions {
    std::string namespaceName;
    bool keepVolumes = false;          // keep PersistentVolumeClaims (the model files)
    bool keepNamespace = true;         // keep a Namespace the plan created
};

struct UndeployResult {
    std::vector<ObjectRef> removed;
};

// Removes every object labelled with the instance and managed-by=slipway, of the kinds in
// `objects` (the plan's rendering), last-applied first. Kinds the cluster does not serve are
// skipped. Deletion uses background propagation: owned pods go with their owners.
Result<UndeployResult> undeploy(Client &client, const std::string &name, const std::vector<deploy::RenderedObject> &objects,
                                const UndeployOptions &options, const ApplyProgressCallback &progress = {},
                                const net::CancelToken *cancel = nullptr);

} // namespace slipway::kube
