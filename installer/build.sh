#!/usr/bin/env bash
# Configures and builds Slipway into build/ (Ninja, ccache when present). Arguments go to cmake's
# configure step, e.g. -DSLIPWAY_BUILD_CONSOLE=OFF.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SLIPWAY_BUILD_DIR:-$root/build}"
jobs="${SLIPWAY_JOBS:-2}"
# ccache: hash paths relative to the checkout, so another clone of the same tree (CI's) reuses
# this machine's cache.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$root}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"
first=()
if [ ! -f "$build/CMakeCache.txt" ]; then
  command -v ninja >/dev/null && first+=(-G Ninja)
  # The CUDA backend compiles wherever nvcc is (also without a GPU). Build for this machine's GPU
  # when it has one, else for one architecture (Hopper, sm_90a) to keep the build short.
  if command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1; then
    first+=(-DSLIPWAY_CUDA_ARCHITECTURES=native)
  else
    first+=(-DSLIPWAY_CUDA_ARCHITECTURES=90a)
  fi
fi
cmake -S "$root" -B "$build" "${first[@]}" "$@" >/dev/null
cmake --build "$build" -j"$jobs"
