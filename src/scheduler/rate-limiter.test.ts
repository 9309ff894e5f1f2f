import { describe, expect, test } from "bun:test";
import { openTestStorage } from "../../test/support/storage.ts";
import { RateLimiter } from "./rate-limiter.ts";

describe("RateLimiter (upstream intents 12-14, persisted)", () => {
  test.each([
    [5, 3, 3],
    [3, 3, 3],
    [2, 5, 2],
    [1, 3, 1],
  ])("12: %i tokens, %i calls within the window allow %i", (tokens, calls, allowed) => {
    const { state, clock } = openTestStorage();
    const limiter = new RateLimiter(state, clock);
    let granted = 0;
    for (let i = 0; i < calls; i++) if (limiter.allow(tokens)) granted++;
    expect(granted).toBe(allowed);
  });

  test("13: a 10 ms window refills after it ends", () => {
    const { state, clock } = openTestStorage();
    const limiter = new RateLimiter(state, clock, 10);
    expect([limiter.allow(2), limiter.allow(2), limiter.allow(2)]).toEqual([true, true, false]);
    clock.advance(20);
    expect(limiter.allow(2)).toBe(true);
    expect(limiter.remaining(2)).toBe(1);
  });

  test("14: remaining goes 3 → 2 → 0 and does not spend", () => {
    const { state, clock } = openTestStorage();
    const limiter = new RateLimiter(state, clock);
    expect(limiter.remaining(3)).toBe(3);
    limiter.allow(3);
    expect(limiter.remaining(3)).toBe(2);
    limiter.allow(3);
    limiter.allow(3);
    expect(limiter.remaining(3)).toBe(0);
  });

  test("the budget survives a restart: a new process does not get a fresh window", () => {
    const first = openTestStorage();
    const limiter = new RateLimiter(first.state, first.clock);
    limiter.allow(2);
    limiter.allow(2);
    const second = first.reopen();
    expect(new RateLimiter(second.state, second.clock).allow(2)).toBe(false);
    second.clock.advance(60 * 60_000 + 1);
    expect(new RateLimiter(second.state, second.clock).allow(2)).toBe(true);
  });
});
