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

describe("field types: E_BAD_REQUEST naming the field", () => {
  test.each([
    ['{"type":"status","id":7}', "`id` must be a string"],
    [
      '{"type":"enqueue","payload":{"type":"session-finalize","name":["x"]}}',
      "`payload.name` must be a string, got an array",
    ],
    [
      '{"type":"enqueue","payload":{"type":"session-finalize","name":7}}',
      "`payload.name` must be a string, got number",
    ],
    ['{"type":"enqueue","payload":{"type":"session-finalize"}}', "`payload.name` is required"],
    [
      '{"type":"enqueue","payload":{"type":"session-finalize","name":"a","priority":"high"}}',
      "`payload.priority` must be a whole number",
    ],
    [
      '{"type":"enqueue","payload":{"type":"session-finalize","name":"a","priority":1e300}}',
      "`payload.priority` must be a whole number",
    ],
    [
      '{"type":"enqueue","payload":"session-finalize a"}',
      "`payload` must be an object for enqueue, got string",
    ],
    ['{"type":"cancel","payload":{"id":{}}}', "`payload.id` must be a string, got object"],
    ['{"type":"retry","payload":{"failed":"yes"}}', "`payload.failed` must be true or false"],
    ['{"type":"retry","payload":{}}', "needs `payload.id` or `payload.failed: true`"],
  ])("%s", (line, fragment) => {
    const parsed = parseRequest(line);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.code).toBe("E_BAD_REQUEST");
      expect(parsed.error.message).toContain(fragment);
    }
  });
});

test("parseResponse insists on a boolean success", () => {
  expect(parseResponse('{"success":true,"data":3}')).toEqual({ success: true, data: 3 });
  expect(() => parseResponse('{"ok":true}')).toThrow("boolean `success`");
  expect(() => parseResponse("{")).toThrow("malformed JSON");
});
