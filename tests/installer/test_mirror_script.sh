#!/usr/bin/env bash
# slipway-cli mirror-script: the scripts it prints for skopeo and podman, run against stand-ins
# for the tools that record their arguments; and bad input: one message, non-zero exit, no script.
#   test_mirror_script.sh SLIPWAY_CLI
set -uo pipefail
cli="$1"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

expect_line() { # FILE LINE
  grep -qxF -- "$2" "$1" || { bad "$(basename "$1") lacks the line: $2"; echo "--- $1"; cat "$1"; }
}

# Stand-ins for skopeo and podman: append their arguments, one call a line, to $work/calls.
mkdir -p "$work/bin"
for tool in skopeo podman; do
  printf '#!/bin/sh\necho "%s $*" >>"%s/calls"\n[ "$1" = inspect ] && echo sha256:0123\nexit 0\n' "$tool" "$work" >"$work/bin/$tool"
  chmod +x "$work/bin/$tool"
done
run_script() { # SCRIPT [MODE] -> calls in $work/calls
  : >"$work/calls"
  (cd "$work" && PATH="$work/bin:$PATH" bash "$1" ${2:+"$2"} >"$work/out" 2>&1)
}

# --- skopeo, the guide's image and registry ---------------------------------------------------
"$cli" mirror-script --image lmsysorg/sglang:latest --registry quay.io/howang >"$work/skopeo.sh" || bad "skopeo script: exit $?"
bash -n "$work/skopeo.sh" || bad "the skopeo script is not valid bash"
run_script "$work/skopeo.sh" || bad "the skopeo script's direct mode failed: $(cat "$work/out")"
expect_line "$work/calls" "skopeo login quay.io"
expect_line "$work/calls" "skopeo --override-os linux --override-arch amd64 copy docker://docker.io/lmsysorg/sglang:latest docker://quay.io/howang/sglang:latest"
run_script "$work/skopeo.sh" save || bad "save mode failed: $(cat "$work/out")"
expect_line "$work/calls" "skopeo --override-os linux --override-arch amd64 copy docker://docker.io/lmsysorg/sglang:latest oci-archive:sglang-latest.oci.tar"
grep -q "login" "$work/calls" && bad "save mode logs in to the target registry, which it cannot reach"
run_script "$work/skopeo.sh" load || bad "load mode failed: $(cat "$work/out")"
expect_line "$work/calls" "skopeo login quay.io"
expect_line "$work/calls" "skopeo copy oci-archive:sglang-latest.oci.tar docker://quay.io/howang/sglang:latest"
grep -q "mirrored: quay.io/howang/sglang:latest@sha256:0123" "$work/out" || bad "load mode does not report the pushed digest"
: >"$work/calls"
(cd "$work" && SLIPWAY_MIRROR_ARCHIVE=/media/usb/sg.tar PATH="$work/bin:$PATH" bash skopeo.sh load >/dev/null 2>&1)
expect_line "$work/calls" "skopeo copy oci-archive:/media/usb/sg.tar docker://quay.io/howang/sglang:latest"
(cd "$work" && PATH="$work/bin:$PATH" bash skopeo.sh bogus >/dev/null 2>&1); rc=$?
[ "$rc" = 2 ] || bad "an unknown mode exits $rc, not 2"
grep -q -- "--image quay.io/howang/sglang:latest --image-pull-secret" "$work/skopeo.sh" \
  || bad "the script does not show how to render with the mirrored image and a pull secret"
ok "skopeo: direct, save, load"

# --- podman, as in the guide (pull, tag, push), with an authfile whose path has a blank ------
"$cli" mirror-script --image docker.io/lmsysorg/sglang:v0.4.6 --registry registry.example.com:5000/ai/ \
  --tool podman --authfile "/tmp/my auth.json" --arch arm64 >"$work/podman.sh" || bad "podman script: exit $?"
bash -n "$work/podman.sh" || bad "the podman script is not valid bash"
run_script "$work/podman.sh" || bad "the podman script failed: $(cat "$work/out")"
auth="--authfile /tmp/my auth.json"
expect_line "$work/calls" "podman pull $auth --platform linux/arm64 docker.io/lmsysorg/sglang:v0.4.6"
expect_line "$work/calls" "podman tag docker.io/lmsysorg/sglang:v0.4.6 registry.example.com:5000/ai/sglang:v0.4.6"
expect_line "$work/calls" "podman login $auth registry.example.com:5000"
expect_line "$work/calls" "podman push $auth registry.example.com:5000/ai/sglang:v0.4.6"
run_script "$work/podman.sh" save || bad "podman save mode failed"
expect_line "$work/calls" "podman save -o sglang-v0.4.6.tar docker.io/lmsysorg/sglang:v0.4.6"
run_script "$work/podman.sh" load || bad "podman load mode failed"
expect_line "$work/calls" "podman load -i sglang-v0.4.6.tar"
expect_line "$work/calls" "podman push $auth registry.example.com:5000/ai/sglang:v0.4.6"
ok "podman: direct, save, load, authfile, arch"

# --- --insecure: no TLS verification towards either registry -----------------------------------
"$cli" mirror-script --image lmsysorg/sglang:latest --registry registry.lab:5000 --insecure >"$work/insecure.sh" || bad "--insecure: exit $?"
run_script "$work/insecure.sh" || bad "the --insecure script failed"
expect_line "$work/calls" "skopeo login --tls-verify=false registry.lab:5000"
expect_line "$work/calls" "skopeo --override-os linux --override-arch amd64 copy --src-tls-verify=false --dest-tls-verify=false docker://docker.io/lmsysorg/sglang:latest docker://registry.lab:5000/sglang:latest"
"$cli" mirror-script --image lmsysorg/sglang:latest --registry registry.lab:5000 --insecure --tool podman >"$work/insecure-podman.sh" || bad "--insecure podman: exit $?"
run_script "$work/insecure-podman.sh" || bad "the --insecure podman script failed"
expect_line "$work/calls" "podman push --tls-verify=false registry.lab:5000/sglang:latest"
grep -q "tls-verify" "$work/skopeo.sh" && bad "a script without --insecure turns TLS verification off"
ok "--insecure"

# --- references are normalised as registries read them ----------------------------------------
"$cli" mirror-script --image ubuntu --registry localhost:5000 >"$work/u.sh" || bad "ubuntu: exit $?"
grep -qF "docker://docker.io/library/ubuntu:latest docker://localhost:5000/ubuntu:latest" "$work/u.sh" \
  || bad "'ubuntu' is not docker.io/library/ubuntu:latest -> localhost:5000/ubuntu:latest"
digest="sha256:$(printf '%064d' 7 | tr 0 a)"
"$cli" mirror-script --image "quay.io/slipway/slipway-engine@$digest" --registry quay.io/mirror >"$work/d.sh" || bad "digest: exit $?"
grep -qF "docker://quay.io/slipway/slipway-engine@$digest docker://quay.io/mirror/slipway-engine:sha256-aaaaaaaaaaaaaaaa" "$work/d.sh" \
  || bad "a digest-only image does not get a sha256-<digest> tag in the target"
ok "normalised references"

# --- bad input: one line on stderr, non-zero exit, nothing on stdout --------------------------
expect_error() { # WHAT-THE-MESSAGE-NAMES ARGS...
  local needle="$1"; shift
  "$cli" mirror-script "$@" >"$work/o" 2>"$work/e"; local rc=$?
  if [ "$rc" = 0 ]; then bad "accepted: mirror-script $*"; return; fi
  [ -s "$work/o" ] && bad "printed a script although it failed: mirror-script $*"
  [ "$(wc -l <"$work/e")" = 1 ] || { bad "not one line on stderr for: mirror-script $*"; cat "$work/e"; }
  grep -qF -- "$needle" "$work/e" || { bad "the message for '$*' does not name '$needle': $(cat "$work/e")"; }
}
expect_error "--registry is required" --image lmsysorg/sglang
expect_error "--image is required" --registry quay.io/x
expect_error "does not start with a registry host" --image lmsysorg/sglang --registry quay
expect_error "without https://" --image lmsysorg/sglang --registry https://quay.io/x
expect_error "names a tag or digest" --image lmsysorg/sglang --registry quay.io/x:1
expect_error "lower case" --image LmsysOrg/sglang --registry quay.io/x
expect_error "the tag after ':'" --image "lmsysorg/sglang:" --registry quay.io/x
expect_error "empty path component" --image "lmsysorg//sglang" --registry quay.io/x
expect_error "sha256:" --image "lmsysorg/sglang@sha256:abc" --registry quay.io/x
expect_error "without a scheme" --image "docker://lmsysorg/sglang" --registry quay.io/x
expect_error "blank" --image "lmsysorg/sg lang" --registry quay.io/x
expect_error "not a registry host" --image "bad_host.io/x/y" --registry quay.io/x
expect_error "skopeo or podman" --image lmsysorg/sglang --registry quay.io/x --tool docker
expect_error "amd64, arm64" --image lmsysorg/sglang --registry quay.io/x --arch x86
expect_error "already in quay.io/howang" --image quay.io/howang/sglang:latest --registry quay.io/howang
expect_error "--authfile" --image lmsysorg/sglang --registry quay.io/x --authfile ""
expect_error "--bogus" --image lmsysorg/sglang --registry quay.io/x --bogus 1
ok "bad input"
exit "$fail"
