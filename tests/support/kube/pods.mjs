// Pods as the test drives them: containers with current and previous logs (timestamped lines),
// follow streams that get new lines as the test appends them, and status changes that look like
// the kubelet's (Pending for lack of GPUs, ImagePullBackOff, OOMKilled, CrashLoopBackOff, ...),
// each with the Event a real cluster records.
import { clone } from './store.mjs';

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

// Timestamps with nanoseconds, strictly increasing unless a caller asks for a repeat.
let lastNs = 0n;
export function timestampNs(repeat) {
  let ns = BigInt(Date.now()) * 1000000n;
  if (repeat) return lastNs;
  if (ns <= lastNs) ns = lastNs + 1000n;
  lastNs = ns;
  return ns;
}
export function formatNs(ns) {
  const seconds = ns / 1000000000n;
  const frac = (ns % 1000000000n).toString().padStart(9, '0');
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d+Z$/, '') + `.${frac}Z`;
}
// RFC 3339 -> ns; the API server reads sinceTime to whole seconds.
export function parseTimeToSecondsNs(text) {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return null;
  return BigInt(Math.floor(ms / 1000)) * 1000000000n;
}

export class PodLogs {
  constructor() {
    this.containers = new Map(); // "ns/pod/container" -> { current: [{ns, text}], previous: [...], streams: Set }
  }
  entry(ns, pod, container) {
    const key = `${ns}/${pod}/${container}`;
    if (!this.containers.has(key)) this.containers.set(key, { current: [], previous: [], streams: new Set() });
    return this.containers.get(key);
  }
  append(ns, pod, container, lines, { sameTimestamp = false, previous = false } = {}) {
    const e = this.entry(ns, pod, container);
    const target = previous ? e.previous : e.current;
    let first = true;
    for (const text of lines) {
      const entry = { ns: timestampNs(sameTimestamp && !first ? true : false), text };
      if (sameTimestamp) first = false;
      target.push(entry);
      if (!previous) for (const s of e.streams) s.send(entry);
    }
  }
  // The container restarted: its log becomes the previous one.
  restart(ns, pod, container) {
    const e = this.entry(ns, pod, container);
    e.previous = e.current;
    e.current = [];
    for (const s of [...e.streams]) s.end();
  }
  endStreams(ns, pod, container) {
    for (const s of [...this.entry(ns, pod, container).streams]) s.end();
  }
  allStreams() {
    return [...this.containers.values()].flatMap((e) => [...e.streams]);
  }
}

// A Pod object with the given containers (names), labels and state.
export function makePod(ns, name, { labels = {}, containers = ['server'], nodeName = '', ownerReferences } = {}) {
  const pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: { containers: containers.map((c) => ({ name: c, image: 'lmsysorg/sglang:latest' })), nodeName },
    status: {},
  };
  if (ownerReferences) pod.metadata.ownerReferences = ownerReferences;
  return pod;
}

// Applies a named state to a pod object (in place) and returns the Event the kubelet or scheduler
// would record, or null.
export function applyPodState(pod, state, { message } = {}) {
  const containers = pod.spec.containers.map((c) => c.name);
  const prev = pod.status.containerStatuses || [];
  const restarts = (n) => prev.find((s) => s.name === n)?.restartCount || 0;
  const base = (n, extra) => ({ name: n, image: 'lmsysorg/sglang:latest', ready: false, restartCount: restarts(n), started: false, ...extra });
  const cond = (type, status, reason, msg) => ({ type, status, lastTransitionTime: now(), ...(reason ? { reason } : {}), ...(msg ? { message: msg } : {}) });
  let event = null;
  switch (state) {
    case 'Pending': {
      const msg = message || '0/3 nodes are available: 3 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';
      pod.status = { phase: 'Pending', conditions: [cond('PodScheduled', 'False', 'Unschedulable', msg)] };
      event = { type: 'Warning', reason: 'FailedScheduling', message: msg };
      break;
    }
    case 'ContainerCreating':
      pod.status = { phase: 'Pending', conditions: [cond('PodScheduled', 'True')],
        containerStatuses: containers.map((n) => base(n, { state: { waiting: { reason: 'ContainerCreating' } } })) };
      break;
    case 'Running':
      pod.status = { phase: 'Running', startTime: now(), conditions: [cond('PodScheduled', 'True'), cond('Ready', 'True')],
        containerStatuses: containers.map((n) => base(n, { ready: true, started: true, state: { running: { startedAt: now() } } })) };
      event = { type: 'Normal', reason: 'Started', message: `Started container ${containers[0]}` };
      break;
    case 'ImagePullBackOff': {
      const msg = message || 'Back-off pulling image "lmsysorg/sglang:latest"';
      pod.status = { phase: 'Pending', conditions: [cond('PodScheduled', 'True'), cond('Ready', 'False', 'ContainersNotReady')],
        containerStatuses: containers.map((n) => base(n, { state: { waiting: { reason: 'ImagePullBackOff', message: msg } } })) };
      event = { type: 'Warning', reason: 'Failed', message: `Error: ImagePullBackOff` };
      break;
    }
    case 'OOMKilled':
      pod.status = { phase: 'Running', conditions: [cond('PodScheduled', 'True'), cond('Ready', 'False', 'ContainersNotReady')],
        containerStatuses: containers.map((n) => base(n, { restartCount: restarts(n) + 1, state: { running: { startedAt: now() } },
          lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: now() } } })) };
      event = { type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container' };
      break;
    case 'CrashLoopBackOff':
      pod.status = { phase: 'Running', conditions: [cond('PodScheduled', 'True'), cond('Ready', 'False', 'ContainersNotReady')],
        containerStatuses: containers.map((n) => base(n, { restartCount: restarts(n) + 1,
          state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 40s restarting failed container=${n}` } },
          lastState: { terminated: { reason: 'Error', exitCode: 1, finishedAt: now() } } })) };
      event = { type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container' };
      break;
    case 'Succeeded':
    case 'Failed':
      pod.status = { phase: state, conditions: [cond('PodScheduled', 'True'), cond('Ready', 'False', 'PodCompleted')],
        containerStatuses: containers.map((n) => base(n, { state: { terminated: { reason: state === 'Succeeded' ? 'Completed' : 'Error', exitCode: state === 'Succeeded' ? 0 : 1, finishedAt: now() } } })) };
      break;
    default:
      return { error: `unknown pod state "${state}"` };
  }
  return { event };
}

export function makeEvent(ns, involved, { type, reason, message }, seq) {
  return {
    apiVersion: 'v1', kind: 'Event',
    metadata: { name: `${involved.metadata.name}.${(seq).toString(16).padStart(16, '0')}`, namespace: ns },
    involvedObject: { apiVersion: involved.apiVersion, kind: involved.kind, name: involved.metadata.name, namespace: ns, uid: involved.metadata.uid },
    type, reason, message, count: 1, firstTimestamp: now(), lastTimestamp: now(),
    source: { component: reason === 'FailedScheduling' ? 'default-scheduler' : 'kubelet' },
  };
}

export const podCopy = clone;
