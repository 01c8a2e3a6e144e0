#pragma once
// validate(): whether a DeploymentPlan can be rendered into manifests that a cluster accepts and
// that can work. The first problem found is returned; its message names the field and what to
// change. render() calls it first.
//
// Combinations decided here (and why):
// - deployment and kserve run one pod per replica: nodes must be 1 (use lws for several nodes).
// - tp must equal nodes x gpusPerNode: each GPU of the group holds one tensor-parallel rank.
// - lws needs nodes >= 2 (one node is a Deployment).
// - lws + pvc without RWX: LeaderWorkerSet has one worker template, so all workers share one
//   volume definition. With 2 nodes the guide's layout works (one PVC for the leader, one for the
//   worker); with more nodes a ReadWriteOnce PVC cannot reach every worker: use --rwx, or storage
//   download / s3 (each pod fills its own volume).
// - deployment + pvc or download without RWX and replicas > 1: pods on other nodes cannot mount a
//   ReadWriteOnce claim.
// - kserve + download is accepted: the Job fills a PVC and the InferenceService reads it through
//   storageUri pvc://. kserve + image reads the model from the image (no storageUri).
// - s3 needs endpoint, bucket and credentials (both keys, or an existing Secret).
// - restricted security needs a port >= 1024 (no NET_BIND_SERVICE for non-root servers).
#include "common/message.h"
#include "common/result.h"

#include <string>
#include <vector>

namespace slipway::deploy {

struct DeploymentPlan;

Result<void> validate(const DeploymentPlan &plan);

// What the operator must know or do besides applying the manifests (copy the model through the
// loader pod, label the namespace, install the LWS controller, ...), one sentence each, for the
// CLI to print (their English) and the Review page to show (translated; deploy_messages.h). Meaningful for plans that validate().
std::vector<Message> planNotes(const DeploymentPlan &plan);

} // namespace slipway::deploy
