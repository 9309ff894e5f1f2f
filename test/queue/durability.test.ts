import { describe, expect, test } from "bun:test";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AgentworkError } from "../../src/core/errors.ts";
import { isProcessAlive } from "../../src/core/process.ts";
import { embeddedMigrations } from "../../src/db/migrations.gen.ts";
import { openDatabase } from "../../src/db/open-database.ts";
import { rescueAbandoned } from "../../src/queue/rescuer.ts";
import { openStorage } from "../../src/queue/storage.ts";
import { FakeClock } from "../support/clock.ts";
import { openTestStorage } from "../support/storage.ts";
import { tempDir } from "../support/tmp.ts";

const CHILD = join(import.meta.dir, "../support/queue-child.ts");

function child(args: string[]) {
  return Bun.spawn([process.execPath, CHILD, ...args], { stdout: "pipe", stderr: "pipe" });
}

async function firstLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of stream) {
    text += decoder.decode(chunk, { stream: true });
    if (text.includes("\n")) break;
  }
  return text.slice(0, text.indexOf("\n"));
}

describe("schema", () => {
  test("every table is STRICT and the embedded migrations match migrations/", () => {
    const { db } = openTestStorage();
    const tables = db.sqlite
      .query<{ name: string; strict: number }, []>(
        "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'",
      )
      .all();
    expect(tables.length).toBeGreaterThanOrEqual(6);
    expect(tables.filter((t) => t.strict !== 1)).toEqual([]);
    const folder = readdirSync(join(import.meta.dir, "../../migrations"))
      .filter((f) => f.endsWith(".sql"))
      .map((f) => f.replace(/\.sql$/, ""))
      .sort();
    expect(embeddedMigrations.map((m) => m.tag)).toEqual(folder);
  });

  test("CHECK constraints reject an unknown state and a lease on a non-running item", () => {
    const { db } = openTestStorage();
    const insert = (state: string, lease: number | null) =>
      db.sqlite.run(
        `INSERT INTO work_items (id, type, priority, payload, state, attempts, max_attempts, run_after,
           lease_owner_pid, lease_expires_at, created_at, updated_at)
         VALUES ('x', 't', 0, '{}', ?, 0, 3, 0, ?, ?, 0, 0)`,
        [state, lease, lease],
      );
    expect(() => insert("paused", null)).toThrow(/CHECK constraint failed/);
    expect(() => insert("queued", 1)).toThrow(/CHECK constraint failed/);
    // The dedup column must hold the key exactly while the item is active.
    const withKey = (state: string, active: string | null, finished: number | null) =>
      db.sqlite.run(
        `INSERT INTO work_items (id, type, priority, dedup_key, active_dedup_key, payload, state,
           attempts, max_attempts, run_after, created_at, updated_at, finished_at)
         VALUES (?, 't', 0, 'k', ?, '{}', ?, 0, 3, 0, 0, 0, ?)`,
        [`${state}-${active}`, active, state, finished],
      );
    expect(() => withKey("queued", null, null)).toThrow(/CHECK constraint failed/);
    expect(() => withKey("done", "k", 1)).toThrow(/CHECK constraint failed/);
    withKey("queued", "k", null);
    withKey("done", null, 1);
  });

  test("readable views show ISO-8601 times", () => {
    const storage = openTestStorage();
    storage.queue.enqueue({ type: "t", payload: {}, dedupKey: "v" });
    const row = storage.db.sqlite
      .query<{ created_at_iso: string }, []>("SELECT created_at_iso FROM work_items_readable")
      .get();
    expect(row?.created_at_iso).toBe(new Date(storage.clock.now()).toISOString());
  });
});

describe("restart and crash", () => {
  test("a restart keeps queued items, attempts, history and stats", () => {
    const first = openTestStorage();
    first.queue.enqueue({ type: "t", payload: { n: 1 }, dedupKey: "keep" });
    first.queue.enqueue({ type: "t", payload: { n: 2 }, dedupKey: "retry" });
    const claimed = first.queue.dequeue()!;
    const runId = first.runs.start({
      itemId: claimed.id,
      attempt: claimed.attempts,
      workType: "t",
      target: "keep",
      startedAt: first.clock.now(),
    });
    first.runs.finish(runId, {
      status: "failed",
      finishedAt: first.clock.now() + 5,
      error: "boom",
      tokensIn: 7,
      tokensOut: 9,
      costUsd: 0.25,
    });
    first.queue.fail(claimed, new AgentworkError("E_AGENT_SERVER", "boom"));
    const second = first.reopen();
    expect(second.queue.counts()).toMatchObject({ queued: 1, retry_wait: 1 });
    expect(second.queue.get(claimed.id)).toMatchObject({ attempts: 1, lastError: "boom" });
    expect(second.runs.recent(10)).toMatchObject([
      { status: "failed", error: "boom", tokensIn: 7, durationMs: 5 },
    ]);
    expect(second.runs.stats()).toMatchObject({ agentRuns: 1, failures: 0, costUsd: 0.25 });
  });

  test("items claimed by a process killed with SIGKILL are rescued: none lost, none run twice", async () => {
    const clock = new FakeClock();
    const path = join(tempDir(), "crash.db");
    const seed = openStorage(path, { clock, ownerPid: process.pid });
    for (let i = 0; i < 10; i++)
      seed.queue.enqueue({ type: "t", payload: { i }, dedupKey: `c${i}` });
    seed.close();

    const proc = child(["claim", path, "5", "2", String(clock.now())]);
    const report = JSON.parse(await firstLine(proc.stdout)) as {
      claimed: string[];
      completed: string[];
    };
    proc.kill("SIGKILL");
    await proc.exited;
    expect(report.claimed).toHaveLength(5);

    const storage = openTestStorage({ path, clock });
    const { rescued } = rescueAbandoned({
      queue: storage.queue,
      runs: storage.runs,
      transaction: storage.transaction,
      now: clock.now(),
      isOwnerAlive: isProcessAlive,
    });
    expect(rescued.map((i) => i.id).sort()).toEqual(report.claimed.slice(2).sort());
    expect(rescued.every((i) => i.state === "retry_wait" && i.attempts === 1)).toBe(true);

    const processed: string[] = [];
    for (let item = storage.queue.dequeue(); item; item = storage.queue.dequeue()) {
      processed.push(item.id);
      storage.queue.complete(item);
    }
    expect(processed).toHaveLength(8);
    expect(new Set(processed).size).toBe(8);
    expect(processed.some((id) => report.completed.includes(id))).toBe(false);
    expect(storage.queue.counts()).toMatchObject({ done: 10, running: 0, queued: 0 });
  });

  test("two processes enqueueing the same keys concurrently produce one row per key", async () => {
    const path = join(tempDir(), "race.db");
    const clock = new FakeClock();
    openStorage(path, { clock, ownerPid: process.pid }).close();
    const procs = [0, 1].map(() => child(["enqueue", path, "400", String(clock.now())]));
    const outputs = await Promise.all(procs.map((p) => new Response(p.stdout).text()));
    expect(await Promise.all(procs.map((p) => p.exited))).toEqual([0, 0]);
    const accepted = outputs.map((o) => (JSON.parse(o) as { accepted: number }).accepted);
    expect(accepted[0]! + accepted[1]!).toBe(400);
    const storage = openTestStorage({ path, clock });
    const perKey = storage.db.sqlite
      .query<{ n: number }, []>(
        "SELECT count(*) AS n FROM work_items GROUP BY dedup_key HAVING n > 1",
      )
      .all();
    expect(perKey).toEqual([]);
    expect(storage.queue.len()).toBe(400);
  });
});

describe("bad database files", () => {
  test("a corrupt file gives E_DB_CORRUPT naming the file, not a stack trace", () => {
    const path = join(tempDir(), "corrupt.db");
    writeFileSync(path, "this is not a database ".repeat(400));
    try {
      openDatabase(path, { clock: new FakeClock() });
      throw new Error("expected a failure");
    } catch (error) {
      expect(error).toBeInstanceOf(AgentworkError);
      expect((error as AgentworkError).code).toBe("E_DB_CORRUPT");
      expect((error as AgentworkError).message).toContain(path);
    }
  });

  test("a database locked by another writer gives E_DB_LOCKED after busy_timeout", () => {
    const holder = openTestStorage();
    const waiter = openTestStorage({ path: holder.path, clock: holder.clock, busyTimeoutMs: 50 });
    holder.db.sqlite.run("BEGIN EXCLUSIVE");
    try {
      expect(() => waiter.queue.enqueue({ type: "t", payload: {} })).toThrow(
        expect.objectContaining({ code: "E_DB_LOCKED" }),
      );
    } finally {
      holder.db.sqlite.run("ROLLBACK");
    }
    expect(waiter.queue.enqueue({ type: "t", payload: {} }).ok).toBe(true);
  });
});
