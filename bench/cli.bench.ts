// Benchmarks of the compiled executable (issue 6):
//  1. cold start of `agentwork status --json` on a database with 10,000 history rows, as a ratio
//     to the cold start of a compiled Bun "hello" binary (the floor any Bun executable pays);
//  2. the idle daemon's RSS and CPU over a minute, next to an idle compiled Bun binary measured
//     over the same minute.
// Every binary, the floor included, is compiled with scripts/compile-flags.ts (bytecode, splitting).
// Usage: bun bench/cli.bench.ts [--runs 15] [--idle-seconds 60] [--write]

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { COMPILE_FLAGS, ENTRYPOINTS } from "../scripts/compile-flags.ts";
import { systemClock } from "../src/core/clock.ts";
import { openStorage } from "../src/queue/storage.ts";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg("--runs", 15);
const IDLE_SECONDS = arg("--idle-seconds", 60);
const root = join(import.meta.dir, "..");
const work = mkdtempSync(join(tmpdir(), "agentwork-cli-bench-"));

function compile(entry: string | readonly string[], out: string): string {
  const entries = typeof entry === "string" ? [entry] : entry;
  const r = Bun.spawnSync(
    [process.execPath, "build", ...COMPILE_FLAGS, ...entries, "--outfile", out],
    {
      cwd: root,
      stdout: "pipe",
      stderr: "pipe",
    },
  );
  if (r.exitCode !== 0) throw new Error(r.stderr.toString());
  return out;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const bin = compile(ENTRYPOINTS, join(work, "agentwork"));
writeFileSync(join(work, "hello.ts"), 'console.log("{}");\n');
const hello = compile(join(work, "hello.ts"), join(work, "hello"));
// The same bundle embedded, printing before it evaluates any of it: what any agentwork command
// pays just for being this executable (written under bench/tmp so its imports resolve).
mkdirSync(join(root, "bench/tmp"), { recursive: true });
const bundleEntry = join(root, "bench/tmp/bundle-floor.ts");
writeFileSync(
  bundleEntry,
  'if (process.argv[2] === "floor") { console.log("{}"); process.exit(0); }\nawait import("../../src/main.ts");\n',
);
const bundleFloor = compile(bundleEntry, join(work, "bundle-floor"));
rmSync(bundleEntry);
writeFileSync(join(work, "idle.ts"), "setInterval(() => {}, 1 << 30);\n");
const idle = compile(join(work, "idle.ts"), join(work, "idle"));

// A database with 10,000 finished runs (and their items).
const db = join(work, "state", "agentwork.db");
const storage = openStorage(db, {
  clock: systemClock,
  ownerPid: process.pid,
  maxQueueDepth: 20_000,
});
storage.queue.store.write(() => {
  for (let i = 0; i < 10_000; i++) {
    const r = storage.queue.enqueue({
      type: "session-finalize",
      payload: { i },
      dedupKey: `k${i}`,
    });
    if (!r.ok) throw new Error("enqueue failed");
    const item = storage.queue.dequeue()!;
    const runId = storage.runs.start({
      itemId: item.id,
      attempt: 1,
      workType: item.type,
      target: item.dedupKey ?? "",
      startedAt: systemClock.now(),
    });
    storage.runs.finish(runId, {
      status: "completed",
      finishedAt: systemClock.now(),
      tokensIn: 1000,
      tokensOut: 100,
      costUsd: 0.01,
      outcome: "success",
    });
    storage.queue.complete(item);
  }
});
storage.close();

const home = join(work, "home");
mkdirSync(home, { recursive: true });
const env = { PATH: "/usr/bin:/bin", HOME: home };

function timeOnce(argv: string[]): number {
  const started = Bun.nanoseconds();
  const r = Bun.spawnSync(argv, { env, stdout: "pipe", stderr: "pipe" });
  const ms = (Bun.nanoseconds() - started) / 1e6;
  if (r.exitCode !== 0) throw new Error(`${argv.join(" ")}: ${r.stderr.toString()}`);
  return ms;
}

const status: number[] = [];
const floor: number[] = [];
const bundle: number[] = [];
const version: number[] = [];
timeOnce([bin, "status", "--json", "--db", db]); // warm the page cache once
for (let i = 0; i < RUNS; i++) {
  floor.push(timeOnce([hello]));
  bundle.push(timeOnce([bundleFloor, "floor"]));
  version.push(timeOnce([bin, "version"]));
  status.push(timeOnce([bin, "status", "--json", "--db", db]));
}

// Idle daemon vs idle Bun binary over the same wall-clock window.
function sample(pid: number) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
  const rss =
    Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024;
  const hwm =
    Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024;
  return { ticks, rss, hwm };
}
const ledger = join(work, "ledger");
mkdirSync(join(ledger, "sessions"), { recursive: true });
const daemon = Bun.spawn([bin, "daemon", "--ledger", ledger, "--db", join(work, "idle.db")], {
  env,
  stdout: "ignore",
  stderr: "pipe",
});
const reader = daemon.stderr.getReader();
for (let text = ""; !text.includes("watching"); ) {
  const { value, done } = await reader.read();
  if (done) throw new Error(`daemon exited: ${text}`);
  text += new TextDecoder().decode(value);
}
reader.releaseLock();
const idleProc = Bun.spawn([idle], { env, stdout: "ignore", stderr: "ignore" });
await Bun.sleep(1_000); // let both settle after start-up before the measured minute
const d0 = sample(daemon.pid);
const i0 = sample(idleProc.pid);
await Bun.sleep(IDLE_SECONDS * 1_000);
const d1 = sample(daemon.pid);
const i1 = sample(idleProc.pid);
daemon.kill("SIGTERM");
idleProc.kill("SIGKILL");
await Promise.all([daemon.exited, idleProc.exited]);
const HZ = 100;
const cpuPct = (a: number, b: number) => ((b - a) / HZ / IDLE_SECONDS) * 100;

const r = {
  status: median(status),
  version: median(version),
  floor: median(floor),
  bundle: median(bundle),
  daemonCpu: cpuPct(d0.ticks, d1.ticks),
  idleCpu: cpuPct(i0.ticks, i1.ticks),
  daemonRss: d1.rss,
  daemonHwm: d1.hwm,
  idleRss: i1.rss,
};
const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const report = `# CLI benchmark

Machine: ${cpus().length} CPUs, ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM,
Bun ${Bun.version}, ${new Date().toISOString().slice(0, 10)}. Load average at the end: ${load}.
Command: \`bun bench/cli.bench.ts --runs ${RUNS} --idle-seconds ${IDLE_SECONDS} --write\`.

## Cold start, database with 10,000 history rows (${RUNS} runs each, medians)

| command | median ms | ratio to a compiled Bun "hello" |
|---|---|---|
| compiled Bun hello (floor) | ${r.floor.toFixed(1)} | 1.00x |
| agentwork's bundle, printing before evaluating it | ${r.bundle.toFixed(1)} | ${(r.bundle / r.floor).toFixed(2)}x |
| \`agentwork version\` | ${r.version.toFixed(1)} | ${(r.version / r.floor).toFixed(2)}x |
| \`agentwork status --json\` | ${r.status.toFixed(1)} | ${(r.status / r.floor).toFixed(2)}x |

All runs (ms): status ${status.map((x) => x.toFixed(0)).join(", ")}; version ${version.map((x) => x.toFixed(0)).join(", ")}; hello ${floor.map((x) => x.toFixed(0)).join(", ")}.

## Idle daemon over ${IDLE_SECONDS} s (no sessions; measured beside an idle compiled Bun binary)

| process | CPU (% of one core) | RSS MB | peak RSS MB |
|---|---|---|---|
| idle compiled Bun binary (floor) | ${r.idleCpu.toFixed(3)} | ${r.idleRss.toFixed(1)} | - |
| \`agentwork daemon\` | ${r.daemonCpu.toFixed(3)} | ${r.daemonRss.toFixed(1)} | ${r.daemonHwm.toFixed(1)} |

CPU comes from /proc/<pid>/stat (utime+stime, 10 ms ticks), so values under 0.02% are below the
resolution of one minute's measurement.
`;
console.log(report);
if (process.argv.includes("--write")) writeFileSync(join(root, "bench/results/cli.md"), report);
rmSync(work, { recursive: true, force: true });
