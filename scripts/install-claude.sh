#!/usr/bin/env bash
# Installs the pinned Claude Code CLI into .cache/claude-code (once). Tests find it there.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=2.1.197
DIR=.cache/claude-code
if [ -x "$DIR/node_modules/.bin/claude" ] && grep -q "\"version\": \"$VERSION\"" "$DIR/node_modules/@anthropic-ai/claude-code/package.json" 2>/dev/null; then
  exit 0
fi
echo "installing @anthropic-ai/claude-code@$VERSION into $DIR" >&2
mkdir -p "$DIR"
npm install --prefix "$DIR" --no-audit --no-fund --no-save "@anthropic-ai/claude-code@$VERSION" >&2
