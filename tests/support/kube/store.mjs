// In-memory object store with resourceVersions, a bounded event history for watches (older
// resourceVersions answer 410 Gone), watchers with label/field selectors, and Status objects.
import crypto from 'node:crypto';
import { apiVersionOf } from './resources.mjs';

export function status(code, reason, message, details) {
  const s = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) s.details = details;
  return s;
}

export const clone = (o) => (o === undefined ? undefined : JSON.parse(JSON.stringify(o)));

// "a=b,c!=d,e,!f,g in (x,y),h notin (z)"
export function parseLabelSelector(text) {
  if (!text) return [];
  const parts = [];
  let depth = 0, current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) { parts.push(current); current = ''; } else current += ch;
  }
  if (current) parts.push(current);
  return parts.map((p) => {
    p = p.trim();
    let m;
    if ((m = p.match(/^([^\s!=]+)\s+(in|notin)\s+\((.*)\)$/))) return { key: m[1], op: m[2], values: m[3].split(',').map((v) => v.trim()) };
    if ((m = p.match(/^([^\s!=]+)\s*!=\s*(.*)$/))) return { key: m[1], op: '!=', values: [m[2]] };
    if ((m = p.match(/^([^\s!=]+)\s*==?\s*(.*)$/))) return { key: m[1], op: '=', values: [m[2]] };
    if ((m = p.match(/^!([^\s!=]+)$/))) return { key: m[1], op: '!exists' };
    return { key: p, op: 'exists' };
  });
}

export function labelsMatch(requirements, labels = {}) {
  return requirements.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.op) {
      case '=': return has && labels[r.key] === r.values[0];
      case '!=': return !has || labels[r.key] !== r.values[0];
      case 'in': return has && r.values.includes(labels[r.key]);
      case 'notin': return !has || !r.values.includes(labels[r.key]);
      case 'exists': return has;
      case '!exists': return !has;
    }
    return false;
  });
}

export function parseFieldSelector(text) {
  if (!text) return [];
  return text.split(',').map((p) => {
    const neq = p.indexOf('!=');
    if (neq > 0) return { path: p.slice(0, neq), op: '!=', value: p.slice(neq + 2) };
    const eq = p.indexOf('=');
    return { path: p.slice(0, eq), op: '=', value: p.slice(eq + 1).replace(/^=/, '') };
  });
}

export function fieldsMatch(requirements, object) {
  return requirements.every((r) => {
    let v = object;
    for (const key of r.path.split('.')) v = v == null ? undefined : v[key];
    const text = v == null ? '' : String(v);
    return r.op === '=' ? text === r.value : text !== r.value;
  });
}

export class Store {
  constructor({ historyLimit = 1000 } = {}) {
    this.rv = 1000;
    this.objects = new Map(); // key -> { type, object }
    this.history = [];        // { rv, type: ADDED|MODIFIED|DELETED, resType, object }
    this.compactedRv = 0;     // events at or before this are gone
    this.historyLimit = historyLimit;
    this.watchers = new Set();
  }

  static key(type, ns, name) {
    return `${type.group}/${type.resource}/${type.namespaced ? ns : ''}/${name}`;
  }

  nextRv() {
    this.rv += 1;
    return String(this.rv);
  }

  get(type, ns, name) {
    const entry = this.objects.get(Store.key(type, ns, name));
    return entry ? entry.object : undefined;
  }

  list(type, ns) {
    const out = [];
    for (const { type: t, object } of this.objects.values()) {
      if (t !== type) continue;
      if (type.namespaced && ns && object.metadata.namespace !== ns) continue;
      out.push(object);
    }
    return out.sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
  }

  // Stores a new or changed object: fills in identity, bumps its resourceVersion, records the event.
  put(type, object) {
    const meta = object.metadata;
    const key = Store.key(type, meta.namespace, meta.name);
    const existing = this.objects.get(key);
    object.apiVersion = apiVersionOf(type);
    object.kind = type.kind;
    if (!type.namespaced) delete meta.namespace;
    if (existing) {
      meta.uid = existing.object.metadata.uid;
      meta.creationTimestamp = existing.object.metadata.creationTimestamp;
    } else {
      meta.uid = meta.uid || crypto.randomUUID();
      meta.creationTimestamp = meta.creationTimestamp || new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    }
    meta.resourceVersion = this.nextRv();
    this.objects.set(key, { type, object });
    this.record(existing ? 'MODIFIED' : 'ADDED', type, object);
    return object;
  }

  remove(type, ns, name) {
    const key = Store.key(type, ns, name);
    const existing = this.objects.get(key);
    if (!existing) return undefined;
    this.objects.delete(key);
    const object = existing.object;
    object.metadata.resourceVersion = this.nextRv();
    this.record('DELETED', type, object);
    return object;
  }

  record(eventType, type, object) {
    const event = { rv: Number(object.metadata.resourceVersion), type: eventType, resType: type, object: clone(object) };
    this.history.push(event);
    while (this.history.length > this.historyLimit) this.compactedRv = this.history.shift().rv;
    for (const w of this.watchers) w.offer(event);
  }

  // Forget every event so far: a watch from any older resourceVersion gets 410 Gone.
  compact() {
    this.compactedRv = this.rv;
    this.history = [];
  }

  // Events after `rv` for a watch, or null when they are no longer known (410).
  eventsSince(rv) {
    if (rv < this.compactedRv) return null;
    return this.history.filter((e) => e.rv > rv);
  }
}
