#!/usr/bin/env bash
# Builds the packages with cpack from this build folder (into a scratch folder), then checks them
# the way Debian does and the way a user would:
#   - lintian reports no errors (warnings are printed)
#   - the .deb versions are the version the binaries print (git describe, Debian-style)
#   - slipway depends on the Qt libraries (dpkg-shlibdeps), Qt's platform plugins and a CJK font;
#     slipway-engine depends on nothing from Qt, and its binary links no Qt library
#   - apt can install them on this distribution (simulated: every dependency resolves)
#   - the desktop entry and metainfo inside the package validate; icons and man pages are there
#   - dpkg-deb -x and the .tar.gz archives unpack binaries that run (--version)
#   test_packages.sh BUILD_DIR SLIPWAY_CLI [SLIPWAY_ENGINE] [SLIPWAY]
set -uo pipefail
build="$1" cli="$2" engine="${3:-}" console="${4:-}"
for tool in cpack dpkg-deb dpkg-shlibdeps fakeroot lintian desktop-file-validate appstreamcli; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (installer/setup.sh installs it)"; exit 77; }
done
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok: $*"; }

# The version the binaries print, as the packages must carry it.
full="$("$cli" --version | awk '{print $2}')"
upstream="$(tr -c 'A-Za-z0-9.+~\n' '.' <<<"$full")"
echo "binaries: $full  ->  Debian upstream version $upstream"

echo "--- cpack"
start=$(date +%s)
if ! cpack --config "$build/CPackConfig.cmake" -B "$work/out" -G "DEB;TGZ" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log"; echo "FAIL: cpack failed"; exit 1
fi
echo "cpack took $(( $(date +%s) - start )) s"
ls -1 "$work/out" | grep -E '\.(deb|tar\.gz)$'
console_deb="$(ls "$work"/out/slipway_*.deb 2>/dev/null | head -1)"
engine_deb="$(ls "$work"/out/slipway-engine_*.deb 2>/dev/null | head -1)"
[ -n "$console_deb" ] || { echo "FAIL: no slipway_*.deb"; exit 1; }
if [ -n "$engine" ] && [ -z "$engine_deb" ]; then echo "FAIL: no slipway-engine_*.deb"; exit 1; fi

echo "--- lintian"
debs=("$console_deb"); [ -n "$engine_deb" ] && debs+=("$engine_deb")
lintian --fail-on error --tag-display-limit 0 "${debs[@]}" >"$work/lintian.log" 2>&1; rc=$?
cat "$work/lintian.log"
if [ "$rc" != 0 ] || grep -q '^E: ' "$work/lintian.log"; then bad "lintian reports errors"; else ok "lintian: no errors"; fi

echo "--- control fields"
for deb in "${debs[@]}"; do
  v="$(dpkg-deb -f "$deb" Version)"
  [ "${v%-*}" = "$upstream" ] || bad "$(basename "$deb") has version $v, the binaries say $full"
done
ok "package versions are $upstream-<revision>"
depends="$(dpkg-deb -f "$console_deb" Depends)"
echo "slipway Depends: $depends"
if [ -n "$console" ]; then
  for want in libqt6widgets6 libqt6charts6 qt6-qpa-plugins fonts-wqy-microhei; do
    grep -q "$want" <<<"$depends" || bad "slipway does not depend on $want"
  done
fi
grep -q "libc6" <<<"$depends" || bad "slipway's dependencies were not computed (no libc6): is CPACK_DEBIAN_PACKAGE_SHLIBDEPS on?"
if [ -n "$engine_deb" ]; then
  edepends="$(dpkg-deb -f "$engine_deb" Depends)"
  echo "slipway-engine Depends: $edepends"
  grep -qi "qt" <<<"$edepends" && bad "slipway-engine depends on Qt: $edepends"
  grep -q "libc6" <<<"$edepends" || bad "slipway-engine's dependencies were not computed"
fi

if command -v apt-get >/dev/null && ls /var/lib/apt/lists/*_Packages >/dev/null 2>&1; then
  if apt-get install -s "${debs[@]}" >"$work/apt.log" 2>&1; then
    ok "apt-get install -s: every dependency resolves on this distribution"
  else
    cat "$work/apt.log"; bad "apt cannot install the packages here"
  fi
else
  echo "note: no apt package lists (run apt-get update); installability was not simulated"
fi

echo "--- unpacked .deb"
dpkg-deb -x "$console_deb" "$work/console"
root="$work/console/usr"
[ -x "$root/bin/slipway-cli" ] || bad "slipway_*.deb has no /usr/bin/slipway-cli"
out="$("$root/bin/slipway-cli" --version)" || bad "the unpacked slipway-cli does not run"
[ "$out" = "slipway-cli $full" ] || bad "the unpacked slipway-cli says '$out'"
"$root/bin/slipway-cli" size --model deepseek-ai/DeepSeek-R1-Distill-Qwen-7B --gpu H100 >/dev/null \
  || bad "the unpacked slipway-cli cannot size a catalog model"
[ -f "$work/console/usr/share/man/man1/slipway-cli.1.gz" ] || bad "no slipway-cli man page"
for pkg_doc in "$work/console/usr/share/doc/slipway"; do
  [ -f "$pkg_doc/copyright" ] && [ -f "$pkg_doc/changelog.Debian.gz" ] || bad "no copyright or changelog in $pkg_doc"
  zcat "$pkg_doc/changelog.Debian.gz" | head -1 | grep -qF "($upstream-" || bad "the changelog's version is not $upstream"
done
readelf -S "$root/bin/slipway-cli" | grep -q '\.symtab' && bad "slipway-cli is not stripped"
if [ -n "$console" ]; then
  [ -x "$root/bin/slipway" ] || bad "slipway_*.deb has no /usr/bin/slipway"
  out="$(QT_QPA_PLATFORM=offscreen "$root/bin/slipway" --version)" || bad "the unpacked slipway does not run"
  [ "$out" = "slipway $full" ] || bad "the unpacked slipway says '$out'"
  desktop-file-validate "$root"/share/applications/*.desktop || bad "the packaged desktop entry does not validate"
  appstreamcli validate --no-net "$root"/share/metainfo/*.metainfo.xml >/dev/null || bad "the packaged metainfo does not validate"
  ls "$root"/share/icons/hicolor/scalable/apps/*.svg "$root"/share/icons/hicolor/48x48/apps/*.png >/dev/null \
    || bad "no hicolor icons"
  [ -f "$root/share/man/man1/slipway.1.gz" ] || bad "no slipway man page"
  ok "slipway $full runs from the unpacked package"
fi
ok "slipway-cli $full runs from the unpacked package"

if [ -n "$engine_deb" ]; then
  dpkg-deb -x "$engine_deb" "$work/engine"
  eroot="$work/engine/usr"
  out="$("$eroot/bin/slipway-engine" --version)" || bad "the unpacked slipway-engine does not run"
  [ "$out" = "slipway-engine $("$engine" --version | awk '{print $2}')" ] || bad "the unpacked slipway-engine says '$out'"
  ldd "$eroot/bin/slipway-engine" | grep -i "libQt" && bad "slipway-engine links Qt"
  [ -f "$eroot/share/man/man1/slipway-engine.1.gz" ] || bad "no slipway-engine man page"
  [ -f "$eroot/share/doc/slipway-engine/copyright" ] || bad "no copyright in slipway-engine"
  find "$work/engine" -name '*slipway-cli*' -o -name '*.desktop' | grep -q . && bad "slipway-engine carries console files"
  ok "$out runs from the unpacked package, without Qt"
fi

echo "--- .tar.gz archives"
for tgz in "$work"/out/*.tar.gz; do
  mkdir -p "$work/tgz"; tar -xzf "$tgz" -C "$work/tgz"
done
for bin in slipway-cli ${engine:+slipway-engine} ${console:+slipway}; do
  found="$(find "$work/tgz" -path "*/bin/$bin" -type f | head -1)"
  [ -n "$found" ] || { bad "no archive holds bin/$bin"; continue; }
  QT_QPA_PLATFORM=offscreen "$found" --version >/dev/null || bad "$found from the archive does not run"
done
ok "archives unpack binaries that run"
exit "$fail"
