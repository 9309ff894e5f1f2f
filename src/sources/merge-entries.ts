import type { RawEntry } from "./imported-session.ts";

/**
 * Merges entry lists that are each in order (a session and its subagents) into one, by
 * timestamp. An entry without a timestamp keeps its place behind the entry before it. The merge
 * is stable: on equal times the earlier list (the main session) goes first.
 */
export function mergeByTime(lists: RawEntry[][]): RawEntry[] {
  const nonEmpty = lists.filter((l) => l.length > 0);
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? [];
  const keyed = nonEmpty.map((list) => {
    let last = "";
    return list.map((entry) => {
      if (entry.timestamp) last = entry.timestamp;
      return { entry, at: Date.parse(last) || 0 };
    });
  });
  const pos = keyed.map(() => 0);
  const out: RawEntry[] = [];
  for (;;) {
    let best = -1;
    let bestAt = Number.POSITIVE_INFINITY;
    for (let i = 0; i < keyed.length; i++) {
      const item = keyed[i]?.[pos[i] ?? 0];
      if (item && item.at < bestAt) {
        best = i;
        bestAt = item.at;
      }
    }
    if (best < 0) return out;
    const item = keyed[best]?.[pos[best] ?? 0];
    if (item) out.push(item.entry);
    pos[best] = (pos[best] ?? 0) + 1;
  }
}
