import type { Clock } from "../core/clock.ts";
import type { StateStore } from "../db/state-store.ts";

export const RATE_WINDOW_MS_DEFAULT = 60 * 60_000;
const KEY = "rate_limiter";

interface WindowState {
  windowEndsAt: number;
  remaining: number;
}

/**
 * Upstream's RateLimiter (a bucket of `max` tokens refilled when a window ends, no carry-over),
 * persisted in SQLite so a restart or a crash loop cannot spend a fresh budget. A new window starts
 * at the first call after the old one ended (strictly after, as upstream). `max` is passed on every
 * call because the config is re-read on every pass.
 */
export class RateLimiter {
  constructor(
    private readonly state: StateStore,
    private readonly clock: Clock,
    private readonly windowMs = RATE_WINDOW_MS_DEFAULT,
  ) {}

  /** Takes one token if any is left. */
  allow(max: number): boolean {
    const now = this.clock.now();
    return this.state.update<WindowState, boolean>(KEY, now, (current) => {
      const window = this.refreshed(current, max, now);
      if (window.remaining <= 0) return { value: window, result: false };
      return { value: { ...window, remaining: window.remaining - 1 }, result: true };
    });
  }

  /** Gives back a token taken for work that turned out to need no agent run. */
  refund(max: number): void {
    const now = this.clock.now();
    this.state.update<WindowState, void>(KEY, now, (current) => {
      const window = this.refreshed(current, max, now);
      return {
        value: { ...window, remaining: Math.min(max, window.remaining + 1) },
        result: undefined,
      };
    });
  }

  /** Tokens left in the current window, without spending one. */
  remaining(max: number): number {
    return this.refreshed(this.state.get<WindowState>(KEY), max, this.clock.now()).remaining;
  }

  windowEndsAt(max: number): number {
    return this.refreshed(this.state.get<WindowState>(KEY), max, this.clock.now()).windowEndsAt;
  }

  private refreshed(current: WindowState | null, max: number, now: number): WindowState {
    if (!current || now > current.windowEndsAt) {
      return { windowEndsAt: now + this.windowMs, remaining: max };
    }
    // A lowered limit applies at once; a raised one waits for the next window.
    return { ...current, remaining: Math.min(current.remaining, max) };
  }
}
