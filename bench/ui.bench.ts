/**
 * Server-side time of the dashboard's pages on a database with 10,000 items and 100,000 history
 * rows (30 days): each request goes through the app's fetch handler (guard, queries, rendering)
 * without the network. Baseline in the same run: `status`'s own work (statusFromDatabase), which
 * the overview also does. `bun bench/ui.bench.ts [--runs N] [--write]`
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { loadSettings } from "../src/config/load.ts";
import { systemClock } from "../src/core/clock.ts";
import { silentLogger } from "../src/core/logger.ts";
import { realTimers } from "../src/core/timers.ts";
import { statusFromDatabase } from "../src/operations/local-status.ts";
import { openStorage } from "../src/queue/storage.ts";
import { createUiApp } from "../src/ui/app.ts";
import { allowedHosts, cookieName, newSecrets } from "../src/ui/guard.ts";
import { createOperationsAdapter } from "../src/ui/operations-adapter.ts";
import { seedWorld } from "../test/support/ui-seed.ts";

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1] || 31) || 31;
const ITEMS = 10_000;
const HISTORY = 100_000;

const dir = mkdtempSync(join(tmpdir(), "agentwork-ui-bench-"));
const seedStart = performance.now();
const world = await seedWorld(dir, { extraItems: ITEMS - 8, runs: HISTORY });
const seedMs = performance.now() - seedStart;
const settings = loadSettings({
  env: { HOME: dir, PATH: process.env.PATH ?? "/usr/bin:/bin" },
  flags: { db: world.db, ledger: world.ledger, config: world.config },
});
const ops = createOperationsAdapter(settings, silentLogger());
const secrets = newSecrets();
const port = 4000;
const app = createUiApp({
  ops,
  secrets,
  port: () => port,
  hosts: () => allowedHosts(port),
  clock: systemClock,
  timers: realTimers,
});
const headers = { host: `127.0.0.1:${port}`, cookie: `${cookieName(port)}=${secrets.token}` };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

async function time(path: string): Promise<{ ms: number[]; bytes: number }> {
  const ms: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs + 2; i++) {
    const start = performance.now();
    const response = await app.fetch(new Request(`http://127.0.0.1:${port}${path}`, { headers }));
    const body = await response.text();
    const took = performance.now() - start;
    if (response.status !== 200)
      throw new Error(`${path}: ${response.status} ${body.slice(0, 200)}`);
    bytes = body.length;
    if (i >= 2) ms.push(took); // two warm-up requests
  }
  return { ms, bytes };
}

const storage = openStorage(world.db, { clock: systemClock, ownerPid: process.pid });
const baseline: number[] = [];
for (let i = 0; i < runs + 2; i++) {
  const start = performance.now();
  statusFromDatabase(settings, storage, silentLogger());
  if (i >= 2) baseline.push(performance.now() - start);
}
storage.close();

const pages: [string, string][] = [
  ["overview `/`", "/"],
  ["queue `/queue` (page 1 of all)", "/queue"],
  ["queue `/queue?state=done&offset=5000`", "/queue?state=done&offset=5000"],
  ["queue text search `/queue?q=sam-OxW2pa-99`", "/queue?q=sam-OxW2pa-99"],
];
const results: { label: string; path: string; median: number; bytes: number; all: number[] }[] = [];
for (const [label, path] of pages) {
  const r = await time(path);
  results.push({ label, path, median: median(r.ms), bytes: r.bytes, all: r.ms });
}
app.close();
ops.close();
rmSync(dir, { recursive: true, force: true });

const base = median(baseline);
const report = `# Dashboard benchmark (server side)

Machine: ${cpus().length} CPUs, ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM,
Bun ${Bun.version}, SQLite ${"(bun:sqlite)"}, ${new Date().toISOString().slice(0, 10)}. Load average at the end: ${loadavg()
  .map((l) => l.toFixed(2))
  .join(" ")}.
Command: \`bun bench/ui.bench.ts --runs ${runs} --write\`. The machine is shared (2 cores, several agents
building at once): numbers are noisy, medians of ${runs} requests after 2 warm-ups.

Database: ${ITEMS.toLocaleString("en")} work items, ${HISTORY.toLocaleString("en")} history rows spread over 30 days
(seeded in ${(seedMs / 1000).toFixed(1)} s). Each request goes through the app's fetch handler (Host and
token checks, queries, rendering, body read), without the network. No daemon runs: the reads are
the ones the CLI's fallback makes.

| page | median ms | ratio to \`status\`'s own work | body KiB |
|---|---|---|---|
| baseline: \`statusFromDatabase\` (what \`agentwork status\` builds) | ${base.toFixed(1)} | 1.00x | - |
${results.map((r) => `| ${r.label} | ${r.median.toFixed(1)} | ${(r.median / base).toFixed(2)}x | ${(r.bytes / 1024).toFixed(0)} |`).join("\n")}

Target: overview and queue under 100 ms (median, server side).

Before migration 0001 (indexes \`runs_status\` and \`runs_usage\`) and the per-bucket range queries,
the first run of this script on the same data gave: \`statusFromDatabase\` 172.7 ms (the open
runs were found by scanning all history), overview 525.6 ms (GROUP BY over a computed bucket
sorts every row in a temporary B-tree), queue 32.5 ms.

All runs (ms): ${results.map((r) => `\`${r.path}\` ${r.all.map((x) => x.toFixed(0)).join(", ")}`).join("; ")}.
`;
process.stdout.write(report);
if (args.includes("--write")) writeFileSync(join(import.meta.dir, "results/ui.md"), report);
