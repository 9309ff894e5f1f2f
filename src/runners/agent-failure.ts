import type { ErrorCode, RetryDisposition } from "../core/errors.ts";
import { RunnerError, type RunResult } from "./runner.ts";
import type { SupervisedRun } from "./supervise-agent.ts";
import { isUsageLimitText, parseResetTime, pauseEnd } from "./usage-limit.ts";

/**
 * The failure classes every runner maps its CLI's errors onto (the same as Claude's): auth and
 * billing are never retried, rate limits are retried after the delay the API named, an account
 * usage limit pauses all agent work until its reset, overload and server errors are retried, a bad
 * request is not. Codex and Gemini report failures as text (and sometimes an HTTP status), so the
 * text decides here; Claude's structured fields are read in claude-outcome.ts.
 */
export interface FailureClass {
  code: ErrorCode;
  retry: RetryDisposition;
  retryAfterMs?: number;
  pauseUntilMs?: number;
}

export const AUTH_TEXT =
  /not logged in|invalid api key|api key not valid|authenticat|unauthori[sz]ed|\b401\b|\/login|oauth token|permission_denied|\b403\b/i;
export const BILLING_TEXT = /credit balance|billing|payment required|\b402\b|insufficient_quota/i;
export const RATE_TEXT = /rate limit|too many requests|\b429\b|resource_exhausted|per minute/i;
export const OVERLOAD_TEXT = /overloaded|high demand|\b529\b|\b503\b|unavailable/i;
export const SERVER_TEXT = /internal server error|server error|\b50[0-4]\b|bad gateway/i;
export const BAD_REQUEST_TEXT = /\b400\b|\b404\b|invalid_request|invalid argument|not found/i;

/** Classifies an agent's error text; `status` is an HTTP status the CLI reported, if any. */
export function classifyFailureText(
  text: string,
  nowMs: number,
  status: number | null = null,
): FailureClass {
  // A usage limit first: it often arrives as a 429 but retrying in minutes cannot help.
  const usage = usageLimitFailure(text, nowMs);
  if (usage) return usage;
  if (status === 401 || status === 403 || AUTH_TEXT.test(text)) {
    return { code: "E_AGENT_AUTH", retry: "never" };
  }
  if (status === 402 || BILLING_TEXT.test(text)) return { code: "E_AGENT_BILLING", retry: "never" };
  if (status === 429 || RATE_TEXT.test(text)) {
    const at = parseRetryIn(text, nowMs);
    return {
      code: "E_AGENT_RATE_LIMIT",
      retry: "retry",
      ...(at !== null ? { retryAfterMs: at - nowMs } : {}),
    };
  }
  if (status === 529 || status === 503 || OVERLOAD_TEXT.test(text)) {
    return { code: "E_AGENT_OVERLOADED", retry: "retry" };
  }
  if ((status !== null && status >= 500) || SERVER_TEXT.test(text)) {
    return { code: "E_AGENT_SERVER", retry: "retry" };
  }
  // A bad model name or a malformed request repeats identically.
  if (status === 400 || status === 404 || BAD_REQUEST_TEXT.test(text)) {
    return { code: "E_AGENT_FAILED", retry: "never" };
  }
  return { code: "E_AGENT_FAILED", retry: "retry" };
}

/**
 * An account usage limit ("You've hit your limit · resets 7am (Europe/Berlin)", "try again at
 * 2:53 AM", "daily quota … retry in 6h") → pause until the reset it names, else an hour; null for
 * other text, including per-minute quotas (a rate limit).
 */
export function usageLimitFailure(text: string, nowMs: number): FailureClass | null {
  if (!isUsageLimitText(text) || /per minute/i.test(text)) return null;
  const reset =
    parseResetTime(text, nowMs) ?? parseTryAgainAt(text, nowMs) ?? parseRetryIn(text, nowMs);
  return { code: "E_AGENT_USAGE_LIMIT", retry: "pause", pauseUntilMs: pauseEnd(reset, nowMs) };
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * "try again in 20s", "Please retry in 28.5s", "retry after 3 minutes", "try again in 2 days 3
 * hours": the time named, as epoch ms; null when there is none.
 */
export function parseRetryIn(text: string, nowMs: number): number | null {
  const match = /(?:try again|retry)(?: in| after)\s+((?:\d+(?:\.\d+)?\s*[a-z]+[\s,and]*)+)/i.exec(
    text,
  );
  if (!match?.[1]) return null;
  let ms = 0;
  for (const part of match[1].matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)/gi)) {
    const unit = (part[2] ?? "").toLowerCase();
    const key = unit.startsWith("ms") ? "ms" : unit.slice(0, 1);
    const scale = key === "ms" ? 1 : UNIT_MS[key];
    if (scale === undefined) continue;
    ms += Number(part[1]) * scale;
  }
  return ms > 0 ? Math.round(nowMs + ms) : null;
}

/**
 * Codex's "try again at 2:53 AM": the next such wall-clock time in the local zone (the CLI runs
 * with ours), as epoch ms; null when the text names none.
 */
export function parseTryAgainAt(text: string, nowMs: number): number | null {
  const match = /try again at (\d{1,2}):(\d{2})\s*([AP]M)\b/i.exec(text);
  if (!match) return null;
  const hour12 = Number(match[1]);
  const minute = Number(match[2]);
  if (hour12 < 1 || hour12 > 12 || minute > 59) return null;
  const at = new Date(nowMs);
  at.setHours((hour12 % 12) + (match[3]?.toUpperCase() === "PM" ? 12 : 0), minute, 0, 0);
  if (at.getTime() <= nowMs) at.setDate(at.getDate() + 1);
  return at.getTime();
}

/** Builds a RunnerError carrying what the run learned. */
export function runnerFailure(
  failure: FailureClass,
  message: string,
  partial: Partial<RunResult>,
  run: SupervisedRun,
): RunnerError {
  return new RunnerError(failure.code, message, {
    retry: failure.retry,
    retryAfterMs: failure.retryAfterMs,
    pauseUntilMs: failure.pauseUntilMs,
    partial,
    stderrTail: run.stderrTail,
  });
}

/**
 * A stop we caused (cancel, wall clock, idle) decides the outcome before anything the
 * CLI printed; null when the CLI ended by itself or only overstayed its terminal event.
 */
export function watchdogFailure(
  agent: string,
  run: SupervisedRun,
  partial: Partial<RunResult>,
  detail = "",
): RunnerError | null {
  const stop = run.stop;
  const fail = (code: ErrorCode, message: string) =>
    runnerFailure({ code, retry: "retry" }, message, partial, run);
  if (stop?.kind === "cancelled") return fail("E_AGENT_CANCELLED", `${agent} run cancelled`);
  if (stop?.kind === "timeout") {
    return fail("E_AGENT_TIMEOUT", `${agent} timed out after ${stop.afterMs} ms${detail}`);
  }
  if (stop?.kind === "idle") {
    return fail("E_AGENT_IDLE", `${agent} printed nothing for ${stop.afterMs} ms${detail}`);
  }
  return null;
}

/** The last non-empty stderr line, for messages. */
export function lastStderrLine(run: SupervisedRun): string {
  return (
    run.stderrTail
      .trim()
      .split("\n")
      .filter((l) => l.trim() !== "")
      .at(-1) ?? ""
  );
}

/**
 * The run was stopped after the CLI's API retry cap (`control.stop`): the class of the last error
 * it was retrying decides; an unclassified one counts as a server error (retried later).
 */
export function retryCapFailure(
  agent: string,
  run: SupervisedRun,
  partial: Partial<RunResult>,
  lastError: { text: string; status: number | null; delayMs?: number | null },
  nowMs: number,
): RunnerError | null {
  if (run.stop?.kind !== "requested") return null;
  const found = classifyFailureText(lastError.text, nowMs, lastError.status);
  const failure: FailureClass =
    found.code === "E_AGENT_FAILED" && found.retry === "retry"
      ? { code: "E_AGENT_SERVER", retry: "retry" }
      : found;
  if (
    failure.code === "E_AGENT_RATE_LIMIT" &&
    failure.retryAfterMs === undefined &&
    lastError.delayMs
  ) {
    failure.retryAfterMs = lastError.delayMs;
  }
  return runnerFailure(
    failure,
    `${agent} stopped after ${run.stop.reason}: ${lastError.text || "no error text"}`,
    partial,
    run,
  );
}
