import { describe, expect, test } from "bun:test";
import { CodexEventParser } from "../../src/runners/codex-events.ts";
import { GeminiStreamParser } from "../../src/runners/gemini-stream-parser.ts";
import {
  agentMessage,
  errorEvent,
  THREAD,
  turnCompleted,
  turnFailed,
} from "../support/fake-agents/codex-fixtures.ts";
import { delta, INIT, success } from "../support/fake-agents/gemini-fixtures.ts";

describe("CodexEventParser", () => {
  test("last agent_message wins; unknown, malformed and non-JSON lines are skipped", () => {
    const p = new CodexEventParser();
    const lines = [
      "[sandbox] starting",
      THREAD,
      '{"type":"item.plan.delta","delta":"x"}',
      agentMessage("first", "item_1"),
      "{broken",
      agentMessage("second", "item_2"),
      errorEvent("Reconnecting... 1/5 (timeout)"),
    ];
    for (const line of lines) expect(p.push(line)).toBe(false);
    expect(p.push(turnCompleted(10, 3, 4))).toBe(true);
    expect(p).toMatchObject({
      lastMessage: "second",
      turnCompleted: true,
      reconnects: 1,
      malformedLines: 2,
    });
    expect(p.usage).toEqual({ inputTokens: 10, cachedInputTokens: 4, outputTokens: 3 });
    expect(p.threadId).toBe("01a23445-82eb-70b0-bed7-f53e8f6e87d4");
  });

  test("turn.failed without a message still fails", () => {
    const p = new CodexEventParser();
    expect(p.push('{"type":"turn.failed","error":{}}')).toBe(true);
    expect(p.turnFailed).toBe("turn failed without a message");
    expect(new CodexEventParser().push(turnFailed("boom"))).toBe(true);
  });
});

describe("GeminiStreamParser", () => {
  test("deltas in order, per-model token counts, session and model", () => {
    const p = new GeminiStreamParser();
    for (const line of [INIT, delta("a "), delta("b"), '{"type":"tool_use","tool_name":"x"}']) {
      expect(p.push(line)).toBe(false);
    }
    const result = JSON.parse(success(100, 5));
    result.stats.models = {
      "gemini-2.5-pro": { input_tokens: 60, output_tokens: 3, cached: 10 },
      "gemini-2.5-flash": { input_tokens: 40, output_tokens: 2, cached: 0 },
    };
    expect(p.push(JSON.stringify(result))).toBe(true);
    expect(p.text()).toBe("a b");
    expect(p.sessionId).toBe("4d65b245-f322-4490-9693-720b2f7f432b");
    expect(p.model).toBe("gemini-stub");
    expect(p.result?.models).toEqual({
      "gemini-2.5-pro": { inputTokens: 60, outputTokens: 3, cachedTokens: 10 },
      "gemini-2.5-flash": { inputTokens: 40, outputTokens: 2, cachedTokens: 0 },
    });
    expect([p.result?.inputTokens, p.result?.outputTokens]).toEqual([100, 5]);
  });

  test("stderr retry notices of both shapes, and the end of a round", () => {
    const p = new GeminiStreamParser();
    expect(
      p.pushStderr(
        "Attempt 2 failed: Quota exceeded. Please retry in 2s.. Retrying after 11310ms...",
      ),
    ).toBe(true);
    expect(p.lastRetry).toEqual({
      attempt: 2,
      status: null,
      message: "Quota exceeded. Please retry in 2s.",
      delayMs: 11310,
    });
    expect(
      p.pushStderr(
        "Attempt 1 failed with status 503. Retrying with backoff... _ApiError: overloaded",
      ),
    ).toBe(true);
    expect(p.lastRetry).toMatchObject({ attempt: 1, status: 503, delayMs: null });
    expect(p.pushStderr('Attempt 3 failed: {"error":{"code":500}}. Max attempts reached')).toBe(
      true,
    );
    expect(p.pushStderr("Ripgrep is not available. Falling back to GrepTool.")).toBe(false);
    expect(p.retryNotices).toBe(3);
  });
});
