#include "storage/s3_credentials.h"

#include "deploy/deployment_plan.h"
#include "deploy/names.h"
#include "deploy/render.h"
#include "kube/client.h"

namespace slipway::storage {

Result<S3Location> s3LocationFromPlan(const deploy::DeploymentPlan &plan)
{
    if (plan.storage != deploy::Storage::S3)
        return fail("the plan keeps the model in " + std::string(deploy::storageName(plan.storage)) + ", not in S3: choose S3 storage to upload to a bucket");
    if (plan.s3.endpoint.empty() || plan.s3.bucket.empty())
        return fail("the plan's S3 endpoint and bucket are both required for an upload");
    if (plan.s3.accessKeyId.empty() || plan.s3.secretAccessKey.empty())
        return fail("the plan's S3 access key ID and secret access key are needed to upload (with an existing Secret, enter the same keys here)");
    S3Location location;
    location.endpoint = plan.s3.endpoint;
    location.bucket = plan.s3.bucket;
    if (!plan.s3.region.empty())
        location.region = plan.s3.region;
    location.accessKeyId = plan.s3.accessKeyId;
    location.secretAccessKey = plan.s3.secretAccessKey;
    return location;
}

Result<std::vector<std::string>> applyS3Credentials(kube::Client &client, const deploy::DeploymentPlan &plan,
                                                    const net::CancelToken *cancel)
{
    if (plan.storage != deploy::Storage::S3)
        return fail("the plan does not use S3 storage, so it has no S3 Secret to create");
    auto rendered = deploy::render(plan);
    if (!rendered)
        return rendered.error();
    const deploy::ObjectNames names = deploy::objectNames(plan);
    std::vector<const deploy::RenderedObject *> ordered;
    for (const char *kind : {"Secret", "ServiceAccount"}) {
        for (const deploy::RenderedObject &object : rendered.value()) {
            if (object.kind == kind && (object.name == names.s3Secret || object.name == names.serviceAccount))
                ordered.push_back(&object);
        }
    }
    if (ordered.empty())
        return fail("the plan renders no S3 Secret or ServiceAccount");
    kube::ApplyOptions options;
    options.namespaceName = plan.namespaceName;
    std::vector<std::string> applied;
    for (const deploy::RenderedObject *object : ordered) {
        auto result = client.apply(object->yaml, options, cancel);
        if (!result)
            return fail("cannot create the " + object->kind + " " + object->name + " for S3 access: " + result.message());
        applied.push_back(object->kind + " " + plan.namespaceName + "/" + object->name);
    }
    return applied;
}

} // namespace slipway::storage
