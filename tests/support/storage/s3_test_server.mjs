// A real S3 server for the storage tests: s3rver (npm) with one bucket, behind a small HTTP proxy
// that counts requests and bytes and can corrupt upload bodies on the way (to prove that uploads
// verify what the server stored). Prints "LISTENING <proxy port>" once ready.
//
//   node s3_test_server.mjs --dir DIR --bucket NAME --module PATH_TO_S3RVER
//
// Requests to the proxy go to s3rver unchanged (SigV4 signatures stay valid: s3rver checks them
// with its default keys S3RVER / S3RVER). Control API on the same port:
//   GET  /_fault/stats    {requests: [{method, path, query, bytes, status}]}
//   POST /_fault/reset    forget the statistics
//   POST /_fault/corrupt  {count}: flip one byte of the next `count` part or object upload bodies
import http from 'node:http';
import { createRequire } from 'node:module';

const args = process.argv.slice(2);
const option = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const require = createRequire(import.meta.url);
const S3rver = require(option('--module'));

const s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: option('--dir'),
  configureBuckets: [{ name: option('--bucket', 'models'), configs: [] }] });
const { port: s3Port } = await s3.run();

const stats = [];
let corrupt = 0;

function readAll(req) {
  return new Promise((resolve) => { const parts = []; req.on('data', (d) => parts.push(d)); req.on('end', () => resolve(Buffer.concat(parts))); });
}

const proxy = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (url.pathname.startsWith('/_fault/')) {
    const body = req.method === 'POST' ? JSON.parse((await readAll(req)).toString() || '{}') : {};
    if (url.pathname === '/_fault/stats') { res.writeHead(200, { 'Content-Type': 'application/json' }); return res.end(JSON.stringify({ requests: stats })); }
    if (url.pathname === '/_fault/reset') stats.length = 0;
    else if (url.pathname === '/_fault/corrupt') corrupt = Number(body.count || 1);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return res.end('{"ok":true}');
  }
  const entry = { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), bytes: 0, status: 0 };
  stats.push(entry);
  const isUpload = req.method === 'PUT' && !('x-amz-copy-source' in req.headers);
  let flip = isUpload && corrupt > 0 && Number(req.headers['content-length'] || 0) > 0;
  if (flip) corrupt -= 1;
  const headers = { ...req.headers };
  delete headers['content-md5']; // let the corrupted body through to the store, as a broken middlebox would
  const forward = http.request({ host: '127.0.0.1', port: s3Port, method: req.method, path: req.url, headers }, (up) => {
    entry.status = up.statusCode;
    res.writeHead(up.statusCode, up.headers);
    up.pipe(res);
  });
  forward.on('error', (e) => { if (!res.headersSent) { res.writeHead(502); res.end(String(e)); } });
  req.on('data', (chunk) => {
    entry.bytes += chunk.length;
    if (flip) { chunk = Buffer.from(chunk); chunk[0] ^= 0xff; flip = false; }
    forward.write(chunk);
  });
  req.on('end', () => forward.end());
  req.on('aborted', () => forward.destroy());
});
proxy.listen(0, '127.0.0.1', () => console.log(`LISTENING ${proxy.address().port}`));
