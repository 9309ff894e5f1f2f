import { expect, test } from "bun:test";
import { RETRY_BASE_MS, RETRY_CAP_MS, retryDelayMs } from "./backoff.ts";

test("retry delay doubles per attempt, jitters by at most 25%, and is capped", () => {
  expect(retryDelayMs(1, () => 0.5)).toBe(RETRY_BASE_MS);
  expect(retryDelayMs(2, () => 0.5)).toBe(2 * RETRY_BASE_MS);
  expect(retryDelayMs(3, () => 0)).toBe(Math.round(4 * RETRY_BASE_MS * 0.75));
  expect(retryDelayMs(3, () => 1)).toBe(Math.round(4 * RETRY_BASE_MS * 1.25));
  expect(retryDelayMs(50, () => 0.5)).toBe(RETRY_CAP_MS);
});
