import { expect, test } from "bun:test";
import { createLogger } from "./logger.ts";

function capture(isTTY: boolean) {
  const lines: string[] = [];
  const stream = { isTTY, write: (text: string) => lines.push(text) };
  return { lines, stream };
}

test("off a terminal each line starts with an ISO-8601 time from the injected clock", () => {
  const { lines, stream } = capture(false);
  const clock = { now: () => Date.UTC(2026, 4, 1, 12, 0, 0) };
  const logger = createLogger({ clock, stream, tag: "scheduler" });
  logger.info("pass done");
  logger.warn("slow");
  expect(lines).toEqual([
    "2026-05-01T12:00:00.000Z info [scheduler] pass done\n",
    "2026-05-01T12:00:00.000Z warn [scheduler] slow\n",
  ]);
});

test("on a terminal there is no timestamp", () => {
  const { lines, stream } = capture(true);
  createLogger({ stream }).info("hello");
  expect(lines).toEqual(["info hello\n"]);
});

test("names and errors in a log line cannot drive the terminal or forge a line", () => {
  const { lines, stream } = capture(false);
  const clock = { now: () => 0 };
  const logger = createLogger({ clock, stream });
  logger.error(new Error("bad \x1b]0;title\x07name"));
  logger.info("session a\n1970-01-01T00:00:00.000Z info forged");
  expect(lines[0]).toBe("1970-01-01T00:00:00.000Z error bad name\n");
  expect(lines[1]).toBe(
    "1970-01-01T00:00:00.000Z info session a\n    1970-01-01T00:00:00.000Z info forged\n",
  );
});
