#!/usr/bin/env bash
# slipway-cli mirror-script against a real registry (Debian's docker-registry, the CNCF
# distribution server, on 127.0.0.1): the engine image from build-image.sh goes in with `load`
# (the air-gapped step 2), is copied registry to registry with the default mode, and out to an
# archive and in again with `save` and `load`; every copy keeps the image's digest.
#   test_mirror_registry.sh SOURCE_DIR SLIPWAY_CLI SLIPWAY_ENGINE
set -uo pipefail
src="$1" cli="$2" engine="$3"
for tool in docker-registry skopeo buildah node; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (installer/setup.sh installs it)"; exit 77; }
done
if ldd "$engine" | grep -qE 'libcudart|libcublas|libnccl|libcuda\.so'; then
  echo "SKIP: $engine is built with CUDA; this test pushes the CPU image"; exit 77
fi
if [ "$(id -u)" != 0 ] && ! buildah unshare true 2>/dev/null; then
  echo "SKIP: buildah cannot run here: not root, and no user namespaces for rootless buildah"; exit 77
fi

work="$(mktemp -d)"
registry_pid=""
cleanup() {
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null
  buildah --storage-driver vfs --root "$work/storage/root" --runroot "$work/storage/run" rm --all >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok: $*"; }

port="$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
host="127.0.0.1:$port"
cat >"$work/registry.yml" <<YML
version: 0.1
storage:
  filesystem:
    rootdirectory: $work/registry
http:
  addr: $host
YML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 1 50); do curl -sf "http://$host/v2/" >/dev/null && break; sleep 0.1; done
curl -sf "http://$host/v2/" >/dev/null || { cat "$work/registry.log"; echo "FAIL: the registry did not start"; exit 1; }
echo "registry on $host"

# The registry speaks plain HTTP: the scripts are written with --insecure. The credentials file
# already holds a login (the registry takes any), so `skopeo login` asks nothing.
printf '{"auths": {"%s": {"auth": "%s"}}}\n' "$host" "$(printf 'mirror:secret' | base64)" >"$work/auth.json"

export SOURCE_DATE_EPOCH=1767225600
bash "$src/installer/engine/build-image.sh" --engine "$engine" --variant cpu --image slipway-engine:ci \
  --storage "$work/storage" --output "$work/engine.oci.tar" >/dev/null 2>&1 || { echo "FAIL: build-image.sh failed"; exit 1; }
want="sha256:$(skopeo inspect --raw "oci-archive:$work/engine.oci.tar" | sha256sum | cut -c1-64)"
echo "image digest $want"

digest_at() { skopeo inspect --authfile "$work/auth.json" --tls-verify=false --format '{{.Digest}}' "docker://$1" 2>/dev/null; }
mirror() { # IMAGE REGISTRY MODE [ARCHIVE]
  "$cli" mirror-script --image "$1" --registry "$2" --authfile "$work/auth.json" --insecure >"$work/mirror.sh" || return 1
  (cd "$work" && SLIPWAY_MIRROR_ARCHIVE="${4:-$work/carried.oci.tar}" bash mirror.sh "$3" >"$work/mirror.log" 2>&1) \
    || { cat "$work/mirror.log"; return 1; }
}

# 1. Air-gapped step 2 with the archive build-image.sh wrote: into $host/airgap.
mirror "quay.io/slipway/slipway-engine:0.1.0-cpu" "$host/airgap" load "$work/engine.oci.tar" || bad "load failed"
got="$(digest_at "$host/airgap/slipway-engine:0.1.0-cpu")"
[ "$got" = "$want" ] && ok "load: $host/airgap/slipway-engine:0.1.0-cpu@$got" || bad "load pushed '$got', not $want"
grep -qF "mirrored: $host/airgap/slipway-engine:0.1.0-cpu@$want" "$work/mirror.log" || bad "load does not report the digest"

# 2. Registry to registry (the default mode): $host/airgap -> $host/prod.
mirror "$host/airgap/slipway-engine:0.1.0-cpu" "$host/prod" direct || bad "direct copy failed"
got="$(digest_at "$host/prod/slipway-engine:0.1.0-cpu")"
[ "$got" = "$want" ] && ok "direct: $host/prod/slipway-engine:0.1.0-cpu" || bad "direct copy gave '$got', not $want"

# 3. save, carry, load: $host/prod -> archive -> $host/offline.
mirror "$host/prod/slipway-engine:0.1.0-cpu" "$host/offline" save "$work/carried.oci.tar" || bad "save failed"
[ -s "$work/carried.oci.tar" ] || bad "save wrote no archive"
mirror "$host/prod/slipway-engine:0.1.0-cpu" "$host/offline" load "$work/carried.oci.tar" || bad "load of the saved archive failed"
got="$(digest_at "$host/offline/slipway-engine:0.1.0-cpu")"
[ -n "$got" ] && ok "save + load: $host/offline/slipway-engine:0.1.0-cpu@$got" || bad "save + load pushed nothing"
exit "$fail"
