import { afterAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ClaudeRunner, type ClaudeRunnerOptions } from "../../src/runners/claude-runner.ts";
import type { RunResult } from "../../src/runners/runner.ts";
import { RunnerError } from "../../src/runners/runner.ts";
import { expectGone } from "../support/fake-agents/runner-for.ts";
import {
  type MessagesStub,
  type StubBehaviour,
  startMessagesStub,
  userText,
} from "../support/messages-api-stub.ts";
import { tempDir } from "../support/tmp.ts";

/**
 * The real Claude Code CLI (pinned, installed by scripts/install-claude.sh) against a loopback
 * Messages API stand-in. Cases run concurrently: each spends most of its time waiting on the CLI.
 * A missing CLI fails the file rather than skipping it.
 */
const CLAUDE = join(import.meta.dir, "../../.cache/claude-code/node_modules/.bin/claude");
const CASE_TIMEOUT_MS = 90_000;
// "Returned, not hung": generous, the machine has two shared cores.
const RETURNED_MS = 45_000;
const SYSTEM_PROMPT = "You summarize sessions. Reply with JSON only.";
const SUMMARY =
  '{"title":"Fix flaky cache test","summary":"Injected the clock.","quality_score":0.7}';

const stubs: MessagesStub[] = [];
afterAll(async () => {
  await Promise.all(stubs.map((stub) => stub.stop()));
});

interface Outcome {
  result: RunResult | null;
  error: RunnerError | null;
  stub: MessagesStub;
  ms: number;
  prompt: string;
}

async function runReal(
  behaviour: StubBehaviour,
  options: ClaudeRunnerOptions = {},
  timeoutMs = 30_000,
): Promise<Outcome> {
  const stub = startMessagesStub({ behaviour });
  stubs.push(stub);
  const home = tempDir("agentwork-claude-home-");
  const runner = new ClaudeRunner({
    agentBin: CLAUDE,
    env: { PATH: "/usr/bin:/bin", CLAUDECODE: "1" },
    home,
    extraEnv: {
      ANTHROPIC_API_KEY: "test-key",
      ANTHROPIC_BASE_URL: stub.url,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    },
    resultGraceMs: 2_000,
    killGraceMs: 1_000,
    ...options,
  });
  const prompt = `Summarize session ${crypto.randomUUID()} as JSON.`;
  const started = performance.now();
  try {
    const result = await runner.run({ prompt, systemPrompt: SYSTEM_PROMPT, timeoutMs });
    return { result, error: null, stub, ms: performance.now() - started, prompt };
  } catch (error) {
    if (!(error instanceof RunnerError)) throw error;
    return { result: null, error, stub, ms: performance.now() - started, prompt };
  }
}

describe("ClaudeRunner with the real Claude Code CLI", () => {
  test("the pinned CLI is installed", () => {
    expect(existsSync(CLAUDE)).toBe(true);
  });

  test.concurrent(
    "plain JSON reply: success; prompt in the request body, no tools sent",
    async () => {
      const { result, error, stub, prompt } = await runReal({ kind: "reply", text: SUMMARY });
      expect(error).toBeNull();
      expect(result).toMatchObject({ output: SUMMARY, exitCode: 0, numTurns: 1 });
      expect(result?.tokensIn).toBeGreaterThan(0);
      expect(result?.tokensOut).toBeGreaterThan(0);
      expect(result?.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      expect(result?.costUsd).toBeGreaterThan(0);
      await expectGone(result?.pid ?? 0);
      const [request] = stub.messageRequests();
      expect(request?.headers["x-api-key"]).toBe("test-key");
      expect(userText(request!)).toContain(prompt);
      const tools = (request?.body as { tools?: unknown[] } | null)?.tools ?? [];
      expect(tools).toEqual([]);
    },
    CASE_TIMEOUT_MS,
  );

  test.concurrent(
    "fenced JSON and prose replies come back verbatim",
    async () => {
      const fenced = `Here you go:\n\`\`\`json\n${SUMMARY}\n\`\`\``;
      const prose = "The session fixed a flaky test by injecting a clock. Nothing else changed.";
      const [a, b] = await Promise.all([
        runReal({ kind: "reply", text: fenced }),
        runReal({ kind: "reply", text: prose }),
      ]);
      expect(a.result?.output).toBe(fenced);
      expect(b.result?.output).toBe(prose);
    },
    CASE_TIMEOUT_MS,
  );

  test.concurrent(
    "slow stream (1.5 s to first byte, paced deltas) succeeds",
    async () => {
      const { result } = await runReal({
        kind: "reply",
        text: SUMMARY,
        delayMs: 1_500,
        chunkDelayMs: 50,
      });
      expect(result?.output).toBe(SUMMARY);
    },
    CASE_TIMEOUT_MS,
  );

  test.concurrent(
    "HTTP 401: fast, not retryable (api_retry authentication_failed)",
    async () => {
      const { error, ms } = await runReal({ kind: "error", status: 401 });
      expect(error?.code).toBe("E_AGENT_AUTH");
      expect(error?.retry).toBe("never");
      expect(error?.message).toContain("401");
      expect(ms).toBeLessThan(RETURNED_MS);
      await expectGone(error?.partial.pid ?? 0);
    },
    CASE_TIMEOUT_MS,
  );

  test.concurrent.each([
    [429, "E_AGENT_RATE_LIMIT"],
    [500, "E_AGENT_SERVER"],
    [529, "E_AGENT_OVERLOADED"],
  ] as const)(
    "HTTP %d: retryable %s, bounded by the api_retry cap",
    async (status, code) => {
      const { error, ms, stub } = await runReal({ kind: "error", status });
      expect(error?.code).toBe(code);
      expect(error?.retry).toBe("retry");
      expect(error?.message).toContain(String(status));
      expect(ms).toBeLessThan(RETURNED_MS);
      expect(stub.messageRequests().length).toBeGreaterThanOrEqual(2);
      await expectGone(error?.partial.pid ?? 0);
    },
    CASE_TIMEOUT_MS,
  );

  test.concurrent(
    "stream cut halfway: retryable failure, no hang",
    async () => {
      const { error, ms } = await runReal({ kind: "cut", text: SUMMARY });
      expect(error?.retry).toBe("retry");
      expect(["E_AGENT_SERVER", "E_AGENT_NO_RESULT", "E_AGENT_FAILED"]).toContain(
        error?.code ?? "none",
      );
      expect(ms).toBeLessThan(RETURNED_MS);
    },
    CASE_TIMEOUT_MS,
  );

  test.concurrent(
    "no answer at all: E_AGENT_TIMEOUT, CLI killed, request was held",
    async () => {
      // Long enough for the CLI to start and send its request even on a loaded machine.
      const { error, ms, stub } = await runReal({ kind: "hang" }, {}, 15_000);
      expect(error?.code).toBe("E_AGENT_TIMEOUT");
      expect(error?.retry).toBe("retry");
      expect(ms).toBeLessThan(RETURNED_MS);
      expect(stub.messageRequests().length).toBe(1);
      await expectGone(error?.partial.pid ?? 0);
    },
    CASE_TIMEOUT_MS,
  );
});
