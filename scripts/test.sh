#!/usr/bin/env bash
# The whole test suite, as CI runs it: lint+format check, typecheck, then every bun test.
# Ends with one line "N passed, N failed" and exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

BIN=./node_modules/.bin
if [ ! -x "$BIN/bun" ]; then
  echo "installing dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund >&2 || exit 1
fi

# The real Claude Code CLI, pinned, for the runner and end-to-end tests (offline, against a
# loopback stand-in of the Messages API). Installed outside node_modules: it is 235 MB and only
# tests need it.
bash scripts/install-claude.sh >&2 || { echo "0 passed, 1 failed"; exit 1; }
# git-lfs (Debian package) for the ledger LFS tests.
bash scripts/install-git-lfs.sh >&2 || { echo "0 passed, 1 failed"; exit 1; }

# systemd-analyze checks the generated service unit (test/service, src/service). Debian's systemd
# package provides it; CI runs as root in a Debian image.
if ! command -v systemd-analyze >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing systemd (for systemd-analyze)" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends systemd; } >&2 ||
      { echo "0 passed, 1 failed"; exit 1; }
  else
    echo "systemd-analyze is missing: install Debian's systemd package (apt-get install systemd)" >&2
  fi
fi
# The real Codex and Gemini CLIs, pinned, for their runner tests (offline, against loopback
# stand-ins of the Responses API and the Gemini API).
bash scripts/install-agent-clis.sh >&2 || { echo "0 passed, 1 failed"; exit 1; }

failed_checks=0
echo "== biome check" >&2
"$BIN/biome" check . >&2 || failed_checks=$((failed_checks + 1))
echo "== migrations match src/db/schema.ts" >&2
bash scripts/check-migrations.sh >&2 || failed_checks=$((failed_checks + 1))
echo "== tsc --noEmit" >&2
"$BIN/tsc" --noEmit -p . >&2 || failed_checks=$((failed_checks + 1))

echo "== bun test" >&2
log=$(mktemp)
"$BIN/bun" test "$@" 2>&1 | tee "$log"
test_status=${PIPESTATUS[0]}
pass=$(grep -Eo '^ *[0-9]+ pass$' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
fail=$(grep -Eo '^ *[0-9]+ fail$' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
rm -f "$log"
if [ "$test_status" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi
fail=$((fail + failed_checks))
echo "${pass} passed, ${fail} failed"
[ "$fail" -eq 0 ]
