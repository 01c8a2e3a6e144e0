// A Kubernetes API test server speaking the real wire protocol over HTTPS, for the tests of
// core/kube and the console's cluster panels. Built-in Node modules only (plus the openssl
// command for certificates). It prints "LISTENING <port>" once ready.
//
//   node kube_api_server.mjs --dir DIR [--admin-token TOKEN] [--no-openshift] [--no-kserve]
//        [--no-lws] [--bookmark-ms 1000] [--history 1000]
//
// DIR receives ca.pem (trust it), client.pem/client.key (a client certificate for user
// "cert-user"). Requests authenticate with "Authorization: Bearer <token>" (the admin token, or
// tokens made with POST /_test/tokens) or with the client certificate.
//
// Served: /version, /api, /apis, /apis/<g>/<v> discovery; GET/LIST/WATCH (NDJSON ADDED, MODIFIED,
// DELETED, BOOKMARK; ERROR 410 for compacted resourceVersions), POST, PUT (resourceVersion
// conflicts), PATCH (server-side apply with field managers, conflicts, force, dryRun=All; merge
// patch), DELETE (propagationPolicy, owner references, namespaces), scale subresources,
// SelfSubjectAccessReview, pod logs (follow, previous, tailLines, sinceSeconds, sinceTime,
// timestamps), events, pod and service proxy. Failures are Status objects. The control API under
// /_test/ is described in control.mjs.
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { URL } from 'node:url';

import { contentOf, mergePatch, renderManagedFields, serverSideApply } from './apply.mjs';
import { handleFixtureControl } from './cluster_fixtures.mjs';
import { handleControl } from './control.mjs';
import { handleExecControl, handleExecUpgrade } from './exec.mjs';
import { formatNs, parseTimeToSecondsNs, PodLogs } from './pods.mjs';
import { serveProxy } from './proxy.mjs';
import { apiGroupList, apiResourceList, apiVersionOf, findResource, RESOURCES } from './resources.mjs';
import { clone, fieldsMatch, labelsMatch, parseFieldSelector, parseLabelSelector, status, Store } from './store.mjs';
import { makeCertificates } from './tls.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const dir = option('--dir');
if (!dir) { console.error('--dir DIR is required'); process.exit(2); }

const state = {
  features: { openshift: !args.includes('--no-openshift'), kserve: !args.includes('--no-kserve'), lws: !args.includes('--no-lws') },
  tokens: new Map([[option('--admin-token', 'admin-token'), { user: 'admin', deny: [], requests: 0 }]]),
  store: new Store({ historyLimit: Number(option('--history', '1000')) }),
  managers: new Map(),   // object key -> Map(manager -> {operation, apiVersion, time, fields})
  logs: new PodLogs(),
  proxies: new Map(),    // "pods|services/ns/name" -> { upstream } | { reply }
  streams: new Set(),    // open watch and log streams
  requests: [],          // recent requests, for assertions
  bookmarkMs: Number(option('--bookmark-ms', '1000')),
  eventSeq: 1,
};

function sendJson(res, code, object) {
  const text = JSON.stringify(object);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
const sendStatus = (res, code, reason, message, details) => sendJson(res, code, status(code, reason, message, details));

// A long-lived chunked response that the control API can stall or cut.
class Stream {
  constructor(res, kind) {
    this.res = res; this.kind = kind; this.stalled = false; this.closed = false; this.onClose = [];
    res.writeHead(200, { 'Content-Type': kind === 'log' ? 'text/plain' : 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    state.streams.add(this);
    res.on('close', () => this.cleanup());
  }
  write(text) { if (!this.closed && !this.stalled) this.res.write(text); }
  end() { if (!this.closed) { this.res.end(); this.cleanup(); } }
  drop() { if (!this.closed) { this.res.socket?.destroy(); this.cleanup(); } }
  cleanup() { if (this.closed) return; this.closed = true; state.streams.delete(this); for (const f of this.onClose) f(); }
}

function readBody(req) {
  return new Promise((resolve) => { const parts = []; req.on('data', (d) => parts.push(d)); req.on('end', () => resolve(Buffer.concat(parts).toString('utf8'))); });
}

function authenticate(req) {
  const header = req.headers.authorization || '';
  if (header.startsWith('Bearer ')) {
    const token = state.tokens.get(header.slice(7));
    if (!token || token.expired) return null;
    token.requests += 1;
    if (token.expireAfterRequests && token.requests > token.expireAfterRequests) { token.expired = true; return null; }
    return token;
  }
  if (req.socket.authorized) {
    const cert = req.socket.getPeerCertificate();
    if (cert?.subject?.CN) return { user: cert.subject.CN, deny: [] };
  }
  return null;
}

// Deny rules: [{ verbs: ['list'] | ['*'], resources: ['pods', 'pods/log'] | ['*'], namespace?: 'x' }].
function allowed(token, verb, group, resource, namespace) {
  const denied = (token.deny || []).some((r) => (r.verbs.includes('*') || r.verbs.includes(verb)) &&
    (r.resources.includes('*') || r.resources.includes(resource)) && (!r.namespace || r.namespace === namespace) &&
    (r.group === undefined || r.group === group));
  return !denied;
}

function forbidden(res, token, verb, type, resource, name, ns) {
  const groupText = type.group;
  const scope = ns ? `in the namespace "${ns}"` : 'at the cluster scope';
  const what = `${type.resource}${type.group ? '.' + type.group : ''}${name ? ` "${name}"` : ''}`;
  sendStatus(res, 403, 'Forbidden', `${what} is forbidden: User "${token.user}" cannot ${verb} resource "${resource}" in API group "${groupText}" ${scope}`,
    { name, group: type.group, kind: type.resource });
}

const managersOf = (key) => state.managers.get(key) || new Map();
const objKey = (type, ns, name) => Store.key(type, ns, name);
const validName = (name) => /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) && name.length <= 253;

function defaultStatus(type, object, created) {
  if (!created) return;
  if (type.kind === 'Namespace') object.status = { phase: 'Active' };
  if (type.kind === 'PersistentVolumeClaim') object.status = { phase: 'Pending' };
  if (type.kind === 'Pod' && !object.status) object.status = { phase: 'Pending' };
}

function namespaceMissing(type, ns) {
  if (!type.namespaced || !ns) return false;
  return !state.store.get(RESOURCES[0], '', ns);
}

function recordEvent(ns, involved, event) {
  const eventType = RESOURCES.find((r) => r.kind === 'Event');
  const object = {
    apiVersion: 'v1', kind: 'Event',
    metadata: { name: `${involved.metadata.name}.${(state.eventSeq++).toString(16).padStart(16, '0')}`, namespace: ns },
    involvedObject: { apiVersion: involved.apiVersion, kind: involved.kind, name: involved.metadata.name, namespace: ns, uid: involved.metadata.uid },
    type: event.type, reason: event.reason, message: event.message, count: 1,
    firstTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), lastTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    source: { component: event.reason === 'FailedScheduling' ? 'default-scheduler' : 'kubelet' },
  };
  state.store.put(eventType, object);
}

// --- handlers ---------------------------------------------------------------------------------

function handleList(res, type, ns, query) {
  const labels = parseLabelSelector(query.get('labelSelector'));
  const fields = parseFieldSelector(query.get('fieldSelector'));
  const items = state.store.list(type, ns).filter((o) => labelsMatch(labels, o.metadata.labels) && fieldsMatch(fields, o));
  sendJson(res, 200, { kind: `${type.kind}List`, apiVersion: apiVersionOf(type), metadata: { resourceVersion: String(state.store.rv) },
    items: items.map((o) => { const c = clone(o); delete c.apiVersion; delete c.kind; return c; }) });
}

function handleWatch(res, type, ns, query) {
  const labels = parseLabelSelector(query.get('labelSelector'));
  const fields = parseFieldSelector(query.get('fieldSelector'));
  const rvText = query.get('resourceVersion') || '';
  const stream = new Stream(res, 'watch');
  const matches = (e) => e.resType === type && (!type.namespaced || !ns || e.object.metadata.namespace === ns) &&
    labelsMatch(labels, e.object.metadata.labels) && fieldsMatch(fields, e.object);
  const send = (e) => stream.write(JSON.stringify({ type: e.type, object: e.object }) + '\n');
  let lastRv = Number(rvText || 0);
  if (rvText === '' || rvText === '0') {
    for (const object of state.store.list(type, ns)) send({ type: 'ADDED', object, resType: type });
    lastRv = state.store.rv;
  } else {
    const events = state.store.eventsSince(lastRv);
    if (events === null) {
      stream.write(JSON.stringify({ type: 'ERROR', object: status(410, 'Expired', `too old resource version: ${rvText} (${state.store.compactedRv})`) }) + '\n');
      stream.end();
      return;
    }
    for (const e of events) if (matches(e)) send(e);
  }
  const watcher = { offer: (e) => { if (matches(e)) send(e); } };
  state.store.watchers.add(watcher);
  const timers = [];
  if (query.get('allowWatchBookmarks') === 'true') {
    timers.push(setInterval(() => stream.write(JSON.stringify({ type: 'BOOKMARK',
      object: { kind: type.kind, apiVersion: apiVersionOf(type), metadata: { resourceVersion: String(state.store.rv) } } }) + '\n'), state.bookmarkMs));
  }
  const timeout = Number(query.get('timeoutSeconds') || 0);
  if (timeout > 0) timers.push(setTimeout(() => stream.end(), timeout * 1000));
  stream.onClose.push(() => { state.store.watchers.delete(watcher); timers.forEach((t) => clearInterval(t)); });
}

function handleApply(res, type, ns, name, query, body) {
  const manager = query.get('fieldManager');
  if (!manager) return sendStatus(res, 400, 'BadRequest', 'PATCH requests with apply must have a fieldManager');
  let config;
  try { config = JSON.parse(body); } catch { return sendStatus(res, 415, 'UnsupportedMediaType', 'this test server reads apply bodies written as JSON (JSON is YAML)'); }
  if (config.apiVersion !== apiVersionOf(type) || config.kind !== type.kind)
    return sendStatus(res, 400, 'BadRequest', `the API version in the data (${config.apiVersion}) does not match the expected API version (${apiVersionOf(type)})`);
  if (config.metadata?.name !== name) return sendStatus(res, 400, 'BadRequest', 'the name of the object (' + config.metadata?.name + ') does not match the name on the URL (' + name + ')');
  if (type.namespaced && config.metadata.namespace && config.metadata.namespace !== ns)
    return sendStatus(res, 400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
  if (!validName(name))
    return sendStatus(res, 422, 'Invalid', `${type.kind} "${name}" is invalid: metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`,
      { name, kind: type.kind, causes: [{ type: 'FieldValueInvalid', message: 'Invalid value', field: 'metadata.name' }] });
  if (namespaceMissing(type, ns)) return sendStatus(res, 404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' });
  const key = objKey(type, ns, name);
  const current = state.store.get(type, ns, name);
  const result = serverSideApply({ current, managers: managersOf(key), config, manager, force: query.get('force') === 'true', group: type.group, kind: type.kind, name });
  if (result.error) return sendJson(res, 409, result.error);
  const object = result.object;
  object.metadata = { ...(object.metadata || {}), name };
  if (type.namespaced) object.metadata.namespace = ns;
  if (current) {
    for (const k of ['uid', 'creationTimestamp', 'resourceVersion', 'generation']) if (current.metadata[k] !== undefined) object.metadata[k] = current.metadata[k];
    if (current.status) object.status = current.status;
    if (JSON.stringify(current.spec) !== JSON.stringify(object.spec)) object.metadata.generation = (current.metadata.generation || 1) + 1;
  } else {
    object.metadata.generation = 1;
    defaultStatus(type, object, true);
  }
  renderManagedFields(object, result.managers);
  if (query.get('dryRun') === 'All') return sendJson(res, current ? 200 : 201, object);
  if (current && contentOf(current) === contentOf(object) &&
      JSON.stringify(current.metadata.managedFields?.map((m) => [m.manager, m.fieldsV1])) === JSON.stringify(object.metadata.managedFields.map((m) => [m.manager, m.fieldsV1])))
    return sendJson(res, 200, current);
  state.managers.set(key, result.managers);
  sendJson(res, current ? 200 : 201, state.store.put(type, object));
}

function scaleOf(type, object) {
  return { kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata: { name: object.metadata.name, namespace: object.metadata.namespace, uid: object.metadata.uid, resourceVersion: object.metadata.resourceVersion },
    spec: { replicas: object.spec?.replicas ?? 1 }, status: { replicas: object.status?.replicas ?? 0 } };
}

function handlePatchOrUpdate(res, req, type, ns, name, sub, query, body) {
  const contentType = (req.headers['content-type'] || '').split(';')[0];
  const current = state.store.get(type, ns, name);
  if (contentType === 'application/apply-patch+yaml') {
    if (sub) return sendStatus(res, 405, 'MethodNotAllowed', 'apply is not supported on subresources by this test server');
    return handleApply(res, type, ns, name, query, body);
  }
  if (!current) return sendStatus(res, 404, 'NotFound', `${type.resource}${type.group ? '.' + type.group : ''} "${name}" not found`, { name, group: type.group, kind: type.resource });
  let patch;
  try { patch = JSON.parse(body); } catch { return sendStatus(res, 400, 'BadRequest', 'the body is not JSON'); }
  if (sub === 'scale' && !(type.subresources || []).includes('scale')) return sendStatus(res, 404, 'NotFound', `the server could not find the requested resource`);
  if (sub === 'scale') {
    const replicas = req.method === 'PUT' ? patch.spec?.replicas : (patch.spec?.replicas ?? current.spec?.replicas);
    if (!Number.isInteger(replicas) || replicas < 0)
      return sendStatus(res, 422, 'Invalid', `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`);
    patch = { spec: { replicas } };
  } else if (req.method === 'PUT') {
    if (patch.metadata?.resourceVersion && patch.metadata.resourceVersion !== current.metadata.resourceVersion)
      return sendStatus(res, 409, 'Conflict', `Operation cannot be fulfilled on ${type.resource}${type.group ? '.' + type.group : ''} "${name}": the object has been modified; please apply your changes to the latest version and try again`);
  } else if (!['application/merge-patch+json', 'application/strategic-merge-patch+json'].includes(contentType)) {
    return sendStatus(res, 415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`);
  }
  const key = objKey(type, ns, name);
  const result = req.method === 'PUT' && !sub
    ? { object: { ...patch, metadata: { ...current.metadata, ...patch.metadata } }, managers: managersOf(key) }
    : mergePatch({ current, managers: managersOf(key), patch, manager: query.get('fieldManager') || 'unknown', apiVersion: apiVersionOf(type) });
  const object = result.object;
  if (JSON.stringify(current.spec) !== JSON.stringify(object.spec)) object.metadata.generation = (current.metadata.generation || 1) + 1;
  renderManagedFields(object, result.managers);
  if (query.get('dryRun') === 'All') return sendJson(res, 200, sub === 'scale' ? scaleOf(type, object) : object);
  state.managers.set(key, result.managers);
  const stored = state.store.put(type, object);
  sendJson(res, 200, sub === 'scale' ? scaleOf(type, stored) : stored);
}

function deleteObject(type, ns, name, policy) {
  const object = state.store.get(type, ns, name);
  if (!object) return undefined;
  const dependents = [];
  for (const { type: t, object: o } of state.store.objects.values()) {
    if ((o.metadata.ownerReferences || []).some((r) => r.uid === object.metadata.uid)) dependents.push([t, o]);
    if (type.kind === 'Namespace' && t.namespaced && o.metadata.namespace === name) dependents.push([t, o]);
  }
  const finish = () => {
    if (policy !== 'Orphan' || type.kind === 'Namespace') for (const [t, o] of dependents) deleteObject(t, o.metadata.namespace, o.metadata.name, 'Background');
    state.store.remove(type, ns, name);
    state.managers.delete(objKey(type, ns, name));
    if (type.kind === 'Pod') for (const c of object.spec?.containers || []) state.logs.endStreams(ns, name, c.name);
  };
  if (policy === 'Foreground' || type.kind === 'Namespace') {
    // The object stays, marked for deletion, until its dependents are gone.
    const marked = clone(object);
    marked.metadata.deletionTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (policy === 'Foreground') marked.metadata.finalizers = ['foregroundDeletion'];
    if (type.kind === 'Namespace') marked.status = { phase: 'Terminating' };
    const stored = state.store.put(type, marked);
    setTimeout(finish, 50);
    return { object: stored, code: 200 };
  }
  finish();
  return { object: status(200, undefined, undefined, { name, group: type.group, kind: type.resource, uid: object.metadata.uid }), code: 200 };
}

function handleLog(res, pod, ns, query) {
  const containers = pod.spec.containers.map((c) => c.name);
  let container = query.get('container');
  if (!container) {
    if (containers.length !== 1) return sendStatus(res, 400, 'BadRequest', `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${containers.join(' ')}]`);
    container = containers[0];
  }
  if (!containers.includes(container)) return sendStatus(res, 400, 'BadRequest', `container ${container} is not valid for pod ${pod.metadata.name}`);
  const cs = (pod.status?.containerStatuses || []).find((s) => s.name === container);
  const previous = query.get('previous') === 'true';
  const entry = state.logs.entry(ns, pod.metadata.name, container);
  if (previous && entry.previous.length === 0 && !(cs?.restartCount > 0))
    return sendStatus(res, 400, 'BadRequest', `previous terminated container "${container}" in pod "${pod.metadata.name}" not found`);
  if (!previous && (!cs || cs.state?.waiting)) {
    const reason = cs?.state?.waiting?.reason || 'ContainerCreating';
    return sendStatus(res, 400, 'BadRequest', `container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${reason}`);
  }
  const timestamps = query.get('timestamps') === 'true';
  const format = (l) => (timestamps ? `${formatNs(l.ns)} ${l.text}\n` : `${l.text}\n`);
  let lines = previous ? entry.previous : entry.current;
  if (query.get('sinceTime')) {
    const since = parseTimeToSecondsNs(query.get('sinceTime'));
    if (since === null) return sendStatus(res, 400, 'BadRequest', `sinceTime: invalid time "${query.get('sinceTime')}"`);
    lines = lines.filter((l) => l.ns >= since);
  } else if (query.get('sinceSeconds')) {
    const since = (BigInt(Date.now()) - BigInt(Number(query.get('sinceSeconds')) * 1000)) * 1000000n;
    lines = lines.filter((l) => l.ns >= since);
  }
  if (query.get('tailLines')) lines = lines.slice(Math.max(0, lines.length - Number(query.get('tailLines'))));
  const running = !!cs?.state?.running;
  if (query.get('follow') !== 'true' || previous || !running) {
    const text = lines.map(format).join('');
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text) });
    return res.end(text);
  }
  const stream = new Stream(res, 'log');
  for (const l of lines) stream.write(format(l));
  const follower = { send: (l) => stream.write(format(l)), end: () => stream.end() };
  entry.streams.add(follower);
  stream.onClose.push(() => entry.streams.delete(follower));
}

async function handleApi(req, res, url, token) {
  const parts = url.pathname.split('/').filter(Boolean);
  let group, version, rest;
  if (parts[0] === 'api') { group = ''; version = parts[1]; rest = parts.slice(2); } else { group = parts[1]; version = parts[2]; rest = parts.slice(3); }
  if (!version) return sendStatus(res, 404, 'NotFound', 'the server could not find the requested resource');
  if (rest.length === 0) {
    const list = apiResourceList(state.features, group, version);
    return list ? sendJson(res, 200, list) : sendStatus(res, 404, 'NotFound', 'the server could not find the requested resource');
  }
  let ns = '';
  if (rest[0] === 'namespaces' && rest.length >= 3) { ns = rest[1]; rest = rest.slice(2); }
  const [resource, rawName, sub, ...proxyRest] = rest;
  const type = findResource(state.features, group, version, resource);
  if (!type) return sendStatus(res, 404, 'NotFound', 'the server could not find the requested resource');
  const query = url.searchParams;
  const method = req.method;
  const name = rawName && sub === 'proxy' ? rawName.split(':').filter((p) => p !== 'http' && p !== 'https')[0] : rawName;
  const verb = method === 'GET' ? (query.get('watch') === '1' || query.get('watch') === 'true' ? 'watch' : name ? 'get' : 'list')
    : method === 'POST' ? 'create' : method === 'PUT' ? 'update' : method === 'PATCH' ? 'patch' : method === 'DELETE' ? 'delete' : method.toLowerCase();
  const rbacVerb = sub === 'proxy' ? ({ GET: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' }[method] || 'get') : verb;
  const rbacResource = sub ? `${resource}/${sub}` : resource;
  if (!allowed(token, rbacVerb, group, rbacResource, ns)) return forbidden(res, token, rbacVerb, type, rbacResource, name, ns);
  const body = await readBody(req);
  state.requests.push({ method, path: url.pathname, query: Object.fromEntries(query), contentType: req.headers['content-type'] || '', user: token.user, body: body.slice(0, 4000) });
  if (state.requests.length > 500) state.requests.shift();

  if (type.kind === 'SelfSubjectAccessReview') {
    if (method !== 'POST') return sendStatus(res, 405, 'MethodNotAllowed', 'only create is allowed');
    const review = JSON.parse(body || '{}');
    const a = review.spec?.resourceAttributes || {};
    const resourceName = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    const ok = allowed(token, a.verb, a.group || '', resourceName, a.namespace || '');
    review.status = ok ? { allowed: true, reason: `RBAC: allowed by ClusterRoleBinding for user "${token.user}"` }
      : { allowed: false, reason: `RBAC: user "${token.user}" may not ${a.verb} ${resourceName}` };
    return sendJson(res, 201, review);
  }
  if (!name) {
    if (method === 'GET') return verb === 'watch' ? handleWatch(res, type, ns, query) : handleList(res, type, ns, query);
    if (method === 'POST') {
      let object;
      try { object = JSON.parse(body); } catch { return sendStatus(res, 400, 'BadRequest', 'the body is not JSON'); }
      const objectName = object.metadata?.name;
      if (!objectName || !validName(objectName)) return sendStatus(res, 422, 'Invalid', `${type.kind} "${objectName || ''}" is invalid: metadata.name: Required value`);
      if (namespaceMissing(type, ns)) return sendStatus(res, 404, 'NotFound', `namespaces "${ns}" not found`);
      if (state.store.get(type, ns, objectName)) return sendStatus(res, 409, 'AlreadyExists', `${type.resource}${type.group ? '.' + type.group : ''} "${objectName}" already exists`, { name: objectName, group: type.group, kind: type.resource });
      if (type.namespaced) object.metadata.namespace = ns;
      defaultStatus(type, object, true);
      object.metadata.generation = 1;
      if (query.get('dryRun') === 'All') return sendJson(res, 201, object);
      return sendJson(res, 201, state.store.put(type, object));
    }
    return sendStatus(res, 405, 'MethodNotAllowed', `${method} is not allowed on a collection here`);
  }
  const current = state.store.get(type, ns, name);
  if (sub === 'proxy') return serveProxy(req, res, context, { type, ns, name, rawName, path: '/' + proxyRest.join('/'), search: url.search, body, current });
  if (sub === 'log' && method === 'GET') {
    if (!current) return sendStatus(res, 404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' });
    return handleLog(res, current, ns, query);
  }
  if (method === 'GET') {
    if (!current) return sendStatus(res, 404, 'NotFound', `${type.resource}${type.group ? '.' + type.group : ''} "${name}" not found`, { name, group: type.group, kind: type.resource });
    return sendJson(res, 200, sub === 'scale' ? scaleOf(type, current) : current);
  }
  if (method === 'PATCH' || method === 'PUT') return handlePatchOrUpdate(res, req, type, ns, name, sub, query, body);
  if (method === 'DELETE') {
    let policy = query.get('propagationPolicy');
    try { policy = policy || JSON.parse(body || '{}').propagationPolicy; } catch { /* no options */ }
    const done = deleteObject(type, ns, name, policy || 'Background');
    if (!done) return sendStatus(res, 404, 'NotFound', `${type.resource}${type.group ? '.' + type.group : ''} "${name}" not found`, { name, group: type.group, kind: type.resource });
    const out = done.object.kind === 'Status' ? { ...done.object, status: 'Success' } : done.object;
    return sendJson(res, done.code, out);
  }
  return sendStatus(res, 405, 'MethodNotAllowed', `${method} is not allowed`);
}

async function handle(req, res) {
  const url = new URL(req.url, 'https://127.0.0.1');
  try {
    if (url.pathname.startsWith('/_test/') && await handleFixtureControl(req, res, url, context)) return;
    if (url.pathname.startsWith('/_test/exec/')) return await handleExecControl(req, res, url, context);
    if (url.pathname.startsWith('/_test/')) return await handleControl(req, res, url, context);
    const token = authenticate(req);
    if (!token) return sendStatus(res, 401, 'Unauthorized', 'Unauthorized');
    if (url.pathname === '/version') return sendJson(res, 200, { major: '1', minor: '30', gitVersion: 'v1.30.4', platform: 'linux/amd64' });
    if (url.pathname === '/api') return sendJson(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (url.pathname === '/apis') return sendJson(res, 200, apiGroupList(state.features));
    if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/apis/')) return await handleApi(req, res, url, token);
    return sendStatus(res, 404, 'NotFound', 'the server could not find the requested resource');
  } catch (e) {
    if (!res.headersSent) sendStatus(res, 500, 'InternalError', `test server error: ${e.stack || e}`);
    else res.destroy();
  }
}

// What control.mjs and proxy.mjs work with.
const context = { state, sendJson, sendStatus, recordEvent, readBody, podType: RESOURCES.find((r) => r.kind === 'Pod') };

const tls = makeCertificates(dir);
const server = https.createServer({ cert: tls.cert, key: tls.key, ca: [tls.ca], requestCert: true, rejectUnauthorized: false }, handle);
server.keepAliveTimeout = 1000;
server.on('upgrade', (req, socket, head) => handleExecUpgrade(req, socket, head, { ...context, authenticate, allowed }));
server.listen(0, '127.0.0.1', () => {
  fs.writeFileSync(path.join(dir, 'port'), String(server.address().port));
  console.log(`LISTENING ${server.address().port}`);
});
