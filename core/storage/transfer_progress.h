#pragma once
// Progress of a long copy (S3 upload, PVC upload): bytes and files done, the rate over the last
// seconds and the time left. Shared by every uploader so the UI shows them alike.
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>

namespace slipway::storage {

struct TransferProgress {
    std::int64_t bytesDone = 0;      // bytes of this run's work that reached the other side
    std::int64_t bytesTotal = 0;     // bytes this run has to send (files already there excluded)
    std::int64_t bytesSkipped = 0;   // bytes already present at the destination (resumed or unchanged)
    int filesDone = 0;
    int filesTotal = 0;              // files this run has to send
    int filesSkipped = 0;
    double bytesPerSecond = 0;       // over the last few seconds; 0 until measurable
    double etaSeconds = -1;          // -1: unknown
    std::string currentFile;         // relative path of the file being sent
    std::string phase;               // "scanning", "uploading", "verifying", "done"
};

using ProgressCallback = std::function<void(const TransferProgress &)>;

// Turns byte counts into rate and ETA: the rate is measured over a sliding window (default 5 s)
// so a stall shows quickly, and the ETA is what is left divided by that rate.
class ProgressMeter final {
public:
    using Clock = std::chrono::steady_clock;
    explicit ProgressMeter(std::chrono::milliseconds window = std::chrono::milliseconds(5000));

    // Records bytesDone at `now` and fills bytesPerSecond and etaSeconds of `progress`.
    void update(TransferProgress &progress, Clock::time_point now = Clock::now());

private:
    std::chrono::milliseconds m_window;
    std::deque<std::pair<Clock::time_point, std::int64_t>> m_samples;
};

// "1.5 GiB", "230 MiB/s", "3 min 20 s": for messages and the UI.
std::string formatBytes(std::int64_t bytes);
std::string formatDuration(double seconds);

} // namespace slipway::storage
