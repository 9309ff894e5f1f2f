import type { RawEntry, SourceLiteral } from "./imported-session.ts";

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

/** The literal's JSON text while the field still holds the text it spells. */
function copied(literal: SourceLiteral | undefined, value: string | undefined): string | undefined {
  return literal !== undefined && literal.value === value ? literal.json : undefined;
}

/**
 * One entry of raw.jsonl as a JSON line: what `JSON.stringify(entryObject(entry, seq))` writes,
 * except that long strings the converter took from the source line are copied as the source
 * escaped them (no `\u` escapes: `json-literal.ts`), after the other fields, not escaped again.
 * The rest goes through one native JSON.stringify: joining pieces in script cost more.
 */
export function entryLine(entry: RawEntry, seq: number): string {
  const fields = entryObject(entry, seq);
  const literals = entry.literals;
  if (literals === undefined) return JSON.stringify(fields);
  let copies = "";
  const content = copied(literals.content, entry.content);
  if (content !== undefined) {
    delete fields.content;
    copies += `,"content":${content}`;
  }
  const output = copied(literals.tool_output, entry.tool_output);
  if (output !== undefined) {
    delete fields.tool_output;
    copies += `,"tool_output":${output}`;
  }
  // An object with `seq` at least: its last character is the closing brace.
  const head = JSON.stringify(fields);
  return copies === "" ? head : `${head.slice(0, -1)}${copies}}`;
}

/** The entry as the plain object its line holds (for redaction, which walks values). */
export function entryObject(entry: RawEntry, seq: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of FIELDS) if (entry[key] !== undefined) out[key] = entry[key];
  out.seq = seq;
  return out;
}
