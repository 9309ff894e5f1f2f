import type { JobState, WorkItem } from "../core/work-item.ts";
import type { Stores as Storage } from "./storage.ts";
import { rowToWorkItem, type WorkItemRow } from "./work-item-row.ts";

/** The dashboard's queue filters: state, type, a text match, and a page. */
export interface ItemSearch {
  state?: JobState;
  type?: string;
  /** Matched (case-insensitive substring) against id, dedup key, payload and last error. */
  text?: string;
  offset: number;
  limit: number;
}

export interface ItemPage {
  items: WorkItem[];
  /** Items matching the filters, all pages together. */
  total: number;
}

/** A LIKE pattern matching `text` literally (its % _ and \ escaped). */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Newest first; read-only, for `agentwork ui`'s queue page. */
export function searchItems(storage: Storage, search: ItemSearch): ItemPage {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (search.state) {
    where.push("state = ?");
    params.push(search.state);
  }
  if (search.type) {
    where.push("type = ?");
    params.push(search.type);
  }
  if (search.text) {
    const columns = ["id", "dedup_key", "payload", "last_error"];
    where.push(`(${columns.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(" OR ")})`);
    params.push(...columns.map(() => likePattern(search.text ?? "")));
  }
  const clause = where.join(" AND ");
  const filter = clause ? `WHERE ${clause}` : "";
  const sqlite = storage.db.sqlite;
  return storage.items.read(() => {
    const total =
      sqlite
        .query<{ n: number }, (string | number)[]>(`SELECT COUNT(*) AS n FROM work_items ${filter}`)
        .get(...params)?.n ?? 0;
    const rows = sqlite
      .query<WorkItemRow, (string | number)[]>(
        `SELECT * FROM work_items ${filter} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
      )
      .all(...params, search.limit, search.offset);
    return { items: rows.map(rowToWorkItem), total };
  });
}

/** The work types present in the queue, for the type filter. */
export function itemTypes(storage: Storage): string[] {
  return storage.items.read(() =>
    storage.db.sqlite
      .query<{ type: string }, []>("SELECT DISTINCT type FROM work_items ORDER BY type")
      .all()
      .map((r) => r.type),
  );
}
