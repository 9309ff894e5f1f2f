import type { Timers } from "../../src/core/timers.ts";
import type { FakeClock } from "./clock.ts";

interface Pending {
  id: number;
  due: number;
  fn: () => void;
  every: number | null;
}

/**
 * Timers that fire only when a test moves time with `advance`, together with the FakeClock they
 * share: the scheduler's doctor loop, grace periods and lease keeper run without real waiting.
 */
export class FakeTimers implements Timers {
  private pending: Pending[] = [];
  private nextId = 1;

  constructor(private readonly clock: FakeClock) {}

  setTimeout(fn: () => void, ms: number): unknown {
    return this.add(fn, ms, null);
  }

  setInterval(fn: () => void, ms: number): unknown {
    return this.add(fn, ms, ms);
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }

  clearInterval(handle: unknown): void {
    this.clearTimeout(handle);
  }

  /** How many timers are armed. */
  get armed(): number {
    return this.pending.length;
  }

  /** Moves the clock by `ms`, firing every timer that comes due, in order. */
  advance(ms: number): void {
    const end = this.clock.now() + ms;
    for (;;) {
      const next = [...this.pending].sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (!next || next.due > end) break;
      this.clock.set(next.due);
      if (next.every === null) this.clearTimeout(next.id);
      else next.due += next.every;
      next.fn();
    }
    this.clock.set(end);
  }

  private add(fn: () => void, ms: number, every: number | null): number {
    const id = this.nextId++;
    this.pending.push({ id, due: this.clock.now() + Math.max(0, ms), fn, every });
    return id;
  }
}
