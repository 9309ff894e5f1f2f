/**
 * Bounds what one export writes. A single tool output keeps `limit` characters (the
 * `export_tool_output_limit` key) and user/assistant messages five times that; the rest is
 * replaced by a visible cut mark pointing at raw.jsonl, which always keeps the full text. Once an
 * export has written `budget` characters of such text, every further block keeps only a short head,
 * so a 300 MB recording gives exports of tens of MB, not 300 MB each.
 */
export const DEFAULT_TOOL_OUTPUT_LIMIT = 20_000;
export const EXPORT_TEXT_BUDGET = 16 * 1024 * 1024;
const OVER_BUDGET_LIMIT = 500;
const MESSAGE_FACTOR = 5;

export function cutMark(cut: number): string {
  return `[… ${cut.toLocaleString("en-US")} chars cut; full text in raw.jsonl …]`;
}

export class OutputCap {
  private used = 0;

  constructor(
    private readonly limit: number = DEFAULT_TOOL_OUTPUT_LIMIT,
    private readonly budget: number = EXPORT_TEXT_BUDGET,
  ) {}

  /** A tool input or output, capped. */
  tool(text: string): string {
    return this.cap(text, this.limit);
  }

  /** A user or assistant message, capped at a larger size. */
  message(text: string): string {
    return this.cap(text, this.limit * MESSAGE_FACTOR);
  }

  private cap(text: string, limit: number): string {
    const keep = this.used >= this.budget ? Math.min(limit, OVER_BUDGET_LIMIT) : limit;
    if (text.length <= keep) {
      this.used += text.length;
      return text;
    }
    this.used += keep;
    return `${text.slice(0, keep)}\n${cutMark(text.length - keep)}`;
  }
}
