#include "kube/preflight.h"

#include "deploy/names.h"
#include "deploy/render.h"
#include "kube/api_error.h"
#include "kube/apply_plan.h"
#include "kube/resources.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace slipway::kube {

using nlohmann::json;

std::string_view checkStatusName(CheckStatus status)
{
    switch (status) {
    case CheckStatus::Pass: return "pass";
    case CheckStatus::Warn: return "warn";
    case CheckStatus::Fail: return "fail";
    case CheckStatus::Skipped: return "skipped";
    }
    return "skipped";
}

const PreflightItem *PreflightReport::find(std::string_view id) const
{
    for (const PreflightItem &item : items)
        if (item.id == id)
            return &item;
    return nullptr;
}

bool PreflightReport::passed() const
{
    return failures().empty();
}

std::vector<const PreflightItem *> PreflightReport::failures() const
{
    std::vector<const PreflightItem *> out;
    for (const PreflightItem &item : items)
        if (item.status == CheckStatus::Fail)
            out.push_back(&item);
    return out;
}

int unplacedPods(std::vector<GpuNode> nodes, int pods, int gpusPerPod)
{
    int unplaced = 0;
    for (int p = 0; p < pods; ++p) {
        // The node with the most free GPUs that can take the whole pod.
        auto best = std::max_element(nodes.begin(), nodes.end(),
                                     [](const GpuNode &a, const GpuNode &b) { return a.free() < b.free(); });
        if (best == nodes.end() || best->free() < gpusPerPod) {
            ++unplaced;
            continue;
        }
        best->requested += gpusPerPod;
    }
    return unplaced;
}

bool provisionerSupportsRwx(std::string_view provisioner)
{
    std::string p(provisioner);
    std::transform(p.begin(), p.end(), p.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    for (const char *rwx : {"cephfs", "nfs", "efs", "azurefile", "file.csi.azure", "glusterfs", "filestore"})
        if (p.find(rwx) != std::string::npos)
            return true;
    return false;
}

namespace {

json parse(const std::string &text)
{
    return json::parse(text, nullptr, false);
}

std::string str(const json &object, const char *key)
{
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Kubernetes quantities of GPUs are whole numbers ("8"); anything else counts as 0.
int count(const json &value)
{
    if (value.is_number_integer())
        return value.get<int>();
    if (value.is_string()) {
        try {
            return std::stoi(value.get<std::string>());
        } catch (...) {
            return 0;
        }
    }
    return 0;
}

std::string gib(long long mib)
{
    return std::to_string((mib + 512) / 1024) + " GiB";
}

class Checker {
public:
    Checker(Client &client, const deploy::DeploymentPlan &plan, const net::CancelToken *cancel)
        : m_client(client), m_plan(plan), m_cancel(cancel)
    {
    }

    PreflightReport run();

private:
    void add(std::string id, std::string title, CheckStatus status, std::string detail, std::string fix = {})
    {
        m_report.items.push_back({std::move(id), std::move(title), status, std::move(detail), std::move(fix)});
    }
    void skip(std::string id, std::string title, std::string why) { add(std::move(id), std::move(title), CheckStatus::Skipped, std::move(why)); }
    bool cancelled() const { return m_cancel && m_cancel->isCancelled(); }

    void checkPlatform();
    void checkGpus();
    void checkGpuSoftware();
    void checkCrds();
    void checkStorage();
    void checkPermissions();
    void checkNamespace();

    Client &m_client;
    const deploy::DeploymentPlan &m_plan;
    const net::CancelToken *m_cancel;
    PreflightReport m_report;
};

PreflightReport Checker::run()
{
    auto info = m_client.discover(m_cancel);
    if (!info) {
        add("api", "API server", CheckStatus::Fail, info.message(),
            isUnauthorized(info.error()) ? "Log in again (oc login) and run the checks again."
                                         : "Check the server URL, the network path to it and the CA; then run the checks again.");
        for (const auto &[id, title] : std::vector<std::pair<const char *, const char *>>{
                 {"platform", "Platform"}, {"gpu-nodes", "GPU nodes"}, {"gpu-capacity", "Free GPUs"},
                 {"gpu-operator", "GPU operator"}, {"dcgm-exporter", "DCGM exporter"}, {"storage-class", "Storage class"},
                 {"permissions", "Permissions"}, {"namespace", "Namespace"}})
            skip(id, title, "not checked: the API server is not reachable");
        return m_report;
    }
    m_report.server = info.value();
    add("api", "API server", CheckStatus::Pass, m_client.server() + " answers, Kubernetes " + info->gitVersion);
    checkPlatform();
    if (!cancelled()) checkGpus();
    if (!cancelled()) checkGpuSoftware();
    if (!cancelled()) checkCrds();
    if (!cancelled()) checkStorage();
    if (!cancelled()) checkNamespace();
    if (!cancelled()) checkPermissions();
    return m_report;
}

void Checker::checkPlatform()
{
    const bool openShift = m_report.server.openShift;
    const bool wantsOpenShift = m_plan.platform == deploy::Platform::OpenShift;
    std::string detail = openShift ? "OpenShift (route.openshift.io is served)" : "Kubernetes (no route.openshift.io API)";
    if (openShift == wantsOpenShift)
        add("platform", "Platform", CheckStatus::Pass, detail);
    else if (wantsOpenShift)
        add("platform", "Platform", CheckStatus::Fail, detail + "; the plan renders an OpenShift Route",
            "Choose the platform \"kubernetes\" in the plan (an Ingress instead of a Route).");
    else
        add("platform", "Platform", CheckStatus::Warn, detail + "; the plan is for plain Kubernetes",
            "Choose the platform \"openshift\" to get a Route and the privileged SCC binding.");
}

void Checker::checkGpus()
{
    const std::string resource = m_plan.gpuResource;
    auto nodes = m_client.list("v1", "Node", "", {}, m_cancel);
    if (!nodes) {
        add("gpu-nodes", "GPU nodes", CheckStatus::Warn, "cannot list nodes: " + nodes.message(),
            "Ask a cluster admin to confirm that nodes with " + resource + " exist, or to grant you `list nodes`.");
        skip("gpu-capacity", "Free GPUs", "not checked: nodes cannot be listed");
        return;
    }
    std::vector<GpuNode> gpuNodes;
    for (const Object &node : nodes->items) {
        const json j = parse(node.json);
        const json allocatable = j.value("/status/allocatable"_json_pointer, json::object());
        const int gpus = allocatable.contains(resource) ? count(allocatable[resource]) : 0;
        if (gpus <= 0)
            continue;
        GpuNode g;
        g.name = node.name;
        g.allocatable = gpus;
        auto product = node.labels.find("nvidia.com/gpu.product");
        if (product != node.labels.end())
            g.product = product->second;
        auto memory = node.labels.find("nvidia.com/gpu.memory");
        if (memory != node.labels.end())
            g.memoryMiB = std::atoll(memory->second.c_str());
        gpuNodes.push_back(g);
    }
    if (gpuNodes.empty()) {
        add("gpu-nodes", "GPU nodes", CheckStatus::Fail,
            std::to_string(nodes->items.size()) + " nodes, none with allocatable " + resource,
            "Install the NVIDIA GPU Operator (OperatorHub) so that GPU nodes advertise " + resource +
                ", or add GPU nodes to the cluster.");
        add("gpu-capacity", "Free GPUs", CheckStatus::Fail, "no GPUs in the cluster",
            "Add GPU nodes; the plan needs " + std::to_string(m_plan.gpusPerNode) + " GPU(s) per pod.");
        return;
    }

    // GPUs already requested by pods that still hold them.
    std::string requestNote;
    auto pods = m_client.list("v1", "Pod", "", {}, m_cancel);
    if (pods) {
        for (const Object &pod : pods->items) {
            const json j = parse(pod.json);
            const std::string phase = j.value("/status/phase"_json_pointer, std::string());
            const std::string nodeName = j.value("/spec/nodeName"_json_pointer, std::string());
            if (phase == "Succeeded" || phase == "Failed" || nodeName.empty())
                continue;
            auto node = std::find_if(gpuNodes.begin(), gpuNodes.end(), [&](const GpuNode &g) { return g.name == nodeName; });
            if (node == gpuNodes.end())
                continue;
            int podGpus = 0;
            for (const json &c : j.value("/spec/containers"_json_pointer, json::array())) {
                const json requests = c.value("/resources/requests"_json_pointer, json::object());
                const json limits = c.value("/resources/limits"_json_pointer, json::object());
                podGpus += requests.contains(resource) ? count(requests[resource]) : limits.contains(resource) ? count(limits[resource]) : 0;
            }
            node->requested += podGpus;
        }
    } else {
        requestNote = " (other pods' requests unknown: " + pods.message() + ")";
    }

    std::string detail;
    int total = 0, free = 0;
    for (const GpuNode &g : gpuNodes) {
        total += g.allocatable;
        free += g.free();
        detail += (detail.empty() ? "" : "; ") + g.name + ": " + std::to_string(g.allocatable) + "× " +
                  (g.product.empty() ? std::string("GPU") : g.product) +
                  (g.memoryMiB > 0 ? " " + gib(g.memoryMiB) : std::string()) + ", " + std::to_string(g.free()) + " free";
    }
    const bool labelled = std::all_of(gpuNodes.begin(), gpuNodes.end(), [](const GpuNode &g) { return !g.product.empty() && g.memoryMiB > 0; });
    if (labelled)
        add("gpu-nodes", "GPU nodes", CheckStatus::Pass, detail);
    else
        add("gpu-nodes", "GPU nodes", CheckStatus::Warn, detail + "; some nodes lack nvidia.com/gpu.product or nvidia.com/gpu.memory",
            "Enable GPU Feature Discovery in the GPU Operator's ClusterPolicy so nodes carry their GPU model and memory.");
    m_report.gpuNodes = gpuNodes;

    const int podCount = m_plan.replicas * (m_plan.mode == deploy::Mode::Lws ? m_plan.nodes : 1);
    const int perPod = m_plan.gpusPerNode;
    const int missing = unplacedPods(gpuNodes, podCount, perPod);
    const std::string need = std::to_string(podCount) + " pod(s) × " + std::to_string(perPod) + " GPU(s), each pod on one node";
    if (missing == 0) {
        add("gpu-capacity", "Free GPUs", CheckStatus::Pass,
            "the plan needs " + need + "; " + std::to_string(free) + " of " + std::to_string(total) + " GPUs free" + requestNote);
        return;
    }
    const int biggest = std::max_element(gpuNodes.begin(), gpuNodes.end(), [](const GpuNode &a, const GpuNode &b) {
                            return a.allocatable < b.allocatable;
                        })->allocatable;
    std::string fix;
    if (perPod > biggest)
        fix = "No node has " + std::to_string(perPod) + " GPUs. Use more nodes with fewer GPUs each (mode lws, --tp across nodes) or nodes with more GPUs.";
    else
        fix = "Free " + std::to_string(missing * perPod) + " GPU(s) (scale down or remove other GPU workloads), lower the replicas, or add GPU nodes.";
    add("gpu-capacity", "Free GPUs", CheckStatus::Fail,
        "the plan needs " + need + "; " + std::to_string(missing) + " pod(s) would stay Pending; " + std::to_string(free) +
            " of " + std::to_string(total) + " GPUs free" + requestNote,
        fix);
}

void Checker::checkGpuSoftware()
{
    auto sets = m_client.list("apps/v1", "DaemonSet", "", {}, m_cancel);
    if (!sets) {
        add("gpu-operator", "GPU operator", CheckStatus::Warn, "cannot list DaemonSets: " + sets.message(),
            "Ask a cluster admin whether the NVIDIA GPU Operator is installed.");
        skip("dcgm-exporter", "DCGM exporter", "not checked: DaemonSets cannot be listed");
        return;
    }
    std::string plugin, dcgm;
    for (const Object &set : sets->items) {
        const std::string where = set.namespaceName + "/" + set.name;
        if (plugin.empty() && (set.name.find("nvidia-device-plugin") != std::string::npos ||
                               set.name.find("gpu-operator") != std::string::npos))
            plugin = where;
        if (dcgm.empty() && set.name.find("dcgm-exporter") != std::string::npos)
            dcgm = where;
    }
    if (!plugin.empty())
        add("gpu-operator", "GPU operator", CheckStatus::Pass, "device plugin DaemonSet " + plugin);
    else
        add("gpu-operator", "GPU operator", CheckStatus::Warn, "no nvidia-device-plugin DaemonSet found",
            "Install the NVIDIA GPU Operator from OperatorHub and create its ClusterPolicy (GPUs without it are not schedulable).");
    if (!dcgm.empty()) {
        add("dcgm-exporter", "DCGM exporter", CheckStatus::Pass, "DaemonSet " + dcgm);
        return;
    }
    auto monitors = m_client.list("monitoring.coreos.com/v1", "ServiceMonitor", "", {}, m_cancel);
    if (monitors) {
        for (const Object &m : monitors->items)
            if (m.name.find("dcgm") != std::string::npos) {
                add("dcgm-exporter", "DCGM exporter", CheckStatus::Pass, "ServiceMonitor " + m.namespaceName + "/" + m.name);
                return;
            }
    }
    add("dcgm-exporter", "DCGM exporter", CheckStatus::Warn, "no dcgm-exporter DaemonSet or ServiceMonitor: no GPU metrics",
        "Enable dcgmExporter in the GPU Operator's ClusterPolicy to see GPU utilisation and memory in the Metrics panel.");
}

void Checker::checkCrds()
{
    if (m_plan.mode == deploy::Mode::Lws) {
        if (m_report.server.leaderWorkerSet)
            add("lws-crd", "LeaderWorkerSet", CheckStatus::Pass, "leaderworkerset.x-k8s.io is served");
        else
            add("lws-crd", "LeaderWorkerSet", CheckStatus::Fail, "the LeaderWorkerSet CRD (leaderworkerset.x-k8s.io) is not installed",
                m_report.server.openShift ? "Install the Leader Worker Set Operator from OperatorHub (OpenShift 4.18+)."
                                          : "Install LeaderWorkerSet: kubectl apply --server-side -f https://github.com/kubernetes-sigs/lws/releases/latest/download/manifests.yaml");
    }
    if (m_plan.mode == deploy::Mode::KServe) {
        if (m_report.server.kserve)
            add("kserve-crd", "KServe", CheckStatus::Pass, "serving.kserve.io is served");
        else
            add("kserve-crd", "KServe", CheckStatus::Fail, "the KServe CRDs (serving.kserve.io) are not installed",
                "Install OpenShift AI (or KServe) with the single-model serving platform, or choose mode \"deployment\".");
    }
}

void Checker::checkStorage()
{
    const bool usesVolume = m_plan.storage != deploy::Storage::Image &&
                            !(m_plan.mode == deploy::Mode::KServe && m_plan.storage == deploy::Storage::S3);
    if (!usesVolume) {
        skip("storage-class", "Storage class", "the plan needs no volume");
        return;
    }
    auto classes = m_client.list("storage.k8s.io/v1", "StorageClass", "", {}, m_cancel);
    if (!classes) {
        add("storage-class", "Storage class", CheckStatus::Warn, "cannot list storage classes: " + classes.message(),
            "Ask a cluster admin which storage class to use and set it in the plan.");
        return;
    }
    struct Class { std::string name, provisioner; bool isDefault, rwx; };
    std::vector<Class> list;
    for (const Object &o : classes->items) {
        const json j = parse(o.json);
        const json annotations = j.value("/metadata/annotations"_json_pointer, json::object());
        const bool isDefault = str(annotations, "storageclass.kubernetes.io/is-default-class") == "true";
        const std::string provisioner = str(j, "provisioner");
        list.push_back({o.name, provisioner, isDefault, provisionerSupportsRwx(provisioner)});
    }
    const Class *chosen = nullptr;
    for (const Class &c : list)
        if (m_plan.storageClass.empty() ? c.isDefault : c.name == m_plan.storageClass)
            chosen = &c;
    std::string names;
    for (const Class &c : list)
        names += (names.empty() ? "" : ", ") + c.name + (c.isDefault ? " (default)" : "") + (c.rwx ? " RWX" : " RWO");
    if (list.empty()) {
        add("storage-class", "Storage class", CheckStatus::Fail, "the cluster has no storage class: PVCs stay Pending",
            "Install a storage provisioner (OpenShift Data Foundation, an NFS or CSI driver) or create PersistentVolumes by hand.");
    } else if (!m_plan.storageClass.empty() && !chosen) {
        add("storage-class", "Storage class", CheckStatus::Fail, "storage class \"" + m_plan.storageClass + "\" does not exist; classes: " + names,
            "Choose one of: " + names + ".");
    } else if (!chosen) {
        add("storage-class", "Storage class", CheckStatus::Fail, "no default storage class; classes: " + names,
            "Choose a storage class in the plan, or mark one default (storageclass.kubernetes.io/is-default-class=true).");
    } else {
        add("storage-class", "Storage class", CheckStatus::Pass, chosen->name + " (" + chosen->provisioner + ")" + (m_plan.storageClass.empty() ? ", the default" : ""));
    }

    std::string rwxClasses;
    for (const Class &c : list)
        if (c.rwx)
            rwxClasses += (rwxClasses.empty() ? "" : ", ") + c.name;
    if (m_plan.rwx) {
        if (chosen && chosen->rwx)
            add("rwx", "ReadWriteMany", CheckStatus::Pass, chosen->name + " offers ReadWriteMany (" + chosen->provisioner + ")");
        else if (chosen || list.empty())
            add("rwx", "ReadWriteMany", CheckStatus::Fail,
                (chosen ? chosen->name + " (" + chosen->provisioner + ") is ReadWriteOnce only" : std::string("no storage class")) +
                    "; the plan shares one PVC between pods",
                rwxClasses.empty() ? "Turn off RWX in the plan: each pod then gets its own volume (the guide's layout), or install an RWX provisioner (CephFS, NFS)."
                                   : "Choose an RWX class (" + rwxClasses + ") or turn off RWX in the plan.");
    } else if (m_plan.mode == deploy::Mode::Lws && m_plan.nodes > 1) {
        add("rwx", "ReadWriteMany", rwxClasses.empty() ? CheckStatus::Pass : CheckStatus::Warn,
            rwxClasses.empty() ? "no RWX class: each pod gets its own volume, as planned"
                               : "each pod gets its own copy of the model although " + rwxClasses + " offer(s) RWX",
            rwxClasses.empty() ? "" : "Turn on RWX and choose " + rwxClasses + " to load the model once for all pods.");
    }
}

void Checker::checkNamespace()
{
    const std::string &ns = m_plan.namespaceName;
    auto existing = m_client.get({"v1", "Namespace", "", ns}, m_cancel);
    if (existing) {
        add("namespace", "Namespace", CheckStatus::Pass, "namespace " + ns + " exists");
        return;
    }
    const ErrorKind kind = errorKind(existing.error());
    if (kind != ErrorKind::NotFound && kind != ErrorKind::Forbidden) {
        add("namespace", "Namespace", CheckStatus::Warn, existing.message(), "Run the checks again.");
        return;
    }
    auto canCreate = m_client.checkAccess({"create", "", "namespaces", "", "", ""}, m_cancel);
    const bool mayCreate = canCreate && canCreate->allowed;
    if (kind == ErrorKind::Forbidden) {
        add("namespace", "Namespace", CheckStatus::Warn, "cannot read namespace " + ns + ": " + existing.message(),
            "Make sure the project exists (oc new-project " + ns + ") and that you are a member of it.");
        return;
    }
    if (m_plan.createNamespace && mayCreate)
        add("namespace", "Namespace", CheckStatus::Pass, "namespace " + ns + " does not exist yet; it will be created");
    else if (mayCreate)
        add("namespace", "Namespace", CheckStatus::Fail, "namespace " + ns + " does not exist",
            "Turn on \"create namespace\" in the plan, or create it: oc new-project " + ns);
    else
        add("namespace", "Namespace", CheckStatus::Fail, "namespace " + ns + " does not exist and you may not create namespaces",
            "Ask a cluster admin to create the project " + ns + " and give you the edit role in it.");
}

struct Need {
    AccessCheck check;
    bool required = true; // false: only undeploy or uploads suffer
};

std::string describeCheck(const AccessCheck &c)
{
    std::string resource = c.resource + (c.subresource.empty() ? "" : "/" + c.subresource) + (c.group.empty() ? "" : "." + c.group);
    return c.verb + " " + resource + (c.name.empty() ? "" : " \"" + c.name + "\"");
}

void Checker::checkPermissions()
{
    auto objects = deploy::render(m_plan);
    if (!objects) {
        add("permissions", "Permissions", CheckStatus::Fail, "the plan cannot be rendered: " + objects.message(), "Fix the plan first.");
        return;
    }
    const std::string &ns = m_plan.namespaceName;
    std::vector<Need> needs;
    std::set<std::string> seen;
    for (const deploy::RenderedObject &object : objects.value()) {
        const std::string apiVersion = renderedApiVersion(object);
        auto type = m_client.resolve(apiVersion, object.kind, m_cancel);
        if (!type)
            continue; // the CRD check says why
        if (!seen.insert(type->apiVersion() + "/" + type->resource).second)
            continue;
        const std::string where = type->namespaced ? ns : std::string();
        for (const char *verb : {"create", "patch", "get"})
            needs.push_back({{verb, type->group, type->resource, "", where, ""}, true});
        needs.push_back({{"delete", type->group, type->resource, "", where, ""}, false});
    }
    for (const char *verb : {"get", "list", "watch"})
        needs.push_back({{verb, "", "pods", "", ns, ""}, true});
    needs.push_back({{"get", "", "pods", "log", ns, ""}, true});
    needs.push_back({{"list", "", "events", "", ns, ""}, true});
    // Model uploads into the PVC go through exec (tar, as oc cp) or, failing that, the pod proxy.
    bool uploadsPossible = m_plan.storage != deploy::Storage::Pvc;

    std::vector<std::string> denied, optionalDenied;
    for (const Need &need : needs) {
        if (cancelled())
            return;
        auto result = m_client.checkAccess(need.check, m_cancel);
        if (!result) {
            add("permissions", "Permissions", CheckStatus::Warn, "cannot ask the API server: " + result.message(),
                "Run the checks again; SelfSubjectAccessReview needs no special rights.");
            return;
        }
        if (!result->allowed)
            (need.required ? denied : optionalDenied).push_back(describeCheck(need.check));
    }
    if (!uploadsPossible) {
        for (const char *sub : {"exec", "proxy"}) {
            auto result = m_client.checkAccess({"create", "", "pods", sub, ns, ""}, m_cancel);
            uploadsPossible = uploadsPossible || (result && result->allowed);
        }
        if (!uploadsPossible)
            optionalDenied.push_back("create pods/exec (or pods/proxy) for model uploads");
    }
    auto join = [](const std::vector<std::string> &v) {
        std::string s;
        for (const auto &x : v)
            s += (s.empty() ? "" : ", ") + x;
        return s;
    };
    // The edit role covers workloads but not RoleBindings (the SCC binding needs admin).
    const bool needsAdmin = std::any_of(denied.begin(), denied.end(), [](const std::string &d) {
        return d.find("rolebindings") != std::string::npos;
    });
    const std::string role = needsAdmin ? "admin" : "edit";
    if (!denied.empty())
        add("permissions", "Permissions", CheckStatus::Fail, "in namespace " + ns + " you may not: " + join(denied),
            "Ask a cluster admin for the " + role + " role in " + ns + " (oc adm policy add-role-to-user " + role + " <you> -n " + ns +
                ") or a Role that allows: " + join(denied) + ".");
    else if (!optionalDenied.empty())
        add("permissions", "Permissions", CheckStatus::Warn, "you may deploy, but not: " + join(optionalDenied),
            "Without these, undeploy or model uploads fail; ask for the edit role in " + ns + ".");
    else
        add("permissions", "Permissions", CheckStatus::Pass, std::to_string(needs.size()) + " permissions checked in " + ns);

    if (m_plan.security == deploy::Security::Privileged && m_plan.platform == deploy::Platform::OpenShift && m_report.server.openShift) {
        auto scc = m_client.checkAccess({"use", "security.openshift.io", "securitycontextconstraints", "", ns, "privileged"}, m_cancel);
        if (scc && scc->allowed)
            add("scc", "Privileged SCC", CheckStatus::Pass, "you may use the privileged SCC in " + ns);
        else
            add("scc", "Privileged SCC", CheckStatus::Fail,
                scc ? "you may not use the privileged SecurityContextConstraints in " + ns + " (the RoleBinding the plan renders needs it)"
                    : "cannot check the privileged SCC: " + scc.message(),
                "Choose security \"restricted\" (enough for one node: shared memory and IPC), or ask a cluster admin to run: "
                "oc adm policy add-scc-to-user privileged -z " + deploy::objectNames(m_plan).serviceAccount + " -n " + ns);
    }
}

} // namespace

PreflightReport runPreflight(Client &client, const deploy::DeploymentPlan &plan, const net::CancelToken *cancel)
{
    return Checker(client, plan, cancel).run();
}

} // namespace slipway::kube
