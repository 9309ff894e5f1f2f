import { describe, expect, test } from "bun:test";
import { stringLiteralAt } from "./json-literal.ts";

type Path = (string | number)[];

/** A small deterministic PRNG, so a failure names its seed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '"',
  "\\",
  "\\n",
  "\n",
  "\t",
  "\u0001",
  "é",
  "😀",
  "\u2028",
  "}",
  "]",
  ",",
  ":",
  "a",
  " ",
  "/",
  "u0041",
  '\\\\"',
];

/** JSON text of `s` with random but valid escapes: `\/`, `\uXXXX` for any character, or plain. */
function literalOf(s: string, rnd: () => number): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    const r = rnd();
    if (code > 0xffff && r < 0.2)
      out += [...Array(2).keys()].map((i) => `\\u${ch.charCodeAt(i).toString(16)}`).join("");
    else if (r < 0.05) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else if (ch === "/" && r < 0.5) out += "\\/";
    else out += JSON.stringify(ch).slice(1, -1);
  }
  return `${out}"`;
}

function randomString(rnd: () => number): string {
  let s = "";
  const n = Math.floor(rnd() * 12);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(rnd() * PIECES.length)];
  return rnd() < 0.2 ? s.repeat(40) : s;
}

const space = (rnd: () => number) =>
  rnd() < 0.3 ? [" ", "\n", "\t ", "\r\n"][Math.floor(rnd() * 4)] : "";

/** A random value as JSON text, keeping each string's literal as written. */
function emit(rnd: () => number, depth: number, at: Path, strings: Map<string, string>): string {
  const r = rnd();
  if (depth > 3 || r < 0.35) {
    if (r < 0.2 || depth > 3) {
      const literal = literalOf(randomString(rnd), rnd);
      strings.set(JSON.stringify(at), literal);
      return literal;
    }
    return ["0", "-1.5e3", "true", "false", "null", "12"][Math.floor(rnd() * 6)] as string;
  }
  if (r < 0.65) {
    const n = Math.floor(rnd() * 4);
    const items: string[] = [];
    for (let i = 0; i < n; i++)
      items.push(space(rnd) + emit(rnd, depth + 1, [...at, i], strings) + space(rnd));
    return `[${items.join(",")}${n === 0 ? space(rnd) : ""}]`;
  }
  const keys = ["content", "text", "message", "a", "ü"];
  const n = Math.floor(rnd() * 5);
  const members: string[] = [];
  for (let i = 0; i < n; i++) {
    const key = keys[Math.floor(rnd() * keys.length)] as string;
    // A repeated key: JSON.parse keeps the last, and so must the scanner; earlier ones vanish.
    for (const k of [...strings.keys()])
      if (k.startsWith(JSON.stringify([...at, key]).slice(0, -1))) strings.delete(k);
    const keyText =
      rnd() < 0.15
        ? `"${[...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")}"`
        : JSON.stringify(key);
    members.push(
      `${space(rnd)}${keyText}${space(rnd)}:${space(rnd)}${emit(rnd, depth + 1, [...at, key], strings)}${space(rnd)}`,
    );
  }
  return `{${members.join(",")}}`;
}

function valueAt(value: unknown, path: Path): unknown {
  let v = value;
  for (const step of path) v = (v as Record<string | number, unknown> | undefined)?.[step];
  return v;
}

describe("stringLiteralAt", () => {
  test("finds the literal JSON.parse read each string from (5,000 random lines)", () => {
    let checked = 0;
    for (let seed = 1; seed <= 5000; seed++) {
      const rnd = prng(seed);
      const strings = new Map<string, string>();
      const line = `${space(rnd)}{"root":${emit(rnd, 0, ["root"], strings)}}${space(rnd)}`;
      const parsed: unknown = JSON.parse(line);
      for (const [key, literal] of strings) {
        const path = JSON.parse(key) as Path;
        const got = stringLiteralAt(line, path);
        const want = literal.includes("\\u") ? undefined : literal;
        if (got !== want) throw new Error(`seed ${seed}, path ${key}: got ${got}, want ${want}`);
        if (got !== undefined) expect(JSON.parse(got)).toBe(valueAt(parsed, path) as string);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3000);
  });

  test("no literal where the path holds no string, or leads nowhere", () => {
    const line = '{"a":[1,"x",{"b":null}],"c":{"d":"e"},"n":12}';
    expect(stringLiteralAt(line, ["a", 1])).toBe('"x"');
    expect(stringLiteralAt(line, ["c", "d"])).toBe('"e"');
    for (const path of [
      ["a"],
      ["a", 0],
      ["a", 2, "b"],
      ["a", 3],
      ["n"],
      ["c", 0],
      ["a", "b"],
      ["zz"],
      [],
    ])
      expect(stringLiteralAt(line, path)).toBeUndefined();
  });

  test("a repeated key gives the last value, as JSON.parse does; escaped quotes and backslashes end right", () => {
    const line = String.raw`{"k":"first","k":"se\"c\\","k2":"x"}`;
    expect(stringLiteralAt(line, ["k"])).toBe(String.raw`"se\"c\\"`);
    expect(JSON.parse(line).k).toBe(JSON.parse(String(stringLiteralAt(line, ["k"]))));
    expect(stringLiteralAt(String.raw`{"c\u006fntent":"v"}`, ["content"])).toBe('"v"');
  });

  test("a literal with a \\u escape is refused (the screen reads lines as JSON.stringify writes them)", () => {
    expect(stringLiteralAt(String.raw`{"t":"\u0041KIA"}`, ["t"])).toBeUndefined();
    // An escaped backslash before a `u` is refused too: the check is simple, and only costs speed.
    expect(stringLiteralAt(String.raw`{"t":"\\u0041KIA"}`, ["t"])).toBeUndefined();
    expect(stringLiteralAt(String.raw`{"t":"\\n\"AKIA"}`, ["t"])).toBe(String.raw`"\\n\"AKIA"`);
  });
});
