/**
 * Parses a transcript line with its long strings held back: before JSON.parse, each long string
 * literal at a place the converter names (`HoldSpec`) is cut out of the line and replaced by a
 * placeholder, and the converter gets the source's JSON text of it (`heldText`). Such a string is
 * then never decoded on the way to raw.jsonl, which copies it as the source wrote it, nor
 * escaped again: a transcript's long strings (tool results, long messages, thinking) are most of
 * its bytes, and decoding them was most of the parse (bench/results/sources.md).
 *
 * The scanner only needs to be right for valid JSON: a line it cut is parsed afterwards, and one
 * that does not parse is parsed again whole, so a malformed line is reported as before. In valid
 * JSON, outside strings there are only structure, numbers and keywords, and a string ends at the
 * first `"` after an even run of backslashes.
 */

/** Where strings may be held: a string here (`hold`), or under the members named in `keys`. */
export interface HoldSpec {
  hold?: boolean;
  /** Members to look into; an array is looked through, each element with the same spec. */
  keys?: Readonly<Record<string, HoldSpec>>;
}

/**
 * Shorter strings are decoded as usual. The threshold is the one the literal lookup this
 * replaced measured as paying off; it was not tuned again.
 */
export const HOLD_MIN_CHARS = 256;

/**
 * A held string's placeholder is `"\u0000<n>"`. JSON cannot hold a raw NUL, so a decoded string
 * starts with one only when the source spelt it `\u0000`; a text with that spelling anywhere
 * holds nothing (`holdingAllowed`), and then every string starting with NUL is a placeholder.
 */
const PLACEHOLDER_PREFIX = "\u0000";

/** Also for the bytes before they are decoded: the spelling is ASCII, and a byte search fast. */
export function holdingAllowed(text: string | Buffer): boolean {
  return text.indexOf("\\u0000") < 0;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(s: string, i: number): number {
  while (isSpace(s.charCodeAt(i))) i++;
  return i;
}

/** `i` at an opening quote; the index after its closing quote. */
function stringEnd(s: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const q = s.indexOf('"', from);
    if (q < 0) return s.length;
    let b = q - 1;
    while (s.charCodeAt(b) === BACKSLASH) b--;
    if ((q - 1 - b) % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/** `i` at the first character of a value; the index after the value. */
function valueEnd(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === QUOTE) return stringEnd(s, i);
  if (c !== OPEN_OBJECT && c !== OPEN_ARRAY) {
    // A number or keyword: runs to the next delimiter.
    let j = i;
    for (;;) {
      const d = s.charCodeAt(j);
      if (Number.isNaN(d) || d === COMMA || d === CLOSE_OBJECT || d === CLOSE_ARRAY || isSpace(d))
        return j;
      j++;
    }
  }
  let depth = 0;
  let j = i;
  while (j < s.length) {
    const d = s.charCodeAt(j);
    if (d === QUOTE) {
      j = stringEnd(s, j);
      continue;
    }
    if (d === OPEN_OBJECT || d === OPEN_ARRAY) depth++;
    else if (d === CLOSE_OBJECT || d === CLOSE_ARRAY) {
      depth--;
      if (depth === 0) return j + 1;
    }
    j++;
  }
  return s.length;
}

/** The cuts of one line: [start, end) of each held literal, in order. */
type Cuts = number[];

/**
 * The spec for the key at `s[start, start + length)`, compared in place: a slice per member
 * cost more than the rest of the scan. A key spelt with escapes is not looked into: its strings
 * are decoded as usual.
 */
function memberSpec(
  keys: Readonly<Record<string, HoldSpec>>,
  s: string,
  start: number,
  length: number,
): HoldSpec | undefined {
  for (const key in keys) if (key.length === length && s.startsWith(key, start)) return keys[key];
  return undefined;
}

/**
 * Returned once nothing later in the line can be held: the rest (Claude's `usage`, `uuid`,
 * `toolUseResult`, which repeats the tool output) is left to JSON.parse unscanned. Holding fewer
 * strings is always correct, so a key that repeats later only means that one is decoded.
 */
const DONE = -1;

/**
 * `i` at a value under `spec`; records its held strings in `cuts`; the index after the value,
 * or DONE. `last`: nothing after this value can be held (no spec'd key left in any ancestor).
 */
function visit(s: string, i: number, spec: HoldSpec, cuts: Cuts, last: boolean): number {
  const c = s.charCodeAt(i);
  if (c === QUOTE) {
    const end = stringEnd(s, i);
    // A `\u` escape can spell any character, and the redaction screen reads what is written
    // as JSON.stringify writes it: such a string is decoded and escaped again.
    if (spec.hold && end - i >= HOLD_MIN_CHARS && !s.slice(i, end).includes("\\u"))
      cuts.push(i, end);
    return end;
  }
  const keys = spec.keys;
  if (keys === undefined || (c !== OPEN_OBJECT && c !== OPEN_ARRAY)) return valueEnd(s, i);
  const close = c === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY;
  let j = skipSpace(s, i + 1);
  if (s.charCodeAt(j) === close) return j + 1;
  let unseen = c === OPEN_OBJECT ? Object.keys(keys).length : 0;
  for (;;) {
    if (c === OPEN_OBJECT) {
      const keyEnd = stringEnd(s, j);
      const value = skipSpace(s, skipSpace(s, keyEnd) + 1);
      const inner = memberSpec(keys, s, j + 1, keyEnd - j - 2);
      if (inner) {
        const lastHere = last && --unseen === 0;
        j = visit(s, value, inner, cuts, lastHere);
        if (lastHere) return DONE;
      } else j = valueEnd(s, value);
    } else j = visit(s, j, spec, cuts, false);
    if (j === DONE) return DONE;
    j = skipSpace(s, j);
    if (s.charCodeAt(j) !== COMMA) return j + 1;
    j = skipSpace(s, j + 1);
  }
}

/**
 * `line` with the long strings under `spec` replaced by placeholders, each literal (quotes
 * included) appended to `held`; `line` itself when none is held. Only for a text where
 * `holdingAllowed`.
 */
export function holdStrings(line: string, spec: HoldSpec, held: string[]): string {
  const cuts: Cuts = [];
  visit(line, skipSpace(line, 0), spec, cuts, true);
  if (cuts.length === 0) return line;
  const parts: string[] = [];
  let from = 0;
  for (let k = 0; k < cuts.length; k += 2) {
    const start = cuts[k] as number;
    const end = cuts[k + 1] as number;
    parts.push(line.slice(from, start), `"\\u0000${held.length}"`);
    held.push(line.slice(start, end));
    from = end;
  }
  parts.push(line.slice(from));
  return parts.join("");
}

/** The held literal a parsed value stands for, or undefined when it is not a placeholder. */
export function heldLiteral(value: unknown, held: readonly string[]): string | undefined {
  if (held.length === 0 || typeof value !== "string" || !value.startsWith(PLACEHOLDER_PREFIX))
    return undefined;
  return held[Number(value.slice(PLACEHOLDER_PREFIX.length))];
}
