import { describe, expect, test } from "bun:test";
import type { ClaudeRunner } from "../../src/runners/claude-runner.ts";
import {
  isUsageLimitText,
  parseResetsAtField,
  parseResetTime,
  pauseEnd,
  USAGE_PAUSE_DEFAULT_MS,
  USAGE_PAUSE_MAX_MS,
} from "../../src/runners/usage-limit.ts";
import { FakeClock } from "../support/clock.ts";
import { fakeAgent, printLines } from "../support/fake-agents/fake-agent.ts";
import {
  ACCOUNT_LIMIT_ASSISTANT,
  ACCOUNT_LIMIT_RESULT,
  apiRetryLine,
  INIT,
  resultLine,
} from "../support/fake-agents/fixtures.ts";
import { runError, runnerFor } from "../support/fake-agents/runner-for.ts";

// 2026-10-01T12:00:00Z: 05:00 in Los Angeles (PDT, UTC-7), 13:00 in Lisbon (WEST, UTC+1).
const NOW = Date.UTC(2026, 9, 1, 12, 0);

describe("usage-limit texts and reset times", () => {
  test("account-limit texts are told apart from other errors", () => {
    expect(isUsageLimitText("You've hit your limit · resets 7am (America/Los_Angeles)")).toBe(true);
    expect(isUsageLimitText("Claude usage limit reached. Your limit will reset at 5pm")).toBe(true);
    expect(isUsageLimitText("You've hit your weekly limit")).toBe(true);
    expect(isUsageLimitText("API Error: 500 Internal server error")).toBe(false);
    expect(isUsageLimitText("Overloaded")).toBe(false);
  });

  test("a time of day is the next such time in that zone", () => {
    expect(parseResetTime("resets 7am (America/Los_Angeles)", NOW)).toBe(Date.UTC(2026, 9, 1, 14));
    expect(parseResetTime("resets 7:30pm (Europe/Lisbon)", NOW)).toBe(Date.UTC(2026, 9, 1, 18, 30));
    // 4am in Los Angeles has passed today: tomorrow.
    expect(parseResetTime("resets 4am (America/Los_Angeles)", NOW)).toBe(Date.UTC(2026, 9, 2, 11));
    expect(parseResetTime("resets 12am (UTC)", NOW)).toBe(Date.UTC(2026, 9, 2, 0));
    expect(parseResetTime("resets 12pm (UTC)", NOW)).toBe(Date.UTC(2026, 9, 2, 12));
  });

  test("a date is this year, or next year once it has passed; impossible ones are refused", () => {
    expect(parseResetTime("resets Oct 12 at 7am (America/Los_Angeles)", NOW)).toBe(
      Date.UTC(2026, 9, 12, 14),
    );
    expect(parseResetTime("resets Sep 3 at 9am (UTC)", NOW)).toBe(Date.UTC(2027, 8, 3, 9));
    expect(parseResetTime("resets Feb 31 at 9am (UTC)", NOW)).toBeNull();
    expect(parseResetTime("resets 13pm (UTC)", NOW)).toBeNull();
    expect(parseResetTime("resets 7am (Mars/Olympus)", NOW)).toBeNull();
    expect(parseResetTime("no reset named", NOW)).toBeNull();
  });

  test("resetsAt fields in seconds, ms or ISO; pauses default to 1 h and stop at 7 days", () => {
    expect(parseResetsAtField(1_790_000_000)).toBe(1_790_000_000_000);
    expect(parseResetsAtField(1_790_000_000_123.4)).toBe(1_790_000_000_123);
    expect(parseResetsAtField("2026-10-01T13:00:00Z")).toBe(Date.UTC(2026, 9, 1, 13));
    expect(parseResetsAtField("soon")).toBeNull();
    expect(pauseEnd(null, NOW)).toBe(NOW + USAGE_PAUSE_DEFAULT_MS);
    expect(pauseEnd(NOW - 1, NOW)).toBe(NOW + USAGE_PAUSE_DEFAULT_MS);
    expect(pauseEnd(NOW + 30 * 24 * 3_600_000, NOW)).toBe(NOW + USAGE_PAUSE_MAX_MS);
    expect(pauseEnd(NOW + 1234.6, NOW)).toBe(NOW + 1235);
  });
});

describe("ClaudeRunner: an account limit pauses, a short rate limit retries", () => {
  const clockAt = () => new FakeClock(NOW);

  test("429 given up at once (no api_retry): E_AGENT_USAGE_LIMIT, pause for 1 h by default", async () => {
    const agent = fakeAgent(
      `${printLines(INIT, ACCOUNT_LIMIT_ASSISTANT, ACCOUNT_LIMIT_RESULT)}\nexit 1`,
    );
    const error = await runError(
      runnerFor(agent, { clock: clockAt() }).run({ prompt: "p", systemPrompt: "s" }),
    );
    expect(error.code).toBe("E_AGENT_USAGE_LIMIT");
    expect(error.retry).toBe("pause");
    expect(error.pauseUntilMs).toBe(NOW + USAGE_PAUSE_DEFAULT_MS);
  });

  test("a 'hit your limit' text with a reset time pauses until that time", async () => {
    const limited = resultLine({
      is_error: true,
      result: "You've hit your limit · resets 7am (America/Los_Angeles)",
      total_cost_usd: 0,
    });
    const agent = fakeAgent(`${printLines(INIT, limited)}\nexit 1`);
    const error = await runError(
      runnerFor(agent, { clock: clockAt() }).run({ prompt: "p", systemPrompt: "s" }),
    );
    expect(error.code).toBe("E_AGENT_USAGE_LIMIT");
    expect(error.pauseUntilMs).toBe(Date.UTC(2026, 9, 1, 14));
  });

  test("a rejected rate_limit_event names the reset", async () => {
    const resetsAt = NOW / 1000 + 5 * 3600;
    const event = JSON.stringify({
      type: "rate_limit_event",
      rate_limit_info: { status: "rejected", resetsAt, rateLimitType: "five_hour" },
    });
    const agent = fakeAgent(`${printLines(INIT, event, ACCOUNT_LIMIT_RESULT)}\nexit 1`);
    const error = await runError(
      runnerFor(agent, { clock: clockAt() }).run({ prompt: "p", systemPrompt: "s" }),
    );
    expect(error.code).toBe("E_AGENT_USAGE_LIMIT");
    expect(error.message).toContain("five_hour");
    expect(error.pauseUntilMs).toBe(NOW + 5 * 3_600_000);
  });

  test("429 after api_retry lines is a short rate limit: retried, honouring the CLI's delay", async () => {
    const retry = apiRetryLine(1, 429, "rate_limit").replace(
      '"retry_delay_ms":1000',
      '"retry_delay_ms":1181.6',
    );
    const agent = fakeAgent(`${printLines(INIT, retry, ACCOUNT_LIMIT_RESULT)}\nexit 1`);
    const error = await runError(runnerFor(agent).run({ prompt: "p", systemPrompt: "s" }));
    expect(error.code).toBe("E_AGENT_RATE_LIMIT");
    expect(error.retry).toBe("retry");
  });

  test("the api_retry cap on 429 is a retryable rate limit with a whole-millisecond delay", async () => {
    const lines = [1, 2, 3].map((n) =>
      apiRetryLine(n, 429, "rate_limit").replace(/"retry_delay_ms":\d+/, '"retry_delay_ms":1181.6'),
    );
    const agent = fakeAgent(`${printLines(INIT, ...lines)}\nsleep 30`);
    const runner: ClaudeRunner = runnerFor(agent, { maxApiRetries: 3 });
    const error = await runError(runner.run({ prompt: "p", systemPrompt: "s" }));
    expect(error.code).toBe("E_AGENT_RATE_LIMIT");
    expect(error.retryAfterMs).toBe(1182);
  });
});
