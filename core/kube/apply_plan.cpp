#include "kube/apply_plan.h"

#include "kube/api_error.h"

#include <algorithm>
#include <set>

namespace slipway::kube {

std::string renderedApiVersion(const deploy::RenderedObject &object)
{
    std::size_t at = 0;
    const std::string &yaml = object.yaml;
    while (at < yaml.size()) {
        std::size_t end = yaml.find('\n', at);
        if (end == std::string::npos)
            end = yaml.size();
        const std::string_view line(yaml.data() + at, end - at);
        constexpr std::string_view key = "apiVersion:";
        if (line.substr(0, key.size()) == key) {
            std::string value(line.substr(key.size()));
            value.erase(0, value.find_first_not_of(" \t\"'"));
            value.erase(value.find_last_not_of(" \t\r\"'") + 1);
            return value;
        }
        at = end + 1;
    }
    return {};
}

std::string instanceSelector(const std::string &name)
{
    return "app.kubernetes.io/instance=" + name + ",app.kubernetes.io/managed-by=slipway";
}

namespace {

// The quoted manager names of a conflict message: `...: field managers "a", "b" also set ...`.
std::vector<std::string> conflictManagers(const std::string &message)
{
    std::vector<std::string> managers;
    const auto start = message.find("field manager");
    const auto stop = message.find(" also set", start == std::string::npos ? 0 : start);
    if (start == std::string::npos || stop == std::string::npos)
        return managers;
    std::size_t at = start;
    while (true) {
        const auto open = message.find('"', at);
        if (open == std::string::npos || open > stop)
            break;
        const auto close = message.find('"', open + 1);
        if (close == std::string::npos || close > stop)
            break;
        managers.push_back(message.substr(open + 1, close - open - 1));
        at = close + 1;
    }
    return managers;
}

void report(const ApplyProgressCallback &progress, ApplyProgress p)
{
    if (progress)
        progress(p);
}

} // namespace

Result<ApplyPlanResult> applyObjects(Client &client, const std::vector<deploy::RenderedObject> &objects,
                                     const ApplyPlanOptions &options, const ApplyProgressCallback &progress,
                                     const net::CancelToken *cancel)
{
    if (objects.empty())
        return fail("nothing to apply: the plan rendered no objects");
    ApplyPlanResult result;
    ApplyOptions apply;
    apply.fieldManager = options.fieldManager;
    apply.force = options.force;
    apply.namespaceName = options.namespaceName;
    const int total = int(objects.size());
    auto cancelled = [&] { return cancel && cancel->isCancelled(); };
    auto describeFailure = [](const deploy::RenderedObject &o, const std::string &message) {
        return o.kind + " " + o.name + ": " + message;
    };

    // A Namespace first, for real: namespaced dry runs need it to exist.
    std::set<int> appliedEarly;
    for (int i = 0; i < total; ++i) {
        if (objects[i].kind != "Namespace")
            continue;
        auto done = client.apply(objects[i].yaml, apply, cancel);
        if (!done)
            return fail(describeFailure(objects[i], done.message()));
        appliedEarly.insert(i);
    }

    // Dry run of everything: nothing changes unless all pass.
    apply.dryRun = true;
    for (int i = 0; i < total; ++i) {
        if (cancelled())
            return fail("apply cancelled before anything but the namespace was stored");
        const deploy::RenderedObject &o = objects[i];
        auto done = client.apply(o.yaml, apply, cancel);
        ApplyProgress p{ApplyStage::DryRun, i, total, o.kind, o.name, false, {}};
        if (!done) {
            p.error = done.message();
            report(progress, p);
            if (errorKind(done.error()) == ErrorKind::Conflict) {
                result.conflicts.push_back({o.kind, o.name, conflictManagers(done.message()), done.message()});
                continue;
            }
            return fail("dry run rejected " + describeFailure(o, done.message()));
        }
        p.created = done->created;
        report(progress, p);
    }
    if (!result.conflicts.empty())
        return result;

    apply.dryRun = false;
    for (int i = 0; i < total; ++i) {
        if (cancelled())
            return fail("apply cancelled after " + std::to_string(i) + " of " + std::to_string(total) +
                        " objects; apply again to finish (apply is idempotent)");
        const deploy::RenderedObject &o = objects[i];
        auto done = client.apply(o.yaml, apply, cancel);
        ApplyProgress p{ApplyStage::Applied, i, total, o.kind, o.name, false, {}};
        if (!done) {
            p.error = done.message();
            report(progress, p);
            if (errorKind(done.error()) == ErrorKind::Conflict) {
                // Someone changed an object between the dry run and now.
                result.conflicts.push_back({o.kind, o.name, conflictManagers(done.message()), done.message()});
                return result;
            }
            return fail(describeFailure(o, done.message()));
        }
        p.created = done->created && !appliedEarly.count(i);
        (p.created ? result.created : result.configured) += 1;
        report(progress, p);
    }
    result.applied = true;
    return result;
}

Result<UndeployResult> undeploy(Client &client, const std::string &name, const std::vector<deploy::RenderedObject> &objects,
                                const UndeployOptions &options, const ApplyProgressCallback &progress,
                                const net::CancelToken *cancel)
{
    const std::string ns = options.namespaceName.empty() ? client.defaultNamespace() : options.namespaceName;
    // Kinds in reverse apply order, each once.
    std::vector<std::pair<std::string, std::string>> kinds;
    for (auto it = objects.rbegin(); it != objects.rend(); ++it) {
        const auto kind = std::make_pair(renderedApiVersion(*it), it->kind);
        if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end())
            kinds.push_back(kind);
    }
    ListOptions list;
    list.labelSelector = instanceSelector(name);
    std::vector<ObjectRef> found;
    for (const auto &[apiVersion, kind] : kinds) {
        if (kind == "PersistentVolumeClaim" && options.keepVolumes)
            continue;
        if (kind == "Namespace" && options.keepNamespace)
            continue;
        auto type = client.resolve(apiVersion, kind, cancel);
        if (!type) {
            if (errorKind(type.error()) == ErrorKind::NotFound || type.message().find("not served") != std::string::npos ||
                type.message().find("serves no kind") != std::string::npos)
                continue; // nothing of this kind can exist
            return fail("undeploy " + name + ": " + type.message());
        }
        auto items = client.list(apiVersion, kind, type->namespaced ? ns : std::string(), list, cancel);
        if (!items) {
            if (errorKind(items.error()) == ErrorKind::NotFound)
                continue;
            return fail("undeploy " + name + ": " + items.message());
        }
        for (const Object &o : items->items)
            found.push_back({apiVersion, kind, o.namespaceName, o.name});
    }
    UndeployResult result;
    const int total = int(found.size());
    for (int i = 0; i < total; ++i) {
        if (cancel && cancel->isCancelled())
            return fail("undeploy cancelled after " + std::to_string(i) + " of " + std::to_string(total) + " objects");
        const ObjectRef &ref = found[i];
        auto removed = client.remove(ref, Propagation::Background, cancel);
        ApplyProgress p{ApplyStage::Removed, i, total, ref.kind, ref.name, false, {}};
        if (!removed && errorKind(removed.error()) != ErrorKind::NotFound) {
            p.error = removed.message();
            report(progress, p);
            return fail("undeploy " + name + ": " + removed.message());
        }
        report(progress, p);
        result.removed.push_back(ref);
    }
    return result;
}

} // namespace slipway::kube
