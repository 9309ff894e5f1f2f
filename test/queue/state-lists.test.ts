import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { AgentworkError } from "../../src/core/errors.ts";
import {
  DEDUP_STATES,
  FINAL_STATES,
  JOB_STATES,
  WAITING_STATES,
} from "../../src/core/work-item.ts";
import { applyMigrations } from "../../src/db/migrate.ts";
import { embeddedMigrations } from "../../src/db/migrations.gen.ts";
import { FakeClock } from "../support/clock.ts";
import { openTestStorage } from "../support/storage.ts";
import { tempDir } from "../support/tmp.ts";

/** The states in a CHECK or index of the migrated database, in the order they appear. */
function listAfter(sql: string, marker: RegExp): string[] {
  const m = marker.exec(sql);
  if (!m?.[1]) throw new Error(`no ${marker} in ${sql}`);
  return [...m[1].matchAll(/'([a-z_]+)'/g)].map((x) => x[1] ?? "");
}

describe("job states: one union, the same lists in the database", () => {
  test("the CHECK constraints and the claim index use the union's lists", () => {
    const storage = openTestStorage();
    const rows = storage.db.sqlite
      .query("SELECT sql FROM sqlite_master WHERE tbl_name = 'work_items' AND sql IS NOT NULL")
      .all() as { sql: string }[];
    const table = rows.map((r) => r.sql).find((s) => s.startsWith("CREATE TABLE")) ?? "";
    expect(
      listAfter(table, /"work_items_state_valid" CHECK\("work_items"\."state" IN \(([^)]*)\)/),
    ).toEqual([...JOB_STATES]);
    expect(listAfter(table, /CASE WHEN "work_items"\."state" IN \(([^)]*)\)/)).toEqual([
      ...DEDUP_STATES,
    ]);
    expect(
      listAfter(
        table,
        /"work_items_finished_iff_final" CHECK\(\("work_items"\."state" IN \(([^)]*)\)/,
      ),
    ).toEqual([...FINAL_STATES]);
    const claim = rows.map((r) => r.sql).find((s) => s.includes("work_items_claim")) ?? "";
    expect(listAfter(claim, /IN \(([^)]*)\)/)).toEqual([...WAITING_STATES]);
    const counts = storage.db.sqlite
      .query("SELECT sql FROM sqlite_master WHERE name = 'state_counts'")
      .get() as { sql: string };
    expect(listAfter(counts.sql, /"state_counts_state_valid" CHECK\([^)]*IN \(([^)]*)\)/)).toEqual([
      ...JOB_STATES,
    ]);
  });

  test("the database refuses a state outside the union", () => {
    const storage = openTestStorage();
    expect(() =>
      storage.db.sqlite.run(
        `INSERT INTO work_items (id, type, priority, payload, state, attempts, max_attempts,
           run_after, created_at, updated_at) VALUES ('x', 't', 0, '{}', 'paused', 0, 3, 0, 0, 0)`,
      ),
    ).toThrow(/CHECK constraint failed/);
  });
});

describe("the per-state counts behind the queue cap and status (O(1), kept by triggers)", () => {
  test("they equal the rows in each state after every kind of transition", () => {
    const storage = openTestStorage({ maxQueueDepth: 4 });
    const rows = (sql: string) =>
      Object.fromEntries(
        (storage.db.sqlite.query(sql).all() as { state: string; n: number }[]).map((r) => [
          r.state,
          r.n,
        ]),
      );
    const counted = () =>
      Object.fromEntries(
        JOB_STATES.map((s) => [
          s,
          rows("SELECT state, count(*) AS n FROM work_items GROUP BY state")[s] ?? 0,
        ]),
      );
    const check = () => {
      expect(rows("SELECT state, items AS n FROM state_counts")).toEqual(counted());
      expect(storage.queue.counts()).toEqual(counted() as Record<string, number>);
    };
    const item = (name: string) => ({ type: "t", payload: {}, dedupKey: name });
    for (const name of ["a", "b", "c", "d"]) storage.queue.enqueue(item(name));
    check();
    expect(storage.queue.enqueue(item("e"))).toMatchObject({ ok: false, reason: "full" });
    const a = storage.queue.dequeue()!; // queued -> running
    check();
    storage.queue.fail(a, new AgentworkError("E_AGENT_SERVER", "500", { retry: "retry" })); // -> retry_wait
    check();
    const b = storage.queue.dequeue()!;
    storage.queue.requeue(b, { refundAttempt: true }); // running -> queued
    check();
    const c = storage.queue.dequeue()!;
    storage.queue.complete(c); // running -> done
    check();
    const d = storage.queue.dequeue()!;
    storage.queue.fail(d, new AgentworkError("E_PAYLOAD", "bad", { retry: "never" })); // -> failed
    check();
    storage.queue.retry(d.id); // failed -> queued
    check();
    const waiting = storage.queue.list({ state: "queued" })[0]!;
    storage.queue.cancel(waiting.id); // queued -> cancelled
    check();
    storage.clock.advance(365 * 24 * 3_600_000);
    storage.queue.prune(1); // finished rows deleted
    check();
    const all = counted();
    expect(storage.queue.len()).toBe((all.queued ?? 0) + (all.retry_wait ?? 0));
  });
});

describe("migration 0005 on a database that already holds items", () => {
  test("the counts start from the items there are, and the old waiting count is gone", () => {
    const path = join(tempDir(), "old.db");
    const db = new Database(path, { create: true, strict: true });
    const clock = new FakeClock();
    const before = embeddedMigrations.filter((m) => m.tag < "0005");
    applyMigrations(db, before, clock);
    const insert = (id: string, state: string, finished: number | null, lease: boolean) =>
      db.run(
        `INSERT INTO work_items (id, type, priority, payload, state, attempts, max_attempts,
           run_after, created_at, updated_at, finished_at, lease_owner_pid, lease_expires_at)
         VALUES (?, 't', 0, '{}', ?, 0, 3, 0, 0, 0, ?, ?, ?)`,
        [id, state, finished, lease ? 1 : null, lease ? 1 : null],
      );
    insert("a", "queued", null, false);
    insert("b", "queued", null, false);
    insert("c", "running", null, true);
    insert("d", "done", 1, false);
    insert("e", "failed", 1, false);
    const upTo0005 = embeddedMigrations.filter((m) => m.tag < "0006");
    expect(applyMigrations(db, upTo0005, clock)).toEqual(["0005_state_counts"]);
    const counts = Object.fromEntries(
      (
        db.query("SELECT state, items FROM state_counts").all() as {
          state: string;
          items: number;
        }[]
      ).map((r) => [r.state, r.items]),
    );
    expect(counts).toEqual({
      queued: 2,
      running: 1,
      retry_wait: 0,
      done: 1,
      failed: 1,
      cancelled: 0,
    });
    expect(db.query("SELECT name FROM sqlite_master WHERE name LIKE '%depth%'").all()).toEqual([]);
    db.close();
  });
});
