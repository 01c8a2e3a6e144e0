#include "deploy/deploy_choices.h"

#include "deploy/image_mirror.h"
#include "deploy/server_command.h"
#include "sizing/gpu_catalog.h"

namespace slipway::ui {

CalculatorInputs DeployChoices::defaultSizing()
{
    CalculatorInputs in;
    in.memFraction = 0.93;
    return in;
}

deploy::PlanRequest toPlanRequest(const DeployChoices &choices, const model::ModelSpec &model)
{
    deploy::PlanRequest r = choices.plan;
    const CalculatorInputs &s = choices.sizing;
    r.modelRef = s.model.reference.toStdString();
    r.model = model;
    r.weightDtype = s.weightDtype;
    r.kvDtype = s.kvDtype;
    if (s.customGpu) {
        r.gpu = sizing::customGpu(s.customGpuMemoryGiB);
    } else if (auto gpu = sizing::findGpu(s.gpuName.toStdString())) {
        r.gpu = *gpu;
    } else {
        r.gpu.reset(); // the calculator already says the name is unknown; size for the default
    }
    r.contextLength.reset();
    if (s.contextLength > 0)
        r.contextLength = s.contextLength;
    r.concurrency = s.concurrency;
    r.memFraction = s.memFraction;
    r.tp = s.tensorParallel;
    r.gpusPerNode = s.gpusPerNode;
    return r;
}

QStringList toCliArguments(const DeployChoices &choices)
{
    const CalculatorInputs &s = choices.sizing;
    const deploy::PlanRequest &p = choices.plan;
    auto q = [](std::string_view v) { return QString::fromUtf8(v.data(), qsizetype(v.size())); };
    QStringList a{QStringLiteral("--model"), s.model.reference};
    if (s.weightDtype != sizing::WeightDtype::Auto)
        a << QStringLiteral("--dtype") << q(sizing::weightDtypeName(s.weightDtype));
    if (s.kvDtype != sizing::KvDtype::Auto)
        a << QStringLiteral("--kv-dtype") << q(sizing::kvDtypeName(s.kvDtype));
    if (s.customGpu)
        a << QStringLiteral("--gpu-memory") << QString::number(s.customGpuMemoryGiB);
    else
        a << QStringLiteral("--gpu") << s.gpuName;
    a << QStringLiteral("--gpus-per-node") << QString::number(s.gpusPerNode);
    if (s.contextLength > 0)
        a << QStringLiteral("--context") << QString::number(s.contextLength);
    if (s.concurrency != 1)
        a << QStringLiteral("--concurrency") << QString::number(s.concurrency);
    if (s.memFraction)
        a << QStringLiteral("--mem-fraction") << q(deploy::formatDecimal(*s.memFraction));
    if (s.tensorParallel)
        a << QStringLiteral("--tp") << QString::number(*s.tensorParallel);
    if (p.nodes)
        a << QStringLiteral("--nodes") << QString::number(*p.nodes);
    a << QStringLiteral("--mode") << q(deploy::modeName(p.mode)) << QStringLiteral("--runtime")
      << q(deploy::runtimeName(p.runtime)) << QStringLiteral("--storage") << q(deploy::storageName(p.storage))
      << QStringLiteral("--security") << q(deploy::securityName(p.security)) << QStringLiteral("--platform")
      << q(deploy::platformName(p.platform)) << QStringLiteral("--name") << q(p.name)
      << QStringLiteral("--namespace") << q(p.namespaceName) << QStringLiteral("--port") << QString::number(p.port);
    if (p.createNamespace)
        a << QStringLiteral("--create-namespace");
    if (p.replicas != 1)
        a << QStringLiteral("--replicas") << QString::number(p.replicas);
    auto opt = [&](const char *flag, const std::string &value) {
        if (!value.empty())
            a << QString::fromLatin1(flag) << q(value);
    };
    opt("--pvc-size", p.pvcSize);
    opt("--storage-class", p.storageClass);
    if (p.rwx)
        a << QStringLiteral("--rwx");
    opt("--s3-endpoint", p.s3.endpoint);
    opt("--s3-bucket", p.s3.bucket);
    opt("--s3-path", p.s3.path);
    opt("--s3-region", p.s3.region);
    opt("--s3-secret", p.s3.existingSecret);
    if (p.hfEndpoint)
        opt("--hf-endpoint", *p.hfEndpoint);
    opt("--loader-image", p.loaderImage);
    // A mirror registry renders the mirrored name, as `render --image` does (plan_builder.h).
    const auto mirror = deploy::planImageMirror(
        {p.image.empty() ? deploy::defaultImage(p.runtime) : p.image, p.mirrorRegistry});
    opt("--image", !p.mirrorRegistry.empty() && mirror ? mirror->target : p.image);
    opt("--image-pull-secret", p.imagePullSecret);
    opt("--model-path", p.imageModelPath);
    opt("--served-model-name", p.servedModelName);
    if (p.maxRunningRequests)
        a << QStringLiteral("--max-running-requests") << QString::number(*p.maxRunningRequests);
    if (p.cudaGraphMaxBs)
        a << QStringLiteral("--cuda-graph-max-bs") << QString::number(*p.cudaGraphMaxBs);
    if (p.rdma)
        a << QStringLiteral("--rdma");
    return a;
}

local::EngineLaunchOptions toLaunchOptions(const DeployChoices &choices)
{
    local::EngineLaunchOptions o;
    o.modelPath = choices.sizing.model.reference.toStdString();
    o.device = choices.localDevice.toStdString();
    o.port = choices.localPort;
    o.servedModelName = choices.localServedModelName.toStdString();
    o.memFractionStatic = choices.sizing.memFraction;
    o.maxRunningRequests = choices.localMaxRunningRequests;
    o.contextLength = choices.sizing.contextLength;
    o.enableMetrics = true;
    return o;
}

} // namespace slipway::ui
