// The control API of the test Kubernetes server (no authentication; tests only). JSON bodies.
//
//   POST /_test/tokens        {token, user, deny: [{verbs, resources, namespace?, group?}], expireAfterRequests?}
//   POST /_test/expire        {token}: the token answers 401 from now on
//   POST /_test/features      {openshift?, kserve?, lws?}: which optional API groups are served
//   POST /_test/pods          {namespace, name, labels?, containers?: [names], state?: "Running", ownerReferences?}
//   POST /_test/pod-state     {namespace, name, state, message?}: Pending | ContainerCreating | Running |
//                             ImagePullBackOff | OOMKilled | CrashLoopBackOff | Succeeded | Failed (with an Event)
//   POST /_test/logs          {namespace, pod, container, lines: [..], sameTimestamp?, previous?}
//   POST /_test/drop          cut every open watch and log stream mid-stream (no chunked terminator)
//   POST /_test/stall         open streams stop sending (the connection stays open); new ones are fine
//   POST /_test/compact       forget the event history: watches from older resourceVersions get 410
//   POST /_test/proxy         {namespace, kind: "pods"|"services", name, upstream?: "http://127.0.0.1:port",
//                             reply?: {status, body, contentType} | "echo"}
//   GET  /_test/streams       {watch: n, log: n} open streams
//   GET  /_test/requests      recent API requests {method, path, query, contentType, user, body}
import { applyPodState, makePod } from './pods.mjs';

export async function handleControl(req, res, url, ctx) {
  const { state, sendJson } = ctx;
  const body = req.method === 'POST' ? JSON.parse((await ctx.readBody(req)) || '{}') : {};
  const ok = (extra = {}) => sendJson(res, 200, { ok: true, ...extra });
  const bad = (message) => sendJson(res, 400, { ok: false, message });
  switch (url.pathname) {
    case '/_test/tokens':
      state.tokens.set(body.token, { user: body.user || 'developer', deny: body.deny || [], requests: 0, expireAfterRequests: body.expireAfterRequests || 0 });
      return ok();
    case '/_test/expire': {
      const token = state.tokens.get(body.token);
      if (!token) return bad('no such token');
      token.expired = true;
      return ok();
    }
    case '/_test/features':
      Object.assign(state.features, body);
      return ok({ features: state.features });
    case '/_test/pods': {
      if (!body.namespace || !body.name) return bad('namespace and name are required');
      const pod = makePod(body.namespace, body.name, body);
      const result = applyPodState(pod, body.state || 'Running', body);
      if (result.error) return bad(result.error);
      const stored = state.store.put(ctx.podType, pod);
      if (result.event) ctx.recordEvent(body.namespace, stored, result.event);
      return ok({ resourceVersion: stored.metadata.resourceVersion });
    }
    case '/_test/pod-state': {
      const current = state.store.get(ctx.podType, body.namespace, body.name);
      if (!current) return bad(`no pod ${body.namespace}/${body.name}`);
      const pod = JSON.parse(JSON.stringify(current));
      const result = applyPodState(pod, body.state, body);
      if (result.error) return bad(result.error);
      // A restart turns the current log into the previous one; a stopped container ends its streams.
      for (const c of pod.spec.containers) {
        if (body.state === 'OOMKilled' || body.state === 'CrashLoopBackOff') state.logs.restart(body.namespace, body.name, c.name);
        else if (body.state === 'Succeeded' || body.state === 'Failed') state.logs.endStreams(body.namespace, body.name, c.name);
      }
      const stored = state.store.put(ctx.podType, pod);
      if (result.event) ctx.recordEvent(body.namespace, stored, result.event);
      return ok({ resourceVersion: stored.metadata.resourceVersion });
    }
    case '/_test/logs':
      state.logs.append(body.namespace, body.pod, body.container, body.lines || [], body);
      return ok();
    case '/_test/drop': {
      const open = [...state.streams];
      open.forEach((s) => s.drop());
      return ok({ dropped: open.length });
    }
    case '/_test/stall': {
      const open = [...state.streams];
      open.forEach((s) => { s.stalled = true; });
      return ok({ stalled: open.length });
    }
    case '/_test/compact':
      state.store.compact();
      return ok({ resourceVersion: String(state.store.rv) });
    case '/_test/proxy':
      state.proxies.set(`${body.kind}/${body.namespace}/${body.name}`, body);
      return ok();
    case '/_test/streams': {
      const counts = { watch: 0, log: 0 };
      for (const s of state.streams) if (!s.stalled) counts[s.kind] += 1;
      return sendJson(res, 200, counts);
    }
    case '/_test/requests':
      return sendJson(res, 200, state.requests);
    default:
      return sendJson(res, 404, { ok: false, message: `no control endpoint ${url.pathname}` });
  }
}
