/**
 * Durations in config are written the way people say them (`30s`, `5m`, `1h30m`, `30d`). A bare
 * number is refused on purpose: `doctor_interval: 5` could mean seconds or minutes, and guessing
 * wrong makes the daemon hammer the agent or sleep for days.
 */
const UNIT_MS = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
} as const;
type Unit = keyof typeof UNIT_MS;

const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

export const DURATION_HINT = "a duration such as 30s, 5m, 1h30m or 30d (units: ms, s, m, h, d)";

/** Milliseconds for a duration string, or an explanation of why it is not one. */
export function parseDuration(
  text: string,
): { ok: true; ms: number } | { ok: false; reason: string } {
  const trimmed = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) {
    return {
      ok: false,
      reason: `a bare number has no unit; write e.g. ${trimmed}s or ${trimmed}m`,
    };
  }
  if (!WHOLE.test(trimmed)) return { ok: false, reason: DURATION_HINT };
  let total = 0;
  for (const match of trimmed.matchAll(PART)) {
    total += Number(match[1]) * UNIT_MS[match[2] as Unit];
  }
  const ms = Math.round(total);
  if (!Number.isSafeInteger(ms)) return { ok: false, reason: "the duration is too large" };
  return { ok: true, ms };
}

/** The shortest readable form (`1h30m`, `30d`, `250ms`), used in status output and messages. */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  let rest = Math.max(0, Math.round(ms));
  let out = "";
  for (const unit of ["d", "h", "m", "s", "ms"] as const) {
    const size = UNIT_MS[unit];
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out;
}
