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
