import { expect, test } from "bun:test";
import { OutputCap } from "./output-cap.ts";

test("a tool output over the limit keeps its head and a visible cut mark", () => {
  const cap = new OutputCap(10);
  expect(cap.tool("short")).toBe("short");
  expect(cap.tool("x".repeat(1234))).toBe(
    `${"x".repeat(10)}\n[… 1,224 chars cut; full text in raw.jsonl …]`,
  );
});

test("messages get five times the tool limit", () => {
  const cap = new OutputCap(10);
  expect(cap.message("y".repeat(50))).toBe("y".repeat(50));
  expect(cap.message("y".repeat(51))).toContain("1 chars cut");
});

test("past the export budget every block keeps only a short head", () => {
  const cap = new OutputCap(5_000, 10_000);
  expect(cap.tool("a".repeat(5_000))).toHaveLength(5_000);
  expect(cap.tool("b".repeat(5_000))).toHaveLength(5_000);
  const over = cap.tool("c".repeat(5_000));
  expect(over.startsWith(`${"c".repeat(500)}\n[… 4,500 chars cut`)).toBe(true);
});
