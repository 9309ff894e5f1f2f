/**
 * One line of an agent CLI's JSONL output: the event object, "blank" for an empty line, or
 * "malformed" for anything else (noise on stdout, a cut line), which the parsers count.
 */
export function readJsonLine(line: string): Record<string, unknown> | "blank" | "malformed" {
  const trimmed = line.trim();
  if (trimmed === "") return "blank";
  if (!trimmed.startsWith("{")) return "malformed";
  try {
    const event: unknown = JSON.parse(trimmed);
    return event !== null && typeof event === "object" && !Array.isArray(event)
      ? (event as Record<string, unknown>)
      : "malformed";
  } catch {
    return "malformed";
  }
}
