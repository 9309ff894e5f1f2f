/** First retry waits about this long; each later one doubles it. */
export const RETRY_BASE_MS = 30_000;
/** No retry waits longer than this. */
export const RETRY_CAP_MS = 30 * 60_000;
/** ±25% so items that failed together (an API outage) do not all return at the same instant. */
export const RETRY_JITTER = 0.25;

/** Delay before the attempt after `attempt` (1-based count of attempts made so far). */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempt - 1));
  const jitter = 1 + RETRY_JITTER * (2 * random() - 1);
  return Math.round(exponential * jitter);
}
