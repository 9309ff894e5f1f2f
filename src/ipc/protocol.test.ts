import { describe, expect, test } from "bun:test";
import { LineReader } from "./line-reader.ts";
import { parseRequest, parseResponse } from "./protocol.ts";

describe("LineReader", () => {
  test("joins lines split across chunks, including inside a multi-byte character", () => {
    const reader = new LineReader(100);
    const bytes = Buffer.from('{"a":"é"}\n{"b":2}\r\n\n', "utf8");
    const split = bytes.indexOf(0xc3) + 1;
    expect(reader.push(bytes.subarray(0, split))).toEqual({ lines: [], overflow: false });
    expect(reader.push(bytes.subarray(split))).toEqual({
      lines: ['{"a":"é"}', '{"b":2}'],
      overflow: false,
    });
  });

  test("reports a line over the limit, with or without its newline", () => {
    expect(new LineReader(4).push(Buffer.from("12345")).overflow).toBe(true);
    expect(new LineReader(4).push(Buffer.from("12345\n")).overflow).toBe(true);
    const reader = new LineReader(4);
    expect(reader.push(Buffer.from("123")).overflow).toBe(false);
    expect(reader.push(Buffer.from("45")).overflow).toBe(true);
    expect(new LineReader(4).push(Buffer.from("1234\n5678\n")).lines).toEqual(["1234", "5678"]);
  });
});

describe("parseRequest", () => {
  test("keeps id, type and payload only", () => {
    expect(parseRequest('{"id":"1","type":"sync","payload":[1],"extra":true}')).toEqual({
      ok: true,
      request: { id: "1", type: "sync", payload: [1] },
    });
  });

  test.each([
    ["nope", "malformed JSON"],
    ["null", "JSON object"],
    ['{"type":"status","id":7}', "`id` must be a string"],
    ['{"payload":{}}', "unknown request type nothing"],
  ])("%s", (line, fragment) => {
    const parsed = parseRequest(line);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.code).toBe("E_IPC");
      expect(parsed.error.message).toContain(fragment);
    }
  });
});

test("parseResponse insists on a boolean success", () => {
  expect(parseResponse('{"success":true,"data":3}')).toEqual({ success: true, data: 3 });
  expect(() => parseResponse('{"ok":true}')).toThrow("boolean `success`");
  expect(() => parseResponse("{")).toThrow("malformed JSON");
});
