#!/usr/bin/env bash
# The daemonless image build (installer/engine/build-image.sh), CPU variant: builds the image with
# buildah, checks its configuration and that a second build gives the same digest, copies the
# oci-archive with skopeo as a mirror would, then starts slipway-engine inside the image
# (`buildah run`, chroot isolation: the host's loopback) on a fixture model and gets a completion
# over HTTP, served by the non-root user.
#   test_engine_image.sh SOURCE_DIR SLIPWAY_ENGINE FIXTURE_MODEL_DIR
set -uo pipefail
src="$1" engine="$2" model="$3"
for tool in buildah skopeo curl node; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (installer/setup.sh installs it)"; exit 77; }
done
if ldd "$engine" | grep -qE 'libcudart|libcublas|libnccl|libcuda\.so'; then
  echo "SKIP: $engine is built with CUDA; the CPU image needs an engine configured with -DSLIPWAY_ENGINE_CUDA=OFF"
  exit 77
fi
if [ "$(id -u)" != 0 ] && ! buildah unshare true 2>/dev/null; then
  echo "SKIP: buildah cannot run here: not root, and no user namespaces for rootless buildah"
  exit 77
fi

work="$(mktemp -d)"
storage="$work/storage"
bh=(buildah --storage-driver vfs --root "$storage/root" --runroot "$storage/run")
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  "${bh[@]}" rm --all >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok: $*"; }
image="localhost/slipway-engine-test:ci"
export SOURCE_DATE_EPOCH=1767225600   # 2026-01-01T00:00:00Z

echo "--- build"
start=$(date +%s)
bash "$src/installer/engine/build-image.sh" --engine "$engine" --variant cpu --image "$image" \
  --storage "$storage" --output "$work/a.oci.tar" >/dev/null || { echo "FAIL: build-image.sh failed"; exit 1; }
echo "build took $(( $(date +%s) - start )) s, archive $(du -h "$work/a.oci.tar" | cut -f1)"

echo "--- configuration"
skopeo inspect --config "oci-archive:$work/a.oci.tar" >"$work/config.json" || { echo "FAIL: skopeo cannot read the archive"; exit 1; }
version="$("$engine" --version | awk '{print $2}')"
node -e '
  const c = require(process.argv[1]), cfg = c.config, want = process.argv[2], l = cfg.Labels || {};
  const checks = [
    [cfg.User === "1001:0", "User is " + cfg.User + ", not 1001:0"],
    [JSON.stringify(cfg.Entrypoint) === JSON.stringify(["/usr/bin/slipway-engine"]), "Entrypoint " + JSON.stringify(cfg.Entrypoint)],
    [(cfg.Cmd || []).join(" ") === "--model-path /models --host 0.0.0.0 --port 30000", "Cmd " + JSON.stringify(cfg.Cmd)],
    ["/models" in (cfg.Volumes || {}), "no /models volume"],
    ["30000/tcp" in (cfg.ExposedPorts || {}), "port 30000 not exposed"],
    [l["org.opencontainers.image.version"] === want, "version label " + l["org.opencontainers.image.version"] + ", engine says " + want],
    [/^[0-9a-f]{40}$|^unknown$/.test(l["org.opencontainers.image.revision"] || ""), "revision label " + l["org.opencontainers.image.revision"]],
    [l["org.opencontainers.image.created"] === "2026-01-01T00:00:00Z", "created label " + l["org.opencontainers.image.created"]],
    [c.created === "2026-01-01T00:00:00Z", "image created " + c.created + ", not SOURCE_DATE_EPOCH"],
    [!(cfg.Env || []).some(e => e.startsWith("NVIDIA_")), "the CPU variant asks for GPUs"],
  ];
  let failed = 0;
  for (const [good, what] of checks) if (!good) { console.log("FAIL: " + what); failed = 1; }
  process.exit(failed);
' "$work/config.json" "$version" || bad "the image configuration is wrong"
ok "user 1001:0, entrypoint, /models, labels, created time"

echo "--- reproducible"
bash "$src/installer/engine/build-image.sh" --engine "$engine" --variant cpu --image "$image" \
  --storage "$storage" --output "$work/b.oci.tar" >/dev/null 2>&1 || bad "the second build failed"
da="$(skopeo inspect --raw "oci-archive:$work/a.oci.tar" | sha256sum | cut -c1-64)"
db="$(skopeo inspect --raw "oci-archive:$work/b.oci.tar" | sha256sum | cut -c1-64)"
[ "$da" = "$db" ] && ok "two builds give manifest sha256:$da" || bad "two builds differ: sha256:$da vs sha256:$db"

echo "--- skopeo copy (what a mirror does with the archive)"
skopeo copy --quiet "oci-archive:$work/a.oci.tar" "dir:$work/copied" || bad "skopeo copy from the oci-archive failed"
[ -f "$work/copied/manifest.json" ] && ok "skopeo copy oci-archive: -> dir:" || bad "skopeo copy wrote no manifest"

echo "--- serve from inside the image"
ctr="$("${bh[@]}" from --quiet "$image")" || { echo "FAIL: buildah from $image"; exit 1; }
# The fixture goes below /models: the image declares /models a volume, and buildah run gives a
# declared volume a fresh directory that would hide a bind mount at /models itself.
"${bh[@]}" run --isolation chroot -v "$model:/models/tiny:ro" "$ctr" -- \
  /usr/bin/slipway-engine --model-path /models/tiny --served-model-name tiny --port 0 --threads 1 \
  >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 150); do
  grep -q "ready: serving" "$work/server.log" && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.2
done
if ! grep -q "ready: serving" "$work/server.log"; then
  cat "$work/server.log"; echo "FAIL: slipway-engine did not become ready inside the image"; exit 1
fi
port="$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$work/server.log" | head -1 | sed 's/.*://')"
echo "serving on port $port"
status="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health_generate")"
[ "$status" = 200 ] && ok "/health_generate 200" || bad "/health_generate answered $status"
curl -sf "http://127.0.0.1:$port/v1/completions" -H 'Content-Type: application/json' \
  -d '{"model": "tiny", "prompt": "The quick brown fox", "max_tokens": 4, "temperature": 0}' >"$work/completion.json" \
  || bad "POST /v1/completions failed"
echo "completion: $(cat "$work/completion.json")"
node -e '
  const r = require(process.argv[1]);
  const okay = r.object === "text_completion" && r.model === "tiny" && r.choices.length === 1 &&
               typeof r.choices[0].text === "string" && r.usage.completion_tokens === 4;
  process.exit(okay ? 0 : 1);
' "$work/completion.json" && ok "a completion of 4 tokens from inside the image" || bad "the completion is not what was asked for"
# The model computes inside the image what transformers computed: the greedy next token of each
# reference prompt is the argmax of the reference's last logits, or, where the reference's top two
# are a near-tie (less than 0.2 apart in log-probability, which the server's bf16 KV cache can
# flip against transformers' float32), among the server's top tokens and that close to its first.
reference="${model%/}.reference.json"
if [ -f "$reference" ]; then
  node -e '
    const ref = require(process.argv[1]), port = process.argv[2];
    (async () => {
      let failed = 0;
      for (const p of ref.prompts) {
        const want = p.last_logits.indexOf(Math.max(...p.last_logits));
        const res = await fetch(`http://127.0.0.1:${port}/generate`, {method: "POST",
          body: JSON.stringify({input_ids: p.token_ids, return_logprob: true, top_logprobs_num: 3,
                                sampling_params: {max_new_tokens: 1, temperature: 0}})});
        const body = await res.json(), got = body.output_ids && body.output_ids[0];
        if (got === want) continue;
        const top = (body.meta_info.output_top_logprobs || [[]])[0];
        const first = top[0] ? top[0][0] : NaN, mine = top.find(t => t[1] === want);
        if (mine && first - mine[0] < 0.2) {
          console.log(`note: prompt ${p.name}: near-tie, server ${got} (${first.toFixed(3)}), transformers ${want} (${mine[0].toFixed(3)})`);
          continue;
        }
        console.log(`FAIL: prompt ${p.name}: next token ${got}, transformers says ${want}`);
        failed = 1;
      }
      process.exit(failed);
    })().catch(e => { console.log("FAIL: " + e); process.exit(1); });
  ' "$reference" "$port" && ok "next tokens agree with transformers' reference" || bad "the model's output inside the image differs from the reference"
fi
if command -v ss >/dev/null; then
  pid="$(ss -ltnpH "sport = :$port" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)"
  uid="$(awk '/^Uid:/ {print $2}' "/proc/$pid/status" 2>/dev/null)"
  [ "$uid" = 1001 ] && ok "the server runs as uid 1001" || bad "the server runs as uid '$uid', not 1001"
else
  echo "note: ss is absent; the server's uid was not checked"
fi
exit "$fail"
