import { looksSecret } from "./entropy.ts";
import { builtinRules, type RedactionRule, SECRET_NAME } from "./rules.ts";
import { Screen } from "./screen.ts";

/** Secrets found, by kind. */
export type RedactionCounts = Record<string, number>;

/** An extra rule from config (`redact_patterns`): a kind name and a regular expression source. */
export interface CustomPattern {
  name: string;
  pattern: string;
}

export const KIND_NAME = /^[a-z0-9_]{1,64}$/;
const MARK = /\[REDACTED:([a-z0-9_]{1,64})\]/g;
const ASSIGNMENT_KIND = "secret_assignment";

export function mark(kind: string): string {
  return `[REDACTED:${kind}]`;
}

export function addCount(counts: RedactionCounts, kind: string, n = 1): void {
  counts[kind] = (counts[kind] ?? 0) + n;
}

export function addCounts(into: RedactionCounts, from: RedactionCounts): RedactionCounts {
  for (const [kind, n] of Object.entries(from)) addCount(into, kind, n);
  return into;
}

/** Counts the marks already in a text (what a redacted file holds, whoever redacted it). */
export function countMarks(text: string, counts: RedactionCounts): void {
  if (!text.includes("[REDACTED:")) return;
  for (const m of text.matchAll(MARK)) addCount(counts, m[1] as string);
}

/**
 * Compiles a config pattern; throws with the reason when it is not a valid regular expression or
 * could match the empty string (which would mark every position of every line).
 */
export function compileCustom(p: CustomPattern): RedactionRule {
  if (!KIND_NAME.test(p.name)) throw new Error(`name must match ${KIND_NAME.source}`);
  const pattern = new RegExp(p.pattern, "g");
  if (pattern.test("")) throw new Error("pattern matches the empty string");
  pattern.lastIndex = 0;
  return { kind: p.name, pattern, hint: p.pattern };
}

/**
 * Replaces secrets with `[REDACTED:<kind>]` marks in text, in parsed JSON values and in JSONL
 * lines (inside string values, so a line still parses). Pure: no I/O. Idempotent: marks are
 * never matched again.
 */
export class Redactor {
  readonly rules: RedactionRule[];
  private readonly screen: Screen;
  /** Custom hints are written for plain text; only built-in ones allow for JSON escapes. */
  private readonly custom: boolean;

  /** `extra`: the config's `redact_patterns`, kept so another thread can build the same one. */
  constructor(readonly extra: readonly CustomPattern[] = []) {
    this.rules = [...builtinRules(looksSecret), ...extra.map(compileCustom)];
    this.screen = new Screen(this.rules);
    this.custom = extra.length > 0;
  }

  /** Cheap test: false means no rule can match anywhere in `text`. */
  mayContain(text: string): boolean {
    return this.screen.mayContain(text);
  }

  text(text: string, counts: RedactionCounts): string {
    if (!this.mayContain(text)) return text;
    let out = text;
    for (const rule of this.rules) {
      rule.pattern.lastIndex = 0;
      if (!rule.pattern.test(out)) continue;
      rule.pattern.lastIndex = 0;
      out = out.replace(rule.pattern, (...args: unknown[]) => {
        const whole = args[0] as string;
        const last = args[args.length - 1];
        const groups = (typeof last === "object" && last !== null ? last : {}) as {
          pre?: string;
          post?: string;
        };
        const pre = groups.pre ?? "";
        const post = groups.post ?? "";
        const secret = whole.slice(pre.length, whole.length - post.length);
        if (rule.accept && !rule.accept(secret)) return whole;
        addCount(counts, rule.kind);
        return `${pre}${mark(rule.kind)}${post}`;
      });
    }
    return out;
  }

  /** Redacts every string in a JSON value; a string under a secret-named key that looks secret is marked whole. Returns the same reference when nothing changed. */
  value<T>(value: T, counts: RedactionCounts): T {
    return this.walk(value, counts, null) as T;
  }

  private walk(value: unknown, counts: RedactionCounts, key: string | null): unknown {
    if (typeof value === "string") {
      const out = this.text(value, counts);
      if (out === value && key !== null && SECRET_NAME.test(key) && looksSecret(value)) {
        addCount(counts, ASSIGNMENT_KIND);
        return mark(ASSIGNMENT_KIND);
      }
      return out;
    }
    if (Array.isArray(value)) {
      let copy: unknown[] | null = null;
      for (let i = 0; i < value.length; i++) {
        const out = this.walk(value[i], counts, null);
        if (out !== value[i]) {
          copy ??= [...value];
          copy[i] = out;
        }
      }
      return copy ?? value;
    }
    if (value !== null && typeof value === "object") {
      let copy: Record<string, unknown> | null = null;
      for (const [k, v] of Object.entries(value)) {
        const out = this.walk(v, counts, k);
        if (out !== v) {
          copy ??= { ...(value as Record<string, unknown>) };
          copy[k] = out;
        }
      }
      return copy ?? value;
    }
    return value;
  }

  /**
   * One JSONL line: unchanged (the same string) when nothing matches; otherwise parsed, redacted
   * inside its string values and serialised again. A line that is not JSON is redacted as text.
   * The screen reads the line as written, which the built-in hints allow for (`\n`, `\"`, `\/`);
   * a `\u` escape can spell any character (`\u0041KIA`), so a line holding one is parsed and its
   * values screened instead; with custom rules, so is a line holding any escape.
   */
  line(line: string, counts: RedactionCounts): string {
    const escaped = line.includes(this.custom ? "\\" : "\\u");
    if (!escaped && !this.mayContain(line)) return line;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return this.text(line, counts);
    }
    const out = this.walk(parsed, counts, null);
    return out === parsed ? line : JSON.stringify(out);
  }

  /**
   * A value as one redacted JSONL line, serialised once: `line(JSON.stringify(value))` without the
   * `\u` check (JSON.stringify writes `\u` only for control characters and lone surrogates; of
   * those only `\u000b` is white space, and the hints allow for it). With custom rules, whose
   * hints do not allow for escapes, the strings are screened one by one before serialising.
   */
  jsonLine(value: object, counts: RedactionCounts): string {
    if (this.custom) return JSON.stringify(this.walk(value, counts, null));
    return this.serialisedLine(JSON.stringify(value), () => value, counts);
  }

  /**
   * The lines joined by newlines when none can hold a secret, or null: one screen of the joined
   * text, cheaper than one per line. A match across two lines can only give null: the built-in
   * hints have no anchors, and a newline is a word boundary and white space as the start or end
   * of a line is. Null with custom rules, whose hints are screened value by value.
   */
  cleanJoined(lines: readonly string[]): string | null {
    if (this.custom) return null;
    const joined = lines.join("\n");
    return this.mayContain(joined) ? null : joined;
  }

  /**
   * `jsonLine` for a line the caller serialised itself: `line` must be JSON text of `value()`
   * with only the escapes JSON.stringify writes, plus `\/` (no other `\u`). `value` is built
   * only when the screen hits (or with custom rules).
   */
  serialisedLine(line: string, value: () => object, counts: RedactionCounts): string {
    if (this.custom) return JSON.stringify(this.walk(value(), counts, null));
    if (!this.mayContain(line)) return line;
    const plain = value();
    const out = this.walk(plain, counts, null);
    return out === plain ? line : JSON.stringify(out);
  }
}
