/**
 * Finds the JSON text of one string value inside a line that JSON.parse already accepted, so an
 * import can copy a long transcript string into raw.jsonl as the source escaped it instead of
 * escaping the decoded text again (JSON.stringify of newline-dense text cost about as much as
 * parsing it: bench/results/sources.md). Only valid JSON is ever scanned, which makes the rules
 * simple: outside strings there are only structure, numbers and keywords, and a string ends at the
 * first `"` after an even run of backslashes.
 */

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

/** Strings at least this long are remembered: the path's own string is skipped more than once. */
const MEMO_MIN_CHARS = 64;
let memoLine = "";
let memoStart = -1;
let memoEnd = -1;

/** `i` at an opening quote; the index after its closing quote. */
function stringEnd(s: string, i: number): number {
  // Only one line is scanned at a time (`stringLiteralAt` sets memoLine), so this compares references.
  if (i === memoStart && s === memoLine) return memoEnd;
  const end = scanString(s, i);
  if (end - i >= MEMO_MIN_CHARS) {
    memoStart = i;
    memoEnd = end;
  }
  return end;
}

function scanString(s: string, i: number): number {
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

/** `key` is a plain word (no character JSON must escape). */
function keyIs(s: string, start: number, end: number, key: string): boolean {
  const length = end - start;
  if (length === key.length + 2) return s.startsWith(key, start + 1);
  // A key spelt with escapes (`"cont\u0065nt"`) is the same key to JSON.parse.
  if (length < key.length + 2) return false;
  const literal = s.slice(start, end);
  return literal.includes("\\") && JSON.parse(literal) === key;
}

/** The start of the member's value, or -1; the last one when a key repeats, as JSON.parse keeps. */
function memberValue(s: string, i: number, key: string): number {
  let found = -1;
  let j = skipSpace(s, i + 1);
  while (s.charCodeAt(j) === QUOTE) {
    const keyEnd = stringEnd(s, j);
    const value = skipSpace(s, skipSpace(s, keyEnd) + 1);
    if (keyIs(s, j, keyEnd, key)) found = value;
    j = skipSpace(s, valueEnd(s, value));
    if (s.charCodeAt(j) !== COMMA) break;
    j = skipSpace(s, j + 1);
  }
  return found;
}

function elementValue(s: string, i: number, index: number): number {
  let j = skipSpace(s, i + 1);
  if (s.charCodeAt(j) === CLOSE_ARRAY) return -1;
  for (let n = 0; ; n++) {
    if (n === index) return j;
    j = skipSpace(s, valueEnd(s, j));
    if (s.charCodeAt(j) !== COMMA) return -1;
    j = skipSpace(s, j + 1);
  }
}

/**
 * The JSON string literal (quotes included) at `path` in `line`, or undefined when there is none
 * there. A literal with a `\u` escape is refused: the redaction screen reads lines as
 * JSON.stringify writes them, and `\u` can spell any character.
 */
export function stringLiteralAt(
  line: string,
  path: readonly (string | number)[],
): string | undefined {
  memoStart = -1;
  memoLine = line;
  const at = valueAt(line, path);
  let literal: string | undefined;
  if (at >= 0 && line.charCodeAt(at) === QUOTE) {
    const text = line.slice(at, stringEnd(line, at));
    if (!text.includes("\\u")) literal = text;
  }
  // The memo must not keep a long line alive (only valid JSON is scanned: nothing above throws).
  memoLine = "";
  return literal;
}

/** Where the value at `path` starts, or -1. */
function valueAt(line: string, path: readonly (string | number)[]): number {
  let at = skipSpace(line, 0);
  for (const step of path) {
    const c = line.charCodeAt(at);
    if (typeof step === "string") at = c === OPEN_OBJECT ? memberValue(line, at, step) : -1;
    else at = c === OPEN_ARRAY ? elementValue(line, at, step) : -1;
    if (at < 0) return -1;
  }
  return at;
}
