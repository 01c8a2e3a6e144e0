#!/usr/bin/env bash
# README command 1: set up, build, and start the console.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/installer/setup.sh"
bash "$root/installer/build.sh"
exec "${SLIPWAY_BUILD_DIR:-$root/build}/app/slipway/slipway" "$@"
