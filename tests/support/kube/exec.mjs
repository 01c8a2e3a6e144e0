// Pod exec over WebSocket for the Kubernetes API test server: GET .../pods/<pod>/exec?command=..
// upgraded with subprotocol v5.channel.k8s.io (or v4.channel.k8s.io), framed as the API server
// does (a channel byte per message: 0 stdin, 1 stdout, 2 stderr, 3 Status JSON; v5 closes stdin
// with [255, 0]). The command really runs on this machine, confined to a folder that stands in for
// the pod's filesystem: every argument that starts with '/' is moved under that folder, and the
// folder's path is removed from the output again, so `tar -xmf - -C /models/x`, `find /models/x
// -type f -printf '%s %P\n'` and `find ... -exec sha256sum {} +` behave as in the pod. Only a few
// programs are allowed (tar, find, sha256sum, mkdir, rm, cat, ls).
//
// Control API (POST, JSON):
//   /_test/exec/root    {namespace, pod, root}: the folder that is the pod's filesystem
//   /_test/exec/corrupt {namespace, pod, path}: flip the first byte of a file in the pod (tests verification)
//   GET /_test/exec/log  [{namespace, pod, command, stdinBytes, exitCode}] of finished and running execs
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { URL } from 'node:url';

const ALLOWED = new Set(['tar', 'find', 'sha256sum', 'mkdir', 'rm', 'cat', 'ls']);
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const roots = new Map(); // "ns/pod" -> folder
const log = [];

function refuse(socket, code, reason, message) {
  const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
  socket.end(`HTTP/1.1 ${code} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

function frame(opcode, payload) {
  const n = payload.length;
  let head;
  if (n < 126) head = Buffer.from([0x80 | opcode, n]);
  else if (n < 65536) { head = Buffer.alloc(4); head[0] = 0x80 | opcode; head[1] = 126; head.writeUInt16BE(n, 2); }
  else { head = Buffer.alloc(10); head[0] = 0x80 | opcode; head[1] = 127; head.writeBigUInt64BE(BigInt(n), 2); }
  return Buffer.concat([head, payload]);
}

// Line-buffered output with the root folder removed from it.
function rootStripper(root, emit) {
  let rest = '';
  return {
    write(chunk) {
      rest += chunk.toString('utf8');
      const cut = rest.lastIndexOf('\n');
      if (cut < 0) return;
      emit(Buffer.from(rest.slice(0, cut + 1).split(root).join('')));
      rest = rest.slice(cut + 1);
    },
    end() { if (rest) emit(Buffer.from(rest.split(root).join(''))); rest = ''; },
  };
}

export function handleExecUpgrade(req, socket, head, ctx) {
  const { state, authenticate, allowed, podType } = ctx;
  socket.on('error', () => {});
  const url = new URL(req.url, 'https://127.0.0.1');
  const m = url.pathname.match(/^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/);
  if (!m) return refuse(socket, 404, 'NotFound', 'the server could not find the requested resource');
  const [, ns, podName] = m;
  const token = authenticate(req);
  if (!token) return refuse(socket, 401, 'Unauthorized', 'Unauthorized');
  if (!allowed(token, 'create', '', 'pods/exec', ns))
    return refuse(socket, 403, 'Forbidden', `pods "${podName}" is forbidden: User "${token.user}" cannot create resource "pods/exec" in API group "" in the namespace "${ns}"`);
  const pod = state.store.get(podType, ns, podName);
  if (!pod) return refuse(socket, 404, 'NotFound', `pods "${podName}" not found`);
  const container = url.searchParams.get('container') || pod.spec?.containers?.[0]?.name;
  if (!(pod.spec?.containers || []).some((c) => c.name === container))
    return refuse(socket, 400, 'BadRequest', `container ${container} is not valid for pod ${podName}`);
  if (pod.status?.phase !== 'Running')
    return refuse(socket, 400, 'BadRequest', `unable to upgrade connection: container not found ("${container}")`);
  const root = roots.get(`${ns}/${podName}`);
  if (!root) return refuse(socket, 500, 'InternalError', `test server: no root folder set for pod ${ns}/${podName} (POST /_test/exec/root)`);
  const command = url.searchParams.getAll('command');
  const offered = (req.headers['sec-websocket-protocol'] || '').split(',').map((s) => s.trim());
  const protocol = ['v5.channel.k8s.io', 'v4.channel.k8s.io'].find((p) => offered.includes(p));
  if ((req.headers.upgrade || '').toLowerCase() !== 'websocket' || !protocol)
    return refuse(socket, 400, 'BadRequest', 'exec needs a WebSocket upgrade with subprotocol v5.channel.k8s.io or v4.channel.k8s.io');
  const accept = crypto.createHash('sha1').update(req.headers['sec-websocket-key'] + GUID).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: ${protocol}\r\n\r\n`);

  const entry = { namespace: ns, pod: podName, command, stdinBytes: 0, exitCode: null };
  log.push(entry);
  state.requests.push({ method: 'GET', path: url.pathname, query: { command }, contentType: '', user: token.user, body: '' });
  const send = (channel, data) => { if (!socket.destroyed) socket.write(frame(2, Buffer.concat([Buffer.from([channel]), data]))); };
  const finish = (status) => {
    if (socket.destroyed) return;
    send(3, Buffer.from(JSON.stringify(status)));
    socket.end(frame(8, Buffer.from([0x03, 0xe8])));
  };
  if (!ALLOWED.has(command[0])) {
    return finish({ metadata: {}, status: 'Failure', reason: 'InternalError',
      message: `Internal error occurred: error executing command in container: exec: "${command[0]}": executable file not found in $PATH` });
  }
  const args = command.slice(1).map((a) => (a.startsWith('/') ? path.join(root, a) : a));
  const child = spawn(command[0], args, { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  const out = rootStripper(root, (d) => send(1, d));
  const err = rootStripper(root, (d) => send(2, d));
  child.stdout.on('data', (d) => out.write(d));
  child.stderr.on('data', (d) => err.write(d));
  child.stdin.on('error', () => {});
  let exited = false;
  child.on('error', (e) => { exited = true; finish({ metadata: {}, status: 'Failure', reason: 'InternalError', message: `Internal error occurred: ${e.message}` }); });
  child.on('close', (code) => {
    if (exited) return;
    exited = true;
    out.end(); err.end();
    entry.exitCode = code;
    if (code === 0) finish({ metadata: {}, status: 'Success' });
    else finish({ metadata: {}, status: 'Failure', message: `command terminated with non-zero exit code: exit status ${code}`,
      reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: String(code) }] } });
  });
  // A connection that goes away kills the command, as the kubelet does.
  socket.on('close', () => { if (!exited) child.kill('SIGKILL'); });

  let buffer = head && head.length ? Buffer.from(head) : Buffer.alloc(0);
  let fragments = [];
  const onData = (chunk) => {
    if (chunk) buffer = Buffer.concat([buffer, chunk]);
    while (buffer.length >= 2) {
      const b0 = buffer[0]; const b1 = buffer[1];
      let len = b1 & 0x7f; let at = 2;
      if (len === 126) { if (buffer.length < 4) return; len = buffer.readUInt16BE(2); at = 4; }
      else if (len === 127) { if (buffer.length < 10) return; len = Number(buffer.readBigUInt64BE(2)); at = 10; }
      const masked = (b1 & 0x80) !== 0;
      if (!masked) { socket.destroy(); return; } // clients must mask (RFC 6455 5.1)
      if (buffer.length < at + 4 + len) return;
      const mask = buffer.subarray(at, at + 4);
      const payload = Buffer.from(buffer.subarray(at + 4, at + 4 + len));
      for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
      buffer = buffer.subarray(at + 4 + len);
      const opcode = b0 & 0x0f;
      if (opcode === 8) { if (!exited) child.kill('SIGKILL'); socket.end(); return; }
      if (opcode === 9) { socket.write(frame(10, payload)); continue; }
      if (opcode === 10) continue;
      fragments.push(payload);
      if (!(b0 & 0x80)) continue;
      const message = Buffer.concat(fragments); fragments = [];
      if (message.length === 0) continue;
      if (message[0] === 0) {
        entry.stdinBytes += message.length - 1;
        if (!child.stdin.write(message.subarray(1))) { socket.pause(); child.stdin.once('drain', () => socket.resume()); }
      } else if (message[0] === 255 && protocol === 'v5.channel.k8s.io' && message[1] === 0) {
        child.stdin.end();
      }
    }
  };
  socket.on('data', onData);
  if (buffer.length) { const first = buffer; buffer = Buffer.alloc(0); onData(first); }
}

export async function handleExecControl(req, res, url, ctx) {
  const { sendJson } = ctx;
  if (req.method === 'GET' && url.pathname === '/_test/exec/log') return sendJson(res, 200, log);
  const body = JSON.parse((await ctx.readBody(req)) || '{}');
  switch (url.pathname) {
    case '/_test/exec/root':
      if (!body.namespace || !body.pod || !body.root) return sendJson(res, 400, { ok: false, message: 'namespace, pod and root are required' });
      fs.mkdirSync(body.root, { recursive: true });
      roots.set(`${body.namespace}/${body.pod}`, fs.realpathSync(body.root));
      return sendJson(res, 200, { ok: true });
    case '/_test/exec/corrupt': {
      const root = roots.get(`${body.namespace}/${body.pod}`);
      if (!root) return sendJson(res, 400, { ok: false, message: 'no root for that pod' });
      const file = path.join(root, body.path);
      const fd = fs.openSync(file, 'r+');
      const b = Buffer.alloc(1); fs.readSync(fd, b, 0, 1, 0); b[0] ^= 0xff; fs.writeSync(fd, b, 0, 1, 0); fs.closeSync(fd);
      return sendJson(res, 200, { ok: true });
    }
    default:
      return sendJson(res, 404, { ok: false, message: `no control endpoint ${url.pathname}` });
  }
}
