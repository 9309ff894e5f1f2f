import { expect, test } from "bun:test";
import { isoTime } from "./clock.ts";

test("isoTime renders UTC ISO-8601 with milliseconds", () => {
  expect(isoTime(Date.UTC(2026, 10, 26, 8, 5, 3, 7))).toBe("2026-11-26T08:05:03.007Z");
});
