import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FakeClock } from "../support/clock.ts";
import { printLines } from "../support/fake-agents/fake-agent.ts";
import { fakeGemini, geminiFor } from "../support/fake-agents/fake-codex-gemini.ts";
import {
  delta,
  failure,
  GEMINI_OLD_HELP,
  INIT,
  success,
  USER_ECHO,
} from "../support/fake-agents/gemini-fixtures.ts";
import { expectGone, runError } from "../support/fake-agents/runner-for.ts";
import { tempDir } from "../support/tmp.ts";

const PROMPT = "Summarize this session. SECRET-PROMPT-MARKER — “quotes” and 'ticks'.";
const request = { prompt: PROMPT, systemPrompt: "OUR-INSTRUCTIONS" };

async function geminiFailure(lines: string[], exit: number, stderr = "", clock = new FakeClock()) {
  const agent = fakeGemini(
    `${printLines(...lines)}\n${stderr ? `printf '%s\\n' '${stderr}' >&2` : ""}\nexit ${exit}`,
  );
  return runError(geminiFor(agent, { clock }).run(request));
}

describe("GeminiRunner (fake gemini replaying 0.61.0 output)", () => {
  test("happy path: deltas joined, tokens and session read, locked-down home and argv", async () => {
    const agent = fakeGemini(
      `cp "$GEMINI_CLI_HOME/.gemini/settings.json" "$DIR/settings.json"\n${printLines(INIT, USER_ECHO, delta("hello "), delta("from gemini stub"), success(100, 5))}`,
    );
    const runner = geminiFor(agent, {
      model: "gemini-2.5-flash",
      env: {
        PATH: "/usr/bin:/bin",
        GEMINI_CLI: "1",
        GEMINI_SYSTEM_MD: "/etc/theirs.md",
        GEMINI_API_KEY: "k",
      },
    });
    const result = await runner.run(request);
    expect(result).toMatchObject({
      output: "hello from gemini stub",
      exitCode: 0,
      tokensIn: 100,
      tokensOut: 5,
      costUsd: null,
      sessionId: "4d65b245-f322-4490-9693-720b2f7f432b",
    });
    expect(agent.argv()).toEqual([
      "-p",
      "",
      "--output-format",
      "stream-json",
      "--approval-mode",
      "plan",
      "--extensions",
      "none",
      "--allowed-mcp-server-names",
      "agentwork_no_tools",
      "--skip-trust",
      "--model",
      "gemini-2.5-flash",
    ]);
    expect(agent.stdin()).toBe(PROMPT);
    expect(agent.systemPrompt()).toBe("OUR-INSTRUCTIONS");
    const env = agent.env();
    expect(env).toMatchObject({
      OX_SESSION_RECORDING: "disabled",
      SAGEOX_DAEMON: "false",
      GEMINI_API_KEY: "k",
    });
    expect(env.GEMINI_CLI).toBeUndefined();
    expect(env.GEMINI_SYSTEM_MD).not.toBe("/etc/theirs.md");
    expect(env.GEMINI_CLI_HOME).toEndWith("/gemini-home");
    expect(existsSync(env.GEMINI_CLI_HOME ?? "/")).toBe(false);
    const settings = JSON.parse(readFileSync(join(agent.dir, "settings.json"), "utf8"));
    expect(settings).toMatchObject({
      security: { auth: { selectedType: "gemini-api-key" } },
      tools: { core: ["agentwork_no_tools"] },
      mcp: { allowed: ["agentwork_no_tools"] },
      skills: { enabled: false },
      hooksConfig: { enabled: false },
    });
  });

  test("the user's Google login is linked and their auth type carried; nothing else", async () => {
    const home = tempDir("agentwork-gemini-user-");
    mkdirSync(join(home, ".gemini"));
    writeFileSync(join(home, ".gemini", "oauth_creds.json"), '{"refresh_token":"r"}');
    writeFileSync(
      join(home, ".gemini", "settings.json"),
      JSON.stringify({
        security: { auth: { selectedType: "oauth-personal" } },
        mcpServers: { x: { command: "touch" } },
      }),
    );
    const agent = fakeGemini(
      `readlink "$GEMINI_CLI_HOME/.gemini/oauth_creds.json" > "$DIR/link"\ncp "$GEMINI_CLI_HOME/.gemini/settings.json" "$DIR/settings.json"\n${printLines(delta("ok"), success())}`,
    );
    await geminiFor(agent, { home, env: { PATH: "/usr/bin:/bin" } }).run(request);
    expect(readFileSync(join(agent.dir, "link"), "utf8").trim()).toBe(
      join(home, ".gemini", "oauth_creds.json"),
    );
    const settings = JSON.parse(readFileSync(join(agent.dir, "settings.json"), "utf8"));
    expect(settings.security.auth.selectedType).toBe("oauth-personal");
    expect(settings.mcpServers).toBeUndefined();
  });

  test("exit 41 / FatalAuthenticationError → E_AGENT_AUTH, never", async () => {
    const error = await geminiFailure(
      [failure("FatalAuthenticationError", "Invalid auth method selected.")],
      41,
    );
    expect([error.code, error.retry]).toEqual(["E_AGENT_AUTH", "never"]);
  });

  test("exit 42 (bad input) and 52 (bad config) → E_AGENT_BAD_FLAGS, never", async () => {
    const input = await geminiFailure([], 42, "Unknown argument: --frobnicate");
    expect([input.code, input.retry]).toEqual(["E_AGENT_BAD_FLAGS", "never"]);
    const config = await geminiFailure([failure("FatalConfigError", "bad settings")], 52);
    expect([config.code, config.retry]).toEqual(["E_AGENT_BAD_FLAGS", "never"]);
  });

  test("exit 53 (turn limit) → E_AGENT_FAILED, never", async () => {
    const error = await geminiFailure(
      [INIT, failure("FatalTurnLimitedError", "Reached max session turns")],
      53,
    );
    expect([error.code, error.retry]).toEqual(["E_AGENT_FAILED", "never"]);
  });

  test("daily quota → E_AGENT_USAGE_LIMIT pause; per-minute quota → rate limit with its delay", async () => {
    const clock = new FakeClock();
    const daily = await geminiFailure(
      [
        failure(
          "TerminalQuotaError",
          "You have exhausted your daily quota on this model. Quota exceeded for metric generate_content_free_tier_requests, limit: 250 per day. Please retry in 6h.",
        ),
      ],
      1,
      "",
      clock,
    );
    expect([daily.code, daily.retry]).toEqual(["E_AGENT_USAGE_LIMIT", "pause"]);
    expect(daily.pauseUntilMs).toBe(clock.now() + 6 * 3_600_000);
    const minute = await geminiFailure(
      [
        failure(
          "ApiError",
          "[API Error: got status: 429 Too Many Requests. Quota exceeded for quota metric 'Generate Content API requests per minute'. Please retry in 28.5s.]",
        ),
      ],
      1,
    );
    expect([minute.code, minute.retry]).toEqual(["E_AGENT_RATE_LIMIT", "retry"]);
    expect(minute.retryAfterMs).toBe(28_500);
  });

  test("billing, overload and server errors", async () => {
    const billing = await geminiFailure(
      [
        failure(
          "ApiError",
          "[API Error: got status: 402 Payment Required. billing account disabled]",
        ),
      ],
      1,
    );
    expect([billing.code, billing.retry]).toEqual(["E_AGENT_BILLING", "never"]);
    const overload = await geminiFailure(
      [
        failure(
          "ApiError",
          "[API Error: got status: 503 Service Unavailable. The model is overloaded.]",
        ),
      ],
      1,
    );
    expect([overload.code, overload.retry]).toEqual(["E_AGENT_OVERLOADED", "retry"]);
    const server = await geminiFailure(
      [failure("ApiError", "[API Error: got status: 500 Internal Server Error]")],
      1,
    );
    expect([server.code, server.retry]).toEqual(["E_AGENT_SERVER", "retry"]);
  });

  test("after 3 retry notices on stderr the run stops at once, classed by the error retried", async () => {
    const quota = (n: number) =>
      `Attempt ${n} failed: Quota exceeded for quota metric Generate Content API requests per minute. Please retry in 2s.. Retrying after ${n * 11000}ms...`;
    const agent = fakeGemini(
      `${printLines(INIT)}\n${[1, 2, 3].map((n) => `printf '%s\\n' '${quota(n)}' >&2`).join("\n")}\nsleep 600`,
    );
    const error = await runError(geminiFor(agent, { timeoutMs: 30_000 }).run(request));
    expect([error.code, error.retry]).toEqual(["E_AGENT_RATE_LIMIT", "retry"]);
    expect(error.retryAfterMs).toBe(2_000);
    expect(error.message).toContain("3 API retries");
    const server = (n: number) =>
      `Attempt ${n} failed with status 500. Retrying with backoff... _ApiError: {"error":{"code":500,"message":"Internal error encountered.","status":"INTERNAL"}}`;
    const failing = fakeGemini(
      `${printLines(INIT)}\n${[1, 2, 3].map((n) => `printf '%s\\n' '${server(n)}' >&2`).join("\n")}\nsleep 600`,
    );
    const error500 = await runError(geminiFor(failing, { timeoutMs: 30_000 }).run(request));
    expect([error500.code, error500.retry]).toEqual(["E_AGENT_SERVER", "retry"]);
  });

  test("an API error's status in the exit code (401 → 145) classes it", async () => {
    const error = await geminiFailure([failure("unknown", "[API Error: request failed]")], 145);
    expect([error.code, error.retry]).toEqual(["E_AGENT_AUTH", "never"]);
  });

  test("no result line, or an empty answer → E_AGENT_NO_RESULT, retried", async () => {
    const none = await geminiFailure([INIT, delta("half")], 0);
    expect([none.code, none.retry]).toEqual(["E_AGENT_NO_RESULT", "retry"]);
    const empty = await geminiFailure([INIT, success()], 0);
    expect([empty.code, empty.retry]).toEqual(["E_AGENT_NO_RESULT", "retry"]);
  });

  test("timeout kills the group with its grandchild; idle stdout is its own class", async () => {
    const agent = fakeGemini(`sleep 600 &\necho $! > "$DIR/gc.pid"\n${printLines(INIT)}\nwait`);
    const timeout = await runError(geminiFor(agent, { timeoutMs: 500 }).run(request));
    expect(timeout.code).toBe("E_AGENT_TIMEOUT");
    await expectGone(agent.pidFile("gc.pid"));
    const idle = fakeGemini(`${printLines(INIT)}\nsleep 600`);
    expect((await runError(geminiFor(idle, { idleTimeoutMs: 300 }).run(request))).code).toBe(
      "E_AGENT_IDLE",
    );
  });

  test("a Gemini without the lock-down switches is refused before any prompt is sent", async () => {
    const agent = fakeGemini("exit 0", GEMINI_OLD_HELP);
    const error = await runError(geminiFor(agent).run(request));
    expect([error.code, error.retry]).toEqual(["E_AGENT_LOCKDOWN", "never"]);
    for (const flag of ["--approval-mode", "--allowed-mcp-server-names", "--skip-trust"]) {
      expect(error.message).toContain(flag);
    }
    expect(existsSync(join(agent.dir, "stdin"))).toBe(false);
    const check = await geminiFor(fakeGemini("exit 0")).check();
    expect(check).toMatchObject({ agentType: "gemini", problem: null, version: "0.61.0" });
  });
});
