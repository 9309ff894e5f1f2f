import { expect, test } from "bun:test";
import { AgentworkError } from "./errors.ts";
import { readWithin } from "./regular-file.ts";

test("a read that never returns fails its file after the deadline instead of hanging", async () => {
  const hung = new Promise<never>(() => {});
  const error = await readWithin(hung, "/ledger/sessions/s/raw.jsonl", 20).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AgentworkError);
  expect((error as AgentworkError).code).toBe("E_SESSION_READ");
  expect((error as AgentworkError).message).toContain("took over 20 ms");
});

test("a read that returns in time passes its value through", async () => {
  expect(await readWithin(Promise.resolve(42), "f", 1_000)).toBe(42);
});
