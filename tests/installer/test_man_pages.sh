#!/usr/bin/env bash
# Every option the programs' --help lists is in their man page, and the pages format without
# warnings.
#   test_man_pages.sh SOURCE_DIR SLIPWAY_CLI [SLIPWAY_ENGINE]
set -euo pipefail
src="$1" cli="$2" engine="${3:-}"
man="$src/resources/man"
fail=0

# Options such as --kv-dtype appear in roff as \-\-kv\-dtype.
check_options() { # PAGE HELP-TEXT
  local page="$1" help="$2" option roff
  for option in $(grep -oE '(^|[ ,])--[a-z][a-z0-9-]*' <<<"$help" | tr -d ' ,' | sort -u); do
    roff="${option//-/\\-}"
    if ! grep -qF -- "$roff" "$man/$page"; then
      echo "FAIL: $page does not document $option"
      fail=1
    fi
  done
}

for command in size render mirror-script; do
  help="$("$cli" "$command" --help)" || { echo "FAIL: slipway-cli $command --help failed"; exit 1; }
  check_options slipway-cli.1 "$help"
done
grep -qF 'mirror\-script' "$man/slipway-cli.1" || { echo "FAIL: slipway-cli.1 has no mirror-script"; fail=1; }
for command in $("$cli" --help | awk '/^commands:/ {on=1; next} on && NF {print $1}'); do
  grep -qF "${command//-/\\-}" "$man/slipway-cli.1" || { echo "FAIL: slipway-cli.1 does not name the command $command"; fail=1; }
done
echo "checked slipway-cli.1 against slipway-cli --help"
if [ -n "$engine" ]; then
  help="$("$engine" --help)" || { echo "FAIL: slipway-engine --help failed"; exit 1; }
  check_options slipway-engine.1 "$help"
  echo "checked slipway-engine.1 against slipway-engine --help"
fi

if command -v groff >/dev/null; then
  for page in "$man"/*.1; do
    warnings="$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$page" 2>&1 || true)"
    [ -z "$warnings" ] || { echo "FAIL: groff warns about $(basename "$page"):"; echo "$warnings"; fail=1; }
  done
  echo "groff formats every page without warnings"
else
  echo "note: groff is absent, the pages' formatting was not checked"
fi
exit "$fail"
