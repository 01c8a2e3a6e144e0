#include "kube/rollout.h"

#include "kube/api_error.h"
#include "kube/logs.h"
#include "kube/watch.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

namespace slipway::kube {

using nlohmann::json;

std::string_view podIssueName(PodIssue issue)
{
    switch (issue) {
    case PodIssue::None: return "none";
    case PodIssue::InsufficientGpu: return "insufficient-gpu";
    case PodIssue::Unschedulable: return "unschedulable";
    case PodIssue::PvcPending: return "pvc-pending";
    case PodIssue::ImagePull: return "image-pull";
    case PodIssue::OOMKilled: return "oom-killed";
    case PodIssue::CrashLoop: return "crash-loop";
    case PodIssue::ProbeFailure: return "probe-failure";
    case PodIssue::Nccl: return "nccl";
    }
    return "none";
}

std::string_view rolloutPhaseName(RolloutPhase phase)
{
    switch (phase) {
    case RolloutPhase::Progressing: return "progressing";
    case RolloutPhase::Ready: return "ready";
    case RolloutPhase::Failed: return "failed";
    }
    return "progressing";
}

RolloutTarget rolloutTarget(const deploy::DeploymentPlan &plan)
{
    RolloutTarget t;
    t.name = plan.name;
    t.namespaceName = plan.namespaceName;
    switch (plan.mode) {
    case deploy::Mode::Deployment:
        t.labelSelector = "app.kubernetes.io/instance=" + plan.name + ",app.kubernetes.io/component=inference-server";
        t.expectedPods = plan.replicas;
        break;
    case deploy::Mode::KServe:
        t.labelSelector = "serving.kserve.io/inferenceservice=" + plan.name;
        t.expectedPods = plan.replicas;
        break;
    case deploy::Mode::Lws:
        t.labelSelector = "leaderworkerset.sigs.k8s.io/name=" + plan.name;
        t.expectedPods = plan.replicas * plan.nodes;
        break;
    }
    t.gpuResource = plan.gpuResource;
    t.gpusPerPod = plan.gpusPerNode;
    t.memoryLimitBytes = plan.memoryLimitBytes;
    t.image = deploy::effectiveImage(plan);
    t.distPort = plan.distPort;
    return t;
}

bool isNcclErrorLine(std::string_view line, int distPort)
{
    auto has = [&](std::string_view s) { return line.find(s) != std::string_view::npos; };
    if (has("NCCL WARN") || has("unhandled system error") || has("ncclSystemError") || has("ncclInternalError") ||
        has("ncclRemoteError") || has("NCCL error") || (has("ProcessGroupNCCL") && (has("Timeout") || has("Error"))))
        return true;
    if (has("Connection refused") && (has(":" + std::to_string(distPort)) || has("TCPStore") || has("dist-init") ||
                                      has("c10d") || has("rendezvous")))
        return true;
    return has("Error while creating shared memory segment") || (has("/dev/shm") && has("No space left"));
}

namespace {

std::string str(const json &j, const char *pointer)
{
    const json v = j.value(json::json_pointer(pointer), json());
    return v.is_string() ? v.get<std::string>() : std::string();
}

std::string gib(uint64_t bytes)
{
    return deploy::memoryQuantity(bytes);
}

} // namespace

PodState diagnosePod(const PodEvidence &evidence, const RolloutTarget &target)
{
    const json pod = json::parse(evidence.podJson, nullptr, false);
    PodState s;
    s.name = str(pod, "/metadata/name");
    s.phase = str(pod, "/status/phase");
    s.node = str(pod, "/spec/nodeName");
    const json statuses = pod.value("/status/containerStatuses"_json_pointer, json::array());
    bool allReady = !statuses.empty();
    std::string waitingReason, waitingMessage, lastTerminated;
    int lastExit = 0;
    for (const json &c : statuses) {
        allReady = allReady && c.value("ready", false);
        s.restarts += c.value("restartCount", 0);
        if (waitingReason.empty()) {
            waitingReason = str(c, "/state/waiting/reason");
            waitingMessage = str(c, "/state/waiting/message");
        }
        if (lastTerminated.empty()) {
            lastTerminated = str(c, "/lastState/terminated/reason");
            const json code = c.value("/lastState/terminated/exitCode"_json_pointer, json());
            lastExit = code.is_number_integer() ? code.get<int>() : 0;
        }
    }
    s.ready = allReady && s.phase == "Running";
    auto set = [&](PodIssue issue, std::string reason, std::string fix, std::vector<std::string> why = {}) {
        s.issue = issue;
        s.reason = std::move(reason);
        s.fix = std::move(fix);
        s.evidence = std::move(why);
    };
    auto lastEvent = [&](const char *reason) -> const EventInfo * {
        for (auto it = evidence.events.rbegin(); it != evidence.events.rend(); ++it)
            if (it->reason == reason)
                return &*it;
        return nullptr;
    };

    // Scheduling first: nothing else happens before a pod has a node.
    const EventInfo *scheduling = lastEvent("FailedScheduling");
    std::string unschedulable;
    for (const json &c : pod.value("/status/conditions"_json_pointer, json::array()))
        if (c.value("type", "") == "PodScheduled" && c.value("status", "") == "False")
            unschedulable = c.value("message", std::string("unschedulable"));
    if (s.phase == "Pending" && s.node.empty() && (scheduling || !unschedulable.empty())) {
        const std::string message = !unschedulable.empty() ? unschedulable : scheduling->message;
        if (message.find("Insufficient " + target.gpuResource) != std::string::npos)
            set(PodIssue::InsufficientGpu, "Pending: no node has " + std::to_string(target.gpusPerPod) + " free " + target.gpuResource,
                "Free GPUs (scale down other GPU workloads), lower the replicas or GPUs per pod, or add GPU nodes; the Preflight tab shows free GPUs per node.",
                {message});
        else if (message.find("PersistentVolumeClaim") != std::string::npos || message.find("persistentvolumeclaim") != std::string::npos)
            set(PodIssue::PvcPending, "Pending: its volume claim is not bound",
                "Set a storage class that exists (or mark one default); for a shared claim choose an RWX class or turn RWX off.", {message});
        else
            set(PodIssue::Unschedulable, "Pending: the scheduler cannot place it",
                "Read the scheduler's message: check taints and tolerations, node selectors, and CPU/memory requests.", {message});
        return s;
    }
    if (!evidence.pendingClaims.empty() && !s.ready) {
        std::string claims;
        for (const auto &c : evidence.pendingClaims)
            claims += (claims.empty() ? "" : ", ") + c;
        set(PodIssue::PvcPending, "waiting for volume claim(s) " + claims + " to be bound",
            "The claim stays Pending without a storage class that can provision it: choose an existing class (RWX when pods share it), or turn RWX off so each pod gets its own ReadWriteOnce volume.",
            evidence.pendingClaims);
        return s;
    }
    if (waitingReason == "ImagePullBackOff" || waitingReason == "ErrImagePull" || waitingReason == "InvalidImageName") {
        set(PodIssue::ImagePull, waitingReason + ": the node cannot pull " + (target.image.empty() ? std::string("the image") : target.image),
            "Mirror the image to a registry the cluster can reach (slipway-cli mirror-script writes the commands) and set it in the plan; add an image pull secret if the registry needs one.",
            {waitingMessage});
        return s;
    }
    if (lastTerminated == "OOMKilled") {
        std::string fix = "Raise the memory limit";
        if (target.memoryLimitBytes)
            fix += " above " + gib(target.memoryLimitBytes);
        if (target.suggestedMemoryBytes)
            fix += " (the sizing calculator suggests " + gib(target.suggestedMemoryBytes) + ")";
        fix += "; loading weights and /dev/shm both count against it.";
        set(PodIssue::OOMKilled, "OOMKilled: the container used more memory than its limit (restarted " + std::to_string(s.restarts) + "×)",
            fix);
        return s;
    }
    // NCCL failures show up as crashes too; the log says which.
    std::vector<std::string> ncclLines;
    for (const auto *tail : {&evidence.previousLogTail, &evidence.logTail})
        for (const std::string &line : *tail)
            if (isNcclErrorLine(line, target.distPort))
                ncclLines.push_back(line);
    if (!ncclLines.empty()) {
        set(PodIssue::Nccl, "NCCL error: the GPUs of the group cannot talk to each other",
            "Check NCCL_SOCKET_IFNAME / GLOO_SOCKET_IFNAME name an interface that exists in the pods, that the leader Service resolves and its port " +
                std::to_string(target.distPort) + " is reachable from the workers, and that /dev/shm is a memory emptyDir large enough.",
            ncclLines);
        return s;
    }
    if (waitingReason == "CrashLoopBackOff" || (lastTerminated == "Error" && lastExit != 0 && !s.ready)) {
        std::vector<std::string> lines = evidence.previousLogTail.empty() ? evidence.logTail : evidence.previousLogTail;
        if (lines.size() > 10)
            lines.erase(lines.begin(), lines.end() - 10);
        set(PodIssue::CrashLoop, "CrashLoopBackOff: the server exits (exit code " + std::to_string(lastExit) + ", restarted " + std::to_string(s.restarts) + "×)",
            lines.empty() ? "Read the previous container's log (Logs panel, \"previous\")."
                          : "The last log lines say why: " + lines.back(),
            lines);
        return s;
    }
    if (!s.ready && s.phase == "Running") {
        if (const EventInfo *unhealthy = lastEvent("Unhealthy")) {
            set(PodIssue::ProbeFailure, "probe failing: " + unhealthy->message,
                "Loading large models takes a while: raise the startup timeout in the plan; if it never passes, check the port and path the probe uses.",
                {unhealthy->message});
            return s;
        }
    }
    return s;
}

RolloutStatus summarizeRollout(std::vector<PodState> pods, const RolloutTarget &target)
{
    std::sort(pods.begin(), pods.end(), [](const PodState &a, const PodState &b) { return a.name < b.name; });
    RolloutStatus status;
    int ready = 0;
    for (const PodState &p : pods)
        ready += p.ready ? 1 : 0;
    const PodState *failed = nullptr;
    for (const PodState &p : pods)
        if (p.issue != PodIssue::None && p.issue != PodIssue::ProbeFailure) {
            failed = &p;
            break;
        }
    const std::string counts = std::to_string(ready) + " of " + std::to_string(target.expectedPods) + " pods ready";
    if (failed) {
        status.phase = RolloutPhase::Failed;
        status.summary = "failed: " + failed->name + ": " + failed->reason;
    } else if (ready >= target.expectedPods && ready == int(pods.size()) && ready > 0) {
        status.phase = RolloutPhase::Ready;
        status.summary = counts;
    } else {
        status.phase = RolloutPhase::Progressing;
        status.summary = counts;
        for (const PodState &p : pods)
            if (p.issue == PodIssue::ProbeFailure) {
                status.summary += "; " + p.name + ": " + p.reason;
                break;
            }
    }
    status.pods = std::move(pods);
    return status;
}

namespace {

// Shared between the pod watch (calling thread) and the event watch (its own thread).
class RolloutTracker {
public:
    RolloutTracker(Client &client, const RolloutTarget &target, const std::function<bool(const RolloutStatus &)> &onStatus)
        : m_client(client), m_target(target), m_onStatus(onStatus)
    {
    }

    void replacePods(const ObjectList &list)
    {
        std::lock_guard lock(m_mutex);
        m_pods.clear();
        for (const Object &o : list.items)
            m_pods[o.name] = gather(o);
    }
    void updatePod(const WatchEvent &e)
    {
        std::lock_guard lock(m_mutex);
        if (e.type == WatchEventType::Deleted)
            m_pods.erase(e.object.name);
        else if (e.type != WatchEventType::Bookmark)
            m_pods[e.object.name] = gather(e.object);
    }
    void replaceEvents(const ObjectList &list)
    {
        std::lock_guard lock(m_mutex);
        m_events.clear();
        for (const Object &o : list.items)
            addEvent(o);
    }
    void updateEvent(const WatchEvent &e)
    {
        std::lock_guard lock(m_mutex);
        if (e.type == WatchEventType::Added || e.type == WatchEventType::Modified)
            addEvent(e.object);
    }
    // false: the caller wants no more.
    bool publish()
    {
        std::lock_guard lock(m_publishMutex);
        RolloutStatus status;
        {
            std::lock_guard lock2(m_mutex);
            std::vector<PodState> states;
            for (auto &[name, evidence] : m_pods) {
                evidence.events = m_events[name];
                states.push_back(diagnosePod(evidence, m_target));
            }
            status = summarizeRollout(std::move(states), m_target);
        }
        return m_onStatus(status);
    }

private:
    void addEvent(const Object &o)
    {
        const json j = json::parse(o.json, nullptr, false);
        if (str(j, "/involvedObject/kind") != "Pod")
            return;
        EventInfo e;
        e.type = str(j, "/type");
        e.reason = str(j, "/reason");
        e.message = str(j, "/message");
        e.lastTimestamp = str(j, "/lastTimestamp");
        e.involvedKind = "Pod";
        e.involvedName = str(j, "/involvedObject/name");
        auto &list = m_events[e.involvedName];
        // The same event updated (count bumped) replaces the old copy.
        list.erase(std::remove_if(list.begin(), list.end(), [&](const EventInfo &x) { return x.reason == e.reason && x.message == e.message; }),
                   list.end());
        list.push_back(e);
    }

    std::vector<std::string> tail(const std::string &pod, const std::string &container, bool previous)
    {
        LogOptions options;
        options.namespaceName = m_target.namespaceName;
        options.pod = pod;
        options.container = container;
        options.follow = false;
        options.previous = previous;
        options.tailLines = 40;
        options.maxConsecutiveFailures = 1;
        std::vector<std::string> lines;
        LogCursor cursor;
        (void)followLogs(m_client, options, [&](const LogLine &l) { lines.push_back(l.text); return true; }, cursor);
        return lines;
    }

    // The pod plus what explains it: its log tails when it crashed or is not ready, and the
    // claims it mounts that are not bound. Called with m_mutex held (short API reads).
    PodEvidence gather(const Object &o)
    {
        PodEvidence e;
        e.podJson = o.json;
        const json pod = json::parse(o.json, nullptr, false);
        const json containers = pod.value("/spec/containers"_json_pointer, json::array());
        const std::string container = containers.empty() ? std::string() : containers[0].value("name", std::string());
        const json statuses = pod.value("/status/containerStatuses"_json_pointer, json::array());
        bool running = false, ready = true;
        int restarts = 0;
        for (const json &c : statuses) {
            running = running || (c.contains("state") && c["state"].contains("running"));
            ready = ready && c.value("ready", false);
            restarts += c.value("restartCount", 0);
        }
        if (!ready && running)
            e.logTail = tail(o.name, container, false);
        if (!ready && restarts > 0)
            e.previousLogTail = tail(o.name, container, true);
        if (str(pod, "/status/phase") == "Pending") {
            for (const json &v : pod.value("/spec/volumes"_json_pointer, json::array())) {
                const std::string claim = v.value("/persistentVolumeClaim/claimName"_json_pointer, std::string());
                if (claim.empty())
                    continue;
                auto pvc = m_client.get({"v1", "PersistentVolumeClaim", m_target.namespaceName, claim});
                if (pvc && str(json::parse(pvc->json, nullptr, false), "/status/phase") == "Pending")
                    e.pendingClaims.push_back(claim);
            }
        }
        return e;
    }

    Client &m_client;
    const RolloutTarget &m_target;
    const std::function<bool(const RolloutStatus &)> &m_onStatus;
    std::mutex m_mutex;
    std::mutex m_publishMutex;
    std::map<std::string, PodEvidence> m_pods;
    std::map<std::string, std::vector<EventInfo>> m_events;
};

} // namespace

Result<void> watchRollout(Client &client, const RolloutTarget &target, const std::function<bool(const RolloutStatus &)> &onStatus,
                          const net::CancelToken *cancel, const std::function<void(const std::string &)> &onNotice)
{
    RolloutTracker tracker(client, target, onStatus);
    net::CancelToken stop;
    std::atomic<bool> listed{false};

    // Events first, so the first published status already has them.
    WatchOptions eventOptions;
    eventOptions.list.fieldSelector = "involvedObject.kind=Pod";
    WatchCallbacks eventCallbacks;
    eventCallbacks.onList = [&](const ObjectList &list) {
        tracker.replaceEvents(list);
        if (listed && !tracker.publish())
            stop.cancel();
    };
    eventCallbacks.onEvent = [&](const WatchEvent &e) {
        tracker.updateEvent(e);
        if (listed && e.type != WatchEventType::Bookmark && !tracker.publish())
            stop.cancel();
        return !stop.isCancelled();
    };
    eventCallbacks.onNotice = onNotice;
    auto firstEvents = client.list("v1", "Event", target.namespaceName, eventOptions.list, cancel);
    WatchState eventState;
    if (firstEvents) {
        tracker.replaceEvents(firstEvents.value());
        eventState.resourceVersion = firstEvents->resourceVersion;
    } else if (isUnauthorized(firstEvents.error())) {
        return firstEvents.error();
    }
    Result<void> eventResult;
    std::thread events([&] {
        if (firstEvents)
            eventResult = listAndWatch(client, "v1", "Event", target.namespaceName, eventOptions, eventCallbacks, eventState, &stop);
    });
    std::thread relay([&] {
        while (!stop.isCancelled()) {
            if (cancel && cancel->isCancelled())
                stop.cancel();
            std::this_thread::sleep_for(std::chrono::milliseconds(30));
        }
    });

    WatchOptions podOptions;
    podOptions.list.labelSelector = target.labelSelector;
    WatchCallbacks podCallbacks;
    podCallbacks.onList = [&](const ObjectList &list) {
        tracker.replacePods(list);
        listed = true;
        if (!tracker.publish())
            stop.cancel();
    };
    podCallbacks.onEvent = [&](const WatchEvent &e) {
        if (e.type == WatchEventType::Bookmark)
            return !stop.isCancelled();
        tracker.updatePod(e);
        if (!tracker.publish())
            stop.cancel();
        return !stop.isCancelled();
    };
    podCallbacks.onNotice = onNotice;
    WatchState podState;
    auto podResult = listAndWatch(client, "v1", "Pod", target.namespaceName, podOptions, podCallbacks, podState, &stop);
    stop.cancel();
    events.join();
    relay.join();
    if (!podResult)
        return podResult;
    if (!eventResult && !isUnauthorized(eventResult.error()) && onNotice)
        onNotice("events are not shown: " + eventResult.message());
    return eventResult.ok() || !isUnauthorized(eventResult.error()) ? Result<void>() : eventResult;
}

} // namespace slipway::kube
