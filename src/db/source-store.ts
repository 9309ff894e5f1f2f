import type { OpenedDatabase } from "./open-database.ts";
import type { SKIP_REASONS } from "./schema.ts";
import type { WorkItemStore } from "./work-item-store.ts";

/** One imported transcript: the source file's identity at import and its ledger session. */
export interface SourceImportRecord {
  source: string;
  sourceId: string;
  path: string;
  size: number;
  mtimeMs: number;
  contentHash: string;
  sessionName: string;
  importedAt: number;
}

export type SkipReason = (typeof SKIP_REASONS)[number];

/** A transcript left out for good as it was then (`source_skips`). */
export interface SourceSkipRecord {
  source: string;
  sourceId: string;
  size: number;
  mtimeMs: number;
  reason: SkipReason;
  /** `source_projects` as it was, for a `project` skip; empty otherwise. */
  filter: string;
  skippedAt: number;
}

const SKIP_COLUMNS = `source, source_id AS sourceId, size, mtime_ms AS mtimeMs, reason, filter,
  skipped_at AS skippedAt`;

const COLUMNS = `source, source_id AS sourceId, path, size, mtime_ms AS mtimeMs,
  content_hash AS contentHash, session_name AS sessionName, imported_at AS importedAt`;

/**
 * The `source_imports` table: what each agent transcript looked like when it was imported.
 * Plain SQL through bun:sqlite's statement cache (`query`), not the query builder: an import
 * writes a row per file, and the builder's first use in a process (what a re-scan with nothing
 * new pays, beside stat'ing the files) cost about 4 ms, twice the stat'ing of 100 files.
 */
export class SourceStore {
  constructor(
    private readonly db: OpenedDatabase,
    private readonly store: WorkItemStore,
  ) {}

  get(source: string, sourceId: string): SourceImportRecord | null {
    return this.store.read(
      () =>
        this.db.sqlite
          .query<SourceImportRecord, [string, string]>(
            `SELECT ${COLUMNS} FROM source_imports WHERE source = ? AND source_id = ?`,
          )
          .get(source, sourceId) ?? null,
    );
  }

  /** Every row of one source, by source id: a re-scan looks each file up without a query. */
  all(source: string): Map<string, SourceImportRecord> {
    const rows = this.store.read(() =>
      this.db.sqlite
        .query<SourceImportRecord, [string]>(
          `SELECT ${COLUMNS} FROM source_imports WHERE source = ?`,
        )
        .all(source),
    );
    return new Map(rows.map((r) => [r.sourceId, r]));
  }

  /** Is this session name taken by another source file? */
  sessionOwner(sessionName: string): SourceImportRecord | null {
    return this.store.read(
      () =>
        this.db.sqlite
          .query<SourceImportRecord, [string]>(
            `SELECT ${COLUMNS} FROM source_imports WHERE session_name = ?`,
          )
          .get(sessionName) ?? null,
    );
  }

  /** Every skip of one source, by source id (like `all`). */
  skips(source: string): Map<string, SourceSkipRecord> {
    const rows = this.store.read(() =>
      this.db.sqlite
        .query<SourceSkipRecord, [string]>(
          `SELECT ${SKIP_COLUMNS} FROM source_skips WHERE source = ?`,
        )
        .all(source),
    );
    return new Map(rows.map((r) => [r.sourceId, r]));
  }

  skip(r: SourceSkipRecord): void {
    this.store.single(() =>
      this.db.sqlite
        .query(
          `INSERT INTO source_skips (source, source_id, size, mtime_ms, reason, filter, skipped_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (source, source_id) DO UPDATE SET size = excluded.size,
             mtime_ms = excluded.mtime_ms, reason = excluded.reason, filter = excluded.filter,
             skipped_at = excluded.skipped_at`,
        )
        .run(r.source, r.sourceId, r.size, r.mtimeMs, r.reason, r.filter, r.skippedAt),
    );
  }

  /** A transcript left out before and imported now. */
  unskip(source: string, sourceId: string): void {
    this.store.single(() =>
      this.db.sqlite
        .query("DELETE FROM source_skips WHERE source = ? AND source_id = ?")
        .run(source, sourceId),
    );
  }

  /** One statement, so it takes the write lock on its own (no explicit transaction). */
  upsert(r: SourceImportRecord): void {
    this.store.single(() =>
      this.db.sqlite
        .query(
          `INSERT INTO source_imports (source, source_id, path, size, mtime_ms, content_hash,
             session_name, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (source, source_id) DO UPDATE SET path = excluded.path,
             size = excluded.size, mtime_ms = excluded.mtime_ms,
             content_hash = excluded.content_hash, session_name = excluded.session_name,
             imported_at = excluded.imported_at`,
        )
        .run(
          r.source,
          r.sourceId,
          r.path,
          r.size,
          r.mtimeMs,
          r.contentHash,
          r.sessionName,
          r.importedAt,
        ),
    );
  }
}
