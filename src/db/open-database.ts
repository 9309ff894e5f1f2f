import { type BunSQLiteDatabase, drizzle } from "drizzle-orm/bun-sqlite";
import { type OpenedSqlite, type OpenOptions, openSqlite } from "./open-sqlite.ts";

/** No relational schema: only the query builder is used, and building one costs ~3 ms per start. */
export type Drizzle = BunSQLiteDatabase;

/** The opened file with drizzle's query builder on it, for the stores that build their SQL. */
export interface OpenedDatabase extends OpenedSqlite {
  orm: Drizzle;
}

export function openDatabase(path: string, options: OpenOptions): OpenedDatabase {
  const opened = openSqlite(path, options);
  return { ...opened, orm: drizzle(opened.sqlite) };
}
