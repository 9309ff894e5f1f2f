import { describe, expect, test } from "bun:test";
import { parseResetTime } from "../../src/runners/usage-limit.ts";
import { FakeClock } from "../support/clock.ts";
import { fakeAgent, printLines } from "../support/fake-agents/fake-agent.ts";
import { INIT, resultLine } from "../support/fake-agents/fixtures.ts";
import { runError, runnerFor } from "../support/fake-agents/runner-for.ts";

describe("ClaudeRunner: account usage limit (shared with Codex and Gemini)", () => {
  test("“You've hit your limit · resets …” → E_AGENT_USAGE_LIMIT, pause until that reset", async () => {
    const clock = new FakeClock();
    const text = "You've hit your limit · resets 7am (America/Los_Angeles)";
    const agent = fakeAgent(
      `${printLines(INIT, resultLine({ is_error: true, result: text, subtype: "success" }))}\nexit 1`,
    );
    const error = await runError(
      runnerFor(agent, { clock }).run({ prompt: "p", systemPrompt: "s" }),
    );
    expect([error.code, error.retry]).toEqual(["E_AGENT_USAGE_LIMIT", "pause"]);
    expect(error.pauseUntilMs).toBe(parseResetTime(text, clock.now()) ?? -1);
    expect(error.message).toContain("hit your limit");
  });

  test("a 429 rate limit stays a retried rate limit", async () => {
    const agent = fakeAgent(
      `${printLines(INIT, resultLine({ is_error: true, result: "API Error: 429 rate limit exceeded", api_error_status: 429 }))}\nexit 1`,
    );
    const error = await runError(runnerFor(agent).run({ prompt: "p", systemPrompt: "s" }));
    expect([error.code, error.retry]).toEqual(["E_AGENT_RATE_LIMIT", "retry"]);
  });
});
