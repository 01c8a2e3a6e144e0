#pragma once
// DeployChoices: everything the Deploy wizard asks, as a value type. The pages edit it; the
// conversions below turn it into the core's inputs: a deploy::PlanRequest (the same one slipway-cli
// render builds from its options) or, for the Local target, local::EngineLaunchOptions.
#include "calculator/calculator_inputs.h"
#include "deploy/plan_builder.h"
#include "local/engine_launch.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace slipway::ui {

enum class DeployTarget {
    Local,   // slipway-engine on this workstation (CPU or the local GPU)
    Cluster, // an OpenShift/Kubernetes cluster (the list is filled by the Clusters panel)
    Export,  // manifests saved to a folder, applied by the operator or GitOps
};

struct DeployChoices {
    DeployTarget target = DeployTarget::Export;

    // Model and sizing: the embedded Calculator's inputs. The fraction starts at the guide's 0.93,
    // which is also what the rendered --mem-fraction-static says.
    CalculatorInputs sizing = defaultSizing();

    // Cluster and Export: the plan's own choices (mode, storage, names, image, ...). Its sizing
    // and model fields are ignored: they come from `sizing`.
    deploy::PlanRequest plan;

    // Local target.
    QString localDevice = QStringLiteral("cpu"); // cpu | cuda
    int localPort = 0;                            // 0: a free port picked at start
    int localMaxRunningRequests = 0;              // 0: the engine's default
    QString localServedModelName;

    static CalculatorInputs defaultSizing();
};

// The plan request for `choices` with `model` already loaded. Layout: TP from the calculator when
// it is forced, GPUs per node always, nodes from the plan choices when given.
deploy::PlanRequest toPlanRequest(const DeployChoices &choices, const model::ModelSpec &model);

// The same choices as slipway-cli render arguments (without `render` and without -o), for the
// operator to copy and for the tests that compare the wizard with the CLI.
QStringList toCliArguments(const DeployChoices &choices);

// The Local target's launch options: the model folder, device, port and the advanced flags.
local::EngineLaunchOptions toLaunchOptions(const DeployChoices &choices);

} // namespace slipway::ui
