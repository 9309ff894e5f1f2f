import type { Clock } from "../../src/core/clock.ts";

/** A clock that only moves when a test moves it. */
export class FakeClock implements Clock {
  constructor(private current = Date.UTC(2026, 10, 26, 12, 0, 0)) {}
  now(): number {
    return this.current;
  }
  set(ms: number): void {
    this.current = ms;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
