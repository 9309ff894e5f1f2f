/**
 * Account usage limits ("You've hit your limit · resets 7am (America/Los_Angeles)"), shared by
 * every runner. An account limit is not a short API rate limit: retrying in minutes cannot help,
 * so the scheduler pauses all agent work until the reset instead of burning the queue's attempts.
 */

const USAGE_LIMIT_TEXT =
  /hit your (?:weekly |daily |monthly )?limit|usage limit|limit reached|quota exceeded|quota exhausted/i;

/** True when an agent's error text says the account (not the API) is out of allowance. */
export function isUsageLimitText(text: string): boolean {
  return USAGE_LIMIT_TEXT.test(text);
}

/** A pause lasts at least until now; without a parsed reset 1 hour; never more than 7 days. */
export const USAGE_PAUSE_DEFAULT_MS = 60 * 60_000;
export const USAGE_PAUSE_MAX_MS = 7 * 24 * 60 * 60_000;

/** When a pause that the agent dated `resetAtMs` (or did not date) should end. */
export function pauseEnd(resetAtMs: number | null | undefined, nowMs: number): number {
  const end =
    resetAtMs !== null && resetAtMs !== undefined && resetAtMs > nowMs
      ? resetAtMs
      : nowMs + USAGE_PAUSE_DEFAULT_MS;
  return Math.round(Math.min(end, nowMs + USAGE_PAUSE_MAX_MS));
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

// "resets 7am (America/Los_Angeles)", "resets 7:30pm (UTC)", "resets Oct 12 at 7am (Europe/Lisbon)"
const RESET_TEXT =
  /resets\s+(?:([a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:,?\s+\d{4})?\s+at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm)\s*\(([^)\s]+)\)/i;

/**
 * The reset time named in an agent's limit text, as epoch ms, or null when the text names none
 * (or an impossible one). Without a date it is the next such time of day in that zone; with a
 * date, that date this year, or next year when it has passed.
 */
export function parseResetTime(text: string, nowMs: number): number | null {
  const match = RESET_TEXT.exec(text);
  if (!match) return null;
  const [, monthText, dayText, hourText, minuteText, meridiem, zone] = match;
  const hour12 = Number(hourText);
  const minute = minuteText === undefined ? 0 : Number(minuteText);
  if (hour12 < 1 || hour12 > 12 || minute > 59 || zone === undefined) return null;
  const hour = (hour12 % 12) + (meridiem?.toLowerCase() === "pm" ? 12 : 0);
  const today = zonedParts(nowMs, zone);
  if (today === null) return null;

  if (monthText === undefined || dayText === undefined) {
    for (let addDays = 0; addDays <= 1; addDays++) {
      const at = zonedToEpoch(today.year, today.month, today.day + addDays, hour, minute, zone);
      if (at > nowMs) return at;
    }
    return null;
  }
  const month = MONTHS.indexOf(monthText.toLowerCase());
  const day = Number(dayText);
  if (month < 0) return null;
  for (let addYears = 0; addYears <= 1; addYears++) {
    const year = today.year + addYears;
    if (!isRealDate(year, month, day)) return null;
    const at = zonedToEpoch(year, month, day, hour, minute, zone);
    if (at > nowMs) return at;
  }
  return null;
}

/**
 * A `resetsAt` field from an agent's event (epoch seconds, epoch ms or ISO-8601), as epoch ms.
 */
export function parseResetsAtField(value: unknown): number | null {
  if (typeof value === "number" && Number.isFinite(value) && value > 0) {
    return Math.round(value < 1e11 ? value * 1000 : value);
  }
  if (typeof value === "string" && value.trim() !== "") {
    const asNumber = Number(value);
    if (Number.isFinite(asNumber)) return parseResetsAtField(asNumber);
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? null : parsed;
  }
  return null;
}

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month, day));
  return date.getUTCMonth() === month && date.getUTCDate() === day;
}

interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function zonedParts(epochMs: number, zone: string): ZonedParts | null {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
  } catch {
    return null;
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(epochMs)) parts[part.type] = Number(part.value);
  return {
    year: parts.year ?? 0,
    month: (parts.month ?? 1) - 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
  };
}

/** The epoch ms at which the wall clock in `zone` shows the given time (month 0-based). */
function zonedToEpoch(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  zone: string,
): number {
  const wall = Date.UTC(year, month, day, hour, minute);
  let guess = wall;
  // Two rounds settle the zone's offset, including on the day a DST change happens.
  for (let round = 0; round < 2; round++) {
    const shown = zonedParts(guess, zone);
    if (shown === null) return wall;
    const shownWall = Date.UTC(shown.year, shown.month, shown.day, shown.hour, shown.minute);
    guess += wall - shownWall;
  }
  return guess;
}
