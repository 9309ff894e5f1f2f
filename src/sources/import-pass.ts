import { availableParallelism } from "node:os";
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
import { isLegacyHash } from "./content-hash.ts";
import type { ReadFacts, WriteTarget } from "./conversions.ts";
import { discoverSources } from "./discover.ts";
import { type ImportLane, InlineLane, type LaneDown, WorkerLane } from "./import-lanes.ts";
import type { SourceFile } from "./imported-session.ts";
import { OrderedReads } from "./ordered-reads.ts";
import { projectFilter } from "./project-filter.ts";
import { describeReadError } from "./read-source.ts";
import type { SourceRoots } from "./roots.ts";
import { importedSessionName } from "./session-name.ts";

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
  /** Threads for a batch of at least `from` transcripts (`DEFAULT_PARALLEL`). */
  parallel?: Partial<Parallel>;
}

export interface Parallel {
  /** Threads that read and convert, this one included. */
  threads: number;
  /** The fewest transcripts to import that start a worker (it takes ~50 ms to start). */
  from: number;
  /** The worker's module (`import-worker.ts` by default; tests give one that fails). */
  workerEntry?: string;
}

/**
 * Two threads at most, for a batch: a first import of a long history on a 2-core developer
 * machine takes both cores for seconds, not one core for twice as long; a pass of a few new
 * transcripts stays in this thread. Each worker holds its own heap (about 50 MB: the first
 * import's peak RSS stays under 200 MB, bench/results/sources.md).
 */
export const DEFAULT_PARALLEL: Parallel = {
  threads: Math.min(2, availableParallelism()),
  from: 16,
};

interface Candidate {
  file: SourceFile;
  row: SourceImportRecord | null;
  skip: SourceSkipRecord | null;
}

interface Wanted {
  test: (project: string | null) => boolean;
  filter: string;
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
  private laneDownLogged = false;
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
    const wanted = {
      test: projectFilter(config.sourceProjects),
      filter: JSON.stringify(config.sourceProjects),
    };
    const todo = this.toImport(files, config, wanted.filter, report);
    this.laneDownLogged = false;
    const lanes = this.openLanes(todo.length);
    try {
      await this.importAll(todo, lanes, wanted, report);
    } finally {
      for (const lane of lanes) lane.close();
    }
    return report;
  }

  /** The files that are new or changed, finished, and not left out before. */
  private toImport(
    files: SourceFile[],
    config: Config,
    filter: string,
    report: ImportReport,
  ): Candidate[] {
    const known = new Map(config.sources.map((k) => [k, this.options.store.all(k)]));
    const skipped = new Map(config.sources.map((k) => [k, this.options.store.skips(k)]));
    const now = this.options.clock.now();
    const todo: Candidate[] = [];
    for (const file of files) {
      const row = known.get(file.kind)?.get(file.id) ?? null;
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
      todo.push({ file, row, skip });
    }
    return todo;
  }

  /** This thread's lane first; a worker lane beside it for a large enough batch. */
  private openLanes(count: number): ImportLane[] {
    const { redactor, stateDir } = this.options;
    const { threads, from, workerEntry } = { ...DEFAULT_PARALLEL, ...this.options.parallel };
    const lanes: ImportLane[] = [new InlineLane(redactor, stateDir)];
    if (count >= from)
      for (let i = 1; i < threads; i++) lanes.push(new WorkerLane(redactor, stateDir, workerEntry));
    return lanes;
  }

  /**
   * The reads spread over the lanes (`OrderedReads`); the decisions (unchanged, left out, the
   * name) taken here in the files' order; the writes, in the lane that read the file, finish in
   * any order and are reported in the files' order.
   */
  private async importAll(
    todo: Candidate[],
    lanes: ImportLane[],
    wanted: Wanted,
    report: ImportReport,
  ): Promise<void> {
    const { clock, timers = realTimers } = this.options;
    const reads = new OrderedReads(
      todo.map((c) => ({
        file: c.file,
        legacy: c.row !== null && isLegacyHash(c.row.contentHash),
      })),
      lanes,
      timers,
      (error) => this.laneDown(error),
    );
    const imported: (string | undefined)[] = [];
    const writes: Promise<void>[] = [];
    const reserved = new Set<string>();
    let workedSince = clock.now();
    for (let k = 0; k < todo.length; k++) {
      if (clock.now() - workedSince >= YIELD_AFTER_MS) {
        await nextTurn(timers);
        workedSince = clock.now();
      }
      const candidate = todo[k] as Candidate;
      let read: { lane: ImportLane; facts: ReadFacts };
      try {
        read = await reads.take(k);
      } catch (error) {
        report.problems.push({ path: candidate.file.path, reason: describeReadError(error) });
        continue;
      }
      const { facts } = read;
      report.problems.push(...facts.problems);
      try {
        const target = this.decide(candidate, facts, wanted, reserved, report);
        if (target === null) {
          read.lane.drop(facts.id);
          continue;
        }
        reserved.add(target.name);
        writes.push(
          read.lane.write(facts.id, target).then(
            (entries) => {
              this.recordImport(candidate, facts.hash, target.name, entries);
              imported[k] = target.name;
            },
            (error: unknown) => {
              report.problems.push({ path: candidate.file.path, reason: describeReadError(error) });
            },
          ),
        );
      } catch (error) {
        read.lane.drop(facts.id);
        report.problems.push({ path: candidate.file.path, reason: describeReadError(error) });
      }
    }
    await Promise.all(writes);
    // Also a worker that stopped when no read of it was waiting (a write lost with it is a problem).
    for (const lane of lanes) if (lane.stopped) this.laneDown(lane.stopped);
    for (const [k, name] of imported.entries())
      if (name !== undefined) (todo[k]?.row ? report.reimported : report.imported).push(name);
  }

  /**
   * Where a read transcript goes: null when it is unchanged (only touched) or left out for good
   * (empty, another project, one of our summary runs), else its ledger name and start time.
   */
  private decide(
    { file, row }: Candidate,
    facts: ReadFacts,
    wanted: Wanted,
    reserved: ReadonlySet<string>,
    report: ImportReport,
  ): WriteTarget | null {
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
      return null;
    };
    if (row && (row.contentHash === facts.hash || row.contentHash === facts.legacyHash)) {
      // Touched but not changed: remember the new identity, nothing to import.
      const identity = { size: file.size, mtimeMs: file.mtimeMs, path: file.path };
      store.upsert({ ...row, ...identity, contentHash: facts.hash });
      report.unchanged++;
      return null;
    }
    if (facts.entries === 0) return ignore("empty");
    if (!wanted.test(facts.project ?? file.project)) return ignore("project");
    if (facts.summaryRun) return ignore("summary_run");
    const startedMs = Date.parse(facts.startedAt ?? "") || file.mtimeMs;
    const name = row?.sessionName ?? this.freeName(file, facts.sessionId, startedMs, reserved);
    return {
      ledgerPath: this.options.ledgerPath,
      name,
      startedAt: new Date(startedMs).toISOString(),
      user: this.options.user,
    };
  }

  private recordImport(
    { file, row, skip }: Candidate,
    contentHash: string,
    name: string,
    entries: number,
  ): void {
    const { store, clock } = this.options;
    store.upsert({
      source: file.kind,
      sourceId: file.id,
      path: file.path,
      size: file.size,
      mtimeMs: file.mtimeMs,
      contentHash,
      sessionName: name,
      importedAt: clock.now(),
    });
    if (skip) store.unskip(file.kind, file.id);
    this.options.logger.debug(
      `sources: ${row ? "re-imported" : "imported"} ${file.path} as ${name} (${entries} entries)`,
    );
  }

  /** Logged once a pass: the worker's reads are redone here, its unwritten sessions next pass. */
  private laneDown(error: LaneDown): void {
    if (this.laneDownLogged) return;
    this.laneDownLogged = true;
    this.options.logger.warn(`sources: ${error.message}; the pass goes on in one thread`);
  }

  /** The first of the transcript's candidate names no other transcript holds or is taking. */
  private freeName(
    file: SourceFile,
    sessionId: string | null,
    startedAtMs: number,
    reserved: ReadonlySet<string>,
  ): string {
    for (let extra = 0; ; extra++) {
      const name = importedSessionName({
        startedAtMs,
        user: this.options.user,
        kind: file.kind,
        sessionId,
        path: file.path,
        extra,
      });
      if (extra > 8) return name;
      if (reserved.has(name)) continue;
      const owner = this.options.store.sessionOwner(name);
      if (!owner || (owner.source === file.kind && owner.sourceId === file.id)) return name;
    }
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
