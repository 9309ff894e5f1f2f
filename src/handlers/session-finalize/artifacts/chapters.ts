import type { SessionEntry } from "../entry.ts";
import type { ChapterInfo } from "../summary.ts";

const EDIT_TOOLS = new Set(["Edit", "MultiEdit", "Write", "NotebookEdit"]);

/**
 * Splits entries 1..total evenly among the summary's chapter titles and counts each chapter's
 * tool calls. Needs the entry count up front, so callers count first (one cheap extra pass).
 */
export class ChapterTracker {
  private readonly chapters: ChapterInfo[];

  constructor(titles: readonly string[], total: number) {
    const k = Math.min(titles.length, Math.max(total, 0));
    this.chapters = [];
    for (let i = 0; i < k; i++) {
      this.chapters.push({
        id: i + 1,
        title: titles[i] ?? `Part ${i + 1}`,
        start_seq: Math.floor((i * total) / k) + 1,
        end_seq: Math.floor(((i + 1) * total) / k),
        tool_counts: {},
        total_tools: 0,
        has_edits: false,
      });
    }
  }

  /** The chapter that begins at this entry, if any (renderers print its heading). */
  startingAt(index: number): ChapterInfo | undefined {
    return this.chapters.find((c) => c.start_seq === index);
  }

  add(entry: SessionEntry): void {
    if (entry.role !== "tool" || !entry.toolName) return;
    const chapter = this.chapters.find(
      (c) => entry.index >= c.start_seq && entry.index <= c.end_seq,
    );
    if (!chapter) return;
    chapter.tool_counts[entry.toolName] = (chapter.tool_counts[entry.toolName] ?? 0) + 1;
    chapter.total_tools++;
    if (EDIT_TOOLS.has(entry.toolName)) chapter.has_edits = true;
  }

  list(): ChapterInfo[] {
    return this.chapters;
  }
}
