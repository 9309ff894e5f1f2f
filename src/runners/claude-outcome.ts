import type { ErrorCode, RetryDisposition } from "../core/errors.ts";
import { usageLimitFailure } from "./agent-failure.ts";
import type { ClaudeApiRetry, ClaudeResult, ClaudeStreamParser } from "./claude-stream-parser.ts";
import { RunnerError, type RunResult } from "./runner.ts";
import type { SupervisedRun } from "./supervise-agent.ts";
import { pauseEnd } from "./usage-limit.ts";

/**
 * Turns a finished Claude run into a RunResult or a classified RunnerError. Success is decided by
 * the result's `is_error` alone: neither `subtype` (API errors arrive as "success") nor the exit
 * code (exit 1 with a good result is a success, upstream intent 39) decides it.
 *
 * Precedence: cancel > early stop (auth, api_retry cap) > a result line > timeout/idle > stderr.
 * A result that arrived before a watchdog fired still counts: a CLI that hangs after printing a
 * good result (claude-code#25629) succeeds with that result; its leftover process is killed.
 */
export function claudeOutcome(
  run: SupervisedRun,
  parser: ClaudeStreamParser,
  nowMs: number,
): RunResult {
  const result = parser.result;
  const partial: RunResult = {
    output: parser.outputText(),
    exitCode: run.exitCode,
    // Wall time is what the scheduler budgets; the CLI's duration_ms excludes its start-up.
    durationMs: run.durationMs,
    tokensIn: result?.usage?.inputTokens ?? 0,
    tokensOut: result?.usage?.outputTokens ?? 0,
    costUsd: result?.costUsd ?? null,
    sessionId: parser.sessionId,
    numTurns: result?.numTurns ?? null,
    pid: run.pid,
  };
  const fail = (code: ErrorCode, message: string, retry: RetryDisposition, retryAfterMs?: number) =>
    new RunnerError(code, message, {
      retry,
      partial,
      stderrTail: run.stderrTail,
      retryAfterMs,
    });
  const stop = run.stop;

  if (stop?.kind === "cancelled") throw fail("E_AGENT_CANCELLED", "claude run cancelled", "retry");
  if (stop?.kind === "requested") throw apiRetryFailure(parser.lastApiRetry, stop.reason, fail);
  if (result !== null) {
    if (!result.isError) return partial;
    const usage = claudeUsageLimit(result, parser, nowMs);
    if (usage) {
      throw new RunnerError(usage.code, usage.message, {
        retry: usage.retry,
        pauseUntilMs: usage.pauseUntilMs,
        partial,
        stderrTail: run.stderrTail,
      });
    }
    throw resultFailure(result, parser.lastAssistantError, fail);
  }
  if (stop?.kind === "timeout") {
    throw fail(
      "E_AGENT_TIMEOUT",
      `claude timed out after ${stop.afterMs} ms${lastApiError(parser.lastApiRetry)}`,
      "retry",
    );
  }
  if (stop?.kind === "idle") {
    throw fail(
      "E_AGENT_IDLE",
      `claude printed nothing for ${stop.afterMs} ms${lastApiError(parser.lastApiRetry)}`,
      "retry",
    );
  }
  throw noResultFailure(run, parser, fail);
}

type Fail = (
  code: ErrorCode,
  message: string,
  retry: RetryDisposition,
  retryAfterMs?: number,
) => RunnerError;

const AUTH_TEXT =
  /not logged in|invalid api key|authentication|unauthori[sz]ed|\/login|oauth token/i;
const BILLING_TEXT = /credit balance|billing|payment required/i;
const RATE_TEXT = /rate limit|too many requests/i;
const OVERLOAD_TEXT = /overloaded/i;
const BAD_FLAGS_TEXT =
  /unknown option|unknown argument|requires --verbose|invalid value for|error: option/i;

/**
 * An account usage limit, told apart from a short API rate limit: the CLI retries a 429 it may
 * retry (api_retry lines) but gives up at once on a rejected account limit; a rate_limit_event
 * with status "rejected", or a text like "You've hit your limit · resets 7am (…)" (the rule all
 * runners share), says so too. Pauses all agent work until the reset, when it is known.
 */
function claudeUsageLimit(
  result: ClaudeResult,
  parser: ClaudeStreamParser,
  nowMs: number,
): { code: "E_AGENT_USAGE_LIMIT"; retry: "pause"; pauseUntilMs: number; message: string } | null {
  const detail = resultDetail(result, parser.lastAssistantError);
  const message = `claude account usage limit reached: ${resultDetail(result, null) || "rate limit rejected"}`;
  const fromText = usageLimitFailure(detail, nowMs);
  if (fromText?.pauseUntilMs !== undefined) {
    return {
      code: "E_AGENT_USAGE_LIMIT",
      retry: "pause",
      pauseUntilMs: fromText.pauseUntilMs,
      message,
    };
  }
  const rejected = parser.rateLimitRejected;
  // "Request rejected (429)" with no api_retry line before it: the CLI was told not to retry.
  const gaveUpOn429 =
    (result.apiErrorStatus === 429 || parser.lastAssistantError === "rate_limit") &&
    parser.apiRetries === 0 &&
    /request rejected/i.test(detail);
  if (rejected === null && !gaveUpOn429) return null;
  return {
    code: "E_AGENT_USAGE_LIMIT",
    retry: "pause",
    pauseUntilMs: pauseEnd(rejected?.resetsAtMs ?? null, nowMs),
    message: `${message}${rejected?.limitType ? ` (${rejected.limitType})` : ""}`,
  };
}

function apiRetryFailure(retry: ClaudeApiRetry | null, reason: string, fail: Fail): RunnerError {
  const seen = lastApiError(retry);
  if (retry?.error === "authentication_failed" || retry?.status === 401) {
    return fail("E_AGENT_AUTH", `claude cannot authenticate${seen}`, "never");
  }
  if (retry?.error === "billing_error" || retry?.status === 402) {
    return fail("E_AGENT_BILLING", `claude billing failure${seen}`, "never");
  }
  const delay = retry?.retryDelayMs ?? undefined;
  if (retry?.status === 429 || retry?.error === "rate_limit") {
    return fail("E_AGENT_RATE_LIMIT", `claude rate limited (${reason})${seen}`, "retry", delay);
  }
  if (retry?.status === 529 || retry?.error === "overloaded") {
    return fail("E_AGENT_OVERLOADED", `claude API overloaded (${reason})${seen}`, "retry", delay);
  }
  return fail("E_AGENT_SERVER", `claude API failing (${reason})${seen}`, "retry", delay);
}

function resultFailure(
  result: ClaudeResult,
  assistantError: string | null,
  fail: Fail,
): RunnerError {
  const detail = resultDetail(result, assistantError);
  const message = `claude reported an error: ${detail || "is_error without details"}`;
  const status = result.apiErrorStatus;
  if (status === 401 || assistantError === "authentication_failed" || AUTH_TEXT.test(detail)) {
    return fail("E_AGENT_AUTH", message, "never");
  }
  if (status === 402 || assistantError === "billing_error" || BILLING_TEXT.test(detail)) {
    return fail("E_AGENT_BILLING", message, "never");
  }
  if (status === 429 || assistantError === "rate_limit" || RATE_TEXT.test(detail)) {
    return fail("E_AGENT_RATE_LIMIT", message, "retry");
  }
  if (status === 529 || OVERLOAD_TEXT.test(detail))
    return fail("E_AGENT_OVERLOADED", message, "retry");
  if ((status !== null && status >= 500) || assistantError === "server_error") {
    return fail("E_AGENT_SERVER", message, "retry");
  }
  // A bad model name or malformed request (400/404) and the turn/budget caps repeat identically.
  if (status === 400 || status === 404 || assistantError === "invalid_request") {
    return fail("E_AGENT_FAILED", message, "never");
  }
  if (result.subtype === "error_max_turns" || result.subtype === "error_max_budget_usd") {
    return fail("E_AGENT_FAILED", message, "never");
  }
  return fail("E_AGENT_FAILED", message, "retry");
}

function resultDetail(result: ClaudeResult, assistantError: string | null): string {
  return result.errors.join("\n") || result.text || assistantError || result.subtype || "";
}

function noResultFailure(run: SupervisedRun, parser: ClaudeStreamParser, fail: Fail): RunnerError {
  const stderr = run.stderrTail.trim();
  const lastLine = stderr.split("\n").at(-1) ?? "";
  const how = run.signalCode ? `killed by ${run.signalCode}` : `exit code ${run.exitCode}`;
  const message = `claude ended without a result (${how})${lastLine ? `: ${lastLine}` : ""}`;
  if (BAD_FLAGS_TEXT.test(stderr)) return fail("E_AGENT_BAD_FLAGS", message, "never");
  if (AUTH_TEXT.test(stderr) || parser.lastAssistantError === "authentication_failed") {
    return fail("E_AGENT_AUTH", message, "never");
  }
  return fail("E_AGENT_NO_RESULT", message, "retry");
}

function lastApiError(retry: ClaudeApiRetry | null): string {
  if (retry === null) return "";
  const status = retry.status === null ? "no response" : `HTTP ${retry.status}`;
  return ` (last API error: ${status}${retry.error ? ` ${retry.error}` : ""}, attempt ${retry.attempt ?? "?"})`;
}
