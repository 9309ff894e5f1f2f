#!/usr/bin/env bash
# Fails when src/db/schema.ts changed without a generated migration, or when drizzle-kit's
# snapshots disagree (drizzle-kit check). Generates into a scratch copy, never into migrations/.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=.cache/migration-drift
rm -rf "$scratch" && mkdir -p "$scratch" && cp -r migrations "$scratch/"
out=$(./node_modules/.bin/drizzle-kit generate --dialect sqlite --schema './src/db/schema*.ts' --out "$scratch/migrations" 2>&1)
rm -rf "$scratch"
if ! grep -q "No schema changes" <<<"$out"; then
  echo "src/db/schema.ts differs from migrations/: run npm run db:generate" >&2
  echo "$out" >&2
  exit 1
fi
./node_modules/.bin/drizzle-kit check >/dev/null
