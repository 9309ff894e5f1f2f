/**
 * Import of agent transcripts (`sources`): a first import of N Claude Code transcripts of about
 * 1 MB each (redacted, converted, written into a ledger, recorded in SQLite) against a bare loop
 * that reads the same files and JSON.parses every line; then a re-scan with nothing new against
 * `find` stat'ing the same tree. The import runs as the daemon's does (two threads on a machine
 * with two cores or more) and, for comparison, in one thread. Each measurement runs in a fresh
 * process under /usr/bin/time (peak RSS is its own); times are measured inside the process
 * (Bun's start excluded), find's as the wall time of the whole command. Medians of `runs`.
 * Usage: bun bench/sources.bench.ts [count] [runs] [fresh-memory]   (markdown on stdout; with
 * `fresh-memory` memory is not primed: `primeMemory`)
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CONFIG } from "../src/config/config.ts";
import { systemClock } from "../src/core/clock.ts";
import { silentLogger } from "../src/core/logger.ts";
import { Redactor } from "../src/core/redaction/redactor.ts";
import { openStores } from "../src/db/storage.ts";
import { type Parallel, SourceImporter } from "../src/sources/import-pass.ts";
import { sourceRoots } from "../src/sources/roots.ts";
import { machine, timed } from "./detect.bench.ts";
import { median } from "./export.bench.ts";

const PROJECTS = 20;

/** One ~`bytes` Claude transcript: user turns, assistant text, tool calls and their results. */
function transcript(i: number, bytes: number): string {
  const id = `${i.toString(16).padStart(8, "0")}-0000-4000-8000-000000000000`;
  const code = "export function add(a: number, b: number): number {\n  return a + b;\n}\n".repeat(
    40,
  );
  const base = { sessionId: id, cwd: `/home/dana/src/p${i % PROJECTS}`, version: "2.1.197" };
  const lines: string[] = [];
  let size = 0;
  for (let n = 0; size < bytes; n++) {
    const timestamp = new Date(Date.UTC(2026, 2, 1) + i * 3_600_000 + n * 1000).toISOString();
    const k = n % 3;
    const record =
      k === 0
        ? {
            ...base,
            type: "user",
            timestamp,
            message: { role: "user", content: `Step ${n}: fix the add() overflow` },
          }
        : k === 1
          ? {
              ...base,
              type: "assistant",
              timestamp,
              message: {
                role: "assistant",
                model: "claude-sonnet-4-5",
                content: [
                  { type: "text", text: `Reading src/f${n}.ts first.` },
                  {
                    type: "tool_use",
                    id: `t${n}`,
                    name: "Read",
                    input: { file_path: `/home/dana/src/f${n}.ts` },
                  },
                ],
              },
            }
          : {
              ...base,
              type: "user",
              timestamp,
              message: {
                role: "user",
                content: [{ type: "tool_result", tool_use_id: `t${n - 1}`, content: code }],
              },
            };
    const line = `${JSON.stringify(record)}\n`;
    lines.push(line);
    size += line.length;
  }
  return lines.join("");
}

export function generate(home: string, count: number, bytes: number): number {
  const root = join(home, ".claude", "projects");
  const old = (Date.now() - 86_400_000) / 1000;
  let total = 0;
  for (let i = 0; i < count; i++) {
    const dir = join(root, `-home-dana-src-p${i % PROJECTS}`);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${i.toString(16).padStart(8, "0")}-0000-4000-8000-000000000000.jsonl`);
    const text = transcript(i, bytes);
    writeFileSync(path, text);
    utimesSync(path, old, old);
    total += text.length;
  }
  return total;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

/** Lets the kernel write back what the bench wrote, so no run pays for another's writes. */
function settle(): void {
  Bun.spawnSync(["sync"]);
}

/**
 * Each round writes 2 GB of ledgers, kept (see `primeMemory`) and in the page cache: by the
 * fifth round the machine had 3 GB free, every new page was reclaimed from old ones, and the
 * import measured 2.0x, 2.2x, 3.2x, 4.2x, 3.7x of its bare loop by round. As root, the clean
 * page cache is dropped before each round after the first and the transcripts read once again,
 * so each round starts as the first did; otherwise this does nothing (the results say which).
 */
function forgetLedgers(home: string): boolean {
  settle();
  try {
    writeFileSync("/proc/sys/vm/drop_caches", "1\n");
  } catch {
    return false;
  }
  bare(home);
  return true;
}

/**
 * This VM (Firecracker, `page_reporting.page_reporting_order=11` on the kernel command line)
 * hands free memory back to its host, and the first touch of such a page costs about 3 ms per MB:
 * writing 1 GB into new files took 1.8 s into such memory and 0.25-0.4 s into memory used a
 * moment before (`bench/results/sources.md`). A machine that has been up a while has neither
 * cost. So before each timed child a short-lived process touches `bytes` of anonymous memory
 * and exits, leaving the pages backed for the next one. Anonymous, not scratch files: deleting
 * a thousand files makes ext4 scan past the "recently deleted" inodes for every new one
 * (`recently_deleted` in the kernel, 60 s or more), which cost the import about 1 s when the
 * bench deleted the previous run's ledger before each run. Nothing is deleted until the end.
 */
export function primeMemory(bytes: number): void {
  const chunk = 256_000_000;
  const n = Math.ceil(bytes / chunk);
  const code = `const keep = []; for (let i = 0; i < ${n}; i++) keep.push(Buffer.alloc(${chunk}, 1));`;
  const got = Bun.spawnSync([process.execPath, "-e", code]);
  if (got.exitCode !== 0) throw new Error(`priming memory failed: ${got.stderr.toString()}`);
}

/** The baseline: read every transcript and JSON.parse each line, nothing else. */
function bare(home: string): number {
  const root = join(home, ".claude", "projects");
  let records = 0;
  for (const project of readdirSync(root)) {
    for (const name of readdirSync(join(root, project))) {
      const text = readFileSync(join(root, project, name), "utf8");
      for (const line of text.split("\n")) if (line !== "") records += JSON.parse(line) ? 1 : 0;
    }
  }
  return records;
}

async function importOnce(
  home: string,
  db: string,
  ledger: string,
  t: { ms: number; warmMs?: number; cpuMs?: number },
  parallel?: Partial<Parallel>,
) {
  const storage = openStores(db, { clock: systemClock });
  const importer = new SourceImporter({
    ledgerPath: ledger,
    roots: sourceRoots({ path: "", home, base: {} }),
    store: storage.sources,
    redactor: new Redactor(),
    clock: systemClock,
    logger: silentLogger(),
    user: "dana",
    stateDir: join(db, "..", "state"),
    ...(parallel ? { parallel } : {}),
  });
  const config = { ...DEFAULT_CONFIG, sources: ["claude" as const] };
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const report = await importer.run(config);
  t.ms = performance.now() - t0;
  t.cpuMs = cpuMs(c0);
  // The daemon re-scans every doctor_interval in a process that has run the pass before.
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t1 = performance.now();
    await importer.run(config);
    warm.push(performance.now() - t1);
  }
  t.warmMs = median(warm);
  storage.close();
  return report;
}

async function child(mode: string, home: string, db: string, ledger: string): Promise<void> {
  const t: { ms: number; warmMs?: number; cpuMs?: number } = { ms: 0 };
  let n = 0;
  if (mode === "bare") {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    n = bare(home);
    t.ms = performance.now() - t0;
    t.cpuMs = cpuMs(c0);
  } else {
    // Timed: the pass itself; the daemon keeps its database open between passes.
    const parallel = mode === "import1" ? { threads: 1 } : undefined;
    const report = await importOnce(home, db, ledger, t, parallel);
    n = mode === "rescan" ? report.unchanged : report.imported.length;
    if (report.problems.length > 0) throw new Error(JSON.stringify(report.problems[0]));
  }
  console.log(JSON.stringify({ ms: t.ms, warmMs: t.warmMs ?? 0, cpuMs: t.cpuMs ?? 0, n }));
}

async function main(): Promise<void> {
  const [mode, home, db, ledger] = process.argv.slice(2);
  if (mode?.startsWith("--"))
    return child(mode.slice(2), home as string, db as string, ledger as string);
  const count = Number(process.argv[2] ?? 1000);
  const runs = Number(process.argv[3] ?? 3);
  const prime = process.argv[4] !== "fresh-memory";
  const root = mkdtempSync(join(tmpdir(), "agentwork-bench-sources-"));
  try {
    const homeDir = join(root, "home");
    const total = generate(homeDir, count, 1_000_000);
    settle();
    const run = (m: string, d: string, l: string) => {
      const r = timed([process.execPath, import.meta.path, `--${m}`, homeDir, d, l]);
      return {
        ...(JSON.parse(r.stdout) as { ms: number; warmMs: number; cpuMs: number; n: number }),
        rss: r.maxRssKb,
      };
    };
    const rows: Record<string, { ms: number[]; rss: number[]; cpu: number[] }> = {};
    const add = (k: string, ms: number, rss: number, cpu = 0) => {
      rows[k] ??= { ms: [], rss: [], cpu: [] };
      rows[k].ms.push(ms);
      rows[k].rss.push(rss);
      rows[k].cpu.push(cpu);
    };
    let dropped = false;
    for (let r = 0; r < runs; r++) {
      if (r > 0) dropped = forgetLedgers(homeDir);
      if (prime) primeMemory(1.5 * total);
      const b = run("bare", "", "");
      add("bare", b.ms, b.rss, b.cpuMs);
      const dir = join(root, `run${r}`);
      mkdirSync(join(dir, "ledger", "sessions"), { recursive: true });
      const db = join(dir, "agentwork.db");
      const ledger = join(dir, "ledger");
      if (prime) primeMemory(1.5 * total);
      const first = run("import", db, ledger);
      if (first.n !== count) throw new Error(`imported ${first.n}, expected ${count}`);
      add("import", first.ms, first.rss, first.cpuMs);
      // The same import in one thread (`Parallel.threads`), into a ledger of its own.
      const single = join(root, `run${r}-one-thread`);
      mkdirSync(join(single, "ledger", "sessions"), { recursive: true });
      if (prime) primeMemory(1.5 * total);
      const one = run("import1", join(single, "agentwork.db"), join(single, "ledger"));
      if (one.n !== count) throw new Error(`imported ${one.n} in one thread, expected ${count}`);
      add("import1", one.ms, one.rss, one.cpuMs);
      const t0 = performance.now();
      const f = timed([
        "find",
        join(homeDir, ".claude", "projects"),
        "-type",
        "f",
        "-printf",
        "%s %T@\n",
      ]);
      add("find", performance.now() - t0, f.maxRssKb);
      const again = run("rescan", db, ledger);
      if (again.n !== count) throw new Error(`re-scan saw ${again.n} unchanged, expected ${count}`);
      add("rescan", again.ms, again.rss);
      add("rescan-warm", again.warmMs, again.rss);
      settle();
    }
    const m = (k: string) => median(rows[k]?.ms ?? []);
    // Each run's import against the bare loop run just before it: the machine drifts over minutes.
    const paired = (k: "ms" | "cpu", of = "import") =>
      (rows[of]?.[k] ?? []).map((v, i) => v / (rows.bare?.[k]?.[i] ?? Number.NaN));
    const cpu = (k: string) => median(rows[k]?.cpu ?? []);
    const rss = (k: string) => (median(rows[k]?.rss ?? []) / 1024).toFixed(1);
    console.log(
      `# Transcript import benchmark (sources)\n\nMachine: ${machine()} (shared with other jobs: noisy)\n`,
    );
    console.log(
      `Data: ${count} Claude Code transcripts, ${(total / 1e9).toFixed(2)} GB in ${PROJECTS} projects (~1 MB each, a third tool results); ${runs} runs, medians; ${prime ? "memory primed before each child (`primeMemory`), no file deleted until the end" : "memory not primed"}, \`sync\` before each run; ${dropped ? "the page cache dropped and the transcripts read again before each round after the first (`forgetLedgers`)" : "the page cache kept between rounds"}.\n`,
    );
    console.log("| measure | baseline | agentwork | ratio | target |\n|---|---|---|---|---|");
    console.log(
      `| first import vs bare read + JSON.parse loop (ms) | ${m("bare").toFixed(0)} | ${m("import").toFixed(0)} | ${median(paired("ms")).toFixed(2)}x | ≤ 3x |`,
    );
    console.log(
      `| CPU time (user + system) of the same (ms) | ${cpu("bare").toFixed(0)} | ${cpu("import").toFixed(0)} | ${median(paired("cpu")).toFixed(2)}x | - |`,
    );
    console.log(
      `| peak RSS of the first import (MB) | ${rss("bare")} | ${rss("import")} | - | < 200 MB |`,
    );
    console.log(
      `| the first import in one thread (ms) | ${m("bare").toFixed(0)} | ${m("import1").toFixed(0)} | ${median(paired("ms", "import1")).toFixed(2)}x | - |`,
    );
    console.log(
      `| its CPU time (ms) | ${cpu("bare").toFixed(0)} | ${cpu("import1").toFixed(0)} | ${median(paired("cpu", "import1")).toFixed(2)}x | - |`,
    );
    console.log(`| its peak RSS (MB) | ${rss("bare")} | ${rss("import1")} | - | - |`);
    console.log(
      `| first re-scan in a fresh process, nothing new, vs \`find -printf '%s %T@'\` (stat only; ms) | ${m("find").toFixed(1)} | ${m("rescan").toFixed(1)} | ${(m("rescan") / m("find")).toFixed(2)}x | ≤ 2x |`,
    );
    console.log(
      `| re-scan in a process that ran it before (the daemon's case; ms) | ${m("find").toFixed(1)} | ${m("rescan-warm").toFixed(1)} | ${(m("rescan-warm") / m("find")).toFixed(2)}x | ≤ 2x |`,
    );
    console.log(`| peak RSS of the re-scan (MB) | ${rss("find")} | ${rss("rescan")} | - | - |`);
    console.log(
      `\nRatios are medians of each run's import over the bare loop run just before it; by run: ${paired(
        "ms",
      )
        .map((r) => `${r.toFixed(2)}x`)
        .join(", ")} (wall), ${paired("cpu")
        .map((r) => `${r.toFixed(2)}x`)
        .join(", ")} (CPU); in one thread: ${paired("ms", "import1")
        .map((r) => `${r.toFixed(2)}x`)
        .join(", ")} (wall).`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.main) await main();
