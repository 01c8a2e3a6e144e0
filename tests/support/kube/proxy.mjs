// The API server's pod and service proxy: .../pods/<name>[:<port>]/proxy/<path> and
// .../services/[https:]<name>[:<port>]/proxy/<path>. The test says where each target leads with
// POST /_test/proxy: to a local HTTP upstream, a canned reply, or "echo" (the request as JSON).
import http from 'node:http';

export function serveProxy(req, res, ctx, { type, ns, name, rawName, path, search, body, current }) {
  const { state, sendJson, sendStatus } = ctx;
  if (!current) return sendStatus(res, 404, 'NotFound', `${type.resource} "${name}" not found`, { name, kind: type.resource });
  const target = state.proxies.get(`${type.resource}/${ns}/${name}`);
  if (!target) {
    return type.resource === 'services'
      ? sendStatus(res, 503, 'ServiceUnavailable', `no endpoints available for service "${name}"`)
      : sendStatus(res, 503, 'ServiceUnavailable', `error trying to reach service: dial tcp: connect: connection refused`);
  }
  if (target.reply === 'echo') {
    return sendJson(res, 200, { method: req.method, target: rawName, path, search, body, contentType: req.headers['content-type'] || '' });
  }
  if (target.reply) {
    const text = typeof target.reply.body === 'string' ? target.reply.body : JSON.stringify(target.reply.body);
    res.writeHead(target.reply.status || 200, { 'Content-Type': target.reply.contentType || 'text/plain', 'Content-Length': Buffer.byteLength(text) });
    return res.end(text);
  }
  const upstream = new URL(path + (search || ''), target.upstream);
  const headers = { ...req.headers };
  delete headers.authorization; // the API server never forwards the user's credential
  delete headers.host;
  headers['content-length'] = Buffer.byteLength(body);
  const forward = http.request(upstream, { method: req.method, headers }, (up) => {
    res.writeHead(up.statusCode, up.headers);
    up.pipe(res);
  });
  forward.on('error', (e) => sendStatus(res, 503, 'ServiceUnavailable', `error trying to reach service: ${e.message}`));
  forward.end(body);
}
