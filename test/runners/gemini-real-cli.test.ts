import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { GeminiRunner } from "../../src/runners/gemini-runner.ts";
import { RunnerError, type RunResult } from "../../src/runners/runner.ts";
import { geminiUserSetup } from "../support/agent-user-homes.ts";
import { expectGone } from "../support/fake-agents/runner-for.ts";
import {
  type GeminiBehaviour,
  type GeminiStub,
  startGeminiStub,
} from "../support/gemini-api-stub.ts";
import { tempDir } from "../support/tmp.ts";

/**
 * The real Gemini CLI (pinned, installed by scripts/install-agent-clis.sh) against a loopback
 * Gemini API stand-in (GOOGLE_GEMINI_BASE_URL, which 0.61.0 honours), in a HOME set up like a
 * real user's (GEMINI.md files, MCP servers, hooks, an extension). The run dirs live under that
 * HOME, so a GEMINI.md search up the tree would find ~/GEMINI.md. Cases run concurrently.
 */
const GEMINI = join(import.meta.dir, "../../.cache/gemini-cli/node_modules/.bin/gemini");
// Gemini takes 2-9 s to start on two shared cores.
const CASE_TIMEOUT_MS = 90_000;
const SYSTEM_PROMPT = "You summarize sessions. GEMINI-SYSTEM-PROMPT-MARK. Reply with JSON only.";
const SUMMARY =
  '{"title":"Fix flaky cache test","summary":"Injected the clock.","quality_score":0.7}';

const stubs: GeminiStub[] = [];
afterAll(async () => {
  await Promise.all(stubs.map((stub) => stub.stop()));
});

interface Outcome {
  result: RunResult | null;
  error: RunnerError | null;
  stub: GeminiStub;
  home: string;
  touched: string[];
  sentinels: string[];
  prompt: string;
}

async function runReal(
  behaviour: GeminiBehaviour,
  timeoutMs = 45_000,
  maxApiRetries?: number,
): Promise<Outcome> {
  const stub = startGeminiStub(behaviour);
  stubs.push(stub);
  const home = tempDir("agentwork-gemini-home-");
  const user = geminiUserSetup(home);
  const runner = new GeminiRunner({
    agentBin: GEMINI,
    env: {
      PATH: "/usr/local/bin:/usr/bin:/bin",
      GEMINI_CLI: "1",
    },
    home,
    workRoot: join(home, ".local", "state", "agentwork", "runs"),
    extraEnv: { GEMINI_API_KEY: "test-key", GOOGLE_GEMINI_BASE_URL: stub.url },
    resultGraceMs: 3_000,
    killGraceMs: 1_000,
    maxApiRetries,
  });
  const prompt = `Summarize session ${crypto.randomUUID()} as JSON.`;
  let result: RunResult | null = null;
  let error: RunnerError | null = null;
  try {
    result = await runner.run({ prompt, systemPrompt: SYSTEM_PROMPT, timeoutMs });
  } catch (caught) {
    if (!(caught instanceof RunnerError)) throw caught;
    error = caught;
  }
  return { result, error, stub, home, touched: user.touched(), sentinels: user.sentinels, prompt };
}

function expectNothingLeaked(o: Outcome): void {
  for (const request of o.stub.requests) {
    for (const sentinel of o.sentinels) expect(request.rawBody).not.toContain(sentinel);
  }
  expect(o.touched).toEqual([]);
  expect(readdirSync(join(o.home, ".gemini")).sort()).toEqual([
    "GEMINI.md",
    "extensions",
    "settings.json",
  ]);
  expect(readdirSync(join(o.home, ".local", "state", "agentwork", "runs"))).toEqual([]);
}

describe("GeminiRunner with the real Gemini CLI", () => {
  test("the pinned CLI is installed", () => {
    expect(existsSync(GEMINI)).toBe(true);
  });

  test.concurrent(
    "reply: deltas joined, tokens and session; no tools, our system prompt, none of the user's setup",
    async () => {
      const o = await runReal({
        kind: "reply",
        parts: [SUMMARY.slice(0, 19), SUMMARY.slice(19)],
        promptTokens: 222,
        outputTokens: 9,
      });
      expect(o.error).toBeNull();
      expect(o.result).toMatchObject({
        output: SUMMARY,
        exitCode: 0,
        tokensIn: 222,
        tokensOut: 9,
        costUsd: null,
      });
      expect(o.result?.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      await expectGone(o.result?.pid ?? 0);
      const [request] = o.stub.modelRequests();
      const body = request?.body as {
        tools?: { functionDeclarations?: unknown[] }[];
        systemInstruction?: { parts?: { text?: string }[] };
        contents?: unknown;
      } | null;
      expect((body?.tools ?? []).flatMap((t) => t.functionDeclarations ?? [])).toEqual([]);
      expect(body?.systemInstruction?.parts?.[0]?.text).toBe(SYSTEM_PROMPT);
      expect(JSON.stringify(body?.contents)).toContain(o.prompt);
      expect(request?.headers["x-goog-api-key"]).toBe("test-key");
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
        message: "API key not valid. Please pass a valid API key.",
        reason: "UNAUTHENTICATED",
      });
      expect([o.error?.code, o.error?.retry]).toEqual(["E_AGENT_AUTH", "never"]);
      expectNothingLeaked(o);
    },
    CASE_TIMEOUT_MS,
  );

  test.concurrent(
    "HTTP 429 per-minute quota: stopped after 2 retries → E_AGENT_RATE_LIMIT with the delay named",
    async () => {
      const o = await runReal(
        {
          kind: "error",
          status: 429,
          message:
            "Quota exceeded for quota metric Generate Content API requests per minute. Please retry in 2s.",
          reason: "RESOURCE_EXHAUSTED",
        },
        45_000,
        // Gemini backs off about 5 s, then 11 s: two notices keep the case short.
        2,
      );
      expect([o.error?.code, o.error?.retry]).toEqual(["E_AGENT_RATE_LIMIT", "retry"]);
      expect(o.error?.retryAfterMs).toBe(2_000);
      expect(o.error?.message).toContain("2 API retries");
    },
    CASE_TIMEOUT_MS,
  );

  test.concurrent(
    "HTTP 500: stopped at the first retry notice → E_AGENT_SERVER, retried later",
    async () => {
      const o = await runReal(
        { kind: "error", status: 500, message: "Internal error encountered.", reason: "INTERNAL" },
        45_000,
        1,
      );
      expect([o.error?.code, o.error?.retry]).toEqual(["E_AGENT_SERVER", "retry"]);
      expect(o.error?.message).toContain("1 API retries");
    },
    CASE_TIMEOUT_MS,
  );

  test.concurrent(
    "an API that never answers: the wall clock ends the run and its group",
    async () => {
      const o = await runReal({ kind: "hang" }, 12_000);
      expect([o.error?.code, o.error?.retry]).toEqual(["E_AGENT_TIMEOUT", "retry"]);
      await expectGone(o.error?.partial.pid ?? 0);
      expectNothingLeaked(o);
    },
    CASE_TIMEOUT_MS,
  );
});
