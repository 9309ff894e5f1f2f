import { expect, test } from "bun:test";
import { retryLater } from "../../src/core/errors.ts";
import { openTestStorage } from "../support/storage.ts";

test("an item that ends done after a failed attempt no longer shows the old last_error", () => {
  const storage = openTestStorage();
  try {
    const queued = storage.queue.enqueue({ type: "t", payload: {} });
    if (!queued.ok) throw new Error("not queued");
    const first = storage.queue.dequeue();
    if (!first) throw new Error("nothing claimed");
    const failed = storage.queue.fail(
      first,
      retryLater("E_AGENT_BAD_REPLY", "agent exited 1", 1_000),
    );
    expect(failed.lastError).toContain("agent exited 1");
    storage.clock.advance(60_000);
    const second = storage.queue.dequeue();
    if (!second) throw new Error("retry not claimed");
    storage.queue.complete(second);
    const done = storage.queue.get(second.id);
    expect(done?.state).toBe("done");
    expect(done?.lastError).toBeNull();
  } finally {
    storage.close();
  }
});
