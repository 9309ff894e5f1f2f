/**
 * Redaction of a generated ~100 MB raw.jsonl (export.bench's transcript, with a credential in one
 * line of every 500), against the bare loop that reads the lines and JSON.parses each one. Three
 * measures, each a fresh process: the bare loop; the first redaction (secrets found, the file
 * rewritten atomically); a second redaction of the already-redacted file (scan only, nothing
 * written). Usage: bun bench/redact.bench.ts [MB] [runs]; results as markdown on stdout.
 */
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { machine, timed } from "./detect.bench.ts";
import { bareReadParse, generate, median } from "./export.bench.ts";

const AWS = `AKIA${"IOSFODNN7EXAMPLE"}`;
const GITHUB = `ghp_${"a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"}`;

function plant(path: string, lines: number): number {
  let planted = 0;
  for (let i = 0; i < lines / 500; i++) {
    const line = {
      type: "tool",
      tool_name: "Bash",
      tool_input: JSON.stringify({ command: "env" }),
      tool_output: `AWS_ACCESS_KEY_ID=${AWS}\nGITHUB_TOKEN=${GITHUB}\nDATABASE_URL=postgres://app:S3cr3tPassw0rd@db/app`,
    };
    appendFileSync(path, `${JSON.stringify(line)}\n`);
    planted += 3;
  }
  return planted;
}

async function child(mode: string, path: string): Promise<void> {
  const t0 = performance.now();
  if (mode === "bare") {
    const count = await bareReadParse(path);
    console.log(JSON.stringify({ ms: performance.now() - t0, found: count }));
    return;
  }
  const { Redactor } = await import("../src/core/redaction/redactor.ts");
  const { redactJsonlFile } = await import("../src/handlers/session-finalize/redact-raw.ts");
  const r = await redactJsonlFile(path, path, new Redactor());
  const found = Object.values(r.found).reduce((a, b) => a + b, 0);
  console.log(JSON.stringify({ ms: performance.now() - t0, found }));
}

async function main(): Promise<void> {
  if (process.argv[2] === "--child")
    return child(process.argv[3] as string, process.argv[4] as string);
  const mb = Number(process.argv[2] ?? 100);
  const runs = Number(process.argv[3] ?? 5);
  const root = mkdtempSync(join(tmpdir(), "agentwork-bench-redact-"));
  try {
    const dir = join(root, "s");
    mkdirSync(dir);
    const original = join(root, "original.jsonl");
    const entries = generate(original, mb * 1024 * 1024);
    const planted = plant(original, entries);
    const size = statSync(original).size;
    const raw = join(dir, "raw.jsonl");
    const res = { bare: [] as number[], first: [] as number[], again: [] as number[] };
    const rss = { bare: [] as number[], first: [] as number[], again: [] as number[] };
    let found = 0;
    for (let r = 0; r < runs; r++) {
      copyFileSync(original, raw);
      for (const mode of ["bare", "first", "again"] as const) {
        const out = timed([process.execPath, import.meta.path, "--child", mode, raw]);
        const parsed = JSON.parse(out.stdout) as { ms: number; found: number };
        res[mode].push(parsed.ms);
        rss[mode].push(out.maxRssKb);
        if (mode === "first") found = parsed.found;
      }
    }
    const b = median(res.bare);
    console.log(`# Redaction benchmark\n\nMachine: ${machine()}\n`);
    console.log(
      `Input: raw.jsonl of ${(size / 2 ** 20).toFixed(1)} MiB, ${entries} entries (export.bench's transcript) plus ${planted / 3} lines holding ${planted} credentials; ${found} replaced on the first pass. ${runs} runs each, alternating, medians; page cache warm. The machine is shared (2 cores, other agents running), so single runs are noisy.\n`,
    );
    console.log(
      "Bare loop: `readline` over `createReadStream`, `JSON.parse` per line, nothing kept. `redactJsonlFile` pre-screens each line (two regexes: token prefixes, `name: value` separators; a line with a `\\u` escape is parsed), parses only the lines that may hold a secret, and writes through a temp file + fsync + rename (dropped when nothing changed).\n",
    );
    console.log("| measure | time (ms) | ratio to bare | peak RSS (MB) |\n|---|---|---|---|");
    const row = (label: string, mode: keyof typeof res) =>
      console.log(
        `| ${label} | ${median(res[mode]).toFixed(0)} | ${(median(res[mode]) / b).toFixed(2)}x | ${(median(rss[mode]) / 1024).toFixed(1)} |`,
      );
    row("bare read + parse loop", "bare");
    row("first redaction (rewrites the file)", "first");
    row("redaction of a redacted file (scan only)", "again");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.main) await main();
