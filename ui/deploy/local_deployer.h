#pragma once
// LocalDeployer: how the Deploy wizard hands the Local target to the application. The wizard only
// builds and checks the EngineLaunchOptions; the application (the owner of MainWindow) implements
// this with core/local's EngineProcess, streams the output into Logs and reports crashes.
#include "common/result.h"
#include "local/engine_launch.h"

namespace slipway::ui {

class LocalDeployer {
public:
    virtual ~LocalDeployer() = default;
    // Starts slipway-engine with `options` (already checked by validateLaunchOptions). Must not
    // block: return once the start is under way. An error says why it cannot start.
    // GUI thread.
    virtual Result<void> startLocalEngine(const local::EngineLaunchOptions &options) = 0;
};

} // namespace slipway::ui
