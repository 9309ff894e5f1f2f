import type { Redactor } from "../core/redaction/redactor.ts";
import type { ConvertedSession, SourceFile } from "./imported-session.ts";
import { readSource, type SourceProblem } from "./read-source.ts";
import { isSummaryRun } from "./summary-run.ts";
import { writeImportedSession } from "./write-session.ts";

/**
 * What a pass decides on about a transcript it had read and converted (`Conversions.read`):
 * small and plain, so it crosses to another thread as it is. The converted session itself stays
 * in the thread that read it, until written or dropped.
 */
export interface ReadFacts {
  id: number;
  hash: string;
  legacyHash: string | null;
  problems: SourceProblem[];
  entries: number;
  project: string | null;
  sessionId: string | null;
  startedAt: string | null;
  /** One of agentwork's own summary runs (`summary-run.ts`): never imported. */
  summaryRun: boolean;
}

/**
 * A first import turns a gigabyte of transcripts into garbage, and JavaScriptCore lets a heap
 * grow well past what is live: two threads peaked at 190-210 MB RSS on 1,000 files of 1 MB.
 * Over this the process's RSS, each thread collects every few files, about 10 ms a collection,
 * and the peak stays near it (150-160 MB; bench/results/sources.md).
 */
const RSS_SOFT_LIMIT = 150 * 1024 * 1024;
const RSS_CHECK_EVERY = 8;

/** Where and as what a read transcript is written (`writeImportedSession`). */
export interface WriteTarget {
  ledgerPath: string;
  name: string;
  startedAt: string;
  user: string;
}

/**
 * Transcripts read and converted in this thread, each until it is written into the ledger or
 * dropped. The same in the pass's own thread and in an import worker (`import-lanes.ts`).
 */
export class Conversions {
  private readonly sessions = new Map<number, { file: SourceFile; session: ConvertedSession }>();
  private nextId = 1;
  private written = 0;

  constructor(
    private readonly redactor: Redactor,
    private readonly stateDir: string,
  ) {}

  /** Throws when the transcript vanished or cannot be read (`describeReadError`). */
  read(file: SourceFile, legacy: boolean): ReadFacts {
    const read = readSource(file, legacy);
    const id = this.nextId++;
    const { session } = read;
    this.sessions.set(id, { file, session });
    return {
      id,
      hash: read.hash,
      legacyHash: read.legacyHash,
      problems: read.problems,
      entries: session.entries.length,
      project: session.project,
      sessionId: session.sessionId,
      startedAt: session.startedAt,
      summaryRun: isSummaryRun(session, this.stateDir),
    };
  }

  /** Writes raw.jsonl; the entry count. The session is let go either way. */
  write(id: number, target: WriteTarget): number {
    const held = this.sessions.get(id);
    if (!held) throw new Error(`no read transcript ${id} to write`);
    this.sessions.delete(id);
    const entries = writeImportedSession({
      ...target,
      ...held,
      redactor: this.redactor,
    }).entryCount;
    if (++this.written % RSS_CHECK_EVERY === 0 && process.memoryUsage.rss() > RSS_SOFT_LIMIT)
      Bun.gc(true);
    return entries;
  }

  drop(id: number): void {
    this.sessions.delete(id);
  }
}
