import {
  classifyFailureText,
  lastStderrLine,
  retryCapFailure,
  runnerFailure,
  watchdogFailure,
} from "./agent-failure.ts";
import type { CodexEventParser } from "./codex-events.ts";
import type { AgentCliRun } from "./run-agent-cli.ts";
import type { RunResult } from "./runner.ts";

/**
 * A finished `codex exec --json` run → RunResult or a classified RunnerError (formats doc §2.4,
 * §2.5). Success needs all three: a `turn.completed`, no `turn.failed`, exit 0. A zero exit after
 * turn.failed is a failure; a turn that completed but then exited non-zero (the sticky
 * `error_seen`) is one too.
 */
export function codexOutcome(run: AgentCliRun, parser: CodexEventParser, nowMs: number): RunResult {
  const partial: RunResult = {
    output: parser.lastMessage ?? "",
    exitCode: run.exitCode,
    durationMs: run.durationMs,
    tokensIn: parser.usage?.inputTokens ?? 0,
    tokensOut: parser.usage?.outputTokens ?? 0,
    costUsd: null,
    sessionId: parser.threadId,
    numTurns: parser.turnCompleted ? 1 : null,
    pid: run.pid,
  };
  const succeeded =
    parser.turnCompleted && parser.turnFailed === null && run.exitCode === 0 && run.stop === null;
  // A CLI that hung after its completed turn is killed; the answer still counts.
  const hungAfterGood =
    run.stop?.kind === "after_result" && parser.turnCompleted && parser.turnFailed === null;
  if (succeeded || hungAfterGood) {
    if (parser.lastMessage !== null) return partial;
  }
  const lastError = parser.lastError ? ` (last error: ${parser.lastError})` : "";
  const stopped = watchdogFailure("codex", run, partial, lastError);
  if (stopped) throw stopped;
  if (parser.lastError !== null) {
    // "Reconnecting... 2/5 (unexpected status 401 Unauthorized: …)": the error inside counts.
    const text = parser.lastError.replace(/^Reconnecting\.\.\.\s*[^(]*\((.*)\)\s*$/, "$1");
    const capped = retryCapFailure("codex", run, partial, { text, status: statusIn(text) }, nowMs);
    if (capped) throw capped;
  }

  const how = run.signalCode ? `killed by ${run.signalCode}` : `exit code ${run.exitCode}`;
  if (parser.turnFailed !== null) {
    const failure = classifyFailureText(parser.turnFailed, nowMs, statusIn(parser.turnFailed));
    throw runnerFailure(failure, `codex turn failed (${how}): ${parser.turnFailed}`, partial, run);
  }
  const stderr = run.stderrTail;
  // clap rejects an argument with exit 2 and "error: unexpected argument …" on stderr.
  if (
    run.exitCode === 2 ||
    /unexpected argument|unrecognized subcommand|invalid value/i.test(stderr)
  ) {
    throw runnerFailure(
      { code: "E_AGENT_BAD_FLAGS", retry: "never" },
      `codex rejected its arguments (${how}): ${lastStderrLine(run)}`,
      partial,
      run,
    );
  }
  const detail = parser.lastError ?? lastStderrLine(run);
  if (parser.turnCompleted && parser.lastMessage === null) {
    throw runnerFailure(
      { code: "E_AGENT_NO_RESULT", retry: "retry" },
      `codex completed its turn without a message (${how})`,
      partial,
      run,
    );
  }
  const failure = classifyFailureText(detail, nowMs, statusIn(detail));
  const code = failure.code === "E_AGENT_FAILED" ? "E_AGENT_NO_RESULT" : failure.code;
  throw runnerFailure(
    { ...failure, code, retry: code === "E_AGENT_NO_RESULT" ? "retry" : failure.retry },
    `codex ended without a completed turn (${how})${detail ? `: ${detail}` : ""}`,
    partial,
    run,
  );
}

/** "unexpected status 401 Unauthorized: …" → 401. */
function statusIn(text: string): number | null {
  const match = /\bstatus:?\s+(\d{3})\b/i.exec(text);
  return match ? Number(match[1]) : null;
}
