import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../test/support/tmp.ts";
import { CLAUDE_HOLD } from "./claude-convert.ts";
import { readRecords } from "./read-records.ts";

function file(bytes: Buffer): string {
  const path = join(tempDir("agentwork-read-records-"), "t.jsonl");
  writeFileSync(path, bytes);
  return path;
}

const long = "x".repeat(400);
const line = (text: string) => `{"message":{"content":"${text}"}}\n`;

describe("readRecords decodes as Buffer.toString('utf8') does", () => {
  test("bad UTF-8 bytes become U+FFFD alike; a BOM is kept (the first line is then malformed)", () => {
    const bad = Buffer.concat([
      Buffer.from('{"message":{"content":"a'),
      Buffer.from([0xff, 0xc3, 0x28, 0xe2, 0x82]),
      Buffer.from('b"}}\n'),
    ]);
    const got = readRecords(file(bad));
    const expected = JSON.parse(bad.toString("utf8").trim());
    expect(got.records).toEqual([expected]);
    expect(String((expected.message as { content: string }).content)).toContain("\ufffd");
    const bom = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(line("hi") + line("ok")),
    ]);
    const withBom = readRecords(file(bom));
    expect(withBom.malformed).toEqual([1]);
    expect(withBom.records).toEqual([{ message: { content: "ok" } }]);
  });

  test("long strings are held unless the file spells \\u0000 anywhere", () => {
    const held = readRecords(file(Buffer.from(line(long))), { hold: CLAUDE_HOLD });
    expect(held.held).toEqual([`"${long}"`]);
    const spelt = Buffer.from(line(long) + line(String.raw`\u0000`));
    const none = readRecords(file(spelt), { hold: CLAUDE_HOLD });
    expect(none.held).toEqual([]);
    expect(none.records[0]).toEqual({ message: { content: long } });
  });
});
