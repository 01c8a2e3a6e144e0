#pragma once
// The S3 side of a plan in one call each: where to upload (the plan's endpoint, bucket, region and
// keys) and the KServe S3 Secret plus the ServiceAccount that carries it, created on the cluster
// through server-side apply exactly as core/deploy renders them.
#include "common/result.h"
#include "net/cancel_token.h"
#include "storage/s3_client.h"

#include <string>
#include <vector>

namespace slipway::deploy {
struct DeploymentPlan;
}
namespace slipway::kube {
class Client;
}

namespace slipway::storage {

// The upload target of a plan with storage s3: fails when the plan is not an S3 plan or lacks the
// endpoint, bucket or keys (with existingSecret the keys are on the cluster, so the caller must
// give them).
Result<S3Location> s3LocationFromPlan(const deploy::DeploymentPlan &plan);

// Applies the plan's S3 Secret (unless plan.s3.existingSecret names one) and its ServiceAccount,
// Secret first, with fieldManager slipway. Returns "Secret ns/name", "ServiceAccount ns/name".
Result<std::vector<std::string>> applyS3Credentials(kube::Client &client, const deploy::DeploymentPlan &plan,
                                                    const net::CancelToken *cancel = nullptr);

} // namespace slipway::storage
