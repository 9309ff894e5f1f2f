/**
 * The only source of "now" in agentwork. Everything that reads time takes a Clock, so tests drive
 * time with a FakeClock instead of sleeping, and SQL receives `now` as a bound parameter rather than
 * calling SQLite's own clock (which a test cannot move).
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** ISO-8601 text for a millisecond timestamp (what people read in JSON output and views). */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Every time agentwork stores is a whole millisecond: the columns are STRICT INTEGER, and delays
 * arrive fractional (the Claude CLI's `retry_delay_ms`, a parsed reset time). Times are made in
 * two places only, here: a clock reading and a reading plus a delay.
 */
export function integerClock(clock: Clock): Clock {
  return { now: () => Math.round(clock.now()) };
}

/** `from` plus a delay, as a whole millisecond; a negative or non-finite delay counts as 0. */
export function timeAfter(from: number, delayMs: number): number {
  const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
  return Math.round(from + delay);
}
