import { basename } from "node:path";
import type { Config } from "../config/config.ts";
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import type { Redactor } from "../core/redaction/redactor.ts";
import { nextTurn, realTimers, type Timers } from "../core/timers.ts";
import type {
  SkipReason,
  SourceImportRecord,
  SourceSkipRecord,
  SourceStore,
} from "../db/source-store.ts";
import { CLAUDE_HOLD, convertClaude } from "./claude-convert.ts";
import { convertCodex } from "./codex-convert.ts";
import { ContentHasher, isLegacyHash } from "./content-hash.ts";
import { discoverSources } from "./discover.ts";
import { convertGemini } from "./gemini-convert.ts";
import type { ConvertedSession, SourceFile } from "./imported-session.ts";
import { projectFilter } from "./project-filter.ts";
import { readRecords } from "./read-records.ts";
import type { SourceRoots } from "./roots.ts";
import { importedSessionName } from "./session-name.ts";
import { isSummaryRun } from "./summary-run.ts";
import { writeImportedSession } from "./write-session.ts";

export interface SourceImportOptions {
  ledgerPath: string;
  roots: SourceRoots;
  store: SourceStore;
  redactor: Redactor;
  clock: Clock;
  logger: Logger;
  user: string;
  /** agentwork's own runs happen under here: never imported. */
  stateDir: string;
  /**
   * Whether the ledger session is being summarized right now. Its raw.jsonl is not rewritten
   * under the running agent: the summary would describe the old transcript and, once written,
   * keep the grown one from ever being summarized. The next pass imports it.
   */
  isBeingSummarized?: (sessionName: string) => boolean;
  /** Where the pass yields to the event loop (`YIELD_AFTER_MS`); real timers by default. */
  timers?: Timers;
}

/**
 * A pass gives the event loop a turn after this much work: a first import of a large history
 * takes seconds to minutes, and the daemon's socket, dashboard, lease keeper and agent pipes
 * must not wait for it. A turn costs microseconds; a transcript a few milliseconds.
 */
export const YIELD_AFTER_MS = 20;

export interface ImportReport {
  imported: string[];
  /** Session names imported again because their transcript grew. */
  reimported: string[];
  unchanged: number;
  /** Not idle for source_idle yet, or grown while its session is being summarized. */
  active: number;
  /** Filtered out by source_projects, summary runs, empty transcripts. */
  ignored: number;
  problems: { path: string; reason: string }[];
}

interface ReadSource {
  session: ConvertedSession;
  hash: string;
  /** The hash as rows written before `content-hash.ts` hold it, when the row is one of those. */
  legacyHash: string | null;
}

/**
 * The import step of a doctor pass: finished transcripts of the configured `sources` become
 * ledger sessions (then found by session-finalize detection like any other). Each file is
 * isolated: one that vanished, cannot be read or does not parse is logged with its path and the
 * rest of the pass goes on. Files left out for good (other projects, our own runs, no entries)
 * are remembered by size and mtime in `source_skips`, so they are not read again, also after a
 * restart; another `source_projects` looks at the other projects' files again.
 */
export class SourceImporter {
  private inFlight: Promise<ImportReport> | null = null;
  constructor(private readonly options: SourceImportOptions) {}

  /**
   * One pass; while one runs, another call gets that pass. A pass gives the event loop turns,
   * and in one of them the socket may ask for a detection: two passes over the same files would
   * both import a new transcript, the second over the session the first just wrote.
   */
  run(config: Config): Promise<ImportReport> {
    this.inFlight ??= this.pass(config).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async pass(config: Config): Promise<ImportReport> {
    if (config.sources.length === 0) return emptyReport();
    const { files, problems } = discoverSources(config.sources, this.options.roots);
    const report = await this.importFiles(files, config);
    report.problems.unshift(...problems);
    this.log(report);
    return report;
  }

  /** Imports what is finished and new among `files` (found by `discoverSources`). */
  async importFiles(files: SourceFile[], config: Config): Promise<ImportReport> {
    const report = emptyReport();
    const known = new Map(config.sources.map((k) => [k, this.options.store.all(k)]));
    const skipped = new Map(config.sources.map((k) => [k, this.options.store.skips(k)]));
    const filter = JSON.stringify(config.sourceProjects);
    const wanted = { test: projectFilter(config.sourceProjects), filter };
    const { clock, timers = realTimers } = this.options;
    const now = clock.now();
    let workedSince = now;
    for (const file of files) {
      if (clock.now() - workedSince >= YIELD_AFTER_MS) {
        await nextTurn(timers);
        workedSince = clock.now();
      }
      const row = known.get(file.kind)?.get(file.id);
      if (row && row.size === file.size && row.mtimeMs === file.mtimeMs) {
        report.unchanged++;
        continue;
      }
      const skip = skipped.get(file.kind)?.get(file.id) ?? null;
      if (
        skip &&
        skip.size === file.size &&
        skip.mtimeMs === file.mtimeMs &&
        (skip.reason !== "project" || skip.filter === filter)
      ) {
        report.ignored++;
        continue;
      }
      if (
        now - file.mtimeMs < config.sourceIdleMs ||
        (row && this.options.isBeingSummarized?.(row.sessionName))
      ) {
        report.active++;
        continue;
      }
      try {
        await this.importOne(file, row ?? null, skip, wanted, report);
      } catch (error) {
        report.problems.push({ path: file.path, reason: describe(error) });
      }
    }
    return report;
  }

  private async importOne(
    file: SourceFile,
    row: SourceImportRecord | null,
    skip: SourceSkipRecord | null,
    wanted: { test: (project: string | null) => boolean; filter: string },
    report: ImportReport,
  ): Promise<void> {
    const read = await this.read(file, row, report);
    const { store, clock } = this.options;
    const ignore = (reason: SkipReason) => {
      store.skip({
        source: file.kind,
        sourceId: file.id,
        size: file.size,
        mtimeMs: file.mtimeMs,
        reason,
        filter: reason === "project" ? wanted.filter : "",
        skippedAt: clock.now(),
      });
      report.ignored++;
    };
    if (row && (row.contentHash === read.hash || row.contentHash === read.legacyHash)) {
      // Touched but not changed: remember the new identity, nothing to import.
      const identity = { size: file.size, mtimeMs: file.mtimeMs, path: file.path };
      store.upsert({ ...row, ...identity, contentHash: read.hash });
      report.unchanged++;
      return;
    }
    const session = read.session;
    if (session.entries.length === 0) return ignore("empty");
    if (!wanted.test(session.project ?? file.project)) return ignore("project");
    if (isSummaryRun(session, this.options.stateDir)) return ignore("summary_run");
    const startedMs = Date.parse(session.startedAt ?? "") || file.mtimeMs;
    const startedAt = new Date(startedMs).toISOString();
    const name = row?.sessionName ?? this.freeName(file, session, startedMs);
    const written = writeImportedSession({
      ledgerPath: this.options.ledgerPath,
      name,
      file,
      session,
      startedAt,
      user: this.options.user,
      redactor: this.options.redactor,
    });
    store.upsert({
      source: file.kind,
      sourceId: file.id,
      path: file.path,
      size: file.size,
      mtimeMs: file.mtimeMs,
      contentHash: read.hash,
      sessionName: name,
      importedAt: clock.now(),
    });
    if (skip) store.unskip(file.kind, file.id);
    (row ? report.reimported : report.imported).push(name);
    this.options.logger.debug(
      `sources: ${row ? "re-imported" : "imported"} ${file.path} as ${name} (${written.entryCount} entries)`,
    );
  }

  private freeName(file: SourceFile, session: ConvertedSession, startedAtMs: number): string {
    for (let extra = 0; ; extra++) {
      const name = importedSessionName({
        startedAtMs,
        user: this.options.user,
        kind: file.kind,
        sessionId: session.sessionId,
        path: file.path,
        extra,
      });
      const owner = this.options.store.sessionOwner(name);
      if (!owner || (owner.source === file.kind && owner.sourceId === file.id) || extra > 8)
        return name;
    }
  }

  /**
   * Reads the transcript and its folded-in parts; bad lines are reported, the rest kept. A row
   * from before `content-hash.ts` gets its old hash too, so a touched file still compares equal.
   */
  private async read(
    file: SourceFile,
    row: SourceImportRecord | null,
    report: ImportReport,
  ): Promise<ReadSource> {
    const hash = new ContentHasher(row !== null && isLegacyHash(row.contentHash));
    const hold = file.kind === "claude" ? CLAUDE_HOLD : undefined;
    const load = async (path: string) => {
      const got = readRecords(path, { whole: path.endsWith(".json"), hasher: hash, hold });
      if (got.truncatedLast)
        report.problems.push({
          path,
          reason: "last line is cut off (still being written?); skipped it",
        });
      if (got.malformed.length > 0)
        report.problems.push({
          path,
          reason: `skipped ${got.malformed.length} malformed line(s): ${got.malformed.slice(0, 5).join(", ")}`,
        });
      return { records: got.records, held: got.held };
    };
    const main = await load(file.path);
    const parts: { id: string; records: Record<string, unknown>[]; held: string[] }[] = [];
    for (const part of file.parts) {
      try {
        parts.push({ id: basename(part).replace(/\.jsonl?$/, ""), ...(await load(part)) });
      } catch (error) {
        report.problems.push({ path: part, reason: describe(error) });
      }
    }
    const session =
      file.kind === "claude"
        ? convertClaude(main, parts)
        : file.kind === "codex"
          ? convertCodex(main.records)
          : convertGemini(main.records, parts);
    return { session, hash: hash.digest(), legacyHash: hash.legacyDigest() };
  }

  private log(report: ImportReport): void {
    const { logger } = this.options;
    for (const p of report.problems) logger.warn(`sources: ${p.path}: ${p.reason}`);
    const n = report.imported.length + report.reimported.length;
    if (n > 0)
      logger.info(
        `sources: imported ${report.imported.length} new and ${report.reimported.length} grown session(s)`,
      );
  }
}

function emptyReport(): ImportReport {
  return { imported: [], reimported: [], unchanged: 0, active: 0, ignored: 0, problems: [] };
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "vanished while being read; skipped";
  if (code === "EACCES" || code === "EPERM") return "cannot be read (permission denied); skipped";
  return `${error instanceof Error ? error.message : String(error)}; skipped`;
}
