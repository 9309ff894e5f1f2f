import { normalizeEntry, type SessionEntry } from "./entry.ts";
import { emptyLineStats, type LineStats, type OversizedLine, readLines } from "./line-reader.ts";

/** Header metadata; both header styles and their field aliases map onto this. */
export interface SessionHeader {
  version?: string;
  createdAt?: string;
  agentId?: string;
  agentType?: string;
  agentVersion?: string;
  model?: string;
  username?: string;
  repoId?: string;
  recovered?: boolean;
  /** Where an imported session came from (`sources`): kind, id, path of the agent's transcript. */
  source?: Record<string, unknown>;
}

export interface SessionFooter {
  closedAt?: string;
  entryCount?: number;
}

export type SessionRecord =
  | { kind: "header"; header: SessionHeader }
  | { kind: "footer"; footer: SessionFooter }
  | { kind: "entry"; entry: SessionEntry }
  /** A line over the line limit, left out: readers show a mark where it was. */
  | { kind: "dropped"; line: number; note: string };

export interface ReadStats extends LineStats {
  /** Lines that were not a JSON object. */
  malformed: number;
  entries: number;
}

export function emptyReadStats(): ReadStats {
  return { ...emptyLineStats(), malformed: 0, entries: 0 };
}

function str(obj: Record<string, unknown>, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const v = obj[key];
    if (typeof v === "string" && v.length > 0) return v;
  }
  return undefined;
}

export function parseHeader(meta: Record<string, unknown>): SessionHeader {
  const header: SessionHeader = {};
  const set = (key: keyof Omit<SessionHeader, "recovered" | "source">, ...names: string[]) => {
    const v = str(meta, ...names);
    if (v !== undefined) header[key] = v;
  };
  set("version", "version", "schema_version");
  set("createdAt", "created_at", "started_at");
  set("agentId", "agent_id", "session_id");
  set("agentType", "agent_type");
  set("agentVersion", "agent_version");
  set("model", "model");
  set("username", "username", "ox_username");
  set("repoId", "repo_id");
  if (meta.recovered === true) header.recovered = true;
  const source = asObject(meta.source);
  if (source) header.source = source;
  return header;
}

function asObject(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === "object" && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function droppedNote(line: OversizedLine): string {
  const mib = Math.round(line.maxBytes / (1024 * 1024));
  return `[line ${line.line} of raw.jsonl is over the ${mib} MiB line limit and was left out here; raw.jsonl keeps it]`;
}

/**
 * Streams raw.jsonl as header / entry / footer records (upstream §11.3): `type: header` or any
 * line with an `_meta` object is metadata, `type: footer` the footer, everything else an entry.
 * Malformed and oversized lines are counted in `stats` and skipped.
 */
export async function* readSession(
  path: string,
  options: { stats?: ReadStats; maxLineBytes?: number } = {},
): AsyncGenerator<SessionRecord> {
  const stats = options.stats ?? emptyReadStats();
  for await (const line of readLines(path, { stats, maxLineBytes: options.maxLineBytes })) {
    if (typeof line !== "string") {
      yield { kind: "dropped", line: line.line, note: droppedNote(line) };
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      stats.malformed++;
      continue;
    }
    const obj = asObject(parsed);
    if (!obj) {
      stats.malformed++;
      continue;
    }
    if (obj.type === "header") {
      yield { kind: "header", header: parseHeader(asObject(obj.metadata) ?? {}) };
    } else if (obj.type === "footer") {
      const footer: SessionFooter = {};
      const closed = str(obj, "closed_at");
      if (closed) footer.closedAt = closed;
      if (typeof obj.entry_count === "number") footer.entryCount = obj.entry_count;
      yield { kind: "footer", footer };
    } else if (asObject(obj._meta)) {
      yield { kind: "header", header: parseHeader(asObject(obj._meta) ?? {}) };
    } else {
      stats.entries++;
      yield { kind: "entry", entry: normalizeEntry(obj, stats.entries) };
    }
  }
}

/** Header plus entry count, reading the whole file once (for meta.json and the prompt). */
export async function scanSession(
  path: string,
): Promise<{ header: SessionHeader; stats: ReadStats; footer?: SessionFooter }> {
  const stats = emptyReadStats();
  let header: SessionHeader = {};
  let footer: SessionFooter | undefined;
  for await (const rec of readSession(path, { stats })) {
    if (rec.kind === "header") header = { ...header, ...rec.header };
    else if (rec.kind === "footer") footer = rec.footer;
  }
  return footer ? { header, stats, footer } : { header, stats };
}
