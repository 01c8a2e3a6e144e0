#!/usr/bin/env bash
# The CUDA variant of the daemonless engine image, started on a GPU machine (run as root, from
# the repository root): assembles the image's root filesystem with build-image.sh --rootfs-only,
# adds what the NVIDIA container toolkit would add at start (the driver's user-space libraries and
# the /dev/nvidia* nodes); curl is not assumed there, python3 asks, starts slipway-engine --device cuda inside it with chroot on a fixture
# model mounted below /models, and asks for a completion over HTTP on the loopback.
#   installer/engine/test_cuda_image_gpu.sh ENGINE_BINARY [FIXTURE_DIR]
set -euo pipefail
engine=${1:?usage: test_cuda_image_gpu.sh ENGINE_BINARY [FIXTURE_DIR]}
fixture=${2:-tests/engine/fixtures/qwen2-tiny-bf16}
root=$(mktemp -d /tmp/slipway-cuda-rootfs.XXXXXX)
rmdir "$root"
bash installer/engine/build-image.sh --engine "$engine" --variant cuda --rootfs-only "$root"
libdir=$(dirname "$(find "$root/usr/lib" -name 'libc.so.6' | head -1)")
echo "image root filesystem: $(du -sh "$root" | cut -f1), libraries: $(ls "$libdir" | tr '\n' ' ')"
# The driver's libraries, as the container toolkit mounts them.
for so in libcuda.so.1 libnvidia-ml.so.1 libnvidia-ptxjitcompiler.so.1 libnvidia-nvvm.so.4; do
    path=$(ldconfig -p | awk -v n="$so" '$1 == n && /x86-64/ {print $NF; exit}')
    [ -n "$path" ] && cp -L "$path" "$libdir/$so"
done
mkdir -p "$root/dev" "$root/proc" "$root/sys" "$root/models/fixture"
mounted=()
cleanup() {
    [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true
    for ((i=${#mounted[@]}-1; i>=0; i--)); do umount "${mounted[$i]}" 2>/dev/null || true; done
    rm -rf "$root"
}
trap cleanup EXIT
for m in dev proc sys; do mount --bind "/$m" "$root/$m" && mounted+=("$root/$m"); done
mount --bind "$(cd "$fixture" && pwd)" "$root/models/fixture" && mounted+=("$root/models/fixture")
chroot --userspec=1001:0 "$root" /usr/bin/slipway-engine --model-path /models/fixture --device cuda \
    --port 30077 --host 127.0.0.1 --cuda-graph-max-bs 8 > /tmp/cuda-image-engine.log 2>&1 &
pid=$!
for _ in $(seq 1 90); do
    python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:30077/health_generate', timeout=2)" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { echo "the engine inside the image exited:"; tail -20 /tmp/cuda-image-engine.log; exit 1; }
    sleep 1
done
grep -iE "cuda|kv" /tmp/cuda-image-engine.log | head -5
reply=$(python3 - <<'PY'
import json, urllib.request
body = json.dumps({"model": "/models/fixture", "prompt": "Hello", "max_tokens": 8, "temperature": 0}).encode()
req = urllib.request.Request("http://127.0.0.1:30077/v1/completions", body, {"Content-Type": "application/json"})
print(urllib.request.urlopen(req, timeout=30).read().decode())
PY
)
echo "completion: $reply"
echo "$reply" | grep -q '"completion_tokens":8' || { echo "FAIL: no 8-token completion"; exit 1; }
echo "PASS: the CUDA image's engine answered on the GPU"
