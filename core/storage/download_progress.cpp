#include "storage/download_progress.h"

#include <cstdlib>

namespace slipway::storage {

namespace {

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' '))
        s.remove_suffix(1);
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    return s;
}

// "[n/N] rest": fills n, N and rest.
bool counter(std::string_view line, int &n, int &total, std::string_view &rest)
{
    if (line.size() < 6 || line.front() != '[')
        return false;
    const auto slash = line.find('/');
    const auto close = line.find("] ");
    if (slash == std::string_view::npos || close == std::string_view::npos || slash > close)
        return false;
    const std::string a(line.substr(1, slash - 1));
    const std::string b(line.substr(slash + 1, close - slash - 1));
    if (a.empty() || b.empty() || a.find_first_not_of("0123456789") != std::string::npos || b.find_first_not_of("0123456789") != std::string::npos)
        return false;
    n = std::atoi(a.c_str());
    total = std::atoi(b.c_str());
    rest = line.substr(close + 2);
    return n >= 1 && total >= n;
}

} // namespace

bool DownloadLogParser::feed(std::string_view raw)
{
    const std::string_view line = trim(raw);
    if (line.empty() || m_progress.finished)
        return false;
    int n = 0;
    int total = 0;
    std::string_view rest;
    if (counter(line, n, total, rest)) {
        m_progress.filesTotal = total;
        constexpr std::string_view kSkipped = " already present";
        if (rest.size() > kSkipped.size() && rest.substr(rest.size() - kSkipped.size()) == kSkipped) {
            m_progress.filesDone = n;
            ++m_progress.filesSkipped;
            m_progress.currentFile.clear();
        } else {
            m_progress.filesDone = n - 1; // the earlier ones are complete
            m_progress.currentFile = std::string(rest);
        }
        return true;
    }
    if (line.rfind("downloaded ", 0) == 0 && line.find(" files of ") != std::string_view::npos) {
        m_progress.filesDone = m_progress.filesTotal = std::max(m_progress.filesTotal, std::atoi(std::string(line.substr(11)).c_str()));
        m_progress.currentFile.clear();
        m_progress.finished = true;
        m_progress.message = std::string(line);
        return true;
    }
    if (line.rfind("model already present in ", 0) == 0) {
        m_progress.filesDone = m_progress.filesTotal;
        m_progress.finished = true;
        m_progress.message = std::string(line);
        return true;
    }
    if (line.rfind("Traceback (most recent call last)", 0) == 0) {
        m_inTraceback = true;
        m_progress.failed = true;
        m_progress.message = "the download script crashed";
        return true;
    }
    if (m_inTraceback) {
        // The last unindented line of a traceback names the exception.
        if (raw.front() != ' ') {
            m_progress.message = std::string(line);
            return true;
        }
        return false;
    }
    for (std::string_view prefix : {"cannot list ", "no files listed ", "refusing unsafe file name "}) {
        if (line.rfind(prefix, 0) == 0) {
            m_progress.failed = true;
            m_progress.finished = true;
            m_progress.message = std::string(line);
            return true;
        }
    }
    return false;
}

} // namespace slipway::storage
