// Server-side apply as the API server does it, reduced to what a client can observe: every field
// of an applied configuration is owned by its field manager; applying a value that differs from a
// field another manager owns is a conflict (409 naming the managers) unless force=true moves the
// field over; fields a manager applied before and leaves out now are removed (unless another
// manager still owns them). Lists whose items all have a "name" are merged by name (containers,
// env, ports, volumes); other lists are atomic. Merge patches ("Update" operations) take
// ownership without conflicts.
import { clone, status } from './store.mjs';

const IDENTITY = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'managedFields', 'deletionTimestamp', 'selfLink']);

const isMap = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isKeyedList = (v) => Array.isArray(v) && v.length > 0 && v.every((i) => isMap(i) && typeof i.name === 'string');
const seg = (s) => (typeof s === 'string' ? s : `k:{"name":"${s.name}"}`);
export const pathKey = (path) => path.map(seg).join('\u0000');
const pathFromKey = (key) => key.split('\u0000').map((s) => (s.startsWith('k:') ? { name: JSON.parse(s.slice(2)).name } : s));

// Leaf paths of a configuration (metadata: only labels and annotations are owned).
export function leaves(config) {
  const out = new Map();
  const walk = (value, path) => {
    if (isMap(value) && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    } else if (isKeyedList(value)) {
      for (const item of value) {
        for (const [k, v] of Object.entries(item)) walk(v, [...path, { name: item.name }, k]);
      }
    } else {
      out.set(pathKey(path), value);
    }
  };
  for (const [k, v] of Object.entries(config)) {
    if (k === 'apiVersion' || k === 'kind' || k === 'status') continue;
    if (k === 'metadata') {
      for (const mk of ['labels', 'annotations']) if (isMap(v?.[mk])) walk(v[mk], ['metadata', mk]);
      continue;
    }
    walk(v, [k]);
  }
  return out;
}

function step(container, s, create) {
  if (container === undefined || container === null) return undefined;
  if (typeof s === 'string') {
    if (!isMap(container)) return undefined;
    if (container[s] === undefined && create) container[s] = {};
    return container[s];
  }
  if (!Array.isArray(container)) return undefined;
  let item = container.find((i) => isMap(i) && i.name === s.name);
  if (!item && create) { item = { name: s.name }; container.push(item); }
  return item;
}

function getAt(object, path) {
  let v = object;
  for (const s of path) { v = step(v, s, false); if (v === undefined) return undefined; }
  return v;
}

function setAt(object, path, value) {
  let v = object;
  for (let i = 0; i < path.length - 1; i++) {
    const next = path[i + 1];
    if (typeof path[i] === 'string' && typeof next !== 'string' && !Array.isArray(v[path[i]])) v[path[i]] = [];
    v = step(v, path[i], true);
  }
  const last = path[path.length - 1];
  if (typeof last === 'string') v[last] = clone(value);
}

function removeAt(object, path) {
  const parents = [object];
  let v = object;
  for (let i = 0; i < path.length - 1; i++) { v = step(v, path[i], false); if (v === undefined) return; parents.push(v); }
  const last = path[path.length - 1];
  if (isMap(v)) delete v[last];
  // Drop what the removal emptied: maps without keys, list items left with only their name, empty lists.
  for (let i = path.length - 1; i > 0; i--) {
    const node = parents[i], parent = parents[i - 1], s = path[i - 1];
    const keyedItem = typeof s !== 'string';
    const emptied = Array.isArray(node) ? node.length === 0
      : isMap(node) && (Object.keys(node).length === 0 || (keyedItem && Object.keys(node).length === 1 && 'name' in node));
    if (!emptied) break;
    if (keyedItem) parent.splice(parent.indexOf(node), 1);
    else delete parent[s];
  }
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// fieldsV1 tree of a set of path keys, as managedFields shows it.
function fieldsV1(keys) {
  const root = {};
  for (const key of keys) {
    let node = root;
    for (const s of key.split('\u0000')) node = node[s.startsWith('k:') ? s : `f:${s}`] ??= {};
    node['.'] = {};
  }
  return root;
}

export function renderManagedFields(object, managers) {
  object.metadata.managedFields = [...managers.entries()].filter(([, m]) => m.fields.size > 0).map(([name, m]) => ({
    manager: name, operation: m.operation, apiVersion: m.apiVersion, time: m.time, fieldsType: 'FieldsV1',
    fieldsV1: fieldsV1(m.fields),
  }));
}

// current: the stored object or undefined; managers: Map name -> {operation, apiVersion, time, fields:Set}.
// Returns { object, managers } or { error: Status }.
export function serverSideApply({ current, managers, config, manager, force, group, kind, name }) {
  managers = new Map([...managers].map(([n, m]) => [n, { ...m, fields: new Set(m.fields) }]));
  const applied = leaves(config);
  const conflicts = [];
  for (const [key, value] of applied) {
    for (const [other, m] of managers) {
      if (other === manager || !m.fields.has(key)) continue;
      if (!same(getAt(current, pathFromKey(key)), value)) conflicts.push({ other, key, apiVersion: m.apiVersion });
    }
  }
  if (conflicts.length > 0 && !force) {
    const field = (key) => '.' + key.split('\u0000').map((s) => (s.startsWith('k:') ? `[name="${JSON.parse(s.slice(2)).name}"]` : s)).join('.').replace(/\.\[/g, '[');
    const causes = conflicts.map((c) => ({ type: 'FieldManagerConflict', message: `conflict with "${c.other}" using ${c.apiVersion}`, field: field(c.key) }));
    const text = conflicts.length === 1 ? '1 conflict' : `${conflicts.length} conflicts`;
    return { error: status(409, 'Conflict', `Apply failed with ${text}: ` + causes.map((c) => `${c.message}: ${c.field}`).join('\n'),
      { name, group, kind: kind.toLowerCase() + 's', causes }) };
  }
  for (const c of conflicts) managers.get(c.other).fields.delete(c.key);

  const object = clone(current) || { apiVersion: config.apiVersion, kind: config.kind, metadata: {} };
  const previous = managers.get(manager)?.fields || new Set();
  for (const key of previous) {
    if (applied.has(key)) continue;
    const ownedElsewhere = [...managers].some(([n, m]) => n !== manager && m.fields.has(key));
    if (!ownedElsewhere) removeAt(object, pathFromKey(key));
  }
  for (const [key, value] of applied) setAt(object, pathFromKey(key), value);
  managers.set(manager, { operation: 'Apply', apiVersion: config.apiVersion, time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), fields: new Set(applied.keys()) });
  return { object, managers };
}

// RFC 7386 JSON merge patch; the patch's fields move to `manager` (operation Update).
export function mergePatch({ current, managers, patch, manager, apiVersion }) {
  managers = new Map([...managers].map(([n, m]) => [n, { ...m, fields: new Set(m.fields) }]));
  const merge = (target, p) => {
    if (!isMap(p)) return clone(p);
    const out = isMap(target) ? clone(target) : {};
    for (const [k, v] of Object.entries(p)) {
      if (v === null) delete out[k]; else out[k] = merge(out[k], v);
    }
    return out;
  };
  const object = merge(current, patch);
  const touched = leaves(Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== null)));
  for (const [, m] of managers) for (const key of touched.keys()) m.fields.delete(key);
  const mine = managers.get(manager) || { operation: 'Update', apiVersion, fields: new Set() };
  for (const key of touched.keys()) mine.fields.add(key);
  mine.time = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  managers.set(manager, mine);
  return { object, managers };
}

// The part of an object that counts as "changed" for resourceVersion bumps.
export function contentOf(object) {
  const c = clone(object);
  for (const k of IDENTITY) delete c.metadata?.[k];
  return JSON.stringify(c);
}
