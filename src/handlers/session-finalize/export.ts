import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import type { Clock } from "../../core/clock.ts";
import { AgentworkError, doNotRetry } from "../../core/errors.ts";
import type { Logger } from "../../core/logger.ts";
import { readRegularFileSync } from "../../core/regular-file.ts";
import { ChapterTracker } from "./artifacts/chapters.ts";
import { FileChangeTracker } from "./artifacts/file-changes.ts";
import { OutputCap } from "./artifacts/output-cap.ts";
import { type HtmlCounts, SessionHtmlRenderer } from "./artifacts/session-html.ts";
import { SessionMdRenderer } from "./artifacts/session-md.ts";
import { AtomicWriter } from "./atomic-write.ts";
import { assertInside } from "./paths.ts";
import {
  emptyReadStats,
  type ReadStats,
  readSession,
  type SessionFooter,
  type SessionHeader,
} from "./session-reader.ts";
import type { ChapterInfo, Summary } from "./summary.ts";
import { validateSummary } from "./summary-parser.ts";
import { RAW_FILE } from "./types.ts";

export interface ExportResult {
  files: string[];
  header: SessionHeader;
  footer?: SessionFooter;
  stats: ReadStats;
  counts: HtmlCounts;
  fileChanges: FileChangeTracker;
  chapters: ChapterInfo[];
}

export interface ExportOptions {
  clock: Clock;
  logger: Logger;
  /** Summary to show; by default the session's own summary.json when it exists and parses. */
  summary?: Summary | null;
  /** Name shown in the page; defaults to the directory name. */
  name?: string;
  /** Characters kept of one tool output (`export_tool_output_limit`). */
  toolOutputLimit?: number;
}

function existingSummary(dir: string): Summary | null {
  const path = join(dir, "summary.json");
  if (!existsSync(path)) return null;
  try {
    return validateSummary(JSON.parse(readRegularFileSync(path)));
  } catch {
    return null;
  }
}

async function countEntries(rawPath: string): Promise<number> {
  const stats = emptyReadStats();
  for await (const _ of readSession(rawPath, { stats })) {
    // Counting only; readSession tallies entries in stats.
  }
  return stats.entries;
}

/**
 * Writes session.md and session.html for any session directory, in one streaming pass over
 * raw.jsonl (a second, counting pass only when chapters must be laid out). Needs no model.
 */
export async function exportSession(
  sessionDir: string,
  options: ExportOptions,
): Promise<ExportResult> {
  const started = options.clock.now();
  const rawPath = join(sessionDir, RAW_FILE);
  if (!existsSync(rawPath)) throw doNotRetry("E_SESSION_READ", `no ${RAW_FILE} in ${sessionDir}`);
  // raw.jsonl may be a symlink; its content must still come from inside the session dir.
  assertInside(rawPath, [sessionDir], RAW_FILE);
  const name = options.name ?? basename(sessionDir);
  const summary = options.summary === undefined ? existingSummary(sessionDir) : options.summary;
  const titles = summary?.chapter_titles ?? [];
  const chapters = new ChapterTracker(titles, titles.length > 0 ? await countEntries(rawPath) : 0);
  const files = new FileChangeTracker();
  const mdPath = join(sessionDir, "session.md");
  const htmlPath = join(sessionDir, "session.html");
  const mdOut = new AtomicWriter(mdPath);
  const htmlOut = new AtomicWriter(htmlPath);
  const stats = emptyReadStats();
  const info = summary ? { name, summary } : { name };
  const md = new SessionMdRenderer(
    mdOut,
    { ...info, rawPath },
    new OutputCap(options.toolOutputLimit),
  );
  const html = new SessionHtmlRenderer(htmlOut, info, new OutputCap(options.toolOutputLimit));
  let header: SessionHeader = {};
  let footer: SessionFooter | undefined;
  try {
    for await (const rec of readSession(rawPath, { stats })) {
      if (rec.kind === "header") {
        header = { ...header, ...rec.header };
        md.setHeader(rec.header);
        html.setHeader(rec.header);
      } else if (rec.kind === "footer") {
        footer = rec.footer;
      } else if (rec.kind === "dropped") {
        md.note(rec.note);
        html.note(rec.note);
      } else {
        const chapter = chapters.startingAt(rec.entry.index);
        if (chapter) {
          md.chapter(chapter);
          html.chapter(chapter);
        }
        chapters.add(rec.entry);
        files.add(rec.entry);
        md.entry(rec.entry);
        html.entry(rec.entry);
      }
    }
    md.end(footer, stats.entries);
    html.end(footer, files, chapters.list());
    mdOut.commit();
    htmlOut.commit();
  } catch (error) {
    mdOut.abort();
    htmlOut.abort();
    if (error instanceof AgentworkError) throw error;
    throw new AgentworkError("E_ARTIFACT", `export of ${sessionDir} failed: ${String(error)}`, {
      cause: error,
    });
  }
  const skipped = stats.malformed + stats.oversized;
  options.logger.info(
    `session-finalize: exported ${name} (${stats.entries} entries${skipped ? `, ${skipped} bad lines skipped` : ""}) in ${options.clock.now() - started} ms`,
  );
  const result: ExportResult = {
    files: [mdPath, htmlPath],
    header,
    stats,
    counts: html.counts,
    fileChanges: files,
    chapters: chapters.list(),
  };
  if (footer) result.footer = footer;
  return result;
}
