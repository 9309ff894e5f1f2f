/**
 * Where a first import's time goes: in one process, over the same Claude Code transcripts, the
 * import's stages are added one at a time, each timed as a ratio of the bare read + JSON.parse
 * loop run in the same round. The stages: `read` (the importer's safe read, content hash, parse),
 * `convert` (to ledger entries), `render` (entry lines, the redaction screen), `write` (the
 * session directory and its raw.jsonl: mkdir, open, write, rename; `sources.bench.ts` measures
 * the whole pass, SQLite included, in fresh processes). Medians of `rounds`. Memory is primed
 * before each stage and no ledger deleted until the end (`primeMemory`).
 * Usage: bun bench/sources-stages.bench.ts [count] [rounds]   (markdown on stdout)
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redactor } from "../src/core/redaction/redactor.ts";
import { CLAUDE_HOLD, convertClaude } from "../src/sources/claude-convert.ts";
import { ContentHasher } from "../src/sources/content-hash.ts";
import { entryObject } from "../src/sources/entry-line.ts";
import type { SourceFile } from "../src/sources/imported-session.ts";
import { readRecords } from "../src/sources/read-records.ts";
import { renderImportedSession, writeImportedSession } from "../src/sources/write-session.ts";
import { machine } from "./detect.bench.ts";
import { median } from "./export.bench.ts";
import { generate, primeMemory } from "./sources.bench.ts";

const count = Number(process.argv[2] ?? 300);
const rounds = Number(process.argv[3] ?? 5);
const root = mkdtempSync(join(tmpdir(), "agentwork-bench-stages-"));
const redactor = new Redactor();

function filesUnder(home: string): string[] {
  const base = join(home, ".claude", "projects");
  return readdirSync(base).flatMap((p) => readdirSync(join(base, p)).map((f) => join(base, p, f)));
}

function convert(path: string) {
  const got = readRecords(path, { hasher: new ContentHasher(false), hold: CLAUDE_HOLD });
  return convertClaude({ records: got.records, held: got.held });
}

function input(path: string, i: number) {
  const file: SourceFile = {
    kind: "claude",
    id: String(i),
    path,
    parts: [],
    project: null,
    size: 0,
    mtimeMs: 0,
  };
  const name = `2026-03-01T00-00-dana-claude-${i.toString(16).padStart(8, "0")}`;
  return {
    name,
    file,
    session: convert(path),
    startedAt: "2026-03-01T00:00:00.000Z",
    user: "dana",
    redactor,
  };
}

try {
  const home = join(root, "home");
  const bytes = generate(home, count, 1_000_000);
  const files = filesUnder(home);
  let round = 0;
  const stages: Record<string, () => void> = {
    bare: () => {
      for (const path of files)
        for (const line of readFileSync(path, "utf8").split("\n"))
          if (line !== "") JSON.parse(line);
    },
    read: () => {
      for (const path of files)
        readRecords(path, { hasher: new ContentHasher(false), hold: CLAUDE_HOLD });
    },
    convert: () => {
      for (const path of files) convert(path);
    },
    render: () => {
      for (const [i, path] of files.entries()) renderImportedSession(input(path, i));
    },
    // Not a stage: `render` as it was before the source literals and the one screen per file
    // (every entry line JSON.stringify'd and screened alone), for comparison.
    "render, before": () => {
      for (const path of files) {
        // Converted without the lines, so without the literal lookups, as before.
        const session = convertClaude({
          records: readRecords(path, { hasher: new ContentHasher(false) }).records,
        });
        const counts = {};
        for (const [n, entry] of session.entries.entries())
          redactor.jsonLine(entryObject(entry, n + 1), counts);
      }
    },
    write: () => {
      const ledgerPath = join(root, `ledger-${round}`);
      mkdirSync(join(ledgerPath, "sessions"), { recursive: true });
      for (const [i, path] of files.entries())
        writeImportedSession({ ...input(path, i), ledgerPath });
    },
  };
  const ms: Record<string, number[]> = {};
  const ratios: Record<string, number[]> = {};
  for (round = 0; round < rounds; round++) {
    const lap: Record<string, number> = {};
    for (const [stage, run] of Object.entries(stages)) {
      // Each stage: this VM hands memory freed for a few seconds back to its host.
      primeMemory(1.5 * bytes);
      const t0 = performance.now();
      run();
      lap[stage] = performance.now() - t0;
    }
    for (const stage of Object.keys(stages)) {
      ms[stage] = [...(ms[stage] ?? []), lap[stage] ?? 0];
      ratios[stage] = [...(ratios[stage] ?? []), (lap[stage] ?? 0) / (lap.bare ?? 1)];
    }
  }
  console.log(`# Where a first import's time goes (sources, in one process)\n`);
  console.log(`Machine: ${machine()} (shared with other jobs: noisy)\n`);
  console.log(
    `Data: ${count} Claude Code transcripts, ${(bytes / 1e9).toFixed(2)} GB; ${rounds} rounds, medians; each stage includes the ones above it ("render, before" instead of "render").\n`,
  );
  console.log("| stage | ms | × bare loop (same round) |\n|---|---|---|");
  for (const stage of Object.keys(stages))
    console.log(
      `| ${stage} | ${median(ms[stage] ?? []).toFixed(0)} | ${median(ratios[stage] ?? []).toFixed(2)}x |`,
    );
} finally {
  rmSync(root, { recursive: true, force: true });
}
