#pragma once
// Finds the process id of a child this program started, from /proc (Linux): EngineProcess does
// not expose its child's id, and the Workloads panel shows it.
//
// Thread-safety: pure function over /proc; it reads a few small files, so call it off the GUI
// thread.
#include <string>
#include <sys/types.h>
#include <vector>

namespace slipway::ui {

// The child of this process whose command line is exactly `commandLine` (program path as given
// and every argument); 0 when there is none (it ended, or /proc is unavailable).
pid_t findChildProcess(const std::vector<std::string> &commandLine);

} // namespace slipway::ui
