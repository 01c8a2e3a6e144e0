#!/usr/bin/env bash
# Proves that the core and the headless CLI link no Qt: slipway-cli's resolved shared libraries
# name no libQt*, and no core static library references a Qt symbol.
set -euo pipefail
cli="$1"; shift
[ -x "$cli" ] || { echo "FAIL: $cli is not an executable"; exit 1; }
if ldd "$cli" | grep -i 'libQt'; then
  echo "FAIL: slipway-cli links Qt (see the libraries above)"; exit 1
fi
for lib in "$@"; do
  [ -f "$lib" ] || { echo "FAIL: core library $lib missing"; exit 1; }
  if nm -C --undefined-only "$lib" | grep -E '\bQ(String|Object|Byte|Variant|List|Core|Widget|Json)|qt_'; then
    echo "FAIL: $lib references Qt symbols"; exit 1
  fi
done
# The check must be able to fail: a Qt library, when present, is detected by the same pattern.
qtlib=$(ldconfig -p | grep -o '/[^ ]*libQt6Core.so[^ ]*' | head -1 || true)
if [ -n "$qtlib" ] && ! nm -D -C --defined-only "$qtlib" | grep -E "QString" >/dev/null; then
  echo "FAIL: the Qt symbol pattern does not match $qtlib"; exit 1
fi
echo "OK: slipway-cli and $# core libraries link no Qt"
