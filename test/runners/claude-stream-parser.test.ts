import { describe, expect, test } from "bun:test";
import { ClaudeStreamParser, parseClaudeStream } from "../../src/runners/claude-stream-parser.ts";
import {
  ASSISTANT,
  apiRetryLine,
  INIT,
  MAX_TURNS_RESULT,
  resultLine,
} from "../support/fake-agents/fixtures.ts";

const lines = (...l: string[]) => l.join("\n");

describe("Claude stream-json parser", () => {
  test("assistant + result → text, subtype, usage 100/200 (intent 32)", () => {
    const result = resultLine({ result: "done", usage: { input_tokens: 100, output_tokens: 200 } });
    const parser = parseClaudeStream(lines(ASSISTANT, result));
    expect(parser.result).toMatchObject({ text: "done", subtype: "success", isError: false });
    expect(parser.result?.usage).toMatchObject({ inputTokens: 100, outputTokens: 200 });
  });

  test("no result line, or empty input → null result and no parse error (intent 33)", () => {
    for (const input of [lines(INIT, ASSISTANT), ""]) {
      const parser = parseClaudeStream(input);
      expect(parser.result).toBeNull();
      expect(parser.lastParseError).toBeNull();
    }
  });

  test("malformed line before a valid result → result still returned (intent 34)", () => {
    const parser = parseClaudeStream(lines('{"type": broken', resultLine()));
    expect(parser.result?.text).toBe("the answer");
    expect(parser.malformedLines).toBe(1);
  });

  test("result without usage → usage null (intent 35)", () => {
    const parser = parseClaudeStream('{"type":"result","subtype":"success","result":"x"}');
    expect(parser.result?.usage).toBeNull();
  });

  test("two result lines → the last wins (intent 36)", () => {
    const parser = parseClaudeStream(
      lines(resultLine({ result: "one" }), resultLine({ result: "two" })),
    );
    expect(parser.result?.text).toBe("two");
  });

  test("reads cost, session, turns, cache tokens, errors; legacy cost names", () => {
    const parser = parseClaudeStream(MAX_TURNS_RESULT);
    expect(parser.result).toMatchObject({
      subtype: "error_max_turns",
      isError: true,
      text: null,
      numTurns: 2,
      sessionId: "b1cacbdf-32f5-479b-97ed-4a869575dda8",
      errors: ["Reached maximum number of turns (1)"],
      terminalReason: "max_turns",
      usage: {
        inputTokens: 9386,
        outputTokens: 410,
        cacheReadTokens: 18206,
        cacheWriteTokens: 1625,
      },
    });
    expect(parseClaudeStream('{"type":"result","cost_usd":0.5}').result?.costUsd).toBe(0.5);
    expect(parseClaudeStream('{"type":"result","total_cost":0.25}').result?.costUsd).toBe(0.25);
  });

  test("session id and model from init; output falls back to the last top-level assistant text", () => {
    const subagent = JSON.stringify({
      type: "assistant",
      parent_tool_use_id: "toolu_1",
      message: { content: [{ type: "text", text: "subagent chatter" }] },
    });
    const parser = parseClaudeStream(lines(INIT, ASSISTANT, subagent));
    expect(parser.sessionId).toBe("7f3c2a9e-1b4d-4c8e-9a60-2d5e8f1b3c47");
    expect(parser.model).toBe("claude-sonnet-4-6");
    expect(parser.outputText()).toBe("the answer");
  });

  test("api_retry lines are surfaced with status and error", () => {
    const parser = new ClaudeStreamParser();
    const event = parser.push(apiRetryLine(2, 529, "overloaded"));
    expect(event).toEqual({
      kind: "api_retry",
      retry: { attempt: 2, maxRetries: 10, status: 529, error: "overloaded", retryDelayMs: 2000 },
    });
    expect(
      parser.push('{"type":"system","subtype":"api_retry","error_status":null}'),
    ).toMatchObject({ kind: "api_retry", retry: { status: null, error: null } });
  });

  test("non-object JSON, non-JSON and unknown types are ignored", () => {
    const parser = new ClaudeStreamParser();
    for (const line of [
      "[1,2]",
      "null",
      "42",
      "plain text",
      '{"type":"mystery"}',
      '{"no":"type"}',
    ]) {
      expect(parser.push(line).kind).toBe("other");
    }
    expect(parser.malformedLines).toBe(0);
  });
});
