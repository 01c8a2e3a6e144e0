#!/usr/bin/env bash
# README command 2: set up, build, and run every CPU test (all but the `gpu` label) with ctest.
# Output ends with ctest's summary.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SLIPWAY_BUILD_DIR:-$root/build}"
bash "$root/installer/setup.sh"
bash "$root/installer/build.sh"
cd "$build"
exec ctest -LE gpu --output-on-failure -j"${SLIPWAY_TEST_JOBS:-2}" "$@"
