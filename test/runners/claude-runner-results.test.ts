import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { ClaudeRunner } from "../../src/runners/claude-runner.ts";
import { fakeAgent, printLines, shellQuote } from "../support/fake-agents/fake-agent.ts";
import {
  ASSISTANT,
  BILLING_ASSISTANT,
  BILLING_RESULT,
  INIT,
  MAX_TURNS_RESULT,
  NOT_LOGGED_IN_RESULT,
  resultLine,
  UNKNOWN_EVENTS,
} from "../support/fake-agents/fixtures.ts";
import { runError, runnerFor } from "../support/fake-agents/runner-for.ts";
import { tempDir } from "../support/tmp.ts";

const PROMPT = "Summarize this session. SECRET-PROMPT-MARKER — with “quotes” and 'ticks'.";

describe("ClaudeRunner results (fake agents)", () => {
  test("happy path: argv, stdin, env and cwd handed over; fields read (intent 40)", async () => {
    const agent = fakeAgent(`${printLines(INIT, ASSISTANT, resultLine())}\nexit 0`);
    const runner = runnerFor(agent, { model: "sonnet", maxTurns: 3, extraEnv: { EXTRA: "yes" } });
    let spawned = 0;
    const result = await runner.run({
      prompt: PROMPT,
      systemPrompt: "OUR-INSTRUCTIONS",
      onSpawn: (pid) => (spawned = pid),
    });

    expect(result).toMatchObject({
      output: "the answer",
      exitCode: 0,
      tokensIn: 50,
      tokensOut: 100,
      costUsd: 0.0457383,
      sessionId: "7f3c2a9e-1b4d-4c8e-9a60-2d5e8f1b3c47",
      numTurns: 2,
    });
    expect(result.durationMs).toBeGreaterThan(0);
    expect(result.pid).toBe(spawned);
    const workDir = agent.cwd();
    expect(agent.argv()).toEqual([
      "-p",
      "--output-format",
      "stream-json",
      "--verbose",
      "--no-session-persistence",
      "--tools",
      "",
      "--setting-sources",
      "",
      "--strict-mcp-config",
      "--system-prompt-file",
      join(workDir, ".agentwork-system-prompt.md"),
      "--model",
      "sonnet",
      "--max-turns",
      "3",
    ]);
    expect(agent.argv().join(" ")).not.toContain("SECRET-PROMPT-MARKER");
    expect(agent.argv().join(" ")).not.toContain("OUR-INSTRUCTIONS");
    expect(agent.stdin()).toBe(PROMPT);
    expect(agent.systemPrompt()).toBe("OUR-INSTRUCTIONS");
    // A private, otherwise empty work dir, removed after the run.
    expect(agent.cwdMode()).toBe("700");
    expect(agent.cwdList()).toEqual([".agentwork-system-prompt.md"]);
    expect(existsSync(workDir)).toBe(false);
    const env = agent.env();
    expect(env.CLAUDECODE).toBeUndefined();
    expect(env.CLAUDE_CODE_ENTRYPOINT).toBeUndefined();
    // Auth stays: a subscription user's token must reach the CLI.
    expect(env.CLAUDE_CODE_OAUTH_TOKEN).toBe("oauth-token");
    expect(env.DISABLE_AUTOUPDATER).toBe("1");
    // Session recorders stay off for the summary run itself.
    expect(env.OX_SESSION_RECORDING).toBe("disabled");
    expect(env.SAGEOX_DAEMON).toBe("false");
    expect(env.EXTRA).toBe("yes");
    expect(env.LANG).toBe("C.UTF-8");
  });

  test("exit 1 with a good result succeeds with exit code 1 (intent 39)", async () => {
    const result = resultLine({ result: "partial", usage: { input_tokens: 5, output_tokens: 10 } });
    const agent = fakeAgent(`${printLines(result)}\nexit 1`);
    const run = await runnerFor(agent).run({ prompt: "p", systemPrompt: "s" });
    expect(run).toMatchObject({ output: "partial", exitCode: 1, tokensIn: 5, tokensOut: 10 });
  });

  test("max turns: is_error, exit 1, no result key → not retryable, partial kept", async () => {
    const agent = fakeAgent(`${printLines(INIT, MAX_TURNS_RESULT)}\nexit 1`);
    const error = await runError(runnerFor(agent).run({ prompt: "p", systemPrompt: "s" }));
    expect(error.code).toBe("E_AGENT_FAILED");
    expect(error.retry).toBe("never");
    expect(error.message).toContain("Reached maximum number of turns (1)");
    expect(error.partial).toMatchObject({ exitCode: 1, tokensIn: 9386, tokensOut: 410 });
    expect(error.partial.costUsd).toBeCloseTo(0.165684);
    expect(error.partial.pid).toBeGreaterThan(0);
  });

  test("subtype success + is_error: billing → E_AGENT_BILLING, never", async () => {
    const agent = fakeAgent(`${printLines(INIT, BILLING_ASSISTANT, BILLING_RESULT)}\nexit 1`);
    const error = await runError(runnerFor(agent).run({ prompt: "p", systemPrompt: "s" }));
    expect(error.code).toBe("E_AGENT_BILLING");
    expect(error.retry).toBe("never");
    expect(error.message).toContain("Credit balance is too low");
  });

  test("subtype success + is_error: not logged in → E_AGENT_AUTH, never", async () => {
    const agent = fakeAgent(`${printLines(INIT, NOT_LOGGED_IN_RESULT)}\nexit 1`);
    const error = await runError(runnerFor(agent).run({ prompt: "p", systemPrompt: "s" }));
    expect(error.code).toBe("E_AGENT_AUTH");
    expect(error.retry).toBe("never");
    expect(error.message).toContain("Not logged in · Please run /login");
  });

  test("exit 0 but is_error → failure decided by is_error, retryable", async () => {
    const line = resultLine({ is_error: true, result: "something broke mid-run" });
    const agent = fakeAgent(`${printLines(line)}\nexit 0`);
    const error = await runError(runnerFor(agent).run({ prompt: "p", systemPrompt: "s" }));
    expect(error.code).toBe("E_AGENT_FAILED");
    expect(error.retry).toBe("retry");
    expect(error.partial.exitCode).toBe(0);
  });

  test("unknown flag: exit 1, no result, error on stderr → E_AGENT_BAD_FLAGS, never", async () => {
    const agent = fakeAgent(`echo "error: unknown option '--bogus-flag'" >&2\nexit 1`);
    const error = await runError(runnerFor(agent).run({ prompt: "p", systemPrompt: "s" }));
    expect(error.code).toBe("E_AGENT_BAD_FLAGS");
    expect(error.retry).toBe("never");
    expect(error.stderrTail).toContain("unknown option '--bogus-flag'");
    expect(error.partial.exitCode).toBe(1);
  });

  test("no result and nothing on stderr → E_AGENT_NO_RESULT, retryable", async () => {
    const agent = fakeAgent(`${printLines(INIT, ASSISTANT)}\nexit 0`);
    const error = await runError(runnerFor(agent).run({ prompt: "p", systemPrompt: "s" }));
    expect(error.code).toBe("E_AGENT_NO_RESULT");
    expect(error.retry).toBe("retry");
    expect(error.partial.sessionId).toBe("7f3c2a9e-1b4d-4c8e-9a60-2d5e8f1b3c47");
  });

  test("result line split across writes is reassembled", async () => {
    const line = resultLine({ result: "split · across — writes" });
    const cut = Math.floor(line.length / 2);
    const body = `printf '%s' ${shellQuote(line.slice(0, cut))}\nsleep 0.2\nprintf '%s\\n' ${shellQuote(line.slice(cut))}`;
    const agent = fakeAgent(`${printLines(INIT)}\n${body}\nexit 0`);
    const run = await runnerFor(agent).run({ prompt: "p", systemPrompt: "s" });
    expect(run.output).toBe("split · across — writes");
  });

  test("malformed, non-JSON and unknown event lines are skipped", async () => {
    const noise = ["[SandboxDebug] starting", '{"type":"assistant", broken', "", "   "];
    const agent = fakeAgent(
      `${printLines(INIT, ...noise, ...UNKNOWN_EVENTS, ASSISTANT, resultLine())}\nexit 0`,
    );
    const run = await runnerFor(agent).run({ prompt: "p", systemPrompt: "s" });
    expect(run.output).toBe("the answer");
  });

  test("the last result line wins; a result without `result` falls back to assistant text", async () => {
    const first = resultLine({ result: "first" });
    const last = resultLine({ result: undefined, usage: { input_tokens: 7, output_tokens: 8 } });
    const agent = fakeAgent(`${printLines(first, ASSISTANT, last)}\nexit 0`);
    const run = await runnerFor(agent).run({ prompt: "p", systemPrompt: "s" });
    expect(run).toMatchObject({ output: "the answer", tokensIn: 7, tokensOut: 8 });
  });

  test("stderr is kept as a bounded tail", async () => {
    const agent = fakeAgent(
      "head -c 300000 /dev/zero | tr '\\0' 'e' >&2\necho 'final words' >&2\nexit 3",
    );
    const error = await runError(runnerFor(agent).run({ prompt: "p", systemPrompt: "s" }));
    expect(error.stderrTail.length).toBeLessThanOrEqual(64 * 1024);
    expect(error.stderrTail.trimEnd().endsWith("final words")).toBe(true);
    expect(error.message).toContain("final words");
  });

  test("each run gets its own work dir under workRoot; a failed run removes it too", async () => {
    const agent = fakeAgent("exit 3");
    const workRoot = tempDir();
    await runError(runnerFor(agent, { workRoot }).run({ prompt: "p", systemPrompt: "s" }));
    expect(dirname(agent.cwd())).toBe(workRoot);
    expect(readdirSync(workRoot)).toEqual([]);
  });

  test("unavailable binary → E_AGENT_MISSING, never (intent 37)", async () => {
    const runner = new ClaudeRunner({ agentBin: null, path: tempDir(), home: tempDir() });
    expect(runner.available()).toBe(false);
    const error = await runError(runner.run({ prompt: "p", systemPrompt: "s" }));
    expect(error.code).toBe("E_AGENT_MISSING");
    expect(error.retry).toBe("never");
    expect(error.message).toContain("not available");
  });
});
