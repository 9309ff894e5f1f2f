#!/usr/bin/env bash
# Installs the pinned Codex and Gemini CLIs into .cache/codex and .cache/gemini-cli (once each).
# The runner tests drive them offline against loopback stand-ins (test/support/*-stub.ts).
set -euo pipefail
cd "$(dirname "$0")/.."

# install PACKAGE VERSION DIR BIN
install() {
  local package=$1 version=$2 dir=$3 bin=$4
  if [ -x "$dir/node_modules/.bin/$bin" ] && grep -q "\"version\": \"$version\"" "$dir/node_modules/$package/package.json" 2>/dev/null; then
    return 0
  fi
  echo "installing $package@$version into $dir" >&2
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-audit --no-fund --no-save "$package@$version" >&2
}

install @openai/codex 0.171.0 .cache/codex codex
install @google/gemini-cli 0.61.0 .cache/gemini-cli gemini
