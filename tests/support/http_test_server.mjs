// A small, real HTTP(S) server for the C++ tests of core/net, core/chat and core/metrics.
// Built-in node modules only. It listens on 127.0.0.1 at a free port and prints
// "LISTENING <port>" on stdout once ready (tests/support/test_http_server.h starts it).
//
// Options:
//   --tls-cert FILE --tls-key FILE   serve HTTPS with this PEM certificate and key
//   --client-ca FILE                 with TLS: require a client certificate signed by this CA
//   --api-key KEY                    /v1/* answers 401 unless "Authorization: Bearer KEY"
//   --bearer TOKEN                   /api/v1/* answers 401 unless "Authorization: Bearer TOKEN"
//   --scenarios FILE                 JSON: model name -> reply script for /v1/* (see below)
//   --metrics FILE                   served as Prometheus text at /metrics
//
// Routes:
//   /echo                  JSON of the request: method, path, query, headers, body, clientCert
//   /status/CODE           that status, OpenAI-style error JSON (?message= sets its text)
//   /lines?n=&delay=&piece= n NDJSON lines {"i":k}, written `piece` bytes at a time, `delay` ms apart
//   /slow?ms=              "done" after ms milliseconds
//   /stall?bytes=          headers and `bytes` bytes of body, then silence (never ends)
//   /drop?bytes=           announces 1000 bytes, sends `bytes`, then cuts the connection
//   /upload                {"received": <body bytes>}
//   /redirect              302 to /echo
//   /v1/models, /v1/chat/completions, /v1/completions   scripted OpenAI-compatible replies
//   /_last                 the JSON body of the last /v1/* POST
//   /api/v1/query, /api/v1/query_range                  Prometheus HTTP API replies
//   /metrics               the --metrics file
//
// A scenario: { "chunks": [{"content": "..."} | {"reasoning": "..."}], "delayMs": 20,
//   "firstDelayMs": 0, "finishReason": "stop", "usage": {"prompt_tokens": 5, "completion_tokens": 7}
//   (omit for counts from the chunks), "dropAfter": N (cut the connection after N chunks),
//   "errorAfter": N and "errorMessage": "..." (send an error event after N chunks),
//   "noDone": true (no [DONE] line) }.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';

const args = process.argv.slice(2);
function option(name) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

const apiKey = option('--api-key');
const bearer = option('--bearer');
const scenarios = option('--scenarios') ? JSON.parse(fs.readFileSync(option('--scenarios'), 'utf8')) : {};
const metricsFile = option('--metrics');
let lastBody = null;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function sendJson(res, status, object, extraHeaders = {}) {
  const text = JSON.stringify(object);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...extraHeaders });
  res.end(text);
}

function readBody(req) {
  return new Promise((resolve) => {
    const parts = [];
    req.on('data', (d) => parts.push(d));
    req.on('end', () => resolve(Buffer.concat(parts)));
  });
}

function authorized(req, secret) {
  return !secret || req.headers['authorization'] === `Bearer ${secret}`;
}

// ---- OpenAI-compatible endpoints -------------------------------------------------------------

function modelNotFound(res, model) {
  sendJson(res, 404, { object: 'error', message: `The model \`${model}\` does not exist.`, type: 'NotFoundError', code: 404 });
}

function chunkObject(kind, model, piece, finishReason) {
  const base = { id: 'cmpl-test', created: 1700000000, model };
  if (kind === 'chat') {
    const delta = {};
    if (piece && piece.content !== undefined) delta.content = piece.content;
    if (piece && piece.reasoning !== undefined) delta.reasoning_content = piece.reasoning;
    return { ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finishReason ?? null }] };
  }
  const text = piece ? (piece.content ?? piece.reasoning ?? '') : '';
  return { ...base, object: 'text_completion', choices: [{ index: 0, text, finish_reason: finishReason ?? null }] };
}

function usageOf(scenario, request) {
  if (scenario.usage) return { ...scenario.usage, total_tokens: scenario.usage.prompt_tokens + scenario.usage.completion_tokens };
  const prompt = JSON.stringify(request.messages ?? request.prompt ?? '').length;
  const completion = scenario.chunks.length;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

async function streamReply(req, res, kind, scenario, request) {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  let closed = false;
  res.on('close', () => { closed = true; });
  const send = (object) => res.write(`data: ${JSON.stringify(object)}\n\n`);
  res.write(': keep-alive\n\n');
  if (kind === 'chat') send({ ...chunkObject(kind, request.model, { content: '' }), choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
  await sleep(scenario.firstDelayMs ?? 0);
  for (let i = 0; i < scenario.chunks.length; ++i) {
    if (closed) return;
    if (scenario.dropAfter !== undefined && i === scenario.dropAfter) {
      res.socket.destroy();
      return;
    }
    if (scenario.errorAfter !== undefined && i === scenario.errorAfter) {
      send({ object: 'error', message: scenario.errorMessage ?? 'internal error', type: 'InternalServerError', code: 500 });
      res.end();
      return;
    }
    // Write each event in two pieces so clients see events split across reads.
    const text = `data: ${JSON.stringify(chunkObject(kind, request.model, scenario.chunks[i]))}\n\n`;
    const cut = Math.floor(text.length / 2);
    res.write(text.slice(0, cut));
    await sleep(1);
    res.write(text.slice(cut));
    await sleep(scenario.delayMs ?? 10);
  }
  if (scenario.dropAfter !== undefined && scenario.dropAfter >= scenario.chunks.length) {
    res.socket.destroy();
    return;
  }
  send(chunkObject(kind, request.model, null, scenario.finishReason ?? 'stop'));
  if (request.stream_options && request.stream_options.include_usage) send({ id: 'cmpl-test', object: 'chat.completion.chunk', model: request.model, choices: [], usage: usageOf(scenario, request) });
  if (!scenario.noDone) res.write('data: [DONE]\n\n');
  res.end();
}

async function openai(req, res, path) {
  if (!authorized(req, apiKey)) {
    sendJson(res, 401, { error: { message: 'Invalid API key. Check the key you passed.', type: 'invalid_request_error', code: 'invalid_api_key' } });
    return;
  }
  if (path === '/v1/models' && req.method === 'GET') {
    const names = Object.keys(scenarios);
    sendJson(res, 200, { object: 'list', data: names.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'slipway-test', max_model_len: 4096 })) });
    return;
  }
  if (req.method !== 'POST' || (path !== '/v1/chat/completions' && path !== '/v1/completions')) {
    sendJson(res, 404, { detail: 'Not Found' });
    return;
  }
  const raw = (await readBody(req)).toString('utf8');
  let request;
  try {
    request = JSON.parse(raw);
  } catch (e) {
    sendJson(res, 400, { object: 'error', message: `invalid JSON body: ${e.message}`, type: 'BadRequestError', code: 400 });
    return;
  }
  lastBody = request;
  const scenario = scenarios[request.model];
  if (!scenario) {
    modelNotFound(res, request.model);
    return;
  }
  const kind = path === '/v1/chat/completions' ? 'chat' : 'completion';
  if (request.stream) {
    await streamReply(req, res, kind, scenario, request);
    return;
  }
  await sleep(scenario.firstDelayMs ?? 0);
  const content = scenario.chunks.filter((c) => c.content !== undefined).map((c) => c.content).join('');
  const reasoning = scenario.chunks.filter((c) => c.reasoning !== undefined).map((c) => c.reasoning).join('');
  const choice = kind === 'chat'
    ? { index: 0, message: { role: 'assistant', content, ...(reasoning ? { reasoning_content: reasoning } : {}) }, finish_reason: scenario.finishReason ?? 'stop' }
    : { index: 0, text: content + reasoning, finish_reason: scenario.finishReason ?? 'stop' };
  sendJson(res, 200, { id: 'cmpl-test', object: kind === 'chat' ? 'chat.completion' : 'text_completion', created: 1700000000, model: request.model, choices: [choice], usage: usageOf(scenario, request) });
}

// ---- Prometheus HTTP API ---------------------------------------------------------------------

function prometheusParameters(req, url, body) {
  const params = new URLSearchParams(url.search);
  if (req.method === 'POST') for (const [k, v] of new URLSearchParams(body)) params.set(k, v);
  return params;
}

async function prometheus(req, res, url) {
  const body = (await readBody(req)).toString('utf8');
  if (!authorized(req, bearer)) {
    res.writeHead(401, { 'Content-Type': 'text/plain' });
    res.end('Unauthorized\n');
    return;
  }
  const params = prometheusParameters(req, url, body);
  const query = params.get('query') ?? '';
  const badData = (error) => sendJson(res, 400, { status: 'error', errorType: 'bad_data', error });
  if (query === '') return badData('query parameter is missing');
  if ((query.match(/\(/g) ?? []).length !== (query.match(/\)/g) ?? []).length) return badData('1:1: parse error: unclosed left parenthesis');
  const namespace = params.get('namespace');
  if (url.pathname === '/api/v1/query') {
    const time = Number(params.get('time') ?? '1700000000');
    if (query.startsWith('scalar(')) {
      sendJson(res, 200, { status: 'success', data: { resultType: 'scalar', result: [time, '1.5'] } });
      return;
    }
    const result = [
      { metric: { __name__: 'DCGM_FI_DEV_GPU_UTIL', gpu: '0', UUID: 'GPU-aaaa', modelName: 'NVIDIA H100 80GB HBM3', Hostname: 'node-a', exported_pod: 'ds-r1-0', exported_namespace: 'llm', pod: 'nvidia-dcgm-exporter-x1', namespace: 'nvidia-gpu-operator', query }, value: [time, '87'] },
      { metric: { __name__: 'DCGM_FI_DEV_GPU_UTIL', gpu: '1', UUID: 'GPU-bbbb', modelName: 'NVIDIA H100 80GB HBM3', Hostname: 'node-a', pod: 'ds-r1-1', namespace: namespace ?? 'llm', query }, value: [time, '12.5'] },
    ];
    sendJson(res, 200, { status: 'success', data: { resultType: 'vector', result }, ...(query.includes('warn') ? { warnings: ['test warning'] } : {}) });
    return;
  }
  const start = Number(params.get('start'));
  const end = Number(params.get('end'));
  const step = Number(params.get('step'));
  if (!(step > 0) || !(end >= start)) return badData('invalid parameter "step": zero or negative query resolution step widths are not accepted');
  const values = [];
  for (let t = start; t <= end; t += step) values.push([t, t - start === 2 * step ? 'NaN' : String(t - start)]);
  sendJson(res, 200, { status: 'success', data: { resultType: 'matrix', result: [{ metric: { __name__: 'sglang:num_running_reqs', model_name: 'm', query }, values }] } });
}

// ---- plain routes ----------------------------------------------------------------------------

async function handle(req, res) {
  const url = new URL(req.url, 'http://localhost');
  const path = url.pathname;
  const q = (name, fallback) => (url.searchParams.has(name) ? Number(url.searchParams.get(name)) : fallback);

  if (path === '/echo') {
    const body = (await readBody(req)).toString('utf8');
    const peer = req.socket.getPeerCertificate ? req.socket.getPeerCertificate() : null;
    sendJson(res, 200, { method: req.method, path, query: Object.fromEntries(url.searchParams), headers: req.headers, body, clientCert: peer && peer.subject ? peer.subject.CN : null }, { 'X-Test': 'yes' });
  } else if (path.startsWith('/status/')) {
    const code = Number(path.slice('/status/'.length));
    sendJson(res, code, { error: { message: url.searchParams.get('message') ?? `status ${code} as asked` } });
  } else if (path === '/lines') {
    const n = q('n', 5), delay = q('delay', 0), piece = q('piece', 1 << 20);
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    let text = '';
    for (let i = 0; i < n; ++i) text += `${JSON.stringify({ i })}\n`;
    for (let at = 0; at < text.length; at += piece) {
      if (res.destroyed) return;
      res.write(text.slice(at, at + piece));
      if (delay) await sleep(delay);
    }
    res.end();
  } else if (path === '/slow') {
    await sleep(q('ms', 1000));
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('done');
  } else if (path === '/stall') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.write('x'.repeat(q('bytes', 10)));
  } else if (path === '/drop') {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 1000 });
    res.write('y'.repeat(q('bytes', 10)));
    setTimeout(() => res.socket.destroy(), 50);
  } else if (path === '/upload') {
    const body = await readBody(req);
    sendJson(res, 200, { received: body.length, method: req.method });
  } else if (path === '/redirect') {
    res.writeHead(302, { Location: '/echo' });
    res.end();
  } else if (path === '/_last') {
    sendJson(res, 200, lastBody);
  } else if (path.startsWith('/v1/')) {
    await openai(req, res, path);
  } else if (path === '/api/v1/query' || path === '/api/v1/query_range') {
    await prometheus(req, res, url);
  } else if (path === '/metrics' && metricsFile) {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(fs.readFileSync(metricsFile));
  } else {
    sendJson(res, 404, { detail: 'Not Found' });
  }
}

const handler = (req, res) => {
  handle(req, res).catch((e) => {
    if (!res.headersSent) sendJson(res, 500, { error: { message: String(e) } });
    else res.destroy();
  });
};

let server;
if (option('--tls-cert')) {
  const clientCa = option('--client-ca');
  server = https.createServer({
    cert: fs.readFileSync(option('--tls-cert')),
    key: fs.readFileSync(option('--tls-key')),
    ...(clientCa ? { ca: fs.readFileSync(clientCa), requestCert: true, rejectUnauthorized: true } : {}),
  }, handler);
} else {
  server = http.createServer(handler);
}
server.keepAliveTimeout = 1000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`LISTENING ${server.address().port}\n`);
});
// Exit with the test that started us (stdin closes when the parent dies).
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
