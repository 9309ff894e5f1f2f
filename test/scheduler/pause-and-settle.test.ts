import { describe, expect, test } from "bun:test";
import { integerClock, timeAfter } from "../../src/core/clock.ts";
import { AgentworkError } from "../../src/core/errors.ts";
import { isProcessAlive, processStartTicks } from "../../src/core/process.ts";
import { emptyRunResult } from "../../src/runners/mock-runner.ts";
import { RunnerError } from "../../src/runners/runner.ts";
import { Scheduler } from "../../src/scheduler/scheduler.ts";
import { finalizeItem, harness } from "../support/scheduler-harness.ts";
import { openTestStorage } from "../support/storage.ts";
import { tempDir } from "../support/tmp.ts";

const HOUR = 3_600_000;

const usageLimit = (untilMs?: number) =>
  new RunnerError("E_AGENT_USAGE_LIMIT", "claude account usage limit reached: hit your limit", {
    retry: "pause",
    ...(untilMs === undefined ? {} : { pauseUntilMs: untilMs }),
    partial: { pid: 77, exitCode: 1, tokensIn: 0, tokensOut: 0 },
  });

describe("usage limits pause all agent work", () => {
  test("the item goes back with its attempt refunded; nothing is claimed until the reset", async () => {
    const storage = openTestStorage();
    const resetAt = storage.clock.now() + 3 * HOUR + 0.4;
    const { scheduler, runner, handler, config } = harness({
      storage,
      runner: {
        run: (_request, call) => {
          if (call === 1) throw usageLimit(resetAt);
          return emptyRunResult({ output: "ok" });
        },
      },
    });
    const paused = scheduler.events.next("job:paused");
    for (const name of ["a", "b", "c"]) await scheduler.enqueue(finalizeItem(name));
    await scheduler.tick();
    await paused;
    await scheduler.drain();
    // One model call, not three: the queue did not burn down against the limit.
    expect(runner.calls).toBe(1);
    expect(storage.queue.counts()).toMatchObject({ queued: 3, failed: 0, retry_wait: 0 });
    expect(storage.queue.list().every((i) => i.attempts === 0)).toBe(true);
    const status = scheduler.status();
    expect(status.paused_until).toBe(new Date(Math.round(resetAt)).toISOString());
    expect(status.pause_reason).toContain("usage limit");
    const [run] = storage.runs.recent(1);
    expect(run).toMatchObject({ status: "failed", errorCode: "E_AGENT_USAGE_LIMIT", pid: 77 });

    // A restart keeps the pause.
    const again = new Scheduler({
      storage,
      runner,
      loadConfig: () => config,
      ledgerPath: tempDir(),
      clock: storage.clock,
    });
    again.registerHandler(handler);
    await again.tick();
    await again.drain();
    expect(runner.calls).toBe(1);

    // The reset passes: work goes on.
    storage.clock.advance(3 * HOUR + 1);
    await again.tick();
    await again.drain();
    expect(runner.calls).toBe(4);
    expect(storage.queue.counts().done).toBe(3);
    expect(again.status().paused_until).toBeNull();
  });

  test("without a reset time the pause lasts an hour; resume ends it at once", async () => {
    const { scheduler, storage, runner } = harness({
      runner: {
        run: (_request, call) => {
          if (call === 1) throw usageLimit();
          return emptyRunResult();
        },
      },
    });
    await scheduler.enqueue(finalizeItem("a"));
    await scheduler.tick();
    await scheduler.drain();
    expect(scheduler.status().paused_until).toBe(
      new Date(storage.clock.now() + HOUR).toISOString(),
    );
    const resumed = scheduler.events.next("job:completed");
    expect(scheduler.resume()?.until).toBe(storage.clock.now() + HOUR);
    await resumed;
    expect(runner.calls).toBe(2);
    expect(scheduler.status().paused_until).toBeNull();
    expect(scheduler.resume()).toBeNull();
  });
});

describe("every time written is a whole millisecond", () => {
  test("fractional clocks and delays go through enqueue, claim, lease, fail, requeue, runs and state", async () => {
    const storage = openTestStorage();
    storage.clock.set(1_790_000_000_000.4);
    // Callers read times through an integer clock, as the scheduler does.
    const clock = integerClock(storage.clock);
    storage.queue.enqueue(finalizeItem("a"));
    const item = storage.queue.dequeue()!;
    storage.queue.extendLease(item);
    const runId = storage.runs.start({
      itemId: item.id,
      attempt: 1,
      workType: item.type,
      target: "a",
      startedAt: clock.now(),
    });
    storage.runs.recordUsage(runId, { tokensIn: 3, tokensOut: 1, costUsd: 0.01 });
    storage.transaction(() => {
      storage.queue.fail(
        item,
        new AgentworkError("E_AGENT_RATE_LIMIT", "429", { retry: "retry", retryAfterMs: 1181.6 }),
      );
      storage.runs.finish(runId, { status: "failed", finishedAt: timeAfter(clock.now(), 0.7) });
    });
    storage.clock.advance(1_200.3);
    const second = storage.queue.dequeue()!;
    storage.queue.requeue(second, { refundAttempt: true });
    const types = storage.db.sqlite
      .query(
        `SELECT typeof(run_after) r, typeof(created_at) c, typeof(updated_at) u FROM work_items
         UNION ALL SELECT typeof(started_at), typeof(finished_at), typeof(duration_ms) FROM runs`,
      )
      .all() as { r: string; c: string; u: string }[];
    for (const row of types)
      expect([row.r, row.c, row.u]).toEqual(["integer", "integer", "integer"]);
    // The tokens recorded before the failure were kept by finish.
    expect(storage.runs.recent(1)[0]).toMatchObject({ tokensIn: 3, tokensOut: 1 });
    expect(storage.runs.stats()).toMatchObject({ tokensIn: 3, tokensOut: 1, agentRuns: 1 });
  });
});

describe("housekeeping on the doctor pass and at start", () => {
  test("finished items and history older than retention are pruned on a doctor pass", async () => {
    const DAY = 24 * HOUR;
    const { scheduler, storage, handler } = harness({ config: { retentionMs: 30 * DAY } });
    handler.detected = [finalizeItem("old")];
    await scheduler.tick();
    await scheduler.drain();
    expect(storage.queue.counts().done).toBe(1);
    expect(storage.runs.recent(10)).toHaveLength(1);
    storage.clock.advance(29 * DAY);
    handler.detected = [];
    await scheduler.tick("doctor", { forceDetect: true });
    expect(storage.queue.counts().done).toBe(1);
    storage.clock.advance(2 * DAY);
    await scheduler.tick("doctor", { forceDetect: true });
    expect(storage.queue.counts().done).toBe(0);
    expect(storage.runs.recent(10)).toHaveLength(0);
  });

  test("run rows left running by a crash, whose item is not running, are closed at start", () => {
    const storage = openTestStorage();
    storage.queue.enqueue(finalizeItem("a"));
    const item = storage.queue.dequeue()!;
    const runId = storage.runs.start({
      itemId: item.id,
      attempt: item.attempts,
      workType: item.type,
      target: "a",
      startedAt: storage.clock.now(),
    });
    storage.runs.recordUsage(runId, { tokensIn: 40, tokensOut: 9, costUsd: 0.02 });
    // The item settled, but the crash came before its run row was closed (an older release).
    storage.queue.complete(item);
    expect(storage.runs.active()).toHaveLength(1);
    expect(storage.runs.interruptOrphans(storage.clock.now())).toBe(1);
    expect(storage.runs.active()).toHaveLength(0);
    // What was paid for stays in history and stats.
    expect(storage.runs.recent(1)[0]).toMatchObject({ status: "interrupted", tokensIn: 40 });
    expect(storage.runs.stats().tokensIn).toBe(40);
    // A running item's run is not an orphan.
    storage.queue.enqueue(finalizeItem("b"));
    const b = storage.queue.dequeue()!;
    storage.runs.start({
      itemId: b.id,
      attempt: b.attempts,
      workType: b.type,
      target: "b",
      startedAt: 1,
    });
    expect(storage.runs.interruptOrphans(storage.clock.now())).toBe(0);
  });
});

describe("the rescuer stops the agent a dead owner left running", () => {
  async function strayScenario(recordedTicks: (pid: number) => number | null) {
    const owner = Bun.spawn(["true"]);
    await owner.exited;
    const storage = openTestStorage({ ownerPid: owner.pid });
    storage.queue.enqueue(finalizeItem("a"));
    const item = storage.queue.dequeue()!;
    // The agent the dead daemon started: its own process group, still running.
    const agent = Bun.spawn(["sleep", "60"], { detached: true });
    const runId = storage.runs.start({
      itemId: item.id,
      attempt: item.attempts,
      workType: item.type,
      target: "a",
      startedAt: storage.clock.now(),
    });
    storage.runs.setPid(runId, agent.pid, recordedTicks(agent.pid));
    const again = storage.reopen({ ownerPid: process.pid });
    const { scheduler } = harness({ storage: again, runner: { available: false } });
    await scheduler.tick();
    return { agent, again };
  }

  test("TERM to its group; the item is back in the queue and its run closed", async () => {
    const { agent, again } = await strayScenario((pid) => processStartTicks(pid));
    expect(await agent.exited).toBe(143);
    expect(agent.signalCode).toBe("SIGTERM");
    expect(again.queue.counts()).toMatchObject({ retry_wait: 1, running: 0 });
    expect(again.runs.recent(1)[0]).toMatchObject({ status: "interrupted" });
  });

  test("a pid that now names another process (other start time) is never signalled", async () => {
    const { agent, again } = await strayScenario((pid) => (processStartTicks(pid) ?? 0) - 1);
    expect(again.queue.counts().retry_wait).toBe(1);
    expect(isProcessAlive(agent.pid)).toBe(true);
    agent.kill("SIGKILL");
    await agent.exited;
  });
});
