#pragma once
// buildPlan(): from what a person chose (a model, sizing options, mode, storage, names, ...) to the
// sized DeploymentPlan that render() turns into manifests. slipway-cli render and the console's
// Deploy wizard both go through here, so the same choices give the same YAML and the same messages.
//
// Rules, in the order they are checked (the first problem is returned):
// 1. Layout: any two of tp, nodes and gpusPerNode fix the third; nodes > 1 needs Mode::Lws; when
//    all three are given, nodes × gpusPerNode must equal tp; tp must split evenly over nodes.
// 2. Sizing (core/sizing) with memFraction defaulting to the guide's 0.93: a load that does not
//    fit or a TP that does not divide the heads fails with the sizing's own message.
// 3. A model that needs several nodes needs Mode::Lws.
// 4. pvcSize (a Kubernetes quantity) must hold the checkpoint.
// 5. mirrorRegistry, when given, must name a registry the image can be mirrored into
//    (image_mirror.h); the plan's image is then the mirrored name.
// Messages name the CLI's options (--tp, --nodes, ...), which the wizard shows beside its fields
// of the same names. The plan is not validated here: render() validates it (validate.h).
//
// Thread-safety: a pure function, except that a model given only by reference is loaded from disk.
#include "common/result.h"
#include "deploy/deployment_plan.h"
#include "model/model_spec.h"
#include "sizing/sizing.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace slipway::deploy {

struct PlanRequest {
    // The model: `model` when the caller has loaded it already, else model::loadModel(modelRef).
    std::string modelRef;
    std::optional<model::ModelSpec> model;

    // Sizing.
    sizing::WeightDtype weightDtype = sizing::WeightDtype::Auto;
    sizing::KvDtype kvDtype = sizing::KvDtype::Auto;
    std::optional<sizing::GpuSpec> gpu;     // absent: the catalog's H100
    std::optional<int64_t> contextLength;   // absent: the model's maximum (and no --context-length)
    int64_t concurrency = 1;
    std::optional<double> memFraction;      // absent: the guide's 0.93

    // Layout: absent values are derived (see rule 1) or come from the sizing.
    std::optional<int> tp;
    std::optional<int> nodes;
    std::optional<int> gpusPerNode;         // absent: 8 for the sizing

    Mode mode = Mode::Deployment;
    Runtime runtime = Runtime::SGLang;
    Platform platform = Platform::OpenShift;
    Security security = Security::Privileged;
    Storage storage = Storage::Pvc;

    std::string name = "deepseek";
    std::string namespaceName = "deepseek";
    bool createNamespace = false;
    int replicas = 1;

    // Storage.
    std::string pvcSize;                    // a quantity such as 500Gi; empty: the sizing's volume
    std::string storageClass;
    bool rwx = false;
    S3Source s3;                            // keys, when given, are rendered into a Secret
    std::optional<std::string> hfEndpoint;  // absent: https://huggingface.co
    std::string loaderImage;                // empty: the plan's default (UBI 9)

    // Server.
    std::string image;                      // empty: defaultImage(runtime)
    std::string mirrorRegistry;             // host[:port]/namespace the image is mirrored into; empty: none
    std::string imagePullSecret;
    std::string imageModelPath;
    std::string servedModelName;
    int port = 40000;
    bool rdma = false;
    std::optional<int> maxRunningRequests;  // absent: the guide's 20
    std::optional<int> cudaGraphMaxBs;      // absent: SGLang's default (no flag)
};

struct PlanBuild {
    sizing::SizingResult sizing;
    DeploymentPlan plan;
};

Result<PlanBuild> buildPlan(const PlanRequest &request);

// A Kubernetes quantity in bytes: 500Gi, 1Ti, 200G, 750Mi, 1000. `option` names the field in the
// message ("--pvc-size must be a size such as 500Gi or 200G, not 'lots'").
Result<uint64_t> parseQuantity(std::string_view option, std::string_view text);

} // namespace slipway::deploy
