import { describe, expect, test } from "bun:test";
import { rmSync, writeFileSync } from "node:fs";
import { getTableColumns } from "drizzle-orm";
import { AgentworkError } from "../../src/core/errors.ts";
import { runs, stats } from "../../src/db/schema.ts";
import { RUN_COLUMNS, STATS_COLUMNS } from "../../src/db/status-reads.ts";
import { openStatusStorage } from "../../src/db/status-storage.ts";
import { openTestStorage } from "../support/storage.ts";

const pairs = (table: Parameters<typeof getTableColumns>[0]) =>
  Object.entries(getTableColumns(table)).map(([key, column]) => [key, column.name]);

describe("the raw status reads", () => {
  test("their column lists are the schema's, every column under drizzle's key", () => {
    expect(RUN_COLUMNS.map(([k, n]): string[] => [k, n])).toEqual(pairs(runs));
    expect(STATS_COLUMNS.map(([k, n]): string[] => [k, n])).toEqual(
      pairs(stats).filter(([k]) => k !== "id"),
    );
  });

  test("the status storage reads what the full storage reads, from the same file", () => {
    const storage = openTestStorage();
    for (const key of ["a", "b", "c"])
      storage.queue.enqueue({ type: "t", payload: {}, dedupKey: key });
    const item = storage.queue.dequeue()!;
    const runId = storage.runs.start({
      itemId: item.id,
      attempt: 1,
      workType: item.type,
      target: "a",
      startedAt: storage.clock.now(),
    });
    storage.runs.finish(runId, {
      status: "completed",
      finishedAt: storage.clock.now() + 5,
      tokensIn: 7,
      tokensOut: 3,
      costUsd: 0.5,
      outcome: "success",
    });
    storage.queue.complete(item);
    const running = storage.queue.dequeue()!;
    storage.runs.start({
      itemId: running.id,
      attempt: 1,
      workType: "t",
      target: "b",
      startedAt: 9,
    });
    storage.state.set("some-key", { n: 1 }, 0);

    const light = openStatusStorage(storage.path, { clock: storage.clock });
    try {
      expect(light.queue.counts()).toEqual(storage.queue.counts());
      expect(light.queue.counts()).toMatchObject({ queued: 1, running: 1, done: 1 });
      expect(light.runs.recent(10)).toEqual(storage.runs.recent(10));
      expect(light.runs.active()).toEqual(storage.runs.active());
      expect(light.runs.active().map((r) => r.target)).toEqual(["b"]);
      expect(light.runs.stats()).toEqual(storage.runs.stats());
      expect(light.runs.stats()).toMatchObject({ successes: 1, tokensIn: 7, costUsd: 0.5 });
      expect(light.state.get("some-key")).toEqual({ n: 1 });
    } finally {
      light.close();
    }
  });

  test("a file that is no database is the same typed error as for the full storage", () => {
    const storage = openTestStorage();
    storage.close();
    writeFileSync(storage.path, "this is not sqlite ".repeat(500));
    for (const suffix of ["-wal", "-shm"]) rmSync(storage.path + suffix, { force: true });
    let caught: unknown;
    try {
      openStatusStorage(storage.path, { clock: storage.clock }).close();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AgentworkError);
    expect((caught as AgentworkError).code).toBe("E_DB_CORRUPT");
  });
});
