import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { CodexRunner } from "../../src/runners/codex-runner.ts";
import { RunnerError, type RunResult } from "../../src/runners/runner.ts";
import { codexUserSetup } from "../support/agent-user-homes.ts";
import { expectGone } from "../support/fake-agents/runner-for.ts";
import {
  type ResponsesBehaviour,
  type ResponsesStub,
  startResponsesStub,
} from "../support/responses-api-stub.ts";
import { tempDir } from "../support/tmp.ts";

/**
 * The real Codex CLI (pinned, installed by scripts/install-agent-clis.sh) against a loopback
 * Responses API stand-in that the user's own ~/.codex/config.toml names as model provider, in a
 * HOME set up like a real user's (AGENTS.md, a skill, MCP servers, notify, hooks). Cases run
 * concurrently; a missing CLI fails the file.
 */
const CODEX = join(import.meta.dir, "../../.cache/codex/node_modules/.bin/codex");
const CASE_TIMEOUT_MS = 60_000;
const SYSTEM_PROMPT = "You summarize sessions. CODEX-SYSTEM-PROMPT-MARK. Reply with JSON only.";
const SUMMARY =
  '{"title":"Fix flaky cache test","summary":"Injected the clock.","quality_score":0.7}';

const stubs: ResponsesStub[] = [];
afterAll(async () => {
  await Promise.all(stubs.map((stub) => stub.stop()));
});

interface Outcome {
  result: RunResult | null;
  error: RunnerError | null;
  stub: ResponsesStub;
  home: string;
  touched: string[];
  sentinels: string[];
  prompt: string;
  ms: number;
}

async function runReal(behaviour: ResponsesBehaviour, timeoutMs = 30_000): Promise<Outcome> {
  const stub = startResponsesStub(behaviour);
  stubs.push(stub);
  const home = tempDir("agentwork-codex-home-");
  const user = codexUserSetup(home, stub.url);
  const runner = new CodexRunner({
    agentBin: CODEX,
    env: { PATH: "/usr/bin:/bin", CODEX_SANDBOX: "seatbelt", CODEX_THREAD_ID: "outer" },
    home,
    workRoot: join(home, ".local", "state", "agentwork", "runs"),
    extraEnv: { STUB_API_KEY: "sk-test" },
    resultGraceMs: 2_000,
    killGraceMs: 1_000,
  });
  const prompt = `Summarize session ${crypto.randomUUID()} as JSON.`;
  const started = performance.now();
  let result: RunResult | null = null;
  let error: RunnerError | null = null;
  try {
    result = await runner.run({ prompt, systemPrompt: SYSTEM_PROMPT, timeoutMs });
  } catch (caught) {
    if (!(caught instanceof RunnerError)) throw caught;
    error = caught;
  }
  const ms = performance.now() - started;
  return {
    result,
    error,
    stub,
    home,
    touched: user.touched(),
    sentinels: user.sentinels,
    prompt,
    ms,
  };
}

function expectNothingLeaked(o: Outcome): void {
  for (const request of o.stub.requests) {
    for (const sentinel of o.sentinels) expect(request.rawBody).not.toContain(sentinel);
  }
  expect(o.touched).toEqual([]);
  // Nothing written into the user's CODEX_HOME (no sessions, logs or caches), and the run dir gone.
  expect(readdirSync(join(o.home, ".codex")).sort()).toEqual([
    "AGENTS.md",
    "auth.json",
    "config.toml",
    "hooks.json",
    "skills",
  ]);
  expect(readdirSync(join(o.home, ".local", "state", "agentwork", "runs"))).toEqual([]);
}

describe("CodexRunner with the real Codex CLI", () => {
  test("the pinned CLI is installed", () => {
    expect(existsSync(CODEX)).toBe(true);
  });

  test.concurrent(
    "reply: answer, tokens and thread id; no tools, our instructions, none of the user's setup",
    async () => {
      const o = await runReal({ kind: "reply", text: SUMMARY, inputTokens: 321, outputTokens: 17 });
      expect(o.error).toBeNull();
      expect(o.result).toMatchObject({
        output: SUMMARY,
        exitCode: 0,
        tokensIn: 321,
        tokensOut: 17,
        costUsd: null,
      });
      expect(o.result?.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      await expectGone(o.result?.pid ?? 0);
      const [request] = o.stub.modelRequests();
      const body = request?.body as { tools?: unknown[]; input?: unknown; model?: string } | null;
      expect(body?.model).toBe("gpt-stub");
      expect(body?.tools ?? []).toEqual([]);
      const input = JSON.stringify(body?.input);
      expect(input).toContain(SYSTEM_PROMPT);
      expect(input).toContain(o.prompt);
      expect(input).not.toContain("skills_instructions");
      expect(request?.headers.authorization).toBe("Bearer sk-test");
      expectNothingLeaked(o);
    },
    CASE_TIMEOUT_MS,
  );

  test.concurrent(
    "HTTP 401 → E_AGENT_AUTH, never retried",
    async () => {
      const o = await runReal({
        kind: "error",
        status: 401,
        body: {
          error: {
            message: "Incorrect API key provided",
            type: "invalid_request_error",
            code: "invalid_api_key",
          },
        },
      });
      expect([o.error?.code, o.error?.retry]).toEqual(["E_AGENT_AUTH", "never"]);
      expect(o.error?.message).toContain("401");
      expectNothingLeaked(o);
    },
    CASE_TIMEOUT_MS,
  );

  test.concurrent(
    "HTTP 429 usage_limit_reached → E_AGENT_USAGE_LIMIT, pause until the reset Codex names",
    async () => {
      const resetsAt = Math.floor(Date.now() / 1000) + 2 * 3600;
      const o = await runReal({
        kind: "error",
        status: 429,
        body: {
          error: {
            type: "usage_limit_reached",
            message: "The usage limit has been reached",
            plan_type: "plus",
            resets_at: resetsAt,
          },
        },
      });
      expect([o.error?.code, o.error?.retry]).toEqual(["E_AGENT_USAGE_LIMIT", "pause"]);
      // Codex prints the reset as a local wall-clock minute ("try again at 3:05 AM").
      expect(Math.abs((o.error?.pauseUntilMs ?? 0) - resetsAt * 1000)).toBeLessThan(61_000);
    },
    CASE_TIMEOUT_MS,
  );

  test.concurrent(
    "HTTP 429 rate limit → E_AGENT_RATE_LIMIT; 402 quota → E_AGENT_BILLING; 500 → retried",
    async () => {
      const [rate, billing, server] = await Promise.all([
        runReal({
          kind: "error",
          status: 429,
          body: {
            error: {
              type: "rate_limit_exceeded",
              message: "Rate limit reached. Please try again in 20s.",
            },
          },
        }),
        runReal({
          kind: "error",
          status: 402,
          body: {
            error: {
              type: "insufficient_quota",
              message:
                "You exceeded your current quota, please check your plan and billing details.",
            },
          },
        }),
        runReal({ kind: "error", status: 500, body: { error: { message: "internal" } } }),
      ]);
      expect([rate.error?.code, rate.error?.retry]).toEqual(["E_AGENT_RATE_LIMIT", "retry"]);
      expect([billing.error?.code, billing.error?.retry]).toEqual(["E_AGENT_BILLING", "never"]);
      expect(server.error?.retry).toBe("retry");
      expect(["E_AGENT_SERVER", "E_AGENT_OVERLOADED"]).toContain(server.error?.code ?? "");
    },
    CASE_TIMEOUT_MS,
  );

  test.concurrent(
    "a provider that never answers: the wall clock ends the run and its group",
    async () => {
      const o = await runReal({ kind: "hang" }, 4_000);
      expect([o.error?.code, o.error?.retry]).toEqual(["E_AGENT_TIMEOUT", "retry"]);
      await expectGone(o.error?.partial.pid ?? 0);
      expectNothingLeaked(o);
    },
    CASE_TIMEOUT_MS,
  );
});
