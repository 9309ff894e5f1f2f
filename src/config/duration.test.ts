import { describe, expect, test } from "bun:test";
import { formatDuration, parseDuration } from "./duration.ts";

describe("parseDuration", () => {
  test.each([
    ["30s", 30_000],
    ["5m", 300_000],
    ["1h", 3_600_000],
    ["30d", 30 * 86_400_000],
    ["1h30m", 5_400_000],
    ["250ms", 250],
    ["1.5h", 5_400_000],
    [" 2m ", 120_000],
  ])("%s", (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });

  test("a bare number is refused with a hint about units", () => {
    const result = parseDuration("30");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain("30s");
  });

  test.each(["", "5 minutes", "m5", "1x", "-5m", "1h 30m"])("rejects %p", (text) => {
    expect(parseDuration(text).ok).toBe(false);
  });
});

describe("formatDuration", () => {
  test.each([
    [0, "0s"],
    [250, "250ms"],
    [30_000, "30s"],
    [5_400_000, "1h30m"],
    [30 * 86_400_000, "30d"],
  ])("%d -> %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  test("round-trips through parseDuration", () => {
    for (const ms of [1000, 61_000, 90_061_001]) {
      expect(parseDuration(formatDuration(ms))).toEqual({ ok: true, ms });
    }
  });
});
