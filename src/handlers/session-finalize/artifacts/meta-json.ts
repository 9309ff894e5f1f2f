import type { SessionHeader } from "../session-reader.ts";
import type { Summary } from "../summary.ts";

export interface SessionMeta {
  version: "1.0";
  session_name: string;
  username: string;
  agent_id: string;
  agent_type: string;
  model?: string;
  title?: string;
  created_at: string;
  entry_count?: number;
  summary?: string;
  repo_id?: string;
  stop_reason: "recovered";
  /** Secrets replaced by marks, by kind. */
  redactions: Record<string, number>;
  /** LFS object refs by file name; always empty (no LFS upload in agentwork). */
  files: Record<string, { oid: string; size: number }>;
  /** The agent transcript an imported session came from. */
  source?: Record<string, unknown>;
}

/** meta.json for an uploaded session (upstream §7.13, without LFS). */
export function buildMeta(
  name: string,
  header: SessionHeader,
  summary: Summary,
  entryCount: number,
): SessionMeta {
  const meta: SessionMeta = {
    version: "1.0",
    session_name: name,
    username: header.username ?? "",
    // Upstream falls back to the last dash-separated part of the directory name.
    agent_id: header.agentId || (name.split("-").pop() ?? ""),
    agent_type: header.agentType ?? "",
    created_at: header.createdAt ?? "",
    stop_reason: "recovered",
    redactions: summary.redactions ?? {},
    files: {},
  };
  if (header.model) meta.model = header.model;
  if (summary.title) meta.title = summary.title;
  if (entryCount > 0) meta.entry_count = entryCount;
  if (summary.summary) meta.summary = summary.summary;
  if (header.repoId) meta.repo_id = header.repoId;
  if (header.source) meta.source = header.source;
  return meta;
}

export function metaJson(meta: SessionMeta): string {
  return `${JSON.stringify(meta, null, 2)}\n`;
}
