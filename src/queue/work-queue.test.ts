import { describe, expect, test } from "bun:test";
import { openTestStorage } from "../../test/support/storage.ts";
import { AgentworkError, doNotRetry } from "../core/errors.ts";
import type { NewWorkItem } from "../core/work-item.ts";

const item = (key: string | null, priority = 0, extra: Partial<NewWorkItem> = {}): NewWorkItem => ({
  type: "session-finalize",
  payload: { session_name: key ?? "none" },
  priority,
  dedupKey: key,
  ...extra,
});

const retryable = new AgentworkError("E_AGENT_TIMEOUT", "claude timed out", { retry: "retry" });

describe("WorkQueue: upstream intents 1-11", () => {
  test("1: a single item round-trips with an id filled in; dequeue on empty returns null", () => {
    const { queue } = openTestStorage();
    const result = queue.enqueue(item("a"));
    expect(result.ok).toBe(true);
    const claimed = queue.dequeue();
    expect(claimed?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    expect(claimed?.payload).toEqual({ session_name: "a" });
    expect(claimed?.state).toBe("running");
    expect(queue.dequeue()).toBeNull();
  });

  test("2: priorities 3,1,2 dequeue as 1,2,3", () => {
    const { queue } = openTestStorage();
    for (const p of [3, 1, 2]) queue.enqueue(item(`k${p}`, p));
    expect([1, 2, 3].map(() => queue.dequeue()?.priority)).toEqual([1, 2, 3]);
  });

  test("3: equal priority dequeues FIFO by created time", () => {
    const { queue, clock } = openTestStorage();
    for (const k of ["first", "second", "third"]) {
      queue.enqueue(item(k, 5));
      clock.advance(1);
    }
    expect([0, 1, 2].map(() => queue.dequeue()?.dedupKey)).toEqual(["first", "second", "third"]);
  });

  test("4: a second enqueue with a queued key is rejected and len stays 1", () => {
    const { queue } = openTestStorage();
    const first = queue.enqueue(item("dup"));
    const second = queue.enqueue(item("dup"));
    expect(second).toEqual({
      ok: false,
      reason: "duplicate",
      existingId: first.ok ? first.item.id : "",
    });
    expect(queue.len()).toBe(1);
  });

  test("5: enqueue while the key is in progress is rejected", () => {
    const { queue } = openTestStorage();
    queue.enqueue(item("busy"));
    queue.dequeue();
    expect(queue.enqueue(item("busy")).ok).toBe(false);
  });

  test("6: after complete the key can be enqueued again", () => {
    const { queue } = openTestStorage();
    queue.enqueue(item("again"));
    queue.complete(queue.dequeue()!);
    expect(queue.enqueue(item("again")).ok).toBe(true);
  });

  test("7: empty dedup keys allow duplicates", () => {
    const { queue } = openTestStorage();
    expect(queue.enqueue(item(null)).ok).toBe(true);
    expect(queue.enqueue(item("")).ok).toBe(true);
    expect(queue.len()).toBe(2);
  });

  test("8: inProgress is false before dequeue, true after, false after complete", () => {
    const { queue } = openTestStorage();
    queue.enqueue(item("p"));
    expect(queue.inProgress("p")).toBe(false);
    const claimed = queue.dequeue()!;
    expect(queue.inProgress("p")).toBe(true);
    queue.complete(claimed);
    expect(queue.inProgress("p")).toBe(false);
  });

  test("9: len decreases with each dequeue", () => {
    const { queue } = openTestStorage();
    for (const k of ["a", "b", "c"]) queue.enqueue(item(k));
    const lens = [queue.len()];
    for (let i = 0; i < 3; i++) {
      queue.dequeue();
      lens.push(queue.len());
    }
    expect(lens).toEqual([3, 2, 1, 0]);
  });

  test("10: 50 concurrent enqueues with unique keys all land and drain", async () => {
    const { queue } = openTestStorage();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        Promise.resolve().then(() => queue.enqueue(item(`c${i}`))),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    let drained = 0;
    while (queue.dequeue()) drained++;
    expect(drained).toBe(50);
  });

  test("11: the 101st enqueue is rejected as full, even with a unique key", () => {
    const { queue } = openTestStorage();
    for (let i = 0; i < 100; i++) expect(queue.enqueue(item(`f${i}`)).ok).toBe(true);
    expect(queue.enqueue(item("one-more"))).toEqual({
      ok: false,
      reason: "full",
      depth: 100,
      maxDepth: 100,
    });
  });

  test("11b: a retry never loses its item to a full queue (decisions.md)", () => {
    const { queue } = openTestStorage({ maxQueueDepth: 2 });
    queue.enqueue(item("running"));
    const claimed = queue.dequeue()!;
    queue.enqueue(item("w1"));
    queue.enqueue(item("w2"));
    expect(queue.requeue(claimed, { refundAttempt: true })).toBe(true);
    expect(queue.len()).toBe(3);
    expect(queue.get(claimed.id)?.state).toBe("queued");
  });
});

describe("WorkQueue: durable semantics", () => {
  test("requeue keeps id, created time and place in line; the key is never free", () => {
    const { queue, clock } = openTestStorage();
    queue.enqueue(item("old", 5));
    clock.advance(10);
    const claimed = queue.dequeue()!;
    queue.enqueue(item("newer", 5));
    expect(queue.enqueue(item("old", 5)).ok).toBe(false);
    queue.requeue(claimed, { refundAttempt: false });
    expect(queue.enqueue(item("old", 5)).ok).toBe(false);
    const next = queue.dequeue()!;
    expect(next.id).toBe(claimed.id);
    expect(next.createdAt).toBe(claimed.createdAt);
    expect(next.attempts).toBe(2);
  });

  test("a retryable failure waits out its backoff, then fails for good at max_attempts", () => {
    const { queue, clock } = openTestStorage({ retryDelay: (n) => n * 1_000 });
    queue.enqueue(item("flaky"));
    const first = queue.dequeue()!;
    expect(queue.fail(first, retryable).state).toBe("retry_wait");
    expect(queue.dequeue()).toBeNull();
    expect(queue.enqueue(item("flaky")).ok).toBe(false);
    clock.advance(1_000);
    const second = queue.dequeue()!;
    expect(second.attempts).toBe(2);
    expect(queue.fail(second, retryable).state).toBe("retry_wait");
    clock.advance(2_000);
    const third = queue.dequeue()!;
    const final = queue.fail(third, retryable);
    expect(final.state).toBe("failed");
    expect(final.lastError).toBe("claude timed out");
    expect(queue.admin.attemptErrors(final.id).map((e) => e.attempt)).toEqual([1, 2, 3]);
    expect(queue.enqueue(item("flaky")).ok).toBe(true);
  });

  test("a do-not-retry error fails at once; retryAfterMs overrides the backoff", () => {
    const { queue, clock } = openTestStorage();
    queue.enqueue(item("bad"));
    expect(queue.fail(queue.dequeue()!, doNotRetry("E_PAYLOAD", "nil payload")).state).toBe(
      "failed",
    );
    queue.enqueue(item("later"));
    const claimed = queue.dequeue()!;
    const waiting = queue.fail(
      claimed,
      new AgentworkError("E_AGENT_RATE_LIMIT", "429", { retryAfterMs: 60_000 }),
    );
    expect(waiting.runAfter).toBe(clock.now() + 60_000);
    // A delay shorter than our backoff (the CLI's own 1-2 s) does not make the retry sooner.
    queue.enqueue(item("soon"));
    const soon = queue.fail(
      queue.dequeue()!,
      new AgentworkError("E_AGENT_RATE_LIMIT", "429", { retryAfterMs: 181.6 }),
    );
    expect(soon.runAfter).toBe(clock.now() + 1_000);
  });

  test("a completion from a run whose lease was taken over is refused", () => {
    const { queue } = openTestStorage();
    queue.enqueue(item("fenced"));
    const stale = queue.dequeue()!;
    queue.requeue(stale, { refundAttempt: false });
    const fresh = queue.dequeue()!;
    expect(() => queue.complete(stale)).toThrow(/no longer running/);
    queue.complete(fresh);
    expect(queue.get(fresh.id)?.state).toBe("done");
  });

  test("extendLease pushes the expiry out while the item runs", () => {
    const { queue, clock } = openTestStorage({ leaseMs: 1_000 });
    queue.enqueue(item("long"));
    const claimed = queue.dequeue()!;
    clock.advance(900);
    expect(queue.extendLease(claimed)).toBe(true);
    expect(queue.get(claimed.id)?.leaseExpiresAt).toBe(clock.now() + 1_000);
  });

  test("cancel, retry and prune", () => {
    const { queue, clock } = openTestStorage();
    const a = queue.enqueue(item("a"));
    const id = a.ok ? a.item.id : "";
    expect(queue.cancel(id).ok).toBe(true);
    expect(queue.get(id)?.state).toBe("cancelled");
    expect(queue.cancel(id)).toEqual({ ok: false, reason: "invalid_state", state: "cancelled" });
    queue.enqueue(item("a"));
    expect(queue.retry(id)).toEqual({ ok: false, reason: "duplicate" });
    queue.complete(queue.dequeue()!);
    expect(queue.retry(id).ok).toBe(true);
    expect(queue.get(id)).toMatchObject({ state: "queued", attempts: 0, finishedAt: null });
    expect(queue.cancel("no-such-id")).toEqual({ ok: false, reason: "not_found" });
    queue.complete(queue.dequeue()!);
    clock.advance(31 * 86_400_000);
    expect(queue.prune(30 * 86_400_000)).toEqual({ items: 2, runs: 0 });
    expect(queue.list()).toEqual([]);
  });
});
