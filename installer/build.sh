#!/usr/bin/env bash
# Configures and builds Slipway into build/ (Ninja, ccache when present). Arguments go to cmake's
# configure step, e.g. -DSLIPWAY_BUILD_CONSOLE=OFF.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SLIPWAY_BUILD_DIR:-$root/build}"
jobs="${SLIPWAY_JOBS:-2}"
generator=()
[ -f "$build/CMakeCache.txt" ] || { command -v ninja >/dev/null && generator=(-G Ninja); }
cmake -S "$root" -B "$build" "${generator[@]}" "$@" >/dev/null
cmake --build "$build" -j"$jobs"
