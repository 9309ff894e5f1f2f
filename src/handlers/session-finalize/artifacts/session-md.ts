import { safeText } from "../../../core/terminal-text.ts";
import type { SessionEntry } from "../entry.ts";
import type { SessionFooter, SessionHeader } from "../session-reader.ts";
import type { ChapterInfo, Summary } from "../summary.ts";
import { displayTime, prettyAgent, prettyToolInput, roleLabel, toolSummary } from "./format.ts";
import { OutputCap } from "./output-cap.ts";

export interface TextSink {
  write(text: string): void;
}

/** A code fence longer than any backtick run inside `text`, so content cannot close it. */
function fence(text: string, lang = ""): string {
  let longest = 2;
  if (text.includes("```"))
    for (const m of text.matchAll(/`{3,}/g)) longest = Math.max(longest, m[0].length);
  const f = "`".repeat(longest + 1);
  return `${f}${lang}\n${text}\n${f}\n`;
}

function isLong(text: string): boolean {
  if (text.length > 1000) return true;
  let lines = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1))
    if (++lines >= 10) return true;
  return false;
}

/** Markdown cells must stay on one line and not split on pipes. */
function cell(text: string | undefined): string {
  return (text ?? "").replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ") || "-";
}

/**
 * session.md: a readable transcript export (upstream §7.12 outline), written as entries stream
 * past so a large recording never sits in memory.
 */
export class SessionMdRenderer {
  private header: SessionHeader = {};
  private started = false;
  private readonly aha: Map<number, number>;
  private readonly out: TextSink;

  constructor(
    sink: TextSink,
    private readonly info: { name: string; rawPath: string; summary?: Summary },
    private readonly cap: OutputCap = new OutputCap(),
  ) {
    // Every byte of session.md passes here: terminal control sequences never reach the file.
    this.out = { write: (text) => sink.write(safeText(text, { multiline: true })) };
    this.aha = new Map((info.summary?.aha_moments ?? []).map((m, i) => [m.seq, i + 1]));
  }

  setHeader(header: SessionHeader): void {
    this.header = { ...this.header, ...header };
  }

  private begin(): void {
    if (this.started) return;
    this.started = true;
    const h = this.header;
    const rows: [string, string | undefined][] = [
      ["Session", this.info.name],
      ["Session ID", h.agentId],
      ["Agent", prettyAgent(h.agentType)],
      ["Agent Version", h.agentVersion],
      ["Model", h.model],
      ["User", h.username],
      ["Started", h.createdAt],
      ["File", "raw.jsonl"],
    ];
    this.out.write(
      `# Agent Session${this.info.summary?.title ? `: ${cell(this.info.summary.title)}` : ""}\n\n`,
    );
    this.out.write("## Session Information\n\n| Field | Value |\n|---|---|\n");
    for (const [k, v] of rows) this.out.write(`| ${k} | ${cell(v)} |\n`);
    this.out.write("\n---\n\n## Conversation\n\n");
    const moments = this.info.summary?.aha_moments ?? [];
    if (moments.length > 0) {
      this.out.write("### Key Moments ★\n\n");
      moments.forEach((m, i) => {
        this.out.write(
          `${i + 1}. [${cell(m.highlight)}](#msg-${m.seq})${m.why ? ` — ${cell(m.why)}` : ""}\n`,
        );
      });
      this.out.write("\n");
    }
  }

  chapter(chapter: ChapterInfo): void {
    this.begin();
    this.out.write(`## Chapter ${chapter.id}: ${cell(chapter.title)}\n\n`);
  }

  entry(entry: SessionEntry): void {
    this.begin();
    const star = this.aha.get(entry.index);
    const time = entry.timestamp ? ` · ${displayTime(entry.timestamp)}` : "";
    this.out.write(
      `<a id="msg-${entry.index}"></a>\n### ${entry.index}. ${cell(roleLabel(entry, this.header))}${star ? ` ★${star}` : ""}${time}\n\n`,
    );
    if (entry.role === "tool") {
      this.out.write(`\`>_ ${toolSummary(entry).replace(/`/g, "'")}\`\n\n`);
      const input = prettyToolInput(entry);
      if (input) this.details("Input", fence(this.cap.tool(input), "json"));
      const output = entry.toolOutput ?? entry.content;
      if (output) this.block("Output", this.cap.tool(output));
      return;
    }
    const text =
      entry.role === "tool_result"
        ? this.cap.tool(entry.toolOutput ?? entry.content)
        : this.cap.message(entry.content);
    if (entry.role === "user" || entry.role === "assistant") {
      if (isLong(text)) this.details(`${text.slice(0, 200).replace(/\s+/g, " ")}…`, `${text}\n`);
      else this.out.write(`${text}\n\n`);
    } else if (text) {
      this.block("Output", text);
    }
  }

  /** A visible mark in the transcript (a line left out of the export). */
  note(text: string): void {
    this.begin();
    this.out.write(`> **${text.replace(/[*_`]/g, "")}**\n\n`);
  }

  private block(label: string, text: string): void {
    if (isLong(text)) this.details(label, fence(text));
    else this.out.write(`${fence(text)}\n`);
  }

  private details(summary: string, body: string): void {
    this.out.write(
      `<details><summary>${summary.replace(/[<>&]/g, " ")}</summary>\n\n${body}\n</details>\n\n`,
    );
  }

  end(footer: SessionFooter | undefined, entries: number): void {
    this.begin();
    this.out.write(`---\n\n${entries} entries`);
    if (footer?.closedAt) this.out.write(` · closed ${displayTime(footer.closedAt)}`);
    this.out.write("\n");
  }
}
