// The resource types the test API server serves, as discovery describes them, and the API groups
// it announces. Optional groups (OpenShift routes, LeaderWorkerSet, KServe) can be switched off.
export const RESOURCES = [
  { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false },
  { group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
  { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true },
  { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true },
  { group: '', version: 'v1', resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', namespaced: true },
  { group: '', version: 'v1', resource: 'persistentvolumes', kind: 'PersistentVolume', namespaced: false },
  { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true, subresources: ['log', 'proxy', 'status'] },
  { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true, subresources: ['proxy'] },
  { group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true },
  { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false },
  { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true, subresources: ['scale', 'status'] },
  { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', namespaced: true, subresources: ['scale'] },
  { group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet', namespaced: true, subresources: ['scale'] },
  { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'rolebindings', kind: 'RoleBinding', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles', kind: 'Role', namespaced: true },
  { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', kind: 'Ingress', namespaced: true },
  { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses', kind: 'StorageClass', namespaced: false },
  { group: 'authorization.k8s.io', version: 'v1', resource: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', namespaced: false, virtual: true },
  { group: 'route.openshift.io', version: 'v1', resource: 'routes', kind: 'Route', namespaced: true, optional: 'openshift' },
  { group: 'serving.kserve.io', version: 'v1alpha1', resource: 'servingruntimes', kind: 'ServingRuntime', namespaced: true, optional: 'kserve' },
  { group: 'serving.kserve.io', version: 'v1beta1', resource: 'inferenceservices', kind: 'InferenceService', namespaced: true, optional: 'kserve' },
  { group: 'leaderworkerset.x-k8s.io', version: 'v1', resource: 'leaderworkersets', kind: 'LeaderWorkerSet', namespaced: true, subresources: ['scale'], optional: 'lws' },
];

export function apiVersionOf(type) {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

// features: { openshift, kserve, lws } booleans.
export function servedResources(features) {
  return RESOURCES.filter((r) => !r.optional || features[r.optional]);
}

export function findResource(features, group, version, resource) {
  return servedResources(features).find((r) => r.group === group && r.version === version && r.resource === resource);
}

export function apiGroupList(features) {
  const groups = new Map();
  for (const r of servedResources(features)) {
    if (!r.group) continue;
    if (!groups.has(r.group)) groups.set(r.group, new Set());
    groups.get(r.group).add(r.version);
  }
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups.entries()].map(([name, versions]) => {
      const list = [...versions].sort().reverse().map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
      return { name, versions: list, preferredVersion: list[0] };
    }),
  };
}

export function apiResourceList(features, group, version) {
  const resources = [];
  for (const r of servedResources(features)) {
    if (r.group !== group || r.version !== version) continue;
    resources.push({ name: r.resource, singularName: '', namespaced: r.namespaced, kind: r.kind,
      verbs: r.virtual ? ['create'] : ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] });
    for (const sub of r.subresources || []) {
      resources.push({ name: `${r.resource}/${sub}`, singularName: '', namespaced: r.namespaced,
        kind: sub === 'scale' ? 'Scale' : r.kind, verbs: ['get', 'patch', 'update'] });
    }
  }
  if (resources.length === 0) return null;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}
