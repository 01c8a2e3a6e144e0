// Cluster fixtures for preflight and rollout tests: the resource types a GPU cluster adds
// (DaemonSets of the GPU operator, ServiceMonitors, OpenShift SCCs) and control endpoints that put
// objects into the store exactly as given (status included), which apply cannot do.
//
//   POST /_test/objects   {objects: [{apiVersion, kind, metadata: {name, namespace?}, ...}]}
//   POST /_test/nodes     {nodes: [{name, gpus?, product?, memoryMiB?, labels?}]}: Nodes with
//                         allocatable nvidia.com/gpu and the GPU feature discovery labels
//   POST /_test/remove    {apiVersion, kind, namespace?, name}: removes one object
import { findResource, RESOURCES } from './resources.mjs';

RESOURCES.push(
  { group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet', namespaced: true },
  { group: 'monitoring.coreos.com', version: 'v1', resource: 'servicemonitors', kind: 'ServiceMonitor', namespaced: true },
  { group: 'security.openshift.io', version: 'v1', resource: 'securitycontextconstraints', kind: 'SecurityContextConstraints', namespaced: false, optional: 'openshift' },
);

function typeOf(state, apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const type = RESOURCES.find((r) => r.group === group && r.version === version && r.kind === kind);
  return type && findResource(state.features, group, version, type.resource) ? type : null;
}

function nodeObject(n) {
  const labels = { 'kubernetes.io/hostname': n.name, ...(n.labels || {}) };
  const allocatable = { cpu: '64', memory: '512Gi', pods: '250' };
  if (n.gpus) {
    allocatable['nvidia.com/gpu'] = String(n.gpus);
    labels['nvidia.com/gpu.present'] = 'true';
    labels['nvidia.com/gpu.count'] = String(n.gpus);
    if (n.product) labels['nvidia.com/gpu.product'] = n.product;
    if (n.memoryMiB) labels['nvidia.com/gpu.memory'] = String(n.memoryMiB);
  }
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: n.name, labels },
    status: { capacity: { ...allocatable }, allocatable, conditions: [{ type: 'Ready', status: 'True' }] } };
}

// Answers the fixture endpoints; false for any other path (control.mjs handles those).
export async function handleFixtureControl(req, res, url, ctx) {
  const paths = ['/_test/objects', '/_test/nodes', '/_test/remove'];
  if (!paths.includes(url.pathname)) return false;
  const { state, sendJson } = ctx;
  const body = JSON.parse((await ctx.readBody(req)) || '{}');
  const put = (object) => {
    const type = typeOf(state, object.apiVersion, object.kind);
    if (!type) throw new Error(`the test server does not serve ${object.apiVersion} ${object.kind}`);
    return state.store.put(type, object);
  };
  try {
    if (url.pathname === '/_test/objects') (body.objects || []).forEach(put);
    if (url.pathname === '/_test/nodes') (body.nodes || []).map(nodeObject).forEach(put);
    if (url.pathname === '/_test/remove') {
      const type = typeOf(state, body.apiVersion, body.kind);
      if (!type || !state.store.remove(type, body.namespace || '', body.name)) throw new Error('no such object');
    }
  } catch (e) {
    sendJson(res, 400, { ok: false, message: String(e.message || e) });
    return true;
  }
  sendJson(res, 200, { ok: true });
  return true;
}
