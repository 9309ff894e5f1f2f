import { describe, expect, test } from "bun:test";
import {
  HOLD_MIN_CHARS,
  type HoldSpec,
  heldLiteral,
  holdingAllowed,
  holdStrings,
} from "./held-strings.ts";

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

/**
 * JSON text of `s` with random but valid escapes: `\/`, `\uXXXX` for any character (in half of
 * the strings), or plain.
 */
function literalOf(s: string, rnd: () => number): string {
  const spellsU = rnd() < 0.5;
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    const r = rnd();
    if (spellsU && code > 0xffff && r < 0.2)
      out += [...Array(2).keys()].map((i) => `\\u${ch.charCodeAt(i).toString(16)}`).join("");
    else if (spellsU && r < 0.05) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else if (ch === "/" && r < 0.5) out += "\\/";
    else out += JSON.stringify(ch).slice(1, -1);
  }
  return `${out}"`;
}

function randomString(rnd: () => number): string {
  let s = "";
  const n = Math.floor(rnd() * 12);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(rnd() * PIECES.length)];
  return rnd() < 0.3 ? s.repeat(60) : s;
}

const space = (rnd: () => number) =>
  rnd() < 0.3 ? [" ", "\n", "\t ", "\r\n"][Math.floor(rnd() * 4)] : "";

/** A random value as JSON text. */
function emit(rnd: () => number, depth: number): string {
  const r = rnd();
  if (depth > 3 || r < 0.35) {
    if (r < 0.2 || depth > 3) return literalOf(randomString(rnd), rnd);
    return ["0", "-1.5e3", "true", "false", "null", "12"][Math.floor(rnd() * 6)] as string;
  }
  if (r < 0.65) {
    const n = Math.floor(rnd() * 4);
    const items: string[] = [];
    for (let i = 0; i < n; i++) items.push(space(rnd) + emit(rnd, depth + 1) + space(rnd));
    return `[${items.join(",")}${n === 0 ? space(rnd) : ""}]`;
  }
  // Repeated keys too: JSON.parse keeps the last.
  const keys = ["content", "text", "message", "a", "ü"];
  const n = Math.floor(rnd() * 5);
  const members: string[] = [];
  for (let i = 0; i < n; i++) {
    const key = keys[Math.floor(rnd() * keys.length)] as string;
    const keyText =
      rnd() < 0.15
        ? `"${[...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")}"`
        : JSON.stringify(key);
    members.push(
      `${space(rnd)}${keyText}${space(rnd)}:${space(rnd)}${emit(rnd, depth + 1)}${space(rnd)}`,
    );
  }
  return `{${members.join(",")}}`;
}

/** Holds under `content`, `text` and `message` at any depth; `a` is not looked into. */
const ANYWHERE: HoldSpec = { hold: true, keys: {} };
Object.assign(ANYWHERE.keys as object, { content: ANYWHERE, text: ANYWHERE, message: ANYWHERE });

/** `value` with every placeholder replaced by the string its literal spells. */
function resolved(value: unknown, held: readonly string[]): unknown {
  const literal = heldLiteral(value, held);
  if (literal !== undefined) return JSON.parse(literal);
  if (Array.isArray(value)) return value.map((v) => resolved(v, held));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolved(v, held)]));
  return value;
}

describe("holdStrings", () => {
  test("the cut line parses to the same value once placeholders are resolved (5,000 random lines)", () => {
    let held = 0;
    for (let seed = 1; seed <= 5000; seed++) {
      const rnd = prng(seed);
      const line = `${space(rnd)}{"content":${emit(rnd, 0)},"a":${emit(rnd, 0)}}${space(rnd)}`;
      expect(holdingAllowed(line)).toBe(true);
      const literals: string[] = [];
      const cut = holdStrings(line, ANYWHERE, literals);
      const same = Bun.deepEquals(resolved(JSON.parse(cut), literals), JSON.parse(line), true);
      if (!same) throw new Error(`seed ${seed}: ${line}\ncut to ${cut}`);
      for (const literal of literals) {
        expect(literal.length).toBeGreaterThanOrEqual(HOLD_MIN_CHARS);
        expect(literal.includes("\\u")).toBe(false);
      }
      if (literals.length === 0) expect(cut).toBe(line);
      held += literals.length;
    }
    expect(held).toBeGreaterThan(300);
  });

  const long = "x".repeat(HOLD_MIN_CHARS);

  test("only long strings under the spec are held; other keys, escaped keys and short strings are not", () => {
    const line = JSON.stringify({
      a: long,
      contents: long,
      content: [long, { text: long, a: long }],
      text: "short",
    });
    const literals: string[] = [];
    const parsed = JSON.parse(holdStrings(line, ANYWHERE, literals));
    expect(literals).toEqual([`"${long}"`, `"${long}"`]);
    expect(parsed.a).toBe(long);
    expect(parsed.contents).toBe(long);
    expect(parsed.content[1].a).toBe(long);
    expect(heldLiteral(parsed.content[0], literals)).toBe(`"${long}"`);
    expect(parsed.text).toBe("short");
    const escapedKey = `{"c\\u006fntent":"${long}"}`;
    expect(holdStrings(escapedKey, ANYWHERE, [])).toBe(escapedKey);
  });

  test("once no spec'd key is left, the rest of the line is not scanned; a repeated key is then decoded", () => {
    const spec: HoldSpec = { keys: { message: { keys: { content: { hold: true } } } } };
    const later = "y".repeat(HOLD_MIN_CHARS);
    const line = `{"message":{"content":"${long}"},"uuid":"u","message":{"content":"${later}"}}`;
    const literals: string[] = [];
    const parsed = JSON.parse(holdStrings(line, spec, literals));
    expect(literals).toEqual([`"${long}"`]);
    expect(parsed.message.content).toBe(later);
  });

  test("a literal with a \\u escape is refused (the screen reads lines as JSON.stringify writes them)", () => {
    for (const text of [`\\u0041KIA${long}`, `\\\\u0041${long}`]) {
      const line = `{"content":"${text}"}`;
      expect(holdStrings(line, ANYWHERE, [])).toBe(line);
    }
  });

  test("a text spelling \\u0000 anywhere holds nothing: a placeholder cannot be mistaken for it", () => {
    expect(holdingAllowed(String.raw`{"a":"\u0000","content":"x"}`)).toBe(false);
    expect(heldLiteral("\u00000", [])).toBeUndefined();
    expect(heldLiteral("0", ['"x"'])).toBeUndefined();
  });
});
