import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { AgentworkError, doNotRetry } from "../../src/core/errors.ts";
import { emptyRunResult } from "../../src/runners/mock-runner.ts";
import { RunnerError } from "../../src/runners/runner.ts";
import { deferred, finalizeItem, harness } from "../support/scheduler-harness.ts";
import { openTestStorage } from "../support/storage.ts";

const timeout = () =>
  new RunnerError("E_AGENT_TIMEOUT", "claude timed out after 5m", {
    retry: "retry",
    partial: { pid: 4242, exitCode: 143, tokensIn: 3, tokensOut: 1 },
  });

describe("Scheduler: upstream intents 15-29", () => {
  test("15: start returns at once and stop returns promptly", async () => {
    const { scheduler } = harness();
    scheduler.start();
    await scheduler.stop(0);
    expect(scheduler.activeCount()).toBe(0);
  });

  test("16: registerHandler stores by type", () => {
    const { scheduler, handler } = harness();
    expect(scheduler.handler("session-finalize")).toBe(handler);
    expect(scheduler.handler("other")).toBeUndefined();
  });

  test("17: a doctor pass enqueues both detected items", async () => {
    const { scheduler, handler, storage } = harness({ runner: { available: false } });
    handler.detected = [finalizeItem("a"), finalizeItem("b")];
    await scheduler.tick();
    expect(storage.queue.len()).toBe(2);
    expect(handler.prepared).toHaveLength(2);
  });

  test("18: a detect error leaves the queue empty and the cooldown unset", async () => {
    const { scheduler, handler, storage } = harness();
    handler.detectError = new Error("ledger unreadable");
    await scheduler.tick();
    expect(storage.queue.len()).toBe(0);
    await scheduler.tick();
    expect(handler.detectCalls).toBe(2);
  });

  test("19: a successful run → success callback, stats 1/1/0, one recent entry", async () => {
    const { scheduler, handler, results } = harness();
    handler.detected = [finalizeItem("ok")];
    await scheduler.tick();
    await scheduler.drain();
    expect(results).toMatchObject([{ success: true }]);
    const status = scheduler.status();
    expect(status.stats).toMatchObject({ total_invocations: 1, successes: 1, failures: 0 });
    expect(status.recent).toMatchObject([{ status: "completed", target: "session-finalize:ok" }]);
  });

  test("20: master disabled → the item stays queued", async () => {
    const { scheduler, storage, runner } = harness({ config: { enabled: false } });
    await scheduler.enqueue(finalizeItem("x"));
    await scheduler.drain();
    expect(runner.calls).toBe(0);
    expect(storage.queue.len()).toBe(1);
  });

  test("21: runner unavailable → the item stays queued", async () => {
    const { scheduler, storage } = harness({ runner: { available: false } });
    await scheduler.enqueue(finalizeItem("x"));
    await scheduler.drain();
    expect(storage.queue.len()).toBe(1);
  });

  test("an agent that cannot be locked down claims nothing until it is fixed; status says why", async () => {
    const problem = "claude 2.0.1 cannot be locked down: it has no --setting-sources";
    const { scheduler, storage, runner } = harness({ runner: { problem } });
    await scheduler.enqueue(finalizeItem("x"));
    await scheduler.tick();
    await scheduler.drain();
    expect(runner.calls).toBe(0);
    expect(storage.queue.counts()).toMatchObject({ queued: 1, failed: 0 });
    expect(scheduler.status()).toMatchObject({ agent_available: true, agent_problem: problem });
    runner.problem = null;
    await scheduler.tick();
    await scheduler.drain();
    expect(runner.calls).toBe(1);
    expect(scheduler.status()).toMatchObject({ agent_problem: null, agent_version: "1.0.0" });
  });

  test("22: fails twice then succeeds → exactly 3 runner calls and a callback", async () => {
    const { scheduler, storage, runner, results } = harness({
      runner: {
        run: (_req, call) => {
          if (call < 3) throw timeout();
          return emptyRunResult({ output: "done" });
        },
      },
    });
    await scheduler.enqueue(finalizeItem("flaky"));
    for (let i = 0; i < 3; i++) {
      await scheduler.drain();
      storage.clock.advance(1_000);
    }
    expect(runner.calls).toBe(3);
    expect(results).toMatchObject([{ success: true, output: "done" }]);
  });

  test("23: always failing → a failure callback with the runner's message; failures 1", async () => {
    const { scheduler, storage, results } = harness({
      runner: {
        run: () => {
          throw timeout();
        },
      },
    });
    await scheduler.enqueue(finalizeItem("doomed"));
    for (let i = 0; i < 4; i++) {
      await scheduler.drain();
      storage.clock.advance(1_000);
    }
    expect(results).toHaveLength(1);
    expect(results[0]?.error?.message).toContain("claude timed out");
    expect(scheduler.status().stats).toMatchObject({ failures: 1, agent_runs: 3 });
    const history = storage.runs.recent(3);
    expect(history.every((r) => r.pid === 4242 && r.exitCode === 143 && r.tokensIn === 3)).toBe(
      true,
    );
  });

  test("24: a limit of 2 an hour with 5 items → exactly 2 runs, the rest wait", async () => {
    const { scheduler, storage, runner } = harness({ config: { maxInvocationsPerHour: 2 } });
    for (const name of ["a", "b", "c", "d", "e"]) storage.queue.enqueue(finalizeItem(name));
    await scheduler.drain();
    expect(runner.calls).toBe(2);
    expect(storage.queue.len()).toBe(3);
    expect(scheduler.status().rate_limit.tokens_left).toBe(0);
  });

  test("25: concurrency 2 with 4 slow items never runs more than 2 at once", async () => {
    const gates = [deferred<void>(), deferred<void>(), deferred<void>(), deferred<void>()];
    let running = 0;
    let peak = 0;
    const { scheduler, storage, runner } = harness({
      config: { maxConcurrent: 2 },
      runner: {
        run: async (_req, call) => {
          running++;
          peak = Math.max(peak, running);
          await gates[call - 1]!.promise;
          running--;
          return emptyRunResult();
        },
      },
    });
    for (const name of ["a", "b", "c", "d"]) storage.queue.enqueue(finalizeItem(name));
    const drained = scheduler.drain();
    for (const gate of gates) {
      await Promise.resolve();
      gate.resolve();
    }
    await drained;
    expect(runner.calls).toBe(4);
    expect(peak).toBe(2);
  });

  test("26: status defaults", () => {
    const status = harness({ runner: { available: true } }).scheduler.status();
    expect(status).toMatchObject({
      enabled: true,
      // Not probed yet: the configured type (default auto); after a pass, the chosen agent.
      agent_type: "auto",
      agent_available: true,
      queue_depth: 0,
      stats: { total_invocations: 0, successes: 0, failures: 0 },
    });
    expect(status.active).toBeUndefined();
    expect(status.recent).toBeUndefined();
  });

  test("27: enqueue dedups (second identical key rejected, len 1)", async () => {
    const { scheduler, storage } = harness({ runner: { available: false } });
    expect((await scheduler.enqueue(finalizeItem("same"))).ok).toBe(true);
    expect((await scheduler.enqueue(finalizeItem("same"))).ok).toBe(false);
    expect(storage.queue.len()).toBe(1);
  });

  test("28: a sync signal drains a queued item without running detection", async () => {
    const { scheduler, storage, handler, results } = harness();
    storage.queue.enqueue(finalizeItem("pre"));
    scheduler.sync();
    await scheduler.drain();
    expect(handler.detectCalls).toBe(0);
    expect(results.filter((r) => r.success)).toHaveLength(1);
  });

  test("29: the recent list never exceeds 10 after 15 completions", async () => {
    const { scheduler, storage } = harness();
    for (let i = 0; i < 15; i++) storage.queue.enqueue(finalizeItem(`n${i}`));
    await scheduler.drain();
    expect(scheduler.status().recent).toHaveLength(10);
    expect(scheduler.status().stats.successes).toBe(15);
  });
});

describe("Scheduler: durable and extra behaviour", () => {
  test("a finished run starts the next waiting item without a tick", async () => {
    const { scheduler, storage, runner } = harness();
    storage.queue.enqueue(finalizeItem("one"));
    storage.queue.enqueue(finalizeItem("two"));
    let completed = 0;
    const second = scheduler.events.next("job:completed", () => ++completed === 2);
    // The agent is probed (lock-down flags) before the first claim.
    await scheduler.refreshAgentCheck();
    expect(scheduler.process("sync")).toBe(1);
    await second;
    expect(runner.calls).toBe(2);
  });

  test("a handler error that says do-not-retry fails at once; plain errors do too", async () => {
    const { scheduler, handler, storage, runner } = harness();
    handler.buildPromptError = doNotRetry("E_PAYLOAD", "nil payload");
    await scheduler.enqueue(finalizeItem("bad"));
    await scheduler.drain();
    expect(runner.calls).toBe(0);
    const [item] = storage.queue.list({ state: "failed" });
    expect(item?.lastError).toBe("build prompt: nil payload");
    handler.buildPromptError = null;
    handler.processError = new Error("disk full");
    await scheduler.enqueue(finalizeItem("bad2"));
    await scheduler.drain();
    expect(storage.queue.list({ state: "failed" })).toHaveLength(2);
    expect(storage.runs.recent(1)[0]?.error).toBe("process result: disk full");
  });

  test("a processResult error that says retry is retried", async () => {
    const { scheduler, handler, storage } = harness();
    handler.processError = new AgentworkError("E_ARTIFACT", "temporarily unwritable", {
      retry: "retry",
    });
    await scheduler.enqueue(finalizeItem("again"));
    await scheduler.drain();
    expect(storage.queue.counts().retry_wait).toBe(1);
  });

  test("cleanup runs on a doctor pass even when disabled; detection does not", async () => {
    const { scheduler, handler } = harness({ config: { enabled: false } });
    await scheduler.tick();
    expect(handler.cleanupCalls).toBe(1);
    expect(handler.detectCalls).toBe(0);
  });

  test("the config is re-read on every pass", async () => {
    const h = harness({ config: { enabled: false } });
    h.storage.queue.enqueue(finalizeItem("later"));
    await h.scheduler.drain();
    expect(h.runner.calls).toBe(0);
    h.config.enabled = true;
    await h.scheduler.drain();
    expect(h.runner.calls).toBe(1);
  });

  test("force-detect skips the cooldown and returns how many it queued", async () => {
    const { scheduler, handler } = harness({ runner: { available: false } });
    handler.detected = [finalizeItem("a")];
    await scheduler.tick();
    handler.detected = [finalizeItem("a"), finalizeItem("b"), finalizeItem("c")];
    await scheduler.tick();
    expect(handler.detectCalls).toBe(1);
    expect(await scheduler.forceDetect()).toBe(2);
    expect(handler.detectCalls).toBe(2);
  });

  test("the detection cooldown survives a restart", async () => {
    const first = harness({ runner: { available: false } });
    await first.scheduler.tick();
    const second = harness({ storage: first.storage.reopen(), runner: { available: false } });
    await second.scheduler.tick();
    expect(second.handler.detectCalls).toBe(0);
    second.storage.clock.advance(second.config.doctorIntervalMs);
    await second.scheduler.tick();
    expect(second.handler.detectCalls).toBe(1);
  });

  test("the rate budget and the stats survive a restart", async () => {
    const first = harness({ config: { maxInvocationsPerHour: 2 } });
    for (const name of ["a", "b", "c"]) first.storage.queue.enqueue(finalizeItem(name));
    await first.scheduler.drain();
    const second = harness({
      storage: first.storage.reopen(),
      config: { maxInvocationsPerHour: 2 },
    });
    await second.scheduler.drain();
    expect(second.runner.calls).toBe(0);
    expect(second.scheduler.status().stats.successes).toBe(2);
  });

  test("stop mid-run stops the agent and requeues the item with its attempt refunded", async () => {
    const { scheduler, storage } = harness({
      runner: {
        run: (request) =>
          new Promise((_, reject) => {
            request.onSpawn?.(777);
            request.signal?.addEventListener("abort", () =>
              reject(new RunnerError("E_AGENT_CANCELLED", "cancelled", { retry: "retry" })),
            );
          }),
      },
    });
    const started = scheduler.events.next("job:started");
    await scheduler.enqueue(finalizeItem("long"));
    await started;
    await scheduler.stop(0);
    const [item] = storage.queue.list();
    expect(item).toMatchObject({ state: "queued", attempts: 0 });
    expect(storage.runs.recent(1)).toMatchObject([{ status: "interrupted", pid: 777 }]);
  });

  test("cancel stops a running agent and marks the item cancelled", async () => {
    const gate = deferred<void>();
    const { scheduler, storage } = harness({
      runner: {
        run: (request) =>
          new Promise((_, reject) => {
            gate.resolve();
            request.signal?.addEventListener("abort", () =>
              reject(new RunnerError("E_AGENT_CANCELLED", "cancelled", { retry: "retry" })),
            );
          }),
      },
    });
    await scheduler.enqueue(finalizeItem("c"));
    await gate.promise;
    const cancelled = scheduler.events.next("job:cancelled");
    const [item] = storage.queue.list();
    expect(scheduler.cancel(item!.id)).toMatchObject({ ok: true });
    await cancelled;
    expect(storage.queue.get(item!.id)?.state).toBe("cancelled");
  });

  test("a doctor pass rescues items whose owner died", async () => {
    const { scheduler, storage } = harness({ runner: { available: false } });
    storage.queue.enqueue(finalizeItem("orphan"));
    const claimed = storage.queue.dequeue()!;
    storage.db.sqlite.run("UPDATE work_items SET lease_owner_pid = 999999999 WHERE id = ?", [
      claimed.id,
    ]);
    await scheduler.tick();
    expect(storage.queue.get(claimed.id)?.state).toBe("retry_wait");
  });

  test("active runs show the agent's real pid in status", async () => {
    const gate = deferred<void>();
    const release = deferred<void>();
    const { scheduler } = harness({
      runner: {
        run: async (request) => {
          request.onSpawn?.(31337);
          gate.resolve();
          await release.promise;
          return emptyRunResult();
        },
      },
    });
    await scheduler.enqueue(finalizeItem("p"));
    await gate.promise;
    expect(scheduler.status().active).toMatchObject([{ pid: 31337, status: "running" }]);
    release.resolve();
    await scheduler.drain();
  });

  test("a database locked by another process makes a pass start nothing instead of throwing", async () => {
    const storage = openTestStorage({ busyTimeoutMs: 20 });
    const { scheduler, runner } = harness({ storage });
    storage.queue.enqueue(finalizeItem("later"));
    const holder = new Database(storage.path);
    holder.run("BEGIN EXCLUSIVE");
    try {
      expect(scheduler.process("sync")).toBe(0);
    } finally {
      holder.run("ROLLBACK");
      holder.close();
    }
    await scheduler.drain();
    expect(runner.calls).toBe(1);
  });
});
