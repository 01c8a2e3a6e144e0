#!/usr/bin/env bash
# Builds the slipway-engine OCI image without a container daemon and without pulling a base image.
#
# The root filesystem is assembled here: the engine binary, the shared libraries `ldd` resolves for
# it (CUDA, cuBLAS and NCCL too when the engine was built with them), the dynamic loader,
# ca-certificates, and /etc/passwd and /etc/group with the non-root user `slipway` (uid 1001,
# group 0, as OpenShift's arbitrary user ids expect). buildah (storage driver vfs) turns that into
# an image FROM scratch and writes an `oci-archive` that `skopeo copy` can push to any registry.
# Timestamps come from SOURCE_DATE_EPOCH (default: the last commit's time), so two builds of the
# same binary give the same image digest.
#
#   installer/engine/build-image.sh [--engine PATH] [--variant auto|cpu|cuda] [--image NAME[:TAG]]
#                                   [--output FILE] [--storage DIR] [--source-url URL] [--extra-lib PATH]...
#                                   [--rootfs-only DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

say() { printf '[build-image] %s\n' "$*" >&2; }
die() { printf 'build-image: %s\n' "$*" >&2; exit 1; }

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'
  cat <<'TXT'
Options:
  --engine PATH      the slipway-engine binary (default: $SLIPWAY_BUILD_DIR or build/, bin/slipway-engine)
  --variant V        auto (default: cuda when the binary links CUDA libraries), cpu or cuda
  --image NAME[:TAG] image name in local storage and in the archive
                     (default: slipway-engine:VERSION, VERSION-cpu for the CPU variant)
  --output FILE      the oci-archive to write (default: build/slipway-engine-TAG.oci.tar)
  --storage DIR      keep buildah's storage under DIR instead of its default location
  --source-url URL   org.opencontainers.image.source label (default: the checkout's origin remote)
  --extra-lib PATH   also install this shared library (and what it needs) in the library directory:
                     for libraries loaded with dlopen, which ldd cannot see (repeatable)
  --rootfs-only DIR  write the root filesystem to DIR (new or empty) and stop: no buildah needed;
                     `sudo chroot DIR /usr/bin/slipway-engine --version` tries it
TXT
}

engine="" variant="auto" image="" output="" storage="" source_url="" extra_libs=() rootfs_only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --engine) engine="${2:?--engine needs a path}"; shift 2 ;;
    --variant) variant="${2:?--variant needs auto, cpu or cuda}"; shift 2 ;;
    --image) image="${2:?--image needs a name}"; shift 2 ;;
    --output) output="${2:?--output needs a file name}"; shift 2 ;;
    --storage) storage="${2:?--storage needs a directory}"; shift 2 ;;
    --source-url) source_url="${2:?--source-url needs a URL}"; shift 2 ;;
    --rootfs-only) rootfs_only="${2:?--rootfs-only needs a directory}"; shift 2 ;;
    --extra-lib) extra_libs+=("${2:?--extra-lib needs a library path}"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
case "$variant" in auto|cpu|cuda) ;; *) die "--variant must be auto, cpu or cuda, not '$variant'" ;; esac

build="${SLIPWAY_BUILD_DIR:-$root/build}"
[ -n "$engine" ] || engine="$build/bin/slipway-engine"
[ -x "$engine" ] || die "no slipway-engine at $engine: build it first (installer/build.sh) or pass --engine PATH"
[ -n "$rootfs_only" ] || command -v buildah >/dev/null || die "buildah is not installed (Debian/Ubuntu: apt-get install buildah)"
command -v ldd >/dev/null || die "ldd is not installed (it comes with libc-bin)"

# The version: the engine's own --version ("slipway-engine 0.1.0+g1234567"). The image tag is the
# release part (0.1.0), which is what the console's manifests default to; the label keeps it all.
version_full="$("$engine" --version | awk 'NR==1 {print $2}')"
[ -n "$version_full" ] || die "$engine --version printed no version"
version="${version_full%%+*}"
revision="$(git -c safe.directory="$root" -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)"
[ -n "$source_url" ] || source_url="$(git -c safe.directory="$root" -C "$root" remote get-url origin 2>/dev/null || true)"
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH="$(git -c safe.directory="$root" -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)"
fi
export SOURCE_DATE_EPOCH
created="$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)"

# Libraries the engine needs, as `ldd` resolves them on this machine. The GPU driver's own
# libraries (libcuda, libnvidia-*) are left out: the NVIDIA container toolkit mounts the node's
# matching ones into the container at start.
libs=() interp="" missing=()
while read -r line; do
  case "$line" in
    linux-vdso*|linux-gate*) continue ;;
    *"=> not found"*) missing+=("${line%% *}") ;;
    *"=> "/*) libs+=("${line%% *}=$(awk '{print $3}' <<<"$line")") ;;
    /*) interp="${line%% *}" ;;
  esac
done < <(ldd "$engine")
for lib in "${extra_libs[@]}"; do
  [ -f "$lib" ] || die "--extra-lib $lib: no such file"
  libs+=("$(basename "$lib")=$lib")
  while read -r line; do
    case "$line" in *"=> "/*) libs+=("${line%% *}=$(awk '{print $3}' <<<"$line")") ;; esac
  done < <(ldd "$lib")
done
[ -n "$interp" ] || die "$engine is not a dynamically linked executable that ldd understands"
uses_cuda=0
for entry in "${libs[@]}" "${missing[@]}"; do
  case "${entry%%=*}" in libcudart*|libcublas*|libnccl*|libcuda.so*) uses_cuda=1 ;; esac
done
for name in "${missing[@]}"; do
  case "$name" in libcuda.so*|libnvidia-*) ;; *) die "ldd cannot find $name for $engine: install it or fix LD_LIBRARY_PATH" ;; esac
done
if [ "$variant" = auto ]; then variant=$([ "$uses_cuda" = 1 ] && echo cuda || echo cpu); fi
if [ "$variant" = cpu ] && [ "$uses_cuda" = 1 ]; then
  die "the CPU variant needs an engine built without CUDA (configure with -DSLIPWAY_ENGINE_CUDA=OFF); $engine links CUDA libraries"
fi
if [ "$variant" = cuda ] && [ "$uses_cuda" = 0 ]; then
  die "the CUDA variant needs an engine built with the CUDA backend; $engine links no CUDA library (build on a machine with nvcc)"
fi

tag="$version"; [ "$variant" = cpu ] && tag="$version-cpu"
[ -n "$image" ] || image="slipway-engine:$tag"
case "$image" in *:*) ;; *) image="$image:$tag" ;; esac
[ -n "$output" ] || output="$build/slipway-engine-$tag.oci.tar"
mkdir -p "$(dirname "$output")"
output="$(cd "$(dirname "$output")" && pwd)/$(basename "$output")"

work="$(mktemp -d "${TMPDIR:-/tmp}/slipway-image.XXXXXX")"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
multiarch=""
for entry in "${libs[@]}"; do
  case "${entry%%=*}" in libc.so.*) multiarch="$(basename "$(dirname "${entry#*=}")")" ;; esac
done
[ -n "$multiarch" ] || die "could not tell the library directory from ldd's output (no libc.so found)"

say "assembling the root filesystem ($variant variant, slipway-engine $version_full)"
# A merged-/usr layout as Debian and Ubuntu have: /bin, /lib and /lib64 point into /usr.
mkdir -p "$rootfs"/usr/bin "$rootfs/usr/lib/$multiarch" "$rootfs"/usr/lib64 "$rootfs"/etc/ssl/certs \
         "$rootfs"/models "$rootfs"/tmp "$rootfs"/home/slipway
ln -s usr/bin "$rootfs/bin"; ln -s usr/lib "$rootfs/lib"; ln -s usr/lib64 "$rootfs/lib64"
if command -v strip >/dev/null; then
  strip --strip-unneeded -o "$rootfs/usr/bin/slipway-engine" "$engine"
else
  cp "$engine" "$rootfs/usr/bin/slipway-engine"
fi
chmod 0755 "$rootfs/usr/bin/slipway-engine"
# Every library lands under its soname in the multiarch directory, which the loader searches
# without an ld.so.cache; the loader itself goes where the binary's PT_INTERP says.
for entry in "${libs[@]}"; do
  cp -L "${entry#*=}" "$rootfs/usr/lib/$multiarch/${entry%%=*}"
done
mkdir -p "$rootfs$(dirname "$interp")"
cp -L "$interp" "$rootfs$interp"
chmod 0644 "$rootfs/usr/lib/$multiarch"/*; chmod 0755 "$rootfs$interp"

ca=/etc/ssl/certs/ca-certificates.crt
[ -f "$ca" ] || die "no CA bundle at $ca (Debian/Ubuntu: apt-get install ca-certificates)"
cp "$ca" "$rootfs/etc/ssl/certs/ca-certificates.crt"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nslipway:x:1001:0:slipway-engine:/home/slipway:/usr/sbin/nologin\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nslipway:x:1001:\n' >"$rootfs/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
# Group 0 owns what the user writes to, group-writable: OpenShift runs the container under an
# arbitrary uid whose group is 0; elsewhere uid 1001 (group 0) gets the same rights.
chmod 0775 "$rootfs/home/slipway" "$rootfs/models"; chmod 1777 "$rootfs/tmp"
chmod 0644 "$rootfs"/etc/passwd "$rootfs"/etc/group "$rootfs"/etc/nsswitch.conf "$rootfs/etc/ssl/certs/ca-certificates.crt"

if [ -n "$rootfs_only" ]; then
  mkdir -p "$rootfs_only"
  [ -z "$(ls -A "$rootfs_only")" ] || die "--rootfs-only $rootfs_only is not empty"
  cp -a "$rootfs/." "$rootfs_only/"
  find "$rootfs_only" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
  say "wrote the root filesystem to $rootfs_only"
  exit 0
fi

# One layer, as a tar with fixed order, owners and times.
tar --sort=name --format=gnu --numeric-owner --owner=0 --group=0 --mtime="@$SOURCE_DATE_EPOCH" \
    -C "$rootfs" -cf "$work/rootfs.tar" .

bh=(buildah --storage-driver vfs)
[ -n "$storage" ] && { mkdir -p "$storage"; bh+=(--root "$storage/root" --runroot "$storage/run"); }
export BUILDAH_ISOLATION=chroot

say "building $image with buildah"
ctr="$("${bh[@]}" from --quiet scratch)"
cleanup_ctr() { "${bh[@]}" rm "$ctr" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup_ctr EXIT
"${bh[@]}" add --quiet "$ctr" "$work/rootfs.tar" / >/dev/null
config=(
  --entrypoint '["/usr/bin/slipway-engine"]'
  --cmd '["--model-path", "/models", "--host", "0.0.0.0", "--port", "30000"]'
  --user 1001:0 --workingdir /home/slipway --port 30000/tcp --volume /models
  --env PATH=/usr/local/bin:/usr/bin:/bin --env HOME=/home/slipway
  --os linux --created-by "installer/engine/build-image.sh"
  --label "org.opencontainers.image.title=slipway-engine"
  --label "org.opencontainers.image.description=Slipway's inference server ($variant), SGLang-compatible flags and HTTP API"
  --label "org.opencontainers.image.version=$version_full"
  --label "org.opencontainers.image.revision=$revision"
  --label "org.opencontainers.image.created=$created"
  --label "io.slipway.engine.variant=$variant"
)
[ -n "$source_url" ] && config+=(--label "org.opencontainers.image.source=$source_url")
if [ "$variant" = cuda ]; then
  # What the NVIDIA container toolkit reads to mount the driver and expose the GPUs.
  config+=(--env NVIDIA_VISIBLE_DEVICES=all --env NVIDIA_DRIVER_CAPABILITIES=compute,utility)
fi
"${bh[@]}" config "${config[@]}" "$ctr"
"${bh[@]}" commit --quiet --format oci --timestamp "$SOURCE_DATE_EPOCH" --identity-label=false --rm "$ctr" "$image" >/dev/null
trap 'rm -rf "$work"' EXIT

rm -f "$output"
"${bh[@]}" push --quiet "$image" "oci-archive:$output:$image" >/dev/null
say "wrote $output"
say "push it with: skopeo copy oci-archive:$output docker://REGISTRY/slipway-engine:$tag"
printf '%s\n' "$output"
