import { SOURCE_KINDS, type SourceKind } from "./config.ts";
import type { ParseContext, ParseResult } from "./keys.ts";

/**
 * Parsers of the import keys: `sources` (which agent CLIs' transcripts are imported) and
 * `source_projects` (project path globs, `!` excludes). Both take a YAML list, or from the
 * environment and flags a comma-separated string.
 */
function items(raw: unknown): unknown[] | null {
  if (raw === null) return [];
  if (Array.isArray(raw)) return raw;
  if (typeof raw === "string") return raw.split(",").filter((part) => part.trim() !== "");
  return null;
}

export function sourceKinds(raw: unknown): ParseResult<SourceKind[]> {
  const expected = `a list of: ${SOURCE_KINDS.join(", ")}`;
  const list = items(raw);
  if (list === null) return { ok: false, expected };
  const out: SourceKind[] = [];
  for (const item of list) {
    const found = SOURCE_KINDS.find((k) => typeof item === "string" && k === item.trim());
    if (!found) return { ok: false, expected };
    if (!out.includes(found)) out.push(found);
  }
  return { ok: true, value: out };
}

export function sourceProjects(raw: unknown, ctx: ParseContext): ParseResult<string[]> {
  const expected = "a list of project path globs (a leading ! excludes)";
  const list = items(raw);
  if (list === null) return { ok: false, expected };
  const out: string[] = [];
  for (const item of list) {
    if (typeof item !== "string" || item.trim() === "" || item.trim() === "!")
      return { ok: false, expected };
    const text = item.trim();
    const negated = text.startsWith("!");
    const body = negated ? text.slice(1) : text;
    // `~/src/**` means the user's home, as everywhere else in the file.
    const expanded = body.startsWith("~") ? ctx.resolvePath(body) : body;
    out.push(negated ? `!${expanded}` : expanded);
  }
  return { ok: true, value: out };
}
