import { expect } from "bun:test";
import { isProcessAlive } from "../../../src/core/process.ts";
import { ClaudeRunner, type ClaudeRunnerOptions } from "../../../src/runners/claude-runner.ts";
import { RunnerError } from "../../../src/runners/runner.ts";
import { tempDir } from "../tmp.ts";
import type { FakeAgent } from "./fake-agent.ts";

/** Inherited variables a worker started inside Claude Code would carry; the child must not. */
export const NESTED_ENV = {
  CLAUDECODE: "1",
  CLAUDE_CODE_ENTRYPOINT: "cli",
  CLAUDE_CODE_OAUTH_TOKEN: "oauth-token",
  LANG: "C.UTF-8",
};

/** Options for any runner on a fake agent: test-sized watchdogs (hundreds of ms), a temp HOME. */
export function fakeAgentOptions(agent: FakeAgent): ClaudeRunnerOptions {
  return {
    agentBin: agent.bin,
    env: { ...NESTED_ENV, PATH: "/usr/local/bin:/usr/bin:/bin" },
    home: tempDir("agentwork-home-"),
    timeoutMs: 10_000,
    idleTimeoutMs: 5_000,
    resultGraceMs: 200,
    killGraceMs: 200,
    drainMs: 200,
  };
}

/** A ClaudeRunner on a fake agent with test-sized watchdogs. */
export function runnerFor(agent: FakeAgent, overrides: ClaudeRunnerOptions = {}): ClaudeRunner {
  return new ClaudeRunner({ ...fakeAgentOptions(agent), ...overrides });
}

/** Awaits a run that must fail and returns its RunnerError. */
export async function runError(run: Promise<unknown>): Promise<RunnerError> {
  try {
    await run;
  } catch (error) {
    expect(error).toBeInstanceOf(RunnerError);
    return error as RunnerError;
  }
  throw new Error("run succeeded but a RunnerError was expected");
}

/**
 * Waits (bounded) until a process is dead or a zombie. SIGKILL is delivered asynchronously and
 * PID 1 here may never reap orphans, so "gone" means /proc state Z or no such pid.
 */
export async function expectGone(pid: number, withinMs = 3_000): Promise<void> {
  expect(pid).toBeGreaterThan(0);
  const deadline = performance.now() + withinMs;
  while (isProcessAlive(pid) && performance.now() < deadline) await Bun.sleep(10);
  expect(isProcessAlive(pid)).toBe(false);
}
