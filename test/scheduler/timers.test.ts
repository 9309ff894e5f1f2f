import { describe, expect, test } from "bun:test";
import { emptyRunResult } from "../../src/runners/mock-runner.ts";
import { leaseBeatMs } from "../../src/scheduler/lease-keeper.ts";
import { FakeTimers } from "../support/fake-timers.ts";
import { deferred, finalizeItem, harness } from "../support/scheduler-harness.ts";
import { openTestStorage } from "../support/storage.ts";

const MINUTE = 60_000;

/** Lets pending promise callbacks (a pass's finally, a settled run) run before the test looks. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => queueMicrotask(resolve));
}

describe("the scheduler on injected timers", () => {
  test("the doctor loop: a pass at start, then one every doctor_interval; stop disarms it", async () => {
    const storage = openTestStorage();
    const timers = new FakeTimers(storage.clock);
    const { scheduler, handler } = harness({
      storage,
      timers,
      config: { doctorIntervalMs: 5 * MINUTE },
    });
    const passes: string[] = [];
    scheduler.events.on("scheduler:pass", (p) => passes.push(p.trigger));
    scheduler.start();
    const first = scheduler.events.next("scheduler:pass");
    timers.advance(0);
    await first;
    expect(handler.detectCalls).toBe(1);
    await settle();
    expect(scheduler.nextTickAt).toBe(storage.clock.now() + 5 * MINUTE);
    const second = scheduler.events.next("scheduler:pass");
    timers.advance(5 * MINUTE);
    await second;
    expect(handler.detectCalls).toBe(2);
    expect(passes).toEqual(["doctor", "doctor"]);
    await settle();
    await scheduler.stop(0);
    expect(timers.armed).toBe(0);
    timers.advance(60 * MINUTE);
    expect(handler.detectCalls).toBe(2);
  });

  test("start and stop twice: each start arms one loop, each stop leaves nothing armed", async () => {
    const storage = openTestStorage();
    const timers = new FakeTimers(storage.clock);
    const { scheduler } = harness({ storage, timers });
    for (let round = 0; round < 2; round++) {
      scheduler.start();
      scheduler.start();
      expect(timers.armed).toBe(1);
      await scheduler.stop(0);
      expect(timers.armed).toBe(0);
    }
  });

  test("the lease keeper extends a running item's lease every third of the lease", async () => {
    const storage = openTestStorage({ leaseMs: 3 * MINUTE });
    const timers = new FakeTimers(storage.clock);
    const hold = deferred<void>();
    const started = deferred<void>();
    const { scheduler } = harness({
      storage,
      timers,
      runner: {
        run: async () => {
          started.resolve();
          await hold.promise;
          return emptyRunResult();
        },
      },
    });
    await scheduler.refreshAgentCheck();
    storage.queue.enqueue(finalizeItem("slow"));
    expect(scheduler.process("sync")).toBe(1);
    await started.promise;
    const [item] = storage.queue.list({ state: "running" });
    const leasedAt = item?.leaseExpiresAt ?? 0;
    expect(leasedAt).toBe(storage.clock.now() + 3 * MINUTE);
    expect(leaseBeatMs(3 * MINUTE)).toBe(MINUTE);
    // Two beats: the lease is always a full lease ahead of the keeper's last beat.
    timers.advance(2 * MINUTE);
    const after = storage.queue.get(item?.id ?? "")?.leaseExpiresAt ?? 0;
    expect(after).toBe(storage.clock.now() + 3 * MINUTE);
    expect(after).toBeGreaterThan(leasedAt);
    const done = scheduler.events.next("job:completed");
    hold.resolve();
    await done;
    expect(timers.armed).toBe(0);
  });

  test("a graceful stop waits its grace on the timers, then stops the agent and refunds", async () => {
    const storage = openTestStorage();
    const timers = new FakeTimers(storage.clock);
    const started = deferred<void>();
    const { scheduler } = harness({
      storage,
      timers,
      runner: {
        run: (request) =>
          new Promise((_, reject) => {
            started.resolve();
            request.signal?.addEventListener("abort", () => reject(new Error("aborted")));
          }),
      },
    });
    await scheduler.refreshAgentCheck();
    storage.queue.enqueue(finalizeItem("x"));
    scheduler.process("sync");
    await started.promise;
    const stopped = scheduler.stop(10_000);
    await settle();
    expect(storage.queue.counts().running).toBe(1);
    timers.advance(10_000);
    await stopped;
    expect(storage.queue.counts()).toMatchObject({ running: 0, queued: 1 });
    expect(storage.queue.list()[0]?.attempts).toBe(0);
  });
});
