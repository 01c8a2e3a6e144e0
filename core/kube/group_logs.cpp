#include "kube/group_logs.h"

#include "kube/api_error.h"
#include "kube/watch.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace slipway::kube {

using nlohmann::json;

namespace {

struct Follower {
    std::thread thread;
    std::atomic<bool> done{false};
    int restarts = 0;                 // the container generation it follows
};

// The container to follow and whether it runs, with its restart count.
struct ContainerState {
    std::string name;
    bool running = false;
    int restarts = 0;
};

ContainerState containerOf(const Object &pod, const std::string &wanted)
{
    const json j = json::parse(pod.json, nullptr, false);
    ContainerState state;
    const json containers = j.value("/spec/containers"_json_pointer, json::array());
    state.name = !wanted.empty() ? wanted : containers.empty() ? std::string() : containers[0].value("name", std::string());
    for (const json &c : j.value("/status/containerStatuses"_json_pointer, json::array())) {
        if (c.value("name", "") != state.name)
            continue;
        state.running = c.contains("state") && c["state"].contains("running");
        state.restarts = c.value("restartCount", 0);
    }
    return state;
}

} // namespace

Result<void> followGroupLogs(Client &client, const GroupLogOptions &options, const std::function<void(const GroupLogLine &)> &onLine,
                             const net::CancelToken *cancel, const std::function<void(const std::string &)> &onNotice)
{
    const std::string ns = options.namespaceName.empty() ? client.defaultNamespace() : options.namespaceName;
    net::CancelToken stop;
    std::mutex lineMutex;    // one onLine at a time: the merged stream
    std::mutex noticeMutex;
    std::map<std::string, std::unique_ptr<Follower>> followers;
    auto notice = [&](const std::string &text) {
        if (!onNotice)
            return;
        std::lock_guard lock(noticeMutex);
        onNotice(text);
    };

    auto consider = [&](const Object &pod) {
        const ContainerState container = containerOf(pod, options.container);
        if (!container.running || container.name.empty())
            return;
        auto &slot = followers[pod.name];
        if (slot && !(slot->done && container.restarts > slot->restarts))
            return; // already followed, or its log already ended and the container did not restart
        if (slot && slot->thread.joinable())
            slot->thread.join();
        const bool restarted = static_cast<bool>(slot);
        slot = std::make_unique<Follower>();
        slot->restarts = container.restarts;
        Follower *follower = slot.get();
        LogOptions logOptions;
        logOptions.namespaceName = ns;
        logOptions.pod = pod.name;
        logOptions.container = container.name;
        logOptions.tailLines = restarted ? std::nullopt : options.tailLines;
        logOptions.sinceSeconds = restarted ? std::nullopt : options.sinceSeconds;
        logOptions.stallTimeout = options.stallTimeout;
        const std::string podName = pod.name;
        notice(restarted ? "following " + podName + " again (container restarted)" : "following " + podName);
        follower->thread = std::thread([&, follower, logOptions, podName] {
            LogCursor cursor;
            auto result = followLogs(
                client, logOptions,
                [&](const LogLine &line) {
                    std::lock_guard lock(lineMutex);
                    onLine({podName, logOptions.container, line.timestamp, line.text});
                    return !stop.isCancelled();
                },
                cursor, &stop, [&](const std::string &text) { notice(podName + ": " + text); });
            if (!result && !stop.isCancelled())
                notice(podName + ": " + result.message());
            follower->done = true;
        });
    };

    std::thread relay([&] {
        while (!stop.isCancelled()) {
            if (cancel && cancel->isCancelled())
                stop.cancel();
            std::this_thread::sleep_for(std::chrono::milliseconds(30));
        }
    });

    WatchOptions watchOptions;
    watchOptions.list.labelSelector = options.labelSelector;
    WatchCallbacks callbacks;
    callbacks.onList = [&](const ObjectList &list) {
        for (const Object &pod : list.items)
            consider(pod);
    };
    callbacks.onEvent = [&](const WatchEvent &e) {
        if (e.type == WatchEventType::Added || e.type == WatchEventType::Modified)
            consider(e.object);
        return !stop.isCancelled();
    };
    callbacks.onNotice = notice;
    WatchState state;
    auto result = listAndWatch(client, "v1", "Pod", ns, watchOptions, callbacks, state, &stop);
    stop.cancel();
    for (auto &[name, follower] : followers)
        if (follower->thread.joinable())
            follower->thread.join();
    relay.join();
    return result;
}

} // namespace slipway::kube
