// A DCGM-exporter-like test exporter (Node, built-in modules only) for the real-Prometheus test
// (tests/metrics/test_metrics_real_prometheus.cpp). It serves fixed, known GPU readings in the
// Prometheus text format, as NVIDIA's dcgm-exporter does with Kubernetes pod mapping on:
//   DCGM_FI_DEV_GPU_UTIL, DCGM_FI_DEV_FB_USED, DCGM_FI_DEV_FB_FREE, DCGM_FI_DEV_POWER_USAGE,
//   DCGM_FI_DEV_GPU_TEMP, each with gpu, UUID, device, modelName, Hostname, DCGM_FI_DRIVER_VERSION
//   and, for a GPU held by a pod, pod/namespace/container.
//
// GET /metrics/<node>   one node's page (gpu-node-1 or gpu-node-2; see NODES below)
// GET /metrics/vllm-fixture  a vLLM-style latency histogram with observations spread over many
//                       buckets (and some above the highest finite bound), two model_name series,
//                       so quantile interpolation is compared where it is not trivial
// GET /readings.json    the same readings as JSON, so the test compares against the source
//
// The two label styles come from Prometheus itself, as on a cluster: the test scrapes
// gpu-node-1 with target labels pod/namespace (the exporter's own pod, as Kubernetes service
// discovery adds them), so with honor_labels false Prometheus renames this page's pod/namespace/
// container to exported_pod/exported_namespace/exported_container; gpu-node-2 is scraped without
// target pod labels, so its pod/namespace stay as they are.
//
// Also a tenancy proxy, like thanos-querier's port 9092 (kube-rbac-proxy + prom-label-proxy):
// GET /tenancy/api/v1/...?namespace=NS&...  forwards to the Prometheus set by
// POST /tenancy/upstream (body: its base URL) and refuses a request without `namespace`
// (HTTP 400, as the real proxy does); GET /tenancy/last gives the last forwarded query string.
//
// Usage: node dcgm_test_exporter.mjs [--port N]   (prints "LISTENING <port>" when ready)
import http from 'node:http';

const H100 = 'NVIDIA H100 80GB HBM3';
const H100_MIB = 81559;

// Fixed readings; a workload GPU has pod/namespace/container, an idle one has none.
const NODES = {
  'gpu-node-1': [
    { gpu: '0', uuid: 'GPU-1f0e7a52-3c1d-4b7e-9a51-0b1c2d3e4f01', util: 87, used: 71234, power: 612.5, temp: 64,
      pod: 'ds-r1-0', namespace: 'llm', container: 'sglang' },
    { gpu: '1', uuid: 'GPU-1f0e7a52-3c1d-4b7e-9a51-0b1c2d3e4f02', util: 0, used: 0, power: 71.25, temp: 31 },
  ],
  'gpu-node-2': [
    { gpu: '0', uuid: 'GPU-2a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c01', util: 12.5, used: 40960, power: 250.75, temp: 48,
      pod: 'ds-r1-1', namespace: 'llm', container: 'sglang' },
    { gpu: '1', uuid: 'GPU-2a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c02', util: 50, used: 20480, power: 300, temp: 55,
      pod: 'other-0', namespace: 'team-b', container: 'vllm' },
  ],
};

const FIELDS = [
  ['DCGM_FI_DEV_GPU_UTIL', 'gauge', 'GPU utilization (in %).', (g) => g.util],
  ['DCGM_FI_DEV_FB_USED', 'gauge', 'Framebuffer memory used (in MiB).', (g) => g.used],
  ['DCGM_FI_DEV_FB_FREE', 'gauge', 'Framebuffer memory free (in MiB).', (g) => H100_MIB - g.used],
  ['DCGM_FI_DEV_POWER_USAGE', 'gauge', 'Power draw (in W).', (g) => g.power],
  ['DCGM_FI_DEV_GPU_TEMP', 'gauge', 'GPU temperature (in C).', (g) => g.temp],
];

// vLLM's time-to-first-token bucket bounds; cumulative counts per model_name.
const TTFT_BOUNDS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const TTFT = {
  'ds-r1': { counts: [0, 2, 5, 9, 20, 31, 40, 44, 47, 48, 48, 49, 49, 49, 49, 49], inf: 52, sum: 41.125 },
  'ds-v3': { counts: [1, 1, 3, 3, 7, 12, 18, 26, 35, 41, 44, 45, 46, 47, 47, 47], inf: 47, sum: 12.5 },
};

function histogramPage() {
  const name = 'vllm:time_to_first_token_seconds';
  let out = `# HELP ${name} Histogram of time to first token in seconds.\n# TYPE ${name} histogram\n`;
  for (const [model, h] of Object.entries(TTFT)) {
    TTFT_BOUNDS.forEach((bound, i) => { out += `${name}_bucket{le="${bound}",model_name="${model}"} ${h.counts[i]}\n`; });
    out += `${name}_bucket{le="+Inf",model_name="${model}"} ${h.inf}\n`;
    out += `${name}_sum{model_name="${model}"} ${h.sum}\n${name}_count{model_name="${model}"} ${h.inf}\n`;
  }
  return out;
}

function quote(value) {
  return '"' + String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') + '"';
}

function page(node) {
  const gpus = NODES[node];
  let out = '';
  for (const [name, type, help, value] of FIELDS) {
    out += `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`;
    for (const g of gpus) {
      const labels = { gpu: g.gpu, UUID: g.uuid, device: `nvidia${g.gpu}`, modelName: H100, Hostname: node,
                       DCGM_FI_DRIVER_VERSION: '550.90.07' };
      if (g.pod) Object.assign(labels, { container: g.container, namespace: g.namespace, pod: g.pod });
      const text = Object.entries(labels).map(([k, v]) => `${k}=${quote(v)}`).join(',');
      out += `${name}{${text}} ${value(g)}\n`;
    }
  }
  return out;
}

function readings() {
  const out = [];
  for (const [node, gpus] of Object.entries(NODES)) {
    for (const g of gpus) {
      out.push({ hostname: node, gpu: g.gpu, uuid: g.uuid, modelName: H100, pod: g.pod ?? '',
                 namespace: g.namespace ?? '', container: g.container ?? '', util: g.util, used: g.used,
                 free: H100_MIB - g.used, power: g.power, temp: g.temp });
    }
  }
  return out;
}

let upstream = '';
let lastForwarded = '';

function reply(res, status, type, body) {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function forward(req, res, url) {
  if (!upstream) return reply(res, 503, 'text/plain', 'no upstream Prometheus set (POST /tenancy/upstream)\n');
  const ns = url.searchParams.get('namespace');
  if (!ns) return reply(res, 400, 'text/plain', 'Bad Request. The request or configuration is malformed.\n');
  lastForwarded = url.pathname.slice('/tenancy'.length) + url.search;
  const target = new URL(lastForwarded, upstream);
  const proxied = http.request(target, { method: req.method, headers: { accept: 'application/json' } }, (up) => {
    res.writeHead(up.statusCode, { 'Content-Type': up.headers['content-type'] ?? 'application/json' });
    up.pipe(res);
  });
  proxied.on('error', (e) => reply(res, 502, 'text/plain', `upstream error: ${e.message}\n`));
  proxied.end();
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (req.method === 'GET' && url.pathname.startsWith('/metrics/')) {
    const node = decodeURIComponent(url.pathname.slice('/metrics/'.length));
    if (node === 'vllm-fixture') return reply(res, 200, 'text/plain; version=0.0.4; charset=utf-8', histogramPage());
    if (!NODES[node]) return reply(res, 404, 'text/plain', `no node ${node}\n`);
    return reply(res, 200, 'text/plain; version=0.0.4; charset=utf-8', page(node));
  }
  if (req.method === 'GET' && url.pathname === '/readings.json')
    return reply(res, 200, 'application/json', JSON.stringify(readings()));
  if (req.method === 'POST' && url.pathname === '/tenancy/upstream') {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => { upstream = body.trim(); reply(res, 204, 'text/plain', ''); });
    return;
  }
  if (req.method === 'GET' && url.pathname === '/tenancy/last')
    return reply(res, 200, 'text/plain', lastForwarded);
  if (url.pathname.startsWith('/tenancy/api/v1/')) return forward(req, res, url);
  reply(res, 404, 'text/plain', `not found: ${url.pathname}\n`);
});

const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 0;
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`LISTENING ${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
