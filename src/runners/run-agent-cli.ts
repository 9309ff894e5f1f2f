import { existsSync } from "node:fs";
import type { Clock } from "../core/clock.ts";
import { LineSplitter } from "../core/line-splitter.ts";
import type { AgentCliSettings } from "./agent-cli-options.ts";
import { RunnerError, type RunRequest } from "./runner.ts";
import { type SuperviseControl, type SupervisedRun, superviseAgent } from "./supervise-agent.ts";

/**
 * One run of any agent CLI: the prompt on stdin, stdout split into lines for the format's parser,
 * the watchdogs of superviseAgent, a cap on total stdout, and spawn failures classified. The
 * format-specific parts (argv, env, parser, outcome) stay in each runner.
 */
export interface AgentInvocation {
  /** "codex", "gemini", … for messages. */
  agent: string;
  bin: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  request: RunRequest;
  settings: AgentCliSettings;
  clock: Clock;
  /** Each complete stdout line; `control` lets the parser end the run or start the grace. */
  onLine: (line: string, control: SuperviseControl) => void;
  /** Each complete stderr line (retry notices), if the format reads them. */
  onStderrLine?: (line: string, control: SuperviseControl) => void;
}

export interface AgentCliRun extends SupervisedRun {
  stdoutBytes: number;
  /** Lines longer than maxLineBytes that were skipped. */
  skippedLines: number;
}

/** The stop reason used when stdout passes maxStdoutBytes. */
export const STDOUT_CAP_REASON = "stdout over its cap";

export async function runAgentCli(inv: AgentInvocation): Promise<AgentCliRun> {
  const { settings, request } = inv;
  let control: SuperviseControl | undefined;
  let stdoutBytes = 0;
  const splitter = new LineSplitter((line) => {
    if (control) inv.onLine(line, control);
  }, settings.maxLineBytes);
  const onStderrLine = inv.onStderrLine;
  const stderrSplitter = onStderrLine
    ? new LineSplitter((line) => {
        if (control) onStderrLine(line, control);
      }, settings.maxLineBytes)
    : null;
  const timeoutMs =
    request.timeoutMs && request.timeoutMs > 0 ? request.timeoutMs : settings.timeoutMs;
  let run: SupervisedRun;
  try {
    run = await superviseAgent({
      argv: [inv.bin, ...inv.args],
      cwd: inv.cwd,
      env: inv.env,
      stdin: request.prompt,
      timeoutMs,
      idleTimeoutMs: settings.idleTimeoutMs,
      resultGraceMs: settings.resultGraceMs,
      killGraceMs: settings.killGraceMs,
      drainMs: settings.drainMs,
      stderrTailBytes: settings.stderrTailBytes,
      signal: request.signal,
      onSpawn: request.onSpawn,
      clock: inv.clock,
      onStdout(chunk, ctl) {
        control = ctl;
        stdoutBytes += chunk.byteLength;
        if (stdoutBytes > settings.maxStdoutBytes) {
          ctl.stop(STDOUT_CAP_REASON);
          return;
        }
        splitter.push(chunk);
      },
      onStderr(chunk, ctl) {
        control = ctl;
        stderrSplitter?.push(chunk);
      },
    });
  } catch (error) {
    throw spawnFailure(inv.agent, inv.bin, inv.cwd, error);
  }
  splitter.end();
  stderrSplitter?.end();
  return { ...run, stdoutBytes, skippedLines: splitter.skippedLines };
}

/** The checks before anything is spawned: a binary, and a run nobody cancelled yet. */
export function requireRunnable(agent: string, bin: string | null, request: RunRequest): string {
  if (bin === null) {
    throw new RunnerError("E_AGENT_MISSING", `${agent} binary not available`, { retry: "never" });
  }
  if (request.signal?.aborted) {
    throw new RunnerError("E_AGENT_CANCELLED", `${agent} run cancelled before start`, {
      retry: "retry",
    });
  }
  return bin;
}

export function spawnFailure(agent: string, bin: string, cwd: string, error: unknown): RunnerError {
  const code = (error as NodeJS.ErrnoException).code;
  const message = `start ${agent} (${bin}) in ${cwd}: ${error instanceof Error ? error.message : String(error)}`;
  // posix_spawn reports a missing cwd as ENOENT naming the binary; tell the two apart.
  if (!existsSync(cwd)) {
    return new RunnerError("E_AGENT_SPAWN", `${message} (work dir missing)`, {
      retry: "retry",
      cause: error,
    });
  }
  // The binary vanished or lost its x bit between the check and the spawn: retrying cannot help.
  if (code === "ENOENT" || code === "EACCES") {
    return new RunnerError("E_AGENT_MISSING", message, { retry: "never", cause: error });
  }
  return new RunnerError("E_AGENT_SPAWN", message, { retry: "retry", cause: error });
}
