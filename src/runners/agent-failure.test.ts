import { describe, expect, test } from "bun:test";
import { classifyFailureText, parseRetryIn, parseTryAgainAt } from "./agent-failure.ts";

const NOW = Date.UTC(2026, 11, 2, 1, 0, 0);

describe("classifyFailureText", () => {
  test.each([
    [
      "unexpected status 401 Unauthorized: Incorrect API key provided",
      null,
      "E_AGENT_AUTH",
      "never",
    ],
    ["API key not valid. Please pass a valid API key.", 400, "E_AGENT_AUTH", "never"],
    [
      "You exceeded your current quota, please check your plan and billing details.",
      402,
      "E_AGENT_BILLING",
      "never",
    ],
    [
      "exceeded retry limit, last status: 429 Too Many Requests",
      null,
      "E_AGENT_RATE_LIMIT",
      "retry",
    ],
    [
      "We’re currently experiencing high demand, which may cause temporary errors.",
      null,
      "E_AGENT_OVERLOADED",
      "retry",
    ],
    ["Internal error encountered.", 500, "E_AGENT_SERVER", "retry"],
    ["model gpt-9 not found", 404, "E_AGENT_FAILED", "never"],
    ["something odd", null, "E_AGENT_FAILED", "retry"],
  ] as const)("%s (status %p) → %s, %s", (text, status, code, retry) => {
    expect(classifyFailureText(text, NOW, status)).toMatchObject({ code, retry });
  });

  test("an account usage limit pauses until the time it names, even as a 429", () => {
    const failure = classifyFailureText(
      "You’ve hit your usage limit. … or try again in 90 minutes.",
      NOW,
      429,
    );
    expect(failure).toEqual({
      code: "E_AGENT_USAGE_LIMIT",
      retry: "pause",
      pauseUntilMs: NOW + 90 * 60_000,
    });
  });

  test("a per-minute quota is a rate limit, not a pause", () => {
    const failure = classifyFailureText(
      "Quota exceeded for requests per minute. Please retry in 28.5s.",
      NOW,
      429,
    );
    expect(failure).toEqual({ code: "E_AGENT_RATE_LIMIT", retry: "retry", retryAfterMs: 28_500 });
  });
});

describe("retry times in agent text", () => {
  test("durations", () => {
    expect(parseRetryIn("Please try again in 20s.", NOW)).toBe(NOW + 20_000);
    expect(parseRetryIn("try again in 2 days 3 hours", NOW)).toBe(NOW + 51 * 3_600_000);
    expect(parseRetryIn("retry after 500ms", NOW)).toBe(NOW + 500);
    expect(parseRetryIn("try again later", NOW)).toBeNull();
  });

  test("a wall-clock time is the next one after now", () => {
    const at = parseTryAgainAt("or try again at 2:53 AM.", NOW);
    expect(at).not.toBeNull();
    expect((at ?? 0) > NOW).toBe(true);
    expect((at ?? 0) - NOW).toBeLessThanOrEqual(24 * 3_600_000);
    expect(new Date(at ?? 0).getMinutes()).toBe(53);
    expect(parseTryAgainAt("try again at 13:99 PM", NOW)).toBeNull();
  });
});
