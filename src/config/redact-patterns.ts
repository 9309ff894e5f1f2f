import { type CustomPattern, compileCustom } from "../core/redaction/redactor.ts";
import type { ParseResult } from "./keys.ts";

const EXPECTED = "a list of {name, pattern} entries (name: lowercase letters, digits, _)";

/**
 * `redact_patterns`: extra redaction rules, each `{name: kind, pattern: regex}` (a bare string is
 * kind `custom`). Every pattern is compiled here, so a bad one fails at load with the key named.
 */
export function parseRedactPatterns(input: unknown): ParseResult<CustomPattern[]> {
  let raw = input;
  if (typeof raw === "string") {
    // From the environment: a JSON list.
    try {
      raw = JSON.parse(raw);
    } catch {
      return { ok: false, expected: `${EXPECTED}, as JSON in an environment variable` };
    }
  }
  if (raw === null) return { ok: true, value: [] };
  if (!Array.isArray(raw)) return { ok: false, expected: EXPECTED };
  const out: CustomPattern[] = [];
  for (const [i, item] of raw.entries()) {
    const entry: unknown =
      typeof item === "string" ? { name: "custom", pattern: item } : (item as unknown);
    if (entry === null || typeof entry !== "object") return { ok: false, expected: EXPECTED };
    const { name, pattern } = entry as Record<string, unknown>;
    if (typeof name !== "string" || typeof pattern !== "string")
      return { ok: false, expected: `${EXPECTED}; entry ${i + 1} lacks a string name or pattern` };
    try {
      compileCustom({ name, pattern });
    } catch (error) {
      return {
        ok: false,
        expected: `${EXPECTED}; entry ${i + 1} (${name}): ${(error as Error).message}`,
      };
    }
    out.push({ name, pattern });
  }
  return { ok: true, value: out };
}
