import { type RawEntry, SourceLiteral } from "./imported-session.ts";

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

/**
 * One entry of raw.jsonl as a JSON line: what `JSON.stringify(entryObject(entry, seq))` writes,
 * except that a field holding the source's literal (`SourceLiteral`, no `\u` escapes) is copied
 * as the source escaped it, after the other fields, not decoded and escaped again. The rest goes
 * through one native JSON.stringify: joining pieces in script cost more.
 */
export function entryLine(entry: RawEntry, seq: number): string {
  let copies = "";
  const fields: Record<string, unknown> = {};
  for (const key of FIELDS) {
    const value = entry[key];
    if (value instanceof SourceLiteral) copies += `,"${key}":${value.json}`;
    else if (value !== undefined) fields[key] = value;
  }
  fields.seq = seq;
  // An object with `seq` at least: its last character is the closing brace.
  const head = JSON.stringify(fields);
  return copies === "" ? head : `${head.slice(0, -1)}${copies}}`;
}

/** The entry as the plain object its line holds (for redaction, which walks values). */
export function entryObject(entry: RawEntry, seq: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of FIELDS) {
    const value = entry[key];
    if (value !== undefined) out[key] = value instanceof SourceLiteral ? value.value : value;
  }
  out.seq = seq;
  return out;
}
