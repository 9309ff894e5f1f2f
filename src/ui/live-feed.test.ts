import { expect, test } from "bun:test";
import type { Timers } from "../core/timers.ts";
import type { AgentWorkStatus } from "../scheduler/status.ts";
import { LiveFeed } from "./live-feed.ts";

/** Timers that run only when the test says so. */
function manualTimers() {
  const intervals = new Map<number, () => void>();
  let next = 1;
  const timers: Timers = {
    setTimeout: () => 0,
    clearTimeout: () => {},
    setInterval: (fn) => {
      intervals.set(next, fn);
      return next++;
    },
    clearInterval: (h) => intervals.delete(h as number),
  };
  return {
    timers,
    intervals,
    fire: () => {
      for (const fn of intervals.values()) fn();
    },
  };
}

const status = (failed: number) =>
  ({
    counts: { queued: 0, running: 0, retry_wait: 0, done: 0, failed, cancelled: 0 },
    stats: {},
    paused_until: null,
    ledger: { waiting_commit: [], waiting_push: 0 },
  }) as unknown as AgentWorkStatus;

async function readUntil(reader: { read(): Promise<{ value?: Uint8Array }> }, want: string) {
  let text = "";
  while (!text.includes(want)) {
    const { value } = await reader.read();
    text += new TextDecoder().decode(value);
  }
  return text;
}

test("polls only while a page listens, and sends change when the daemon's state changed", async () => {
  const { timers, intervals, fire } = manualTimers();
  let current: AgentWorkStatus | null = status(2);
  const feed = new LiveFeed(async () => current, timers, 2000);
  expect(intervals.size).toBe(0);
  const reader = (feed.subscribe().body as ReadableStream<Uint8Array>).getReader();
  expect(await readUntil(reader, "data: running")).toContain("event: daemon");
  expect(intervals.size).toBe(1);
  current = status(1);
  fire();
  expect(await readUntil(reader, "event: change")).toContain("event: change");
  current = null;
  fire();
  expect(await readUntil(reader, "data: stopped")).toContain("event: daemon");
  await reader.cancel();
  expect(intervals.size).toBe(0);
});
