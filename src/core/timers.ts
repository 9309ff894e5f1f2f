/**
 * The only place raw timers are armed. Everything that waits (the scheduler's doctor tick, grace
 * period and lease keeper; the runners' watchdogs; kill grace and pipe drains; socket and git
 * retry waits) goes through a Timers, so an embedder or a test can supply its own.
 */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  /** Runs `fn` after the event loop's next turn (without setTimeout's ~1 ms floor). */
  setImmediate?(fn: () => void): unknown;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
  setImmediate: (fn) => setImmediate(fn),
};

/** A promise that resolves once the event loop has had a turn (due I/O and timers ran). */
export function nextTurn(timers: Timers = realTimers): Promise<void> {
  return new Promise((resolve) => {
    if (timers.setImmediate) timers.setImmediate(resolve);
    else timers.setTimeout(resolve, 0);
  });
}

/** A promise that resolves after `ms` on the given timers. */
export function sleep(ms: number, timers: Timers = realTimers): Promise<void> {
  return new Promise((resolve) => {
    timers.setTimeout(resolve, ms);
  });
}
