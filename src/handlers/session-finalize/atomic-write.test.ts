import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../../test/support/tmp.ts";
import { AtomicWriter } from "./atomic-write.ts";

describe("AtomicWriter", () => {
  test("lines across many buffer flushes, multi-byte text included, arrive whole and in order", () => {
    const dir = tempDir();
    const target = join(dir, "raw.jsonl");
    const writer = new AtomicWriter(target, 0o644, false);
    const lines: string[] = [];
    // ~3.5 MB: several 1 MiB buffers, lines ending exactly at and just past a buffer's end.
    for (let i = 0; i < 3500; i++) lines.push(`${i} ${"é✓".repeat(i % 7)}${"x".repeat(997)}`);
    lines.push("z".repeat(2 * 1024 * 1024));
    for (const line of lines) writer.writeLine(line);
    expect(existsSync(target)).toBe(false);
    writer.commit();
    expect(readFileSync(target, "utf8")).toBe(`${lines.join("\n")}\n`);
    expect(readdirSync(dir)).toEqual(["raw.jsonl"]);
  });

  test("one text larger than the buffer, 4-byte characters across its ends, arrives whole", () => {
    const dir = tempDir();
    const target = join(dir, "big");
    const writer = new AtomicWriter(target, 0o644, false);
    // Written into a buffer already holding 3 bytes: every chunk boundary falls at another offset.
    const big = `${"😀é".repeat(300_000)}${"x".repeat(1_000_001)}😀`;
    writer.write("abc");
    writer.write(big);
    writer.writeLine("");
    writer.commit();
    expect(readFileSync(target, "utf8")).toBe(`abc${big}\n`);
  });

  test("writers open at once (their buffers reused afterwards) never mix their content", () => {
    const dir = tempDir();
    const a = new AtomicWriter(join(dir, "a"));
    const b = new AtomicWriter(join(dir, "b"));
    for (let i = 0; i < 1000; i++) {
      a.writeLine(`a${i}`);
      b.writeLine(`b${i}`);
    }
    a.commit();
    b.abort();
    const c = new AtomicWriter(join(dir, "c"));
    c.write("only c");
    c.commit();
    expect(readFileSync(join(dir, "a"), "utf8").split("\n")[999]).toBe("a999");
    expect(readFileSync(join(dir, "c"), "utf8")).toBe("only c");
    expect(readdirSync(dir).sort()).toEqual(["a", "c"]);
  });

  test("a closed writer refuses more text; abort twice is harmless", () => {
    const dir = tempDir();
    const w = new AtomicWriter(join(dir, "f"));
    w.writeLine("one");
    w.commit();
    expect(() => w.writeLine("two")).toThrow(/already closed/);
    w.abort();
    w.abort();
    expect(readFileSync(join(dir, "f"), "utf8")).toBe("one\n");
  });
});
