import { Database } from "bun:sqlite";
import { existsSync } from "node:fs";
import { embeddedMigrations } from "./migrations.gen.ts";

/** What `agentwork doctor` reports about a database file, read-only (nothing is migrated). */
export interface MigrationStatus {
  exists: boolean;
  /** Migrations this build embeds that the file has not applied yet. */
  pending: string[];
  /** Applied migrations this build does not know: a newer agentwork wrote the file. */
  unknown: string[];
}

export function migrationStatus(path: string): MigrationStatus {
  if (!existsSync(path)) return { exists: false, pending: [], unknown: [] };
  const db = new Database(path, { readonly: true });
  try {
    const table = db
      .query<{ n: number }, []>(
        "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
      )
      .get();
    const applied = new Set(
      table?.n
        ? db
            .query<{ tag: string }, []>("SELECT tag FROM schema_migrations")
            .all()
            .map((r) => r.tag)
        : [],
    );
    const known = new Set(embeddedMigrations.map((m) => m.tag));
    return {
      exists: true,
      pending: embeddedMigrations.filter((m) => !applied.has(m.tag)).map((m) => m.tag),
      unknown: [...applied].filter((tag) => !known.has(tag)),
    };
  } finally {
    db.close();
  }
}
