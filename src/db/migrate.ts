import type { Database } from "bun:sqlite";
import type { Clock } from "../core/clock.ts";

export interface EmbeddedMigration {
  tag: string;
  when: number;
  sql: string;
}

const BREAKPOINT = "--> statement-breakpoint";

/**
 * Applies embedded migrations not yet recorded in `schema_migrations`, all in one IMMEDIATE
 * transaction. Tracked by tag rather than drizzle's "newest timestamp" high-water mark, so a
 * migration merged from an older branch is never skipped silently. Foreign keys are switched off
 * outside the transaction (inside it the pragma is a no-op) and checked before commit, because
 * drizzle-kit's table rebuilds would otherwise cascade-delete child rows.
 */
export function applyMigrations(
  db: Database,
  migrations: readonly EmbeddedMigration[],
  clock: Clock,
): string[] {
  db.run(
    "CREATE TABLE IF NOT EXISTS schema_migrations (tag TEXT PRIMARY KEY, hash TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT",
  );
  const applied = new Set(
    db
      .query<{ tag: string }, []>("SELECT tag FROM schema_migrations")
      .all()
      .map((r) => r.tag),
  );
  const pending = migrations.filter((m) => !applied.has(m.tag));
  if (pending.length === 0) return [];

  const fkWasOn = db.query<{ foreign_keys: number }, []>("PRAGMA foreign_keys").get()?.foreign_keys;
  db.run("PRAGMA foreign_keys = OFF");
  try {
    db.transaction(() => {
      for (const migration of pending) {
        for (const statement of migration.sql.split(BREAKPOINT)) {
          if (statement.trim() !== "") db.run(statement);
        }
        db.run("INSERT INTO schema_migrations (tag, hash, applied_at) VALUES (?, ?, ?)", [
          migration.tag,
          new Bun.CryptoHasher("sha256").update(migration.sql).digest("hex"),
          clock.now(),
        ]);
      }
      const violations = db.query("PRAGMA foreign_key_check").all();
      if (violations.length > 0) {
        throw new Error(`migration left ${violations.length} foreign key violation(s)`);
      }
    }).immediate();
  } finally {
    if (fkWasOn) db.run("PRAGMA foreign_keys = ON");
  }
  return pending.map((m) => m.tag);
}
