#include "kube/watch.h"

#include "kube/api_error.h"
#include "kube/json_util.h"
#include "kube/resources.h"
#include "net/line_splitter.h"
#include "net/url.h"

#include <algorithm>
#include <thread>

namespace slipway::kube {

namespace {

using json = nlohmann::json;

// Sleeps in short slices so a cancel is honoured quickly; false when cancelled.
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

void notice(const WatchCallbacks &callbacks, const std::string &text)
{
    if (callbacks.onNotice)
        callbacks.onNotice(text);
}

// What one watch connection ended with.
struct StreamOutcome {
    bool stoppedByCaller = false;
    bool gone = false;           // ERROR event with 410
    std::string errorEvent;      // another ERROR event's message
    std::string parseError;
};

} // namespace

Result<void> listAndWatch(Client &client, std::string_view apiVersion, std::string_view kind,
                          std::string_view namespaceName, const WatchOptions &options, const WatchCallbacks &callbacks,
                          WatchState &state, const net::CancelToken *cancel)
{
    auto type = client.resolve(apiVersion, kind, cancel);
    if (!type)
        return type.error();
    const std::string what = "watch " + type->resource +
                             (namespaceName.empty() ? std::string() : " in " + std::string(namespaceName));
    int failures = 0;
    auto delay = options.retryDelay;
    std::string lastFailure;
    auto failed = [&](const std::string &message) -> bool {
        lastFailure = message;
        ++failures;
        if (failures > options.maxConsecutiveFailures)
            return false;
        notice(callbacks, message + "; reconnecting in " + std::to_string(delay.count()) + " ms");
        const bool goOn = pause(delay, cancel);
        delay = std::min(delay * 2, std::chrono::milliseconds(8000));
        return goOn;
    };
    // After failed() said stop: too many failures is an error, a cancel is not.
    auto giveUp = [&]() -> Result<void> {
        if (failures > options.maxConsecutiveFailures)
            return fail(lastFailure);
        return {};
    };

    while (!(cancel && cancel->isCancelled())) {
        if (state.resourceVersion.empty()) {
            auto list = client.list(apiVersion, kind, namespaceName, options.list, cancel);
            if (!list) {
                if (cancel && cancel->isCancelled())
                    break;
                const ErrorKind kindOfError = errorKind(list.error());
                if (kindOfError != ErrorKind::Other)
                    return list.error();
                if (!failed(list.message()))
                    return giveUp();
                continue;
            }
            state.resourceVersion = list->resourceVersion;
            ++state.lists;
            if (callbacks.onList)
                callbacks.onList(*list);
        }

        std::vector<std::pair<std::string, std::string>> query{
            {"watch", "1"}, {"resourceVersion", state.resourceVersion}, {"allowWatchBookmarks", "true"}};
        if (!options.list.labelSelector.empty())
            query.emplace_back("labelSelector", options.list.labelSelector);
        if (!options.list.fieldSelector.empty())
            query.emplace_back("fieldSelector", options.list.fieldSelector);
        if (options.timeoutSeconds > 0)
            query.emplace_back("timeoutSeconds", std::to_string(options.timeoutSeconds));
        net::Request request = client.request("GET", resourcePath(*type, namespaceName) + "?" + net::queryString(query), true);
        request.timeouts.stall = options.stallTimeout;

        StreamOutcome outcome;
        net::LineSplitter splitter;
        bool connected = false;
        auto onLine = [&](std::string_view line) {
            if (outcome.stoppedByCaller || outcome.gone || !outcome.errorEvent.empty() || line.empty())
                return;
            const json event = json::parse(line.begin(), line.end(), nullptr, false);
            if (!event.is_object() || !event.contains("type") || !event["type"].is_string()) {
                outcome.parseError = "the API server sent a watch event that is not JSON";
                return;
            }
            const std::string eventType = event["type"].get<std::string>();
            const json &object = event.contains("object") ? event["object"] : json();
            if (eventType == "ERROR") {
                const long code = object.is_object() && object.contains("code") && object["code"].is_number_integer()
                                      ? object["code"].get<long>()
                                      : 0;
                if (code == 410)
                    outcome.gone = true;
                else
                    outcome.errorEvent = object.is_object() ? object.value("message", "unknown error") : "unknown error";
                return;
            }
            WatchEvent watchEvent;
            watchEvent.object = detail::objectFromJson(object);
            if (eventType == "ADDED")
                watchEvent.type = WatchEventType::Added;
            else if (eventType == "MODIFIED")
                watchEvent.type = WatchEventType::Modified;
            else if (eventType == "DELETED")
                watchEvent.type = WatchEventType::Deleted;
            else if (eventType == "BOOKMARK")
                watchEvent.type = WatchEventType::Bookmark;
            else
                return; // a type from the future: skip it
            if (!watchEvent.object.resourceVersion.empty())
                state.resourceVersion = watchEvent.object.resourceVersion;
            if (watchEvent.type == WatchEventType::Bookmark)
                ++state.bookmarks;
            else
                ++state.events;
            if (callbacks.onEvent && !callbacks.onEvent(watchEvent))
                outcome.stoppedByCaller = true;
        };
        net::Transfer transfer;
        transfer.cancel = cancel;
        transfer.onHeaders = [&](const net::Response &r) { connected = r.isSuccess(); };
        transfer.onChunk = [&](std::string_view chunk) {
            if (auto fed = splitter.feed(chunk, onLine); !fed)
                outcome.parseError = fed.message();
            return !outcome.stoppedByCaller && !outcome.gone && outcome.errorEvent.empty() && outcome.parseError.empty();
        };
        auto response = client.send(std::move(request), transfer);
        if (response)
            splitter.finish(onLine);

        if (outcome.stoppedByCaller || (cancel && cancel->isCancelled()))
            return {};
        if (connected) {
            failures = 0;
            delay = options.retryDelay;
        }
        if (outcome.gone || (response && response->status == 410)) {
            notice(callbacks, "resourceVersion " + state.resourceVersion + " is too old to watch from (410 Gone); listing again");
            state.resourceVersion.clear();
            continue;
        }
        if (!outcome.errorEvent.empty()) {
            if (!failed(what + ": the API server ended the watch with an error: " + outcome.errorEvent))
                return giveUp();
            ++state.reconnects;
            continue;
        }
        if (!outcome.parseError.empty())
            return fail(what + ": " + outcome.parseError);
        if (response && !response->isSuccess()) {
            const std::string message = apiErrorMessage(what, *response);
            if (response->status < 500 && response->status != 429)
                return fail(message);
            if (!failed(message))
                return giveUp();
            ++state.reconnects;
            continue;
        }
        if (!response) {
            if (!failed(what + ": " + response.message()))
                return giveUp();
            ++state.reconnects;
            continue;
        }
        // The server closed the watch normally (its timeout): carry on from the last resourceVersion.
        ++state.reconnects;
    }
    return {};
}

} // namespace slipway::kube
