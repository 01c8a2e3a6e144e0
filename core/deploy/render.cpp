#include "deploy/render.h"

#include "deploy/render_parts.h"
#include "deploy/validate.h"

#include <algorithm>
#include <cctype>

namespace slipway::deploy {

namespace {

using detail::Manifest;

std::vector<Manifest> identityManifests(const DeploymentPlan &plan)
{
    using namespace detail;
    const ObjectNames names = objectNames(plan);
    std::vector<Manifest> result;
    if (plan.createNamespace) {
        YamlValue meta = metadata(plan, plan.namespaceName, kServerComponent, false);
        YamlValue &nsLabels = meta.child("labels");
        if (plan.mode == Mode::KServe && plan.platform == Platform::OpenShift) {
            // The OpenShift AI dashboard lists projects with this label, on the single-model platform.
            nsLabels.set("opendatahub.io/dashboard", "true");
            nsLabels.set("modelmesh-enabled", "false");
        }
        // Pod Security admission: privileged containers, and IPC_LOCK for RDMA, need "privileged";
        // otherwise enforce "restricted" (not under KServe, whose storage initializer is not ours).
        if (plan.platform == Platform::Kubernetes) {
            if (plan.security == Security::Privileged || plan.rdma)
                nsLabels.set("pod-security.kubernetes.io/enforce", "privileged");
            else if (plan.mode != Mode::KServe)
                nsLabels.set("pod-security.kubernetes.io/enforce", "restricted");
        }
        result.push_back({"Namespace", plan.namespaceName, object("v1", "Namespace", std::move(meta))});
    }

    // A dedicated ServiceAccount, so that the privileged SCC (when asked for) is granted to these
    // pods only, never to the namespace's default account.
    YamlValue sa = object("v1", "ServiceAccount", metadata(plan, names.serviceAccount, kServerComponent));
    if (plan.mode == Mode::KServe && plan.storage == Storage::S3)
        sa.set("secrets", YamlValue::sequence().push(YamlValue::map().set("name", s3SecretName(plan))));
    if (!plan.imagePullSecret.empty())
        sa.set("imagePullSecrets", YamlValue::sequence().push(YamlValue::map().set("name", plan.imagePullSecret)));
    result.push_back({"ServiceAccount", names.serviceAccount, std::move(sa)});

    if (plan.security == Security::Privileged && plan.platform == Platform::OpenShift) {
        // Declarative form of `oc adm policy add-scc-to-user privileged -z <serviceaccount>`.
        YamlValue rb = object("rbac.authorization.k8s.io/v1", "RoleBinding", metadata(plan, names.sccRoleBinding, kServerComponent));
        rb.set("roleRef", YamlValue::map()
                              .set("apiGroup", "rbac.authorization.k8s.io")
                              .set("kind", "ClusterRole")
                              .set("name", "system:openshift:scc:privileged"));
        rb.set("subjects", YamlValue::sequence().push(YamlValue::map()
                                                          .set("kind", "ServiceAccount")
                                                          .set("name", names.serviceAccount)
                                                          .set("namespace", plan.namespaceName)));
        result.push_back({"RoleBinding", names.sccRoleBinding, std::move(rb)});
    }
    return result;
}

std::string lowerCase(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

} // namespace

Result<std::vector<RenderedObject>> render(const DeploymentPlan &plan)
{
    if (Result<void> valid = validate(plan); !valid)
        return valid.error();

    std::vector<Manifest> manifests = identityManifests(plan);
    const auto append = [&manifests](std::vector<Manifest> more) {
        for (Manifest &m : more)
            manifests.push_back(std::move(m));
    };
    append(detail::s3SecretManifests(plan));
    append(detail::storageManifests(plan));
    switch (plan.mode) {
    case Mode::Deployment: append(detail::deploymentManifests(plan)); break;
    case Mode::KServe: append(detail::kserveManifests(plan)); break;
    case Mode::Lws: append(detail::lwsManifests(plan)); break;
    }

    std::vector<RenderedObject> objects;
    objects.reserve(manifests.size());
    for (std::size_t i = 0; i < manifests.size(); ++i) {
        const std::string order = (i + 1 < 10 ? "0" : "") + std::to_string(i + 1);
        RenderedObject object;
        object.kind = manifests[i].kind;
        object.name = manifests[i].name;
        object.fileName = order + "-" + lowerCase(object.kind) + "-" + object.name + ".yaml";
        object.yaml = emitYaml(manifests[i].document);
        if (object.yaml.find('\t') != std::string::npos)
            return fail("internal error: the rendered " + object.kind + " " + object.name + " contains a tab");
        objects.push_back(std::move(object));
    }
    return objects;
}

std::string toYamlStream(const std::vector<RenderedObject> &objects)
{
    std::string stream;
    for (const RenderedObject &object : objects) {
        stream += "---\n";
        stream += object.yaml;
    }
    return stream;
}

} // namespace slipway::deploy
