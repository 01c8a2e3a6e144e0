#include "kube/logs.h"

#include "kube/api_error.h"
#include "kube/json_util.h"
#include "net/line_splitter.h"
#include "net/url.h"

#include <algorithm>
#include <thread>

namespace slipway::kube {

namespace {

using json = nlohmann::json;
using TimePoint = std::chrono::system_clock::time_point;

bool pause(std::chrono::milliseconds total, const net::CancelToken *cancel)
{
    const auto until = std::chrono::steady_clock::now() + total;
    while (std::chrono::steady_clock::now() < until) {
        if (cancel && cancel->isCancelled())
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return !(cancel && cancel->isCancelled());
}

// Whether the container still runs (so a stream that ended should be resumed). Unknown: false.
bool containerRunning(Client &client, const std::string &ns, const LogOptions &options, const net::CancelToken *cancel)
{
    auto pod = client.get({"v1", "Pod", ns, options.pod}, cancel);
    if (!pod)
        return false;
    const json object = json::parse(pod->json, nullptr, false);
    if (!object.is_object() || !object.contains("status"))
        return false;
    for (const char *key : {"containerStatuses", "initContainerStatuses"}) {
        const json &statuses = object["status"].value(key, json::array());
        if (!statuses.is_array())
            continue;
        for (const json &status : statuses) {
            if (!options.container.empty() && status.value("name", "") != options.container)
                continue;
            return status.contains("state") && status["state"].is_object() && status["state"].contains("running");
        }
    }
    return false;
}

} // namespace

LogLine splitTimestamp(std::string_view line)
{
    const auto space = line.find(' ');
    const std::string_view head = line.substr(0, space);
    if (head.size() >= 20 && head[4] == '-' && head[10] == 'T' && parseRfc3339(head))
        return {std::string(head), space == std::string_view::npos ? std::string() : std::string(line.substr(space + 1))};
    return {std::string(), std::string(line)};
}

Result<void> followLogs(Client &client, const LogOptions &options, const std::function<bool(const LogLine &)> &onLine,
                        LogCursor &cursor, const net::CancelToken *cancel,
                        const std::function<void(const std::string &)> &onNotice)
{
    if (options.pod.empty())
        return fail("no pod named for the logs");
    const std::string ns = options.namespaceName.empty() ? client.defaultNamespace() : options.namespaceName;
    const bool follow = options.follow && !options.previous;
    const std::string what = "logs of pod " + ns + "/" + options.pod +
                             (options.container.empty() ? std::string() : " container " + options.container);
    int failures = 0;
    auto delay = options.retryDelay;
    std::string lastFailure;
    auto failed = [&](const std::string &message) -> bool {
        lastFailure = message;
        ++failures;
        if (failures > options.maxConsecutiveFailures)
            return false;
        if (onNotice)
            onNotice(message + "; reconnecting in " + std::to_string(delay.count()) + " ms");
        const bool goOn = pause(delay, cancel);
        delay = std::min(delay * 2, std::chrono::milliseconds(8000));
        return goOn;
    };
    auto giveUp = [&]() -> Result<void> {
        if (failures > options.maxConsecutiveFailures)
            return fail(lastFailure);
        return {};
    };

    while (!(cancel && cancel->isCancelled())) {
        const bool resuming = !cursor.lastTimestamp.empty();
        std::vector<std::pair<std::string, std::string>> query{{"timestamps", "true"}};
        if (!options.container.empty())
            query.emplace_back("container", options.container);
        if (follow)
            query.emplace_back("follow", "true");
        if (options.previous)
            query.emplace_back("previous", "true");
        if (resuming) {
            query.emplace_back("sinceTime", cursor.lastTimestamp);
        } else {
            if (options.tailLines)
                query.emplace_back("tailLines", std::to_string(*options.tailLines));
            if (options.sinceSeconds)
                query.emplace_back("sinceSeconds", std::to_string(*options.sinceSeconds));
            if (!options.sinceTime.empty())
                query.emplace_back("sinceTime", options.sinceTime);
        }
        net::Request request = client.request(
            "GET", "/api/v1/namespaces/" + ns + "/pods/" + options.pod + "/log?" + net::queryString(query), follow);
        request.timeouts.stall = options.stallTimeout;
        request.headers.push_back({"Accept", "*/*"});

        // Resume rule: skip lines older than the last delivered one, and the first
        // `linesAtLastTimestamp` lines that carry exactly its timestamp.
        const std::optional<TimePoint> resumeAt = resuming ? parseRfc3339(cursor.lastTimestamp) : std::nullopt;
        const int alreadyAtResume = cursor.linesAtLastTimestamp;
        int equalSeen = 0;
        bool stopped = false;
        bool connected = false;
        auto deliver = [&](std::string_view raw) {
            if (stopped)
                return;
            LogLine line = splitTimestamp(raw);
            const std::optional<TimePoint> at = line.timestamp.empty() ? std::nullopt : parseRfc3339(line.timestamp);
            if (resumeAt && at) {
                if (*at < *resumeAt)
                    return;
                if (*at == *resumeAt && equalSeen++ < alreadyAtResume)
                    return;
            }
            if (at) {
                const std::optional<TimePoint> last = cursor.lastTimestamp.empty() ? std::nullopt : parseRfc3339(cursor.lastTimestamp);
                if (last && *last == *at) {
                    ++cursor.linesAtLastTimestamp;
                } else {
                    cursor.lastTimestamp = line.timestamp;
                    cursor.linesAtLastTimestamp = 1;
                }
            }
            ++cursor.lines;
            if (options.timestamps && !line.timestamp.empty())
                line.text = line.timestamp + " " + line.text;
            if (onLine && !onLine(line))
                stopped = true;
        };
        net::LineSplitter splitter;
        std::string splitError;
        net::Transfer transfer;
        transfer.cancel = cancel;
        transfer.onHeaders = [&](const net::Response &r) { connected = r.isSuccess(); };
        transfer.onChunk = [&](std::string_view chunk) {
            if (auto fed = splitter.feed(chunk, deliver); !fed)
                splitError = fed.message();
            return !stopped && splitError.empty();
        };
        auto response = client.send(std::move(request), transfer);
        if (response)
            splitter.finish(deliver);
        if (stopped || (cancel && cancel->isCancelled()))
            return {};
        if (!splitError.empty())
            return fail(what + ": " + splitError);
        if (connected) {
            failures = 0;
            delay = options.retryDelay;
        }
        if (!response) {
            if (!follow && !connected)
                return fail(what + ": " + response.message());
            if (!failed(what + ": " + response.message()))
                return giveUp();
            ++cursor.reconnects;
            continue;
        }
        if (!response->isSuccess()) {
            const std::string message = apiErrorMessage(what, *response);
            // 400 "container ... is waiting to start": the pod is still coming up.
            const bool waiting = response->status == 400 && response->body.find("waiting to start") != std::string::npos;
            if (!(waiting && follow) && response->status < 500 && response->status != 429)
                return fail(message);
            if (!failed(message))
                return giveUp();
            continue;
        }
        if (!follow)
            return {};
        // A clean end: the container stopped, or the server closed the stream while it still runs.
        if (!containerRunning(client, ns, options, cancel))
            return {};
        if (onNotice)
            onNotice(what + ": the stream ended while the container still runs; resuming");
        ++cursor.reconnects;
        if (!pause(options.retryDelay, cancel))
            return {};
    }
    return {};
}

} // namespace slipway::kube
