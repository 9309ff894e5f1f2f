/**
 * Detection over a generated ledger of 10,000 sessions, against `find <ledger>/sessions
 * -maxdepth 2` on the same tree. Each measurement is a fresh process (so peak RSS is its own);
 * medians of several runs. Usage: bun bench/detect.bench.ts [sessions] [runs]
 * Writes nothing into the repo: data goes to a temp dir, results to stdout as markdown.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";

const HEADER = {
  type: "header",
  metadata: {
    version: "1.0",
    created_at: "2026-03-14T08:15:00Z",
    agent_id: "OxQ7mZ",
    agent_type: "claude-code",
    username: "dana",
  },
};
const BODY = [
  HEADER,
  { type: "user", content: "Why does the test flake?" },
  { type: "assistant", content: "Wall-clock time." },
]
  .map((l) => JSON.stringify(l))
  .join("\n");

/** 10% unfinalized, 5% header-only, 5% recording (fresh marker), the rest finalized. */
function generate(sessions: string, count: number, nowMs: number): number {
  mkdirSync(sessions, { recursive: true });
  let todo = 0;
  for (let i = 0; i < count; i++) {
    const dir = join(
      sessions,
      `2026-03-${String((i % 28) + 1).padStart(2, "0")}T10-00-user${i}-Ox${i.toString(36)}`,
    );
    mkdirSync(dir);
    const kind = i % 20;
    writeFileSync(join(dir, "raw.jsonl"), kind === 3 ? `${JSON.stringify(HEADER)}\n` : `${BODY}\n`);
    if (kind === 4)
      writeFileSync(
        join(dir, ".recording.json"),
        JSON.stringify({ started_at: new Date(nowMs).toISOString() }),
      );
    if (kind === 1 || kind === 2) todo++;
    else if (kind !== 3 && kind !== 4)
      for (const a of ["summary.md", "summary.json", "session.html", "session.md"])
        writeFileSync(join(dir, a), "x");
  }
  return todo;
}

async function child(ledger: string): Promise<void> {
  const { SessionFinalizeHandler } = await import("../src/handlers/session-finalize/handler.ts");
  const { silentLogger } = await import("../src/core/logger.ts");
  const { systemClock } = await import("../src/core/clock.ts");
  if (process.argv[4] === "--idle") return;
  const handler = new SessionFinalizeHandler({
    ledgerPath: ledger,
    scanDirs: [],
    qualityUploadThreshold: 0.3,
    qualityDiscardThreshold: 0.1,
    gitPush: false,
    clock: systemClock,
    logger: silentLogger(),
  });
  let t0 = performance.now();
  const items = await handler.detect(ledger);
  const coldMs = performance.now() - t0;
  t0 = performance.now();
  await handler.detect(ledger);
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ ms, coldMs, items: items.length }));
}

/** Runs argv under /usr/bin/time to learn its own peak RSS (getrusage of children is cumulative). */
export function timed(argv: string[]): { stdout: string; maxRssKb: number } {
  const r = Bun.spawnSync(["/usr/bin/time", "-f", "MAXRSS=%M", ...argv], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const rss = Number(r.stderr.toString().match(/MAXRSS=(\d+)/)?.[1] ?? Number.NaN);
  if (r.exitCode !== 0) throw new Error(`${argv.join(" ")} failed: ${r.stderr.toString()}`);
  return { stdout: r.stdout.toString(), maxRssKb: rss };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export function machine(): string {
  const cpu =
    readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.+)/)?.[1] ??
    cpus()[0]?.model ??
    "?";
  return `${cpus().length} CPUs (nproc), ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Bun ${Bun.version}, ${new Date().toISOString().slice(0, 10)}`;
}

async function main(): Promise<void> {
  if (process.argv[2] === "--child") return child(process.argv[3] as string);
  const count = Number(process.argv[2] ?? 10_000);
  const runs = Number(process.argv[3] ?? 7);
  const root = mkdtempSync(join(tmpdir(), "agentwork-bench-detect-"));
  try {
    const ledger = join(root, "ledger");
    const todo = generate(join(ledger, "sessions"), count, Date.now());
    const findMs: number[] = [];
    const findRss: number[] = [];
    const detMs: number[] = [];
    const detColdMs: number[] = [];
    const detWallMs: number[] = [];
    const detRss: number[] = [];
    const baseRss: number[] = [];
    for (let r = 0; r < runs; r++) {
      let t0 = performance.now();
      const f = timed(["find", join(ledger, "sessions"), "-maxdepth", "2"]);
      findMs.push(performance.now() - t0);
      findRss.push(f.maxRssKb);
      t0 = performance.now();
      const d = timed([process.execPath, import.meta.path, "--child", ledger]);
      detWallMs.push(performance.now() - t0);
      const out = JSON.parse(d.stdout) as { ms: number; coldMs: number; items: number };
      if (out.items !== todo) throw new Error(`detected ${out.items}, expected ${todo}`);
      detMs.push(out.ms);
      detColdMs.push(out.coldMs);
      detRss.push(d.maxRssKb);
      baseRss.push(
        timed([process.execPath, import.meta.path, "--child", ledger, "--idle"]).maxRssKb,
      );
    }
    const mb = (kb: number) => (kb / 1024).toFixed(1);
    const fm = median(findMs);
    console.log(`# Detection benchmark\n\nMachine: ${machine()}\n`);
    console.log(
      `Ledger: ${count} sessions (${todo} unfinalized, 5% header-only, 5% recording, rest finalized); ${runs} runs, medians; page cache warm.\n`,
    );
    console.log("| measure | find -maxdepth 2 | detect() | ratio |\n|---|---|---|---|");
    console.log(
      `| time: detect() in a warm process vs find's wall time incl. spawn (ms) | ${fm.toFixed(1)} | ${median(detMs).toFixed(1)} | ${(median(detMs) / fm).toFixed(2)}x |`,
    );
    console.log(
      `| time: first detect() in a fresh process (ms) | ${fm.toFixed(1)} | ${median(detColdMs).toFixed(1)} | ${(median(detColdMs) / fm).toFixed(2)}x |`,
    );
    console.log(
      `| wall time of a whole process incl. Bun start and two passes (ms) | ${fm.toFixed(1)} | ${median(detWallMs).toFixed(1)} | ${(median(detWallMs) / fm).toFixed(2)}x |`,
    );
    console.log(
      `| peak RSS (MB) | ${mb(median(findRss))} | ${mb(median(detRss))} | ${(median(detRss) / median(findRss)).toFixed(1)}x |`,
    );
    console.log(
      `| peak RSS above the same process that only loads the modules (${mb(median(baseRss))} MB) | - | ${mb(median(detRss) - median(baseRss))} | - |`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.main) await main();
