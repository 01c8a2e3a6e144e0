#pragma once
// Follows the model download Job of core/deploy (render_storage.cpp's downloadScript) from its
// log. The script prints one line per file, "[n/N] <file>" when it starts downloading and
// "[n/N] <file> already present" when it skips one, then "downloaded N files of <repo> into <dir>"
// at the end, or "model already present in <dir>" when an earlier run finished; a failure ends
// the log with the message given to sys.exit ("cannot list …", "no files listed …", "refusing
// unsafe file name …") or a Python traceback. The script prints no byte counts, so progress is in
// files.
#include <string>
#include <string_view>

namespace slipway::storage {

struct DownloadProgress {
    int filesDone = 0;            // files completely present (downloaded or skipped)
    int filesTotal = 0;           // 0 until the first "[n/N]" line
    int filesSkipped = 0;
    std::string currentFile;      // being downloaded now
    bool finished = false;
    bool failed = false;
    std::string message;          // the final line on success, the error on failure
};

// Feed log lines in order (without timestamps); the state follows them.
class DownloadLogParser final {
public:
    // Returns true when the line changed the progress.
    bool feed(std::string_view line);
    const DownloadProgress &progress() const { return m_progress; }

private:
    DownloadProgress m_progress;
    bool m_inTraceback = false;
};

} // namespace slipway::storage
