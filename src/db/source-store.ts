import { and, eq } from "drizzle-orm";
import type { OpenedDatabase } from "./open-database.ts";
import { sourceImports } from "./schema.ts";
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

/** The `source_imports` table: what each agent transcript looked like when it was imported. */
export class SourceStore {
  constructor(
    private readonly db: OpenedDatabase,
    private readonly store: WorkItemStore,
  ) {}

  get(source: string, sourceId: string): SourceImportRecord | null {
    const row = this.store.read(() =>
      this.db.orm
        .select()
        .from(sourceImports)
        .where(and(eq(sourceImports.source, source), eq(sourceImports.sourceId, sourceId)))
        .get(),
    );
    return row ?? null;
  }

  /** Every row of one source, by source id: a re-scan looks each file up without a query. */
  all(source: string): Map<string, SourceImportRecord> {
    const rows = this.store.read(() =>
      this.db.orm.select().from(sourceImports).where(eq(sourceImports.source, source)).all(),
    );
    return new Map(rows.map((r) => [r.sourceId, r]));
  }

  /** Is this session name taken by another source file? */
  sessionOwner(sessionName: string): SourceImportRecord | null {
    const row = this.store.read(() =>
      this.db.orm
        .select()
        .from(sourceImports)
        .where(eq(sourceImports.sessionName, sessionName))
        .get(),
    );
    return row ?? null;
  }

  upsert(record: SourceImportRecord): void {
    const { source, sourceId, ...rest } = record;
    this.store.write(() =>
      this.db.orm
        .insert(sourceImports)
        .values(record)
        .onConflictDoUpdate({ target: [sourceImports.source, sourceImports.sourceId], set: rest })
        .run(),
    );
  }
}
