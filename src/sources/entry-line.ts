import type { RawEntry } from "./imported-session.ts";

/** raw.jsonl's entry fields, in the order they are written. */
const FIELDS = [
  "type",
  "content",
  "timestamp",
  "tool_name",
  "tool_input",
  "tool_output",
  "is_error",
  "subagent",
] as const;

type Field = (typeof FIELDS)[number];

function fieldJson(entry: RawEntry, key: Field): string {
  const value = entry[key];
  if (key === "content" || key === "tool_output") {
    const literal = entry.literals?.[key];
    // Only while the field still holds the text the literal spells.
    if (literal !== undefined && literal.value === value) return literal.json;
  }
  return JSON.stringify(value);
}

/**
 * One entry of raw.jsonl as a JSON line: what `JSON.stringify(entryObject(entry, seq))` writes,
 * except that long strings the converter took from the source line are copied as the source
 * escaped them (no `\u` escapes: `json-literal.ts`), not escaped again.
 */
export function entryLine(entry: RawEntry, seq: number): string {
  let line = "{";
  for (const key of FIELDS) {
    if (entry[key] === undefined) continue;
    line += `${line.length > 1 ? "," : ""}"${key}":${fieldJson(entry, key)}`;
  }
  return `${line},"seq":${seq}}`;
}

/** The entry as the plain object its line holds (for redaction, which walks values). */
export function entryObject(entry: RawEntry, seq: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of FIELDS) if (entry[key] !== undefined) out[key] = entry[key];
  out.seq = seq;
  return out;
}
