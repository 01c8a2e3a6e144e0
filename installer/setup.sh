#!/usr/bin/env bash
# Installs what a fresh Debian 12 or Ubuntu 24.04 machine lacks to build, run and test Slipway.
# Non-interactive and idempotent: packages already present are not touched, and a second run
# only checks. Both README commands call it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { printf '[setup] %s\n' "$*"; }

SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    say "not root and no sudo: install the packages listed in installer/setup.sh by hand"; fi
fi

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config ccache git
  # core
  libyaml-cpp-dev libcurl4-openssl-dev nlohmann-json3-dev
  # console (Qt 6 Widgets, Charts, Test, Linguist) and fonts that render Chinese
  qt6-base-dev qt6-charts-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libgl-dev
  fonts-wqy-microhei
  # engine (HTTP on Boost.Beast/Asio) and its tests
  libboost-dev libgtest-dev libgmock-dev
  # test oracles run under Node.js (manifest validator, tokenizer and template references, openai client)
  nodejs npm
  # packaging and the engine's image (installer/, tests/installer): cpack's .deb helpers, Debian's
  # package checker, desktop and AppStream validators, daemonless image build and copy, HTTP client
  dpkg-dev fakeroot lintian desktop-file-utils appstream buildah skopeo ca-certificates curl
  # a registry on the loopback for the mirror-script test (the CNCF distribution server)
  docker-registry
  # a real Prometheus server for the metrics test (tests/metrics: scrapes test exporters and the engine)
  prometheus
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A Node.js that did not come from Debian (for example a newer one in /usr/bin) is fine as it is.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  kept=()
  for p in "${missing[@]}"; do case "$p" in nodejs|npm) ;; *) kept+=("$p") ;; esac; done
  missing=("${kept[@]}")
fi

if [ "${#missing[@]}" -gt 0 ]; then
  say "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  say "system packages present"
fi

node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$node_major" -lt 20 ]; then
  say "Node.js $node_major found; the test oracles need Node.js 20 or newer (tests that use them will fail)"
fi

# Node packages used as test oracles, pinned by tests/node/package-lock.json.
if [ -f "$root/tests/node/package-lock.json" ]; then
  stamp="$root/tests/node/node_modules/.slipway-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$root/tests/node/package-lock.json" "$stamp"; then
    say "installing Node test oracles (tests/node)"
    npm ci --prefix "$root/tests/node" --no-audit --no-fund --loglevel=error >/dev/null
    cp "$root/tests/node/package-lock.json" "$stamp"
  fi
fi

# The manifest validator from shared/k8s-schemas, installed into a writable copy (shared/ may be
# read-only).
schemas="$root/../shared/k8s-schemas"
copy="$root/.cache/k8s-schemas"
if [ -d "$schemas" ]; then
  if [ ! -d "$copy/node_modules" ] || ! cmp -s "$schemas/package-lock.json" "$copy/package-lock.json" \
     || ! cmp -s "$schemas/validate-manifests.mjs" "$copy/validate-manifests.mjs"; then
    say "installing the manifest validator (.cache/k8s-schemas)"
    rm -rf "$copy"; mkdir -p "$root/.cache"
    cp -r "$schemas" "$copy"; chmod -R u+w "$copy"
    npm ci --prefix "$copy" --no-audit --no-fund --loglevel=error >/dev/null
  fi
else
  say "no ../shared/k8s-schemas beside the checkout: manifest schema tests will fail"
fi
say "done"
