import type { SessionEntry } from "../entry.ts";
import type { SessionFooter, SessionHeader } from "../session-reader.ts";
import type { ChapterInfo, Summary } from "../summary.ts";
import type { FileChangeTracker } from "./file-changes.ts";
import {
  displayTime,
  escapeHtml as esc,
  prettyAgent,
  prettyToolInput,
  roleLabel,
} from "./format.ts";
import { SESSION_CSS } from "./html-style.ts";
import { OutputCap } from "./output-cap.ts";
import type { TextSink } from "./session-md.ts";
import { summaryHtml } from "./summary-html.ts";

/**
 * No scripts, no network: everything the page needs is inline, and a restrictive CSP makes any
 * markup that slipped through escaping inert (no script runs, nothing loads).
 */
export const SESSION_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** Splits text on ``` fences so code reads as code; everything is escaped either way. */
function richText(text: string): string {
  const parts = text.split(/^```[^\n]*$/m);
  return parts
    .map((part, i) => {
      const body = part.replace(/^\n+|\n+$/g, "");
      if (body === "") return "";
      return i % 2 === 1
        ? `<pre><code>${esc(body)}</code></pre>`
        : `<div class="text">${esc(body)}</div>`;
    })
    .join("");
}

export interface HtmlCounts {
  total: number;
  user: number;
  assistant: number;
  tool: number;
}

/** session.html, streamed: page head first, one block per entry, side panels at the end. */
export class SessionHtmlRenderer {
  private header: SessionHeader = {};
  private started = false;
  private readonly aha: Map<number, number>;
  private readonly prompts: { index: number; text: string }[] = [];
  readonly counts: HtmlCounts = { total: 0, user: 0, assistant: 0, tool: 0 };

  constructor(
    private readonly out: TextSink,
    private readonly info: { name: string; summary?: Summary },
    private readonly cap: OutputCap = new OutputCap(),
  ) {
    this.aha = new Map((info.summary?.aha_moments ?? []).map((m, i) => [m.seq, i + 1]));
  }

  setHeader(header: SessionHeader): void {
    this.header = { ...this.header, ...header };
  }

  private begin(): void {
    if (this.started) return;
    this.started = true;
    const h = this.header;
    const title = this.info.summary?.title || `Session ${this.info.name}`;
    const meta = [
      prettyAgent(h.agentType) + (h.agentVersion ? ` ${h.agentVersion}` : ""),
      h.model,
      h.username,
      displayTime(h.createdAt),
      this.info.name,
    ].filter((v): v is string => !!v);
    this.out.write(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${SESSION_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title>
<style>${SESSION_CSS}</style>
</head><body><div class="page">
<header class="top"><h1>${esc(title)}</h1><p class="meta">${meta.map((m) => `<span>${esc(m)}</span>`).join("")}</p></header>
`);
    if (this.info.summary) this.out.write(summaryHtml(this.info.summary));
    this.out.write(`<main class="messages">\n`);
  }

  chapter(chapter: ChapterInfo): void {
    this.begin();
    this.out.write(
      `<h2 class="chapter" id="chapter-${chapter.id}">${chapter.id}. ${esc(chapter.title)}</h2>\n`,
    );
  }

  entry(entry: SessionEntry): void {
    this.begin();
    this.counts.total++;
    const id = `msg-${entry.index}`;
    const star = this.aha.get(entry.index);
    const time = entry.timestamp ? `<span>${esc(displayTime(entry.timestamp))}</span>` : "";
    if (entry.role === "tool" || entry.role === "tool_result") {
      this.counts.tool++;
      const input = entry.role === "tool" ? prettyToolInput(entry) : "";
      const output = entry.toolOutput ?? entry.content;
      const head =
        entry.role === "tool" ? toolHead(entry) : `<span class="tool-name">result</span>`;
      this.out.write(
        `<details class="tool${star ? " aha" : ""}" id="${id}"><summary>${head}</summary>` +
          (input ? `<div class="label">input</div><pre>${esc(this.cap.tool(input))}</pre>` : "") +
          (output
            ? `<div class="label">output</div><pre>${esc(this.cap.tool(output))}</pre>`
            : "") +
          `</details>\n`,
      );
      return;
    }
    if (entry.role === "user") {
      this.counts.user++;
      if (this.prompts.length < 300)
        this.prompts.push({ index: entry.index, text: entry.content.slice(0, 90) });
    } else if (entry.role === "assistant") {
      this.counts.assistant++;
    }
    const cls = entry.role === "user" ? "user" : entry.role === "assistant" ? "assistant" : "other";
    this.out.write(
      `<article class="msg ${cls}${star ? " aha" : ""}" id="${id}"><div class="who"><b>${esc(roleLabel(entry, this.header))}</b>` +
        `<a href="#${id}">#${entry.index}</a>${time}${star ? `<span class="star">★ ${star}</span>` : ""}</div>` +
        `${richText(this.cap.message(entry.content))}</article>\n`,
    );
  }

  /** A visible mark in the transcript (a line left out of the export). */
  note(text: string): void {
    this.begin();
    this.out.write(`<p class="meta"><strong>${esc(text)}</strong></p>\n`);
  }

  end(footer: SessionFooter | undefined, files: FileChangeTracker, chapters: ChapterInfo[]): void {
    this.begin();
    if (this.counts.total === 0)
      this.out.write(`<p class="meta">This recording has no entries.</p>\n`);
    this.out.write(`</main>\n<aside class="side">\n`);
    const c = this.counts;
    this.out.write(
      `<section><h2>Statistics</h2><dl class="stats"><dt>Messages</dt><dd>${c.total}</dd><dt>User</dt><dd>${c.user}</dd>` +
        `<dt>Assistant</dt><dd>${c.assistant}</dd><dt>Tool calls</dt><dd>${c.tool}</dd><dt>Files changed</dt><dd>${files.size}</dd></dl></section>\n`,
    );
    if (chapters.length > 0) {
      this.out.write(`<section><h2>Chapters</h2><ol>`);
      for (const ch of chapters)
        this.out.write(`<li><a href="#chapter-${ch.id}">${esc(ch.title)}</a></li>`);
      this.out.write(`</ol></section>\n`);
    }
    if (files.size > 0) {
      this.out.write(`<section><h2>Files changed</h2><ul class="files">`);
      for (const f of files.list().slice(0, 500)) {
        const counts =
          f.action === "Deleted"
            ? `<span class="del">deleted</span>`
            : `<span><span class="add">+${f.added}</span> <span class="del">−${f.removed}</span></span>`;
        this.out.write(`<li><code>${esc(f.path)}</code>${counts}</li>`);
      }
      this.out.write(`</ul></section>\n`);
    }
    if (this.prompts.length > 0) {
      this.out.write(`<section><h2>Prompts</h2><ol>`);
      for (const p of this.prompts)
        this.out.write(`<li><a href="#msg-${p.index}">${esc(p.text || "(empty)")}</a></li>`);
      this.out.write(`</ol></section>\n`);
    }
    const closed = footer?.closedAt
      ? ` · closed ${esc(displayTime(footer.closedAt))}`
      : " · no footer (recording was interrupted)";
    this.out.write(
      `</aside>\n<footer>${c.total} entries${closed} · exported by agentwork</footer>\n</div></body></html>\n`,
    );
  }
}

function toolHead(entry: SessionEntry): string {
  const name = entry.toolName ?? "tool";
  const args = prettyToolInput(entry);
  let detail = "";
  try {
    const obj = JSON.parse(entry.toolInput ?? "") as Record<string, unknown>;
    const pick =
      obj.command ?? obj.file_path ?? obj.pattern ?? obj.path ?? obj.url ?? obj.description;
    if (typeof pick === "string") detail = pick.split("\n")[0] ?? "";
  } catch {
    detail = args.split("\n")[0] ?? "";
  }
  return `<span class="tool-name">${esc(name)}</span><code>${esc(detail.slice(0, 200))}</code>`;
}
