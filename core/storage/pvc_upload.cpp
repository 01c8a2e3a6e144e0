#include "storage/pvc_upload.h"

#include "deploy/deployment_plan.h"
#include "deploy/names.h"
#include "deploy/render.h"
#include "kube/api_error.h"
#include "kube/client.h"
#include "storage/digest.h"
#include "storage/local_folder.h"
#include "storage/tar_stream.h"

#include <nlohmann/json.hpp>

#include <set>
#include <sstream>

namespace slipway::storage {

namespace {

using json = nlohmann::json;

std::string trimTrailingSlash(std::string dir)
{
    while (dir.size() > 1 && dir.back() == '/')
        dir.pop_back();
    return dir;
}

// Runs a command that must succeed; its stdout.
Result<std::string> run(kube::Client &client, const ExecTarget &pod, const std::vector<std::string> &command,
                        const net::CancelToken *cancel, const std::string &what)
{
    ExecIo io;
    io.cancel = cancel;
    auto result = execInPod(client, pod, command, io);
    if (!result)
        return fail(what + ": " + result.message());
    if (result->exitCode != 0) {
        std::string detail = result->stderrText.empty() ? result->statusMessage : result->stderrText;
        while (!detail.empty() && (detail.back() == '\n' || detail.back() == '\r'))
            detail.pop_back();
        std::string hint;
        if (detail.find("not found") != std::string::npos && detail.find("executable") != std::string::npos)
            hint = " (the loader image lacks the command: use an image with tar, find and sha256sum, such as ubi9/ubi)";
        else if (detail.find("No space left") != std::string::npos)
            hint = " (the volume is full: make the PVC larger)";
        else if (detail.find("Permission denied") != std::string::npos)
            hint = " (the pod's user cannot write there: check the volume's fsGroup or the directory's owner)";
        return fail(what + " failed with exit code " + std::to_string(result->exitCode) + ": " + detail + hint);
    }
    return std::move(result->stdoutText);
}

} // namespace

Result<std::vector<LoaderTarget>> loaderTargets(const deploy::DeploymentPlan &plan)
{
    if (plan.storage != deploy::Storage::Pvc)
        return fail("the plan keeps the model in " + std::string(deploy::storageName(plan.storage)) + ", not on a PVC filled by a loader pod");
    auto rendered = deploy::render(plan);
    if (!rendered)
        return rendered.error();
    const deploy::ObjectNames names = deploy::objectNames(plan);
    const std::string directory = "/models/" + deploy::effectiveModelDir(plan);
    const std::pair<std::string, std::string> pairs[] = {{names.loaderPod, names.modelsClaim},
                                                         {names.leaderLoaderPod, names.leaderClaim},
                                                         {names.workerLoaderPod, names.workerClaim}};
    std::vector<LoaderTarget> targets;
    for (const deploy::RenderedObject &object : rendered.value()) {
        if (object.kind != "Pod")
            continue;
        for (const auto &[pod, claim] : pairs) {
            if (object.name == pod)
                targets.push_back(LoaderTarget{ExecTarget{plan.namespaceName, pod, "loader"}, claim, directory});
        }
    }
    if (targets.empty())
        return fail("the plan renders no loader pod");
    return targets;
}

Result<std::map<std::string, std::int64_t>> listPodFiles(kube::Client &client, const ExecTarget &pod,
                                                         const std::string &directory, const net::CancelToken *cancel)
{
    const std::string dir = trimTrailingSlash(directory);
    auto out = run(client, pod, {"find", dir, "-type", "f", "-printf", "%s %P\\n"}, cancel, "listing " + dir + " in pod " + pod.pod);
    if (!out)
        return out.error();
    std::map<std::string, std::int64_t> files;
    std::istringstream lines(out.value());
    std::string line;
    while (std::getline(lines, line)) {
        const auto space = line.find(' ');
        if (space == std::string::npos)
            continue;
        files[line.substr(space + 1)] = std::atoll(line.substr(0, space).c_str());
    }
    return files;
}

Result<std::map<std::string, std::string>> podChecksums(kube::Client &client, const ExecTarget &pod,
                                                        const std::string &directory, const net::CancelToken *cancel)
{
    const std::string dir = trimTrailingSlash(directory);
    auto out = run(client, pod, {"find", dir, "-type", "f", "-exec", "sha256sum", "{}", "+"}, cancel,
                   "computing checksums in pod " + pod.pod);
    if (!out)
        return out.error();
    std::map<std::string, std::string> sums;
    std::istringstream lines(out.value());
    std::string line;
    const std::string prefix = dir + "/";
    while (std::getline(lines, line)) {
        // "<64 hex>  <path>" (text mode) or "<64 hex> *<path>" (binary mode).
        if (line.size() < 67)
            continue;
        std::string path = line.substr(66);
        if (path.rfind(prefix, 0) == 0)
            sums[path.substr(prefix.size())] = line.substr(0, 64);
    }
    return sums;
}

Result<PvcUploadReport> uploadFolderToPod(kube::Client &client, const ExecTarget &pod, const std::string &localFolder,
                                          const std::string &directory, const PvcUploadOptions &options,
                                          const ProgressCallback &onProgress, const net::CancelToken *cancel)
{
    const std::string dir = trimTrailingSlash(directory);
    if (dir.empty() || dir.front() != '/')
        return fail("the target folder in the pod must be an absolute path such as /models/<model>, not \"" + directory + "\"");
    auto files = scanFolder(localFolder);
    if (!files)
        return files.error();
    PvcUploadReport report;
    TransferProgress progress;
    ProgressMeter meter;
    auto lastEmit = ProgressMeter::Clock::time_point{};
    auto emit = [&](bool force) {
        const auto now = ProgressMeter::Clock::now();
        if (!force && now - lastEmit < options.progressInterval)
            return;
        lastEmit = now;
        meter.update(progress, now);
        if (onProgress)
            onProgress(progress);
    };
    progress.phase = "checking";
    emit(true);

    if (auto made = run(client, pod, {"mkdir", "-p", dir}, cancel, "creating " + dir + " in pod " + pod.pod); !made)
        return made.error();
    auto remote = listPodFiles(client, pod, dir, cancel);
    if (!remote)
        return remote.error();

    std::map<std::string, std::string> localSums; // filled as files stream or are hashed
    std::vector<const LocalFile *> todo;
    for (const LocalFile &f : files.value()) {
        const auto it = remote->find(f.relativePath);
        if (it != remote->end() && it->second == f.size) {
            ++report.filesSkipped;
            ++progress.filesSkipped;
            progress.bytesSkipped += f.size;
        } else {
            todo.push_back(&f);
        }
    }

    // Sends files with one tar stream; counts into progress.
    auto send = [&](const std::vector<const LocalFile *> &batch) -> Result<void> {
        std::vector<TarEntry> entries;
        for (const LocalFile *f : batch)
            entries.push_back(TarEntry{f->relativePath, f->absolutePath, f->size, f->mtimeSeconds, 0664});
        TarStream tar(std::move(entries));
        const std::int64_t base = progress.bytesDone;
        progress.bytesTotal += tar.totalSize();
        progress.filesTotal += static_cast<int>(batch.size());
        const int filesBase = progress.filesDone;
        progress.phase = "uploading";
        tar.onEntryStarted = [&](std::size_t index) {
            progress.filesDone = filesBase + static_cast<int>(index);
            progress.currentFile = batch[index]->relativePath;
        };
        emit(true);
        ExecIo io;
        io.cancel = cancel;
        io.stdinSource = [&](char *buffer, std::size_t size) { return tar.read(buffer, size); };
        io.onStdinSent = [&](std::int64_t sent) {
            progress.bytesDone = std::max(progress.bytesDone, base + sent);
            emit(false);
        };
        auto result = execInPod(client, pod, {"tar", "-xmf", "-", "--no-same-owner", "-C", dir}, io);
        if (tar.error())
            return fail(tar.error().value());
        if (!result)
            return fail("copying into pod " + pod.pod + ": " + result.message());
        if (result->exitCode != 0)
            return fail("tar in pod " + pod.pod + " failed with exit code " + std::to_string(result->exitCode) + ": " +
                        (result->stderrText.empty() ? result->statusMessage : result->stderrText));
        for (const auto &[path, sum] : tar.checksums())
            localSums[path] = sum;
        progress.bytesDone = base + tar.totalSize();
        progress.filesDone = filesBase + static_cast<int>(batch.size());
        report.bytesSent += tar.totalSize();
        emit(true);
        return {};
    };

    if (!todo.empty()) {
        if (auto sent = send(todo); !sent)
            return sent.error();
        report.filesSent = static_cast<int>(todo.size());
    }

    for (int round = 0;; ++round) {
        progress.phase = "verifying";
        progress.currentFile.clear();
        emit(true);
        auto sizes = listPodFiles(client, pod, dir, cancel);
        if (!sizes)
            return sizes.error();
        std::map<std::string, std::string> sums;
        if (options.verifyChecksums) {
            auto remoteSums = podChecksums(client, pod, dir, cancel);
            if (!remoteSums)
                return remoteSums.error();
            sums = std::move(remoteSums.value());
        }
        std::vector<const LocalFile *> bad;
        std::vector<std::string> problems;
        for (const LocalFile &f : files.value()) {
            const auto it = sizes->find(f.relativePath);
            if (it == sizes->end() || it->second != f.size) {
                bad.push_back(&f);
                problems.push_back(f.relativePath + (it == sizes->end() ? " is missing" : " has " + std::to_string(it->second) + " bytes, not " + std::to_string(f.size)));
                continue;
            }
            if (!options.verifyChecksums)
                continue;
            if (!localSums.count(f.relativePath)) {
                if (cancel && cancel->isCancelled())
                    return fail("cancelled while verifying the upload");
                auto sum = sha256File(f.absolutePath);
                if (!sum)
                    return sum.error();
                localSums[f.relativePath] = sum.value();
            }
            const auto remoteSum = sums.find(f.relativePath);
            if (remoteSum == sums.end() || remoteSum->second != localSums[f.relativePath]) {
                bad.push_back(&f);
                problems.push_back(f.relativePath + " has a different SHA-256 in the pod");
            }
        }
        if (bad.empty()) {
            report.filesVerified = static_cast<int>(files->size());
            break;
        }
        if (round >= options.repairRounds) {
            std::string list;
            for (std::size_t i = 0; i < problems.size() && i < 5; ++i)
                list += (i ? "; " : "") + problems[i];
            if (problems.size() > 5)
                list += "; and " + std::to_string(problems.size() - 5) + " more";
            return fail("the copy in pod " + pod.pod + " does not match the local folder after " + std::to_string(round + 1) +
                        " attempts: " + list + ". Check the volume's health and free space, then upload again");
        }
        for (const LocalFile *f : bad)
            localSums.erase(f->relativePath);
        if (auto sent = send(bad); !sent)
            return sent.error();
        report.filesRepaired += static_cast<int>(bad.size());
    }
    progress.phase = "done";
    emit(true);
    return report;
}

Result<std::string> retainClaimVolume(kube::Client &client, const std::string &namespaceName, const std::string &claim,
                                      const net::CancelToken *cancel)
{
    auto pvc = client.get(kube::ObjectRef{"v1", "PersistentVolumeClaim", namespaceName, claim}, cancel);
    if (!pvc)
        return pvc.error();
    const json object = json::parse(pvc->json, nullptr, false);
    const std::string volume = object.is_object() ? object.value("spec", json::object()).value("volumeName", "") : "";
    if (volume.empty())
        return fail("the PVC " + namespaceName + "/" + claim + " is not bound to a volume yet (status " +
                    (object.is_object() ? object.value("status", json::object()).value("phase", "unknown") : "unknown") +
                    "): wait until it is Bound (a WaitForFirstConsumer class binds when the loader pod starts)");
    net::Request request = client.request("PATCH", "/api/v1/persistentvolumes/" + volume);
    request.headers.push_back({"Content-Type", "application/merge-patch+json"});
    request.body = json{{"spec", {{"persistentVolumeReclaimPolicy", "Retain"}}}}.dump();
    net::Transfer transfer;
    transfer.cancel = cancel;
    auto response = client.call(std::move(request), "set the reclaim policy of PersistentVolume " + volume + " to Retain", transfer);
    if (!response)
        return response.error();
    const json patched = json::parse(response->body, nullptr, false);
    const std::string policy = patched.is_object() ? patched.value("spec", json::object()).value("persistentVolumeReclaimPolicy", "") : "";
    if (policy != "Retain")
        return fail("the API server accepted the patch of PersistentVolume " + volume + " but reports reclaim policy \"" + policy + "\", not Retain");
    return volume;
}

Result<void> removeLoaderPod(kube::Client &client, const ExecTarget &pod, const net::CancelToken *cancel)
{
    const std::string ns = pod.namespaceName.empty() ? client.defaultNamespace() : pod.namespaceName;
    auto removed = client.remove(kube::ObjectRef{"v1", "Pod", ns, pod.pod}, kube::Propagation::Background, cancel);
    if (!removed && kube::errorKind(removed.error()) != kube::ErrorKind::NotFound)
        return removed;
    return {};
}

} // namespace slipway::storage
