import { getTableColumns, type Table } from "drizzle-orm";

/**
 * `snake_name AS "camelKey", …` for a raw SELECT of every column of a drizzle table, so rows come
 * back shaped like drizzle's (the column names stay written once, in schema.ts). Raw statements
 * serve the reads every `status` makes: drizzle's query builder costs ~0.5 ms per query in a
 * process that has not run it before, several times what SQLite needs (bench/results/cli.md).
 */
export function columnList(table: Table): string {
  return Object.entries(getTableColumns(table))
    .map(([key, column]) => `"${column.name}" AS "${key}"`)
    .join(", ");
}
