import { describe, expect, test } from "bun:test";
import { LineSplitter } from "../../src/core/line-splitter.ts";
import { TailBuffer } from "../../src/runners/tail-buffer.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

function split(chunks: Uint8Array[], max?: number) {
  const out: string[] = [];
  const splitter = new LineSplitter((line) => out.push(line), max);
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return { out, skipped: splitter.skippedLines };
}

describe("LineSplitter", () => {
  test("lines cut anywhere, even inside a UTF-8 character, come out whole", () => {
    const all = bytes('{"a":"x · y"}\r\n{"b":2}\nlast');
    const cuts = [1, 9, 10, 11, 20];
    const chunks: Uint8Array[] = [];
    let from = 0;
    for (const cut of cuts) {
      chunks.push(all.subarray(from, cut));
      from = cut;
    }
    chunks.push(all.subarray(from));
    expect(split(chunks).out).toEqual(['{"a":"x · y"}', '{"b":2}', "last"]);
  });

  test("a line over the cap is dropped and counted; neighbours survive", () => {
    const { out, skipped } = split(
      [bytes("ok1\n"), bytes("x".repeat(50)), bytes("x".repeat(50)), bytes("\nok2\n")],
      64,
    );
    expect(out).toEqual(["ok1", "ok2"]);
    expect(skipped).toBe(1);
  });

  test("blank lines are delivered as empty strings; no trailing phantom line", () => {
    expect(split([bytes("a\n\nb\n")]).out).toEqual(["a", "", "b"]);
  });
});

describe("TailBuffer", () => {
  test("keeps only the last capBytes", () => {
    const tail = new TailBuffer(10);
    tail.push(bytes("0123456789"));
    tail.push(bytes("abc"));
    expect(tail.text()).toBe("3456789abc");
    tail.push(bytes("a very long chunk that alone exceeds the cap: END"));
    expect(tail.text()).toBe("e cap: END");
  });
});

test("a line spanning chunks survives the caller reusing its Buffer (Buffer.slice is a view)", () => {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  const reused = Buffer.alloc(4);
  reused.write("ab");
  splitter.push(reused.subarray(0, 2));
  reused.write("cd\n");
  splitter.push(reused.subarray(0, 3));
  expect(lines).toEqual(["abcd"]);
});
