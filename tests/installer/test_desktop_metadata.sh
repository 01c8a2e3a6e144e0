#!/usr/bin/env bash
# The console's desktop entry and AppStream metainfo validate, the metainfo's newest release is
# the project's version, and every PNG icon has the size its folder names.
#   test_desktop_metadata.sh SOURCE_DIR PROJECT_VERSION
set -euo pipefail
src="$1" version="$2"
dir="$src/resources/desktop"
id="org.slipway.Slipway"
for tool in desktop-file-validate appstreamcli; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (installer/setup.sh installs it)"; exit 77; }
done

desktop-file-validate "$dir/$id.desktop"
echo "ok: desktop-file-validate $id.desktop"
appstreamcli validate --no-net "$dir/$id.metainfo.xml"
echo "ok: appstreamcli validate $id.metainfo.xml"

grep -q "^Icon=$id\$" "$dir/$id.desktop" || { echo "FAIL: the desktop entry's Icon is not $id"; exit 1; }
grep -q "<launchable type=\"desktop-id\">$id.desktop</launchable>" "$dir/$id.metainfo.xml" \
  || { echo "FAIL: the metainfo does not launch $id.desktop"; exit 1; }
newest="$(grep -o '<release version="[^"]*"' "$dir/$id.metainfo.xml" | head -1 | cut -d'"' -f2)"
[ "$newest" = "$version" ] || { echo "FAIL: the metainfo's newest release is '$newest', the project's version is $version: add a <release>"; exit 1; }
echo "ok: newest release $newest"

[ -f "$dir/icons/scalable/$id.svg" ] || { echo "FAIL: no scalable icon"; exit 1; }
for size in 16 32 48 64 128 256; do
  png="$dir/icons/${size}x${size}/$id.png"
  # PNG: width and height are big-endian 32-bit words at bytes 16 and 20.
  dims="$(od -An -tu1 -j16 -N8 "$png" | awk '{print $3*256+$4 "x" $7*256+$8}')"
  [ "$dims" = "${size}x${size}" ] || { echo "FAIL: $png is $dims, not ${size}x${size}"; exit 1; }
done
echo "ok: icons 16..256 and scalable"
