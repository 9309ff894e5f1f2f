/**
 * Queue benchmark (issue 2): per-item transactions on a file database in WAL.
 *
 * For each round, in one process and on fresh database files under os.tmpdir(), three
 * implementations do the same work on N items:
 *   - agentwork: openStorage() + WorkQueue.enqueue (unique dedup key) / dequeue / complete,
 *     full semantics (bounded depth, dedup index, lease + attempt fence, BEGIN IMMEDIATE for
 *     the two-statement enqueue, single autocommit statements for claim and complete).
 *   - raw floor: the same schema (openDatabase, so migrations apply) and the SAME SQL text as
 *     src/db/work-item-store.ts, hand-written with bun:sqlite prepared statements, run the same
 *     way (enqueue in `db.transaction(fn).immediate()`, claim and complete on their own); no row
 *     mapping, JSON parse or uuid generation (ids and payload text are precomputed outside the
 *     timed loop).
 *   - plainjob (devDependency): its bun() adapter, queue.add() per item, then
 *     getAndMarkJobAsProcessing(type) + markJobAsDone(id) per item. No dedup/priority/retries.
 * The order of the three rotates through all six permutations across rounds.
 *
 * Run:   ./node_modules/.bin/bun bench/queue.bench.ts [--rounds 6] [--items 10000] [--write]
 * --write writes bench/results/queue.md.
 */
import { Database, type SQLQueryBindings, type Statement } from "bun:sqlite";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, freemem, release, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { defineQueue, JobStatus, type Logger, bun as plainjobBun } from "plainjob";
import { v7 as uuidv7 } from "uuid";
import { type Clock, systemClock } from "../src/core/clock.ts";
import { openDatabase } from "../src/db/open-database.ts";
import { openStorage } from "../src/queue/storage.ts";

type Impl = "agentwork" | "raw" | "plainjob";
const IMPLS: readonly Impl[] = ["agentwork", "raw", "plainjob"];

interface PhaseResult {
  enqueueOps: number;
  claimCompleteOps: number;
  /** CPU time (user + system) per item, microseconds. */
  enqueueCpuUs: number;
  claimCompleteCpuUs: number;
  /** RSS right after the phase (process-wide; the three share one process). */
  rssAfterMb: number;
}

/** Medians over rounds; *CpuOps are items per CPU-second of this process (1e6 / median µs). */
type Medians = Record<
  Impl,
  {
    enqueueOps: number;
    claimCompleteOps: number;
    enqueueCpuOps: number;
    claimCompleteCpuOps: number;
  }
>;

interface RoundResult {
  round: number;
  order: Impl[];
  results: Record<Impl, PhaseResult>;
}

const args = parseArgs(process.argv.slice(2));
const N = args.items;
const ROUNDS = args.rounds;
const MAX_QUEUE_DEPTH = 20_000;
const clock: Clock = systemClock;
const silentLogger: Logger = { error() {}, warn() {}, info() {}, debug() {} };

// ---------------------------------------------------------------- agentwork

function runAgentwork(dir: string, n: number): PhaseResult {
  const storage = openStorage(join(dir, "agentwork.db"), {
    clock,
    ownerPid: process.pid,
    maxQueueDepth: MAX_QUEUE_DEPTH,
  });
  const queue = storage.queue;
  try {
    const t0 = mark(true);
    for (let i = 0; i < n; i++) {
      const result = queue.enqueue({ type: "bench", payload: { i }, dedupKey: `key-${i}` });
      if (!result.ok) throw new Error(`agentwork enqueue ${i} rejected: ${result.reason}`);
    }
    const t1 = mark();
    const t1Start = mark(true);
    let done = 0;
    for (;;) {
      const item = queue.dequeue();
      if (item === null) break;
      queue.complete(item);
      done++;
    }
    const t2 = mark();
    if (done !== n) throw new Error(`agentwork processed ${done} of ${n}`);
    const counts = queue.counts();
    if (counts.done !== n) throw new Error(`agentwork: ${counts.done} done, expected ${n}`);
    return phase(n, t0, t1, t1Start, t2);
  } finally {
    storage.close();
  }
}

// ---------------------------------------------------------------- raw floor

// The SQL text below is copied from src/db/work-item-store.ts (WAITING, WAITING_COUNT expanded).
const WAITING = "state IN ('queued', 'retry_wait')";
const WAITING_COUNT = `(SELECT sum(items) FROM state_counts WHERE ${WAITING})`;
const SQL_DEPTH_UP_TO = `SELECT ${WAITING_COUNT} AS n`;
const SQL_INSERT = `INSERT INTO work_items (id, type, priority, dedup_key, active_dedup_key, payload, state,
         attempts, max_attempts, run_after, created_at, updated_at)
       SELECT ?1, ?2, ?3, ?4, ?4, ?5, 'queued', 0, ?6, ?7, ?8, ?9
       WHERE ${WAITING_COUNT} < ?10
       ON CONFLICT DO NOTHING RETURNING *`;
const SQL_CLAIM = `UPDATE work_items SET state = 'running', attempts = attempts + 1, lease_owner_pid = ?1,
         lease_expires_at = ?2, updated_at = ?3
       WHERE id = (SELECT id FROM work_items INDEXED BY work_items_claim
                   WHERE ${WAITING} AND run_after <= ?4
                     AND (?5 IS NULL OR type IN (SELECT value FROM json_each(?5)))
                   ORDER BY priority, created_at, id LIMIT 1)
       RETURNING *`;
const SQL_COMPLETE = `UPDATE work_items SET state = 'done', active_dedup_key = NULL, lease_owner_pid = NULL,
         lease_expires_at = NULL, last_error = NULL, finished_at = ?1, updated_at = ?2
       WHERE id = ?3 AND state = 'running' AND attempts = ?4`;

/** Fails loudly if the copies above drifted from the store's SQL (whitespace-insensitive). */
function assertSameSqlAsStore(): void {
  const squash = (text: string) => text.replace(/\s+/g, " ");
  const source = squash(
    readFileSync(join(import.meta.dir, "..", "src", "db", "work-item-store.ts"), "utf8")
      // the store interpolates these constants into its SQL
      .replaceAll("$" + "{WAITING_COUNT}", WAITING_COUNT)
      .replaceAll("$" + "{WAITING}", WAITING),
  );
  for (const sql of [SQL_DEPTH_UP_TO, SQL_INSERT, SQL_CLAIM, SQL_COMPLETE]) {
    if (!source.includes(squash(sql))) {
      throw new Error(`raw floor SQL differs from src/db/work-item-store.ts:\n${sql}`);
    }
  }
}

interface RawRow {
  id: string;
  attempts: number;
}

function runRaw(dir: string, n: number): PhaseResult {
  const opened = openDatabase(join(dir, "raw.db"), { clock });
  const db = opened.sqlite;
  try {
    const depthNow: Statement<{ n: number }, []> = db.prepare(SQL_DEPTH_UP_TO);
    const insert: Statement<RawRow, SQLQueryBindings[]> = db.prepare(SQL_INSERT);
    const claim: Statement<RawRow, [number, number, number, number, string | null]> =
      db.prepare(SQL_CLAIM);
    const complete: Statement<unknown, [number, number, string, number]> = db.prepare(SQL_COMPLETE);
    const pid = process.pid;
    const leaseMs = 120_000;

    // Precomputed outside the timed loop: the floor pays no uuid or JSON cost.
    const base = Date.now();
    const ids = Array.from({ length: n }, (_, i) => uuidv7({ msecs: base + (i >> 4) }));
    const keys = Array.from({ length: n }, (_, i) => `key-${i}`);
    const payloads = Array.from({ length: n }, (_, i) => `{"i":${i}}`);

    // One statement, as the store runs it: the cap check is inside the INSERT.
    const enqueueOne = (i: number, now: number) => {
      const row = insert.get(
        ids[i]!,
        "bench",
        0,
        keys[i]!,
        payloads[i]!,
        3,
        now,
        now,
        now,
        MAX_QUEUE_DEPTH,
      );
      return (row ?? (depthNow.get()?.n ?? 0) < MAX_QUEUE_DEPTH) ? row : null;
    };
    // Claim and complete are single statements, which the store runs on their own (autocommit).
    const claimOne = (now: number) => claim.get(pid, now + leaseMs, now, now, null);
    const completeOne = (id: string, attempt: number, now: number) =>
      complete.run(now, now, id, attempt).changes === 1;

    const t0 = mark(true);
    for (let i = 0; i < n; i++) {
      if (!enqueueOne(i, Date.now())) throw new Error(`raw enqueue ${i} rejected`);
    }
    const t1 = mark();
    const t1Start = mark(true);
    let done = 0;
    for (;;) {
      const row = claimOne(Date.now());
      if (!row) break;
      if (!completeOne(row.id, row.attempts, Date.now())) throw new Error("raw fence");
      done++;
    }
    const t2 = mark();
    if (done !== n) throw new Error(`raw processed ${done} of ${n}`);
    const left = db.query("SELECT count(*) AS n FROM work_items WHERE state = 'done'").get() as {
      n: number;
    };
    if (left.n !== n) throw new Error(`raw: ${left.n} done, expected ${n}`);
    return phase(n, t0, t1, t1Start, t2);
  } finally {
    opened.close();
  }
}

// ---------------------------------------------------------------- plainjob

function runPlainjob(dir: string, n: number): PhaseResult {
  // strict: plainjob binds @named parameters without the prefix (as in peers.md section 4).
  const connection = plainjobBun(new Database(join(dir, "plainjob.db"), { strict: true }));
  const queue = defineQueue({ connection, logger: silentLogger }); // sets WAL, synchronous=1
  try {
    const t0 = mark(true);
    for (let i = 0; i < n; i++) queue.add("bench", { i });
    const t1 = mark();
    const t1Start = mark(true);
    let done = 0;
    for (;;) {
      const job = queue.getAndMarkJobAsProcessing("bench");
      if (!job) break;
      queue.markJobAsDone(job.id);
      done++;
    }
    const t2 = mark();
    if (done !== n) throw new Error(`plainjob processed ${done} of ${n}`);
    const doneCount = queue.countJobs({ type: "bench", status: JobStatus.Done });
    if (doneCount !== n) throw new Error(`plainjob: ${doneCount} done, expected ${n}`);
    return phase(n, t0, t1, t1Start, t2);
  } finally {
    queue.close(); // stops its maintenance interval and closes the database
  }
}

// ---------------------------------------------------------------- driver

const RUNNERS: Record<Impl, (dir: string, n: number) => PhaseResult> = {
  agentwork: runAgentwork,
  raw: runRaw,
  plainjob: runPlainjob,
};

interface Mark {
  wallMs: number;
  cpuUs: number;
}

/** Wall clock plus this process's CPU time (user + system), which other load disturbs less. */
/**
 * Timestamps; a phase's opening mark collects first, so no phase pays for garbage another phase (or its own enqueue loop)
 * left behind: agentwork's enqueue allocates ids, JSON and row objects, the raw floor's inputs are
 * precomputed, and without this the collector ran inside whichever timed loop came next.
 */
function mark(collectFirst = false): Mark {
  if (collectFirst) Bun.gc(true);
  const cpu = process.cpuUsage();
  return { wallMs: performance.now(), cpuUs: cpu.user + cpu.system };
}

/** `t1` closes the enqueue phase; `t1Start` (after its collection) opens claim + complete. */
function phase(n: number, t0: Mark, t1: Mark, t1Start: Mark, t2: Mark): PhaseResult {
  return {
    enqueueOps: n / ((t1.wallMs - t0.wallMs) / 1000),
    claimCompleteOps: n / ((t2.wallMs - t1Start.wallMs) / 1000),
    enqueueCpuUs: (t1.cpuUs - t0.cpuUs) / n,
    claimCompleteCpuUs: (t2.cpuUs - t1Start.cpuUs) / n,
    rssAfterMb: process.memoryUsage().rss / 2 ** 20,
  };
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((first, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [first, ...rest]),
  );
}

function runRound(round: number, order: Impl[], n: number): RoundResult {
  const dir = mkdtempSync(join(tmpdir(), "agentwork-queue-bench-"));
  try {
    const results = {} as Record<Impl, PhaseResult>;
    for (const impl of order) {
      Bun.gc(true);
      results[impl] = RUNNERS[impl](dir, n);
    }
    return { round, order, results };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function main(): void {
  assertSameSqlAsStore();
  const orders = permutations(IMPLS);
  // Warm-up (JIT, page cache), discarded.
  runRound(0, orders[0]!, Math.min(N, 1_000));

  const rounds: RoundResult[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const round = runRound(r + 1, orders[r % orders.length]!, N);
    rounds.push(round);
    const cells = IMPLS.map(
      (impl) =>
        `${impl} ${fmt(round.results[impl].enqueueOps)}/${fmt(round.results[impl].claimCompleteOps)}`,
    );
    console.error(`round ${r + 1} [${round.order.join(" > ")}]: ${cells.join(", ")}`);
  }

  const med = Object.fromEntries(
    IMPLS.map((impl) => {
      const of = (key: keyof PhaseResult) => median(rounds.map((r) => r.results[impl][key]));
      return [
        impl,
        {
          enqueueOps: of("enqueueOps"),
          claimCompleteOps: of("claimCompleteOps"),
          enqueueCpuOps: 1e6 / of("enqueueCpuUs"),
          claimCompleteCpuOps: 1e6 / of("claimCompleteCpuUs"),
        },
      ];
    }),
  ) as Medians;
  const peakRssMb = process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB

  const summary = summaryTable(med);
  console.log(summary);
  console.log(
    `\nPeak RSS of the whole process (all three, ${ROUNDS} rounds): ${peakRssMb.toFixed(0)} MiB`,
  );

  if (args.write) {
    const path = join(import.meta.dir, "results", "queue.md");
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, report(rounds, med, summary, peakRssMb));
    console.log(`\nwrote ${path}`);
  }
}

function summaryTable(med: Medians): string {
  const aw = med.agentwork;
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
  const vs = (other: Impl, target: string) =>
    `| **agentwork / ${other}** | ${ratio(aw.enqueueOps, med[other].enqueueOps)} | **${ratio(aw.claimCompleteOps, med[other].claimCompleteOps)}** (target ${target}) | ${ratio(aw.enqueueCpuOps, med[other].enqueueCpuOps)} | ${ratio(aw.claimCompleteCpuOps, med[other].claimCompleteCpuOps)} |`;
  const lines = [
    `Medians of ${ROUNDS} rounds, ${N.toLocaleString("en-US")} items; higher is better. Wall = items per`,
    "second of elapsed time (the headline figure). CPU = items per CPU-second of this process",
    "(user + system), a secondary figure that other processes on the machine disturb less.",
    "",
    "| Implementation | Enqueue ops/s (wall) | Claim + complete ops/s (wall) | Enqueue ops/CPU-s | Claim + complete ops/CPU-s |",
    "|---|---:|---:|---:|---:|",
    ...IMPLS.map(
      (impl) =>
        `| ${impl} | ${fmt(med[impl].enqueueOps)} | ${fmt(med[impl].claimCompleteOps)} | ${fmt(med[impl].enqueueCpuOps)} | ${fmt(med[impl].claimCompleteCpuOps)} |`,
    ),
    vs("raw", ">= 0.80x"),
    vs("plainjob", "> 1.00x"),
  ];
  return lines.join("\n");
}

function report(rounds: RoundResult[], med: Medians, summary: string, peakRssMb: number): string {
  const probe = new Database(":memory:");
  const sqliteVersion = (probe.query("select sqlite_version() AS v").get() as { v: string }).v;
  probe.close();
  const plainjobVersion = (
    JSON.parse(readFileSync(require.resolve("plainjob/package.json"), "utf8")) as {
      version: string;
    }
  ).version;
  const cpuModel = cpus()[0]?.model ?? "unknown";
  const nproc = safe(() => execFileSync("nproc", { encoding: "utf8" }).trim(), "?");
  const load = safe(() => readFileSync("/proc/loadavg", "utf8").trim(), "?");
  const git = (...a: string[]) =>
    safe(() => execFileSync("git", a, { cwd: import.meta.dir, encoding: "utf8" }), "?");
  const commit = git("rev-parse", "--short", "HEAD").trim();
  // Porcelain lines are "XY path"; do not trim the first line's leading status column.
  const dirty = git("status", "--porcelain", "--", "../src/db", "../src/queue")
    .split("\n")
    .filter((line) => line.length > 3)
    .map((line) => line.slice(3));
  const aw = med.agentwork;
  const perRound = [
    "| Round | Order | agentwork enq | agentwork c+c | raw enq | raw c+c | plainjob enq | plainjob c+c | RSS after (MiB, aw/raw/pj) |",
    "|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ...rounds.map((r) => {
      const x = r.results;
      return `| ${r.round} | ${r.order.join(" > ")} | ${fmt(x.agentwork.enqueueOps)} | ${fmt(x.agentwork.claimCompleteOps)} | ${fmt(x.raw.enqueueOps)} | ${fmt(x.raw.claimCompleteOps)} | ${fmt(x.plainjob.enqueueOps)} | ${fmt(x.plainjob.claimCompleteOps)} | ${x.agentwork.rssAfterMb.toFixed(0)}/${x.raw.rssAfterMb.toFixed(0)}/${x.plainjob.rssAfterMb.toFixed(0)} |`;
    }),
  ];
  const perRoundCpu = [
    "| Round | agentwork enq | agentwork c+c | raw enq | raw c+c | plainjob enq | plainjob c+c |",
    "|---:|---:|---:|---:|---:|---:|---:|",
    ...rounds.map((r) => {
      const cells = IMPLS.flatMap((impl) => [
        r.results[impl].enqueueCpuUs.toFixed(1),
        r.results[impl].claimCompleteCpuUs.toFixed(1),
      ]);
      return `| ${r.round} | ${cells.join(" | ")} |`;
    }),
  ];
  return `# Queue benchmark (issue 2)

Generated by \`bench/queue.bench.ts\` on ${new Date().toISOString()}.

Rerun: \`./node_modules/.bin/bun bench/queue.bench.ts --rounds ${ROUNDS} --items ${N} --write\`
(without \`--write\` it only prints).

## Result

${summary}

Claim + complete: agentwork is **${((aw.claimCompleteOps / med.raw.claimCompleteOps) * 100).toFixed(0)}%** of the raw floor
and **${(aw.claimCompleteOps / med.plainjob.claimCompleteOps).toFixed(2)}x** plainjob.
Enqueue: agentwork is **${((aw.enqueueOps / med.raw.enqueueOps) * 100).toFixed(0)}%** of the raw floor
and **${(aw.enqueueOps / med.plainjob.enqueueOps).toFixed(2)}x** plainjob.

**Noise:** the machine has ${nproc} cores and is shared with other engineers running test suites
(load average at the end of this run: \`${load}\`), so single runs swing by tens of percent.
The figures are **medians of ${ROUNDS} rounds**; every per-round number is below. Ratios are
ratios of medians.

## What each implementation does per item

All three run in one Bun process, one after the other, on fresh database files in a temp dir
under \`os.tmpdir()\` (a new dir per round, deleted afterwards). The order rotates through all six
permutations across rounds; a discarded warm-up round of 1,000 items comes first. Each operation
is one write transaction (explicit, or one autocommit statement); WAL, \`synchronous=NORMAL\`
in all three.

- **agentwork**: \`openStorage(file, { clock: systemClock, ownerPid: process.pid, maxQueueDepth: ${MAX_QUEUE_DEPTH} })\`.
  Enqueue: \`queue.enqueue({ type, payload: { i }, dedupKey: "key-" + i })\` (UUIDv7 id, JSON payload,
  BEGIN IMMEDIATE; bounded depth count; \`INSERT … ON CONFLICT DO NOTHING RETURNING *\`; COMMIT; row
  mapped to a WorkItem). Claim + complete: \`queue.dequeue()\` (one autocommit
  \`UPDATE … WHERE id = (SELECT … ORDER BY priority, created_at, id LIMIT 1) RETURNING *\` with lease
  owner/expiry, which takes the write lock when it starts; row mapped, payload parsed), then
  \`queue.complete(item)\` (one autocommit \`UPDATE … WHERE id = ? AND state = 'running' AND
  attempts = ?\`, the fence).
- **raw**: the same schema (\`openDatabase\`, so the migrations and pragmas are identical) and the
  same SQL text copied from \`src/db/work-item-store.ts\`, as bun:sqlite prepared statements run
  the same way (enqueue in \`db.transaction(fn).immediate(...)\`, built once; claim and complete
  on their own). No row mapping, no JSON, no uuid generation: ids (UUIDv7), dedup keys and payload
  text are precomputed before the timer starts.
- **plainjob ${plainjobVersion}**: \`defineQueue({ connection: bun(new Database(file, { strict: true })) })\`
  (it sets WAL, \`synchronous=1\`, \`busy_timeout=5000\`). Enqueue: \`queue.add("bench", { i })\`
  (one autocommit INSERT). Claim + complete: \`queue.getAndMarkJobAsProcessing("bench")\` (BEGIN
  IMMEDIATE; SELECT id; UPDATE status; COMMIT) then \`queue.markJobAsDone(id)\` (one autocommit
  UPDATE). This is the public per-job path its worker uses, minus the worker's extra per-job
  \`getJobById\` reads and its cron check (\`getAndMarkScheduledJobAsProcessing\`, another BEGIN
  IMMEDIATE), so it is plainjob's fastest path. plainjob has **no dedup, priority, retries,
  lease owner or attempt fence**; agentwork has all of them on here.

## Notes

- The claim subquery reads \`work_items INDEXED BY work_items_claim\`. With an earlier schema
  that also had an index on \`state\`, SQLite (no ANALYZE statistics) chose that one plus a temp
  B-tree sort of every waiting row on each claim, O(queue length): agentwork and the raw floor then
  did only ~1,000-1,200 claim + complete/s at 10,000 items. The hint keeps a future index from
  silently changing the plan (preparing fails loudly if the claim index is renamed).
- The schema keeps two secondary indexes on \`work_items\`: the claim index and the unique
  dedup index. Indexes on state, lease expiry and finish time were dropped: each cost every claim
  and completion an extra B-tree update (raw floor: about 10.6k → 19k claim + complete/s without
  them), while the queries they served (status counts, rescue, prune) run rarely and over small
  sets. The dedup index is on \`active_dedup_key\` (the key while the item is active, NULL once
  final, tied to \`state\` by a CHECK) rather than on \`dedup_key\` filtered by state: a claim
  changes \`state\` but not that column, so it no longer rewrites the dedup index, one page less
  per commit (about 20% faster claim + complete on the raw floor in a side experiment).
- The queue cap (\`maxQueueDepth: ${MAX_QUEUE_DEPTH}\`) costs O(1): triggers on work_items keep
  the number of items per state in \`state_counts\` (migration 0005; \`status\` reads the same
  rows instead of scanning every item), and the enqueue is one
  statement whose INSERT … SELECT reads it (before: a bounded \`count(*)\` over up to
  max_queue_depth index entries inside a BEGIN IMMEDIATE, 0.08-0.15x plainjob at this cap). The
  same statement runs in the raw floor; plainjob has no depth cap, no dedup and no RETURNING.

## Per-round numbers

Wall-clock ops/s:

${perRound.join("\n")}

CPU time per item (µs, user + system of the whole process during the phase):

${perRoundCpu.join("\n")}

RSS: all three share one process, so memory is not separable per implementation; the column is
the process RSS right after each one finished. Peak RSS of the whole process: **${peakRssMb.toFixed(0)} MiB**.

## Environment

- Machine: ${nproc} cores (\`nproc\`), ${cpuModel}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (${(freemem() / 2 ** 30).toFixed(1)} GiB free at the end), Linux ${release()}
- Bun ${Bun.version} (${Bun.revision.slice(0, 9)}), SQLite ${sqliteVersion} (bundled with Bun), plainjob ${plainjobVersion}
- Code: commit \`${commit}\`${dirty.length ? `, with uncommitted changes in ${dirty.map((f) => `\`${f}\``).join(", ")}` : " (src/db and src/queue clean)"}
- Temp dir: \`${tmpdir()}\`
- Date: ${new Date().toISOString()}
`;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

function parseArgs(argv: string[]): { rounds: number; items: number; write: boolean } {
  const out = { rounds: 6, items: 10_000, write: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--write") out.write = true;
    else if (a === "--rounds") out.rounds = positive(argv[++i], a);
    else if (a === "--items") out.items = positive(argv[++i], a);
    else throw new Error(`unknown argument ${a}; usage: [--rounds N] [--items N] [--write]`);
  }
  if (out.rounds < 5) console.error("warning: fewer than 5 rounds; medians will be noisy");
  return out;
}

function positive(value: string | undefined, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer`);
  return n;
}

main();
