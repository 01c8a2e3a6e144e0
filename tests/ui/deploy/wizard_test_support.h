#pragma once
// Shared by the Deploy wizard tests: walking the wizard to a page, and a LocalDeployer that
// records what it was asked to start.
#include "deploy/deploy_wizard.h"
#include "deploy/local_deployer.h"
#include "deploy/render.h"

#include <vector>

namespace slipway::ui::test {

inline constexpr int kWaitMs = 15000;

// Restarts `wizard` and presses Next until `page` is current, waiting on each page for it to
// complete (model loading, sizing). Fails the current test when a page stays incomplete.
void walkTo(DeployWizard &wizard, int page);

// tests/engine/fixtures/qwen2-tiny-bf16: a real (tiny) model folder for the Local target.
QString tinyModelFolder();

// Writes `objects` into `dir` and runs shared/k8s-schemas' validator on it; fails the current
// test with the validator's output when a manifest does not pass.
void validateManifests(const std::vector<deploy::RenderedObject> &objects, const QString &dir);

class RecordingDeployer final : public LocalDeployer {
public:
    Result<void> startLocalEngine(const local::EngineLaunchOptions &options) override
    {
        started.push_back(options);
        return {};
    }
    std::vector<local::EngineLaunchOptions> started;
};

} // namespace slipway::ui::test
