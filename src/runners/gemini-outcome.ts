import type { ErrorCode, RetryDisposition } from "../core/errors.ts";
import {
  classifyFailureText,
  type FailureClass,
  lastStderrLine,
  retryCapFailure,
  runnerFailure,
  watchdogFailure,
} from "./agent-failure.ts";
import type { GeminiStreamParser } from "./gemini-stream-parser.ts";
import type { AgentCliRun } from "./run-agent-cli.ts";
import type { RunResult } from "./runner.ts";

/** Gemini's fatal exit codes (formats doc §3.4) that decide the class by themselves. */
const EXIT_CLASSES: Record<number, [ErrorCode, RetryDisposition, string]> = {
  41: ["E_AGENT_AUTH", "never", "authentication failed"],
  42: ["E_AGENT_BAD_FLAGS", "never", "bad input or arguments"],
  44: ["E_AGENT_FAILED", "never", "sandbox error"],
  52: ["E_AGENT_BAD_FLAGS", "never", "bad configuration"],
  53: ["E_AGENT_FAILED", "never", "turn limit reached"],
  54: ["E_AGENT_FAILED", "retry", "tool execution failed"],
  55: ["E_AGENT_LOCKDOWN", "never", "untrusted workspace"],
  130: ["E_AGENT_CANCELLED", "retry", "cancelled"],
};

/**
 * A finished `gemini -p` run → RunResult or a classified RunnerError. Success needs a `result`
 * with status "success", exit 0 and some answer text (formats doc §3.5).
 */
export function geminiOutcome(
  run: AgentCliRun,
  parser: GeminiStreamParser,
  nowMs: number,
): RunResult {
  const result = parser.result;
  const partial: RunResult = {
    output: parser.text(),
    exitCode: run.exitCode,
    durationMs: run.durationMs,
    tokensIn: result?.inputTokens ?? 0,
    tokensOut: result?.outputTokens ?? 0,
    costUsd: null,
    sessionId: parser.sessionId,
    numTurns: result?.status === "success" ? 1 : null,
    pid: run.pid,
  };
  const good = result?.status === "success";
  const exitedClean = run.exitCode === 0 && run.stop === null;
  if (good && (exitedClean || run.stop?.kind === "after_result") && partial.output !== "") {
    return partial;
  }
  const lastError = parser.lastError ? ` (last error: ${parser.lastError})` : "";
  const stopped = watchdogFailure("gemini", run, partial, lastError);
  if (stopped) throw stopped;
  const retry = parser.lastRetry;
  if (retry) {
    const status = retry.status ?? statusIn(retry.message);
    const capped = retryCapFailure(
      "gemini",
      run,
      partial,
      { text: retry.message, status, delayMs: retry.delayMs },
      nowMs,
    );
    if (capped) throw capped;
  }

  const how = run.signalCode ? `killed by ${run.signalCode}` : `exit code ${run.exitCode}`;
  const detail = result?.errorMessage ?? parser.lastError ?? stripAnsi(lastStderrLine(run)) ?? "";
  const message = `gemini failed (${how})${result?.errorType ? ` ${result.errorType}` : ""}${detail ? `: ${detail}` : ""}`;
  const byExit = run.exitCode === null ? undefined : EXIT_CLASSES[run.exitCode];
  // An API error's HTTP status becomes the exit code, modulo 256 (401 → 145, 429 → 173).
  const exitStatus =
    run.exitCode !== null && run.exitCode >= 144 && run.exitCode < 256 ? run.exitCode + 256 : null;
  if (byExit) {
    const [code, retry, what] = byExit;
    throw runnerFailure({ code, retry }, `${message} [${what}]`, partial, run);
  }
  if (good && partial.output === "") {
    throw runnerFailure(
      { code: "E_AGENT_NO_RESULT", retry: "retry" },
      `gemini gave an empty answer (${how})`,
      partial,
      run,
    );
  }
  if (/unknown argument|not enough arguments|invalid values?:/i.test(run.stderrTail)) {
    throw runnerFailure({ code: "E_AGENT_BAD_FLAGS", retry: "never" }, message, partial, run);
  }
  let failure: FailureClass = classifyFailureText(
    `${result?.errorType ?? ""} ${detail}`,
    nowMs,
    statusIn(detail) ?? exitStatus,
  );
  if (result === null && failure.code === "E_AGENT_FAILED") {
    failure = { code: "E_AGENT_NO_RESULT", retry: "retry" };
  }
  throw runnerFailure(failure, message, partial, run);
}

/** `[API Error: … got status: 429 Too Many Requests …]`, `"code": 401` → the status. */
function statusIn(text: string): number | null {
  const match = /\b(?:status:?|"code":)\s*(\d{3})\b/i.exec(text);
  return match ? Number(match[1]) : null;
}

function stripAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are control characters.
  return text.replace(/\u001b\[[0-9;]*m/g, "");
}
